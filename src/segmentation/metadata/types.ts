/**
 * Types of the SEM calibration / data-bar metadata readers (issue 3).
 * Every number carries its unit in its name; every value records where it came from.
 */
import type { PixelSize } from '../../raster/types.js';

export type SemVendor = 'FEI/Thermo' | 'Zeiss' | 'Hitachi' | 'JEOL' | 'Tescan' | 'ImageJ' | 'Olympus' | 'Fibics';

/** Rows at the bottom of the image that are a burnt-in data bar, not micrograph. */
export interface DatabarInfo {
  /** Rows at the bottom of the image excluded from analysis (0 = metadata says there is none). */
  rows: number;
  /** Where the number came from, e.g. "FEI tag 34682 [PrivateFei] DatabarHeight", "detected from pixels". */
  source: string;
}

/** What one vendor parser makes of one metadata block (a tag or a sidecar). Pure data. */
export interface VendorReading {
  vendor: SemVendor;
  instrument: string | null;
  /** µm/px with the tag/sidecar and field it came from; null = uncalibrated. */
  pixelSize: PixelSize | null;
  /** Data bar according to this block, or null when it says nothing about one. */
  databar: DatabarInfo | null;
  acceleratingVoltageKV?: number;
  workingDistanceMm?: number;
  magnification?: number;
  detector?: string;
  /** Acquisition date/time, ISO 8601 (local time of the instrument) when it could be parsed, else as written. */
  date?: string;
  /** Parsed raw metadata, flattened "Section.Key" → value. */
  fields: Record<string, string>;
  /** Skipped or malformed fields, cross-check disagreements. */
  warnings: string[];
}

/** Everything known about one image: the vendor readings merged, plus pixel-based data-bar detection. */
export interface SemMetadata extends Omit<VendorReading, 'vendor'> {
  vendor: SemVendor | null;
  /** From metadata, else detected from pixels, else null. */
  databar: DatabarInfo | null;
  /** Path of the sidecar file used, or null. */
  sidecar?: string | null;
}

/** Size of the image the metadata belongs to (the saved pixels, data bar included). */
export interface ImageDims {
  width: number;
  height: number;
}

export function emptyReading(vendor: SemVendor): VendorReading {
  return { vendor, instrument: null, pixelSize: null, databar: null, fields: {}, warnings: [] };
}
