/**
 * Types shared by the TOF-SIMS readers, statistics and renderers.
 *
 * A SIMS file is read into a `SimsDataset`: one raster geometry and a list of
 * channels (mass intervals / peaks / the total-ion image). Channel pixel data
 * are loaded lazily (`load()`), so listing the channels of a large file is cheap.
 */
import type { PixelSize, Raster } from '../raster/types.js';

export type SimsFormat =
  | 'bif6'
  | 'surfacelab-image-text'
  | 'matrix-text'
  | 'imzml'
  | 'count-tiff'
  | 'count-png'
  | 'surfacelab-spectrum'
  | 'surfacelab-profile';

/** What a channel holds: a peak (mass interval), the total-ion image, or a derived ratio column. */
export type SimsChannelKind = 'peak' | 'total' | 'ratio' | 'unknown';

/** Count raster: uint32 integer counts, or float for dead-time-corrected / MALDI intensities. */
export type CountRaster = Raster<Uint32Array | Float32Array | Float64Array>;

export interface SimsChannel {
  /** Zero-based position of the channel in the file. */
  index: number;
  /** Interval / channel id stored in the file (BIF6 interval id, SurfaceLab "(id)"), when the format has one. */
  id?: number;
  /** Peak label (e.g. "Li+", "total"), when the file or its name gives one. */
  label?: string;
  /** Mass interval [lower, upper] in u (m/z), when known. */
  mzRange?: [number, number];
  /** Centre mass in u, when the file states one. */
  mzCentre?: number;
  kind: SimsChannelKind;
  /** Pixel data when already in memory, else null (use `load()`). */
  counts: CountRaster | null;
  /** Load (or return) the channel's pixel data. */
  load(): Promise<CountRaster>;
}

export interface SimsDataset {
  file: string;
  format: SimsFormat;
  channels: SimsChannel[];
  width: number;
  height: number;
  /** Calibration from the file (imzML pixel size), else null. */
  pixelSize: PixelSize | null;
  /** Everything the reader had to assume (axis order, id 0 = total, float intensities, ...). */
  assumptions: string[];
  /**
   * For formats that store full spectra per pixel (imzML, spectrum exports): build an
   * image of the intensities whose m/z lies in [lo, hi] (inclusive), summed per pixel.
   * Absent for formats that only store fixed mass intervals.
   */
  extractMz?: (lo: number, hi: number) => Promise<CountRaster>;
  /**
   * With `extractMz`: the lowest and highest m/z the spectra hold (known after the first
   * extraction for imzML), or null when unknown. A window outside it would give an all-zero map.
   */
  mzExtent?: () => Promise<[number, number] | null>;
  /** Format-specific facts worth reporting (imzML mode, UUID, spectrum count ...). */
  meta: Record<string, unknown>;
}

/** How to pick one channel. */
export type ChannelSelector =
  | { index: number }
  | { id: number }
  | { label: string }
  | { mz: number; tol?: number };

export interface SelectedChannel {
  /** Which channel (or m/z window) was used, for the record. */
  label: string | null;
  id: number | null;
  index: number | null;
  mzRange: [number, number] | null;
  /** How the selection was resolved, e.g. 'label "Li+" matched interval id 2'. */
  selectedBy: string;
  raster: CountRaster;
}
