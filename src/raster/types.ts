/**
 * The raster type shared by every part of voidscope (SEM and TOF-SIMS alike).
 * Pixel data are kept at their native depth: 16-bit stays 16-bit, counts stay
 * 32-bit, floats stay floats. Row-major, top-left origin, one channel.
 */
import { VoidscopeError } from '../errors.js';

export type PixelData = Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

/**
 * Whether this machine stores multi-byte words little-endian (byte k of a Uint32 at bits 8k…8k+7): the
 * word-at-a-time pixel loops that depend on byte positions check it and fall back to bytes otherwise.
 */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export type BitDepth = 8 | 16 | 32 | 64;
export type SampleFormat = 'uint' | 'float';

/** Physical size of one pixel, always in micrometres. */
export interface PixelSize {
  /** µm per pixel along x. */
  value: number;
  /** µm per pixel along y when it differs from x (non-square pixels); otherwise absent. */
  valueY?: number;
  unit: 'µm';
  /** Where the number came from, e.g. "user", "FEI tag 34682 [Scan] PixelWidth", "Hitachi sidecar x.txt PixelSize". */
  source: string;
}

export interface Raster<T extends PixelData = PixelData> {
  width: number;
  height: number;
  bitDepth: BitDepth;
  sampleFormat: SampleFormat;
  data: T;
  pixelSize: PixelSize | null;
}

/** An axis-aligned rectangle in pixels, top-left origin. */
export interface Roi {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function createRaster<T extends PixelData>(
  width: number,
  height: number,
  data: T,
  extra: { pixelSize?: PixelSize | null; bitDepth?: BitDepth; sampleFormat?: SampleFormat } = {},
): Raster<T> {
  if (data.length !== width * height) {
    throw new RangeError(`raster data length ${data.length} does not match ${width}x${height}`);
  }
  const native = nativeDepth(data);
  return {
    width,
    height,
    bitDepth: extra.bitDepth ?? native.bitDepth,
    sampleFormat: extra.sampleFormat ?? native.sampleFormat,
    data,
    pixelSize: extra.pixelSize ?? null,
  };
}

export function nativeDepth(data: PixelData): { bitDepth: BitDepth; sampleFormat: SampleFormat } {
  if (data instanceof Uint8Array) return { bitDepth: 8, sampleFormat: 'uint' };
  if (data instanceof Uint16Array) return { bitDepth: 16, sampleFormat: 'uint' };
  if (data instanceof Uint32Array) return { bitDepth: 32, sampleFormat: 'uint' };
  if (data instanceof Float32Array) return { bitDepth: 32, sampleFormat: 'float' };
  return { bitDepth: 64, sampleFormat: 'float' };
}

/**
 * Check that a ROI is whole pixels, has positive size and lies inside a width×height image;
 * returns a plain copy. The one ROI rule for SEM and SIMS alike.
 */
export function validateRoi(roi: Roi, width: number, height: number): Roi {
  const ok =
    roi !== null &&
    typeof roi === 'object' &&
    [roi.x, roi.y, roi.width, roi.height].every((v) => Number.isInteger(v)) &&
    roi.x >= 0 &&
    roi.y >= 0 &&
    roi.width > 0 &&
    roi.height > 0 &&
    roi.x + roi.width <= width &&
    roi.y + roi.height <= height;
  if (!ok) {
    throw new VoidscopeError(
      'EOPTION',
      `ROI ${JSON.stringify(roi)} must be whole pixels (x, y ≥ 0; width, height > 0) inside the ${width}×${height} image`,
    );
  }
  return { x: roi.x, y: roi.y, width: roi.width, height: roi.height };
}

/** The whole image as a ROI. */
export function fullRoi(r: { width: number; height: number }): Roi {
  return { x: 0, y: 0, width: r.width, height: r.height };
}

/** Copy a rectangle out of a raster (same depth, same calibration). */
export function cropRaster<T extends PixelData>(r: Raster<T>, roi: Roi): Raster<T> {
  const Ctor = r.data.constructor as { new (n: number): T };
  const out = new Ctor(roi.width * roi.height);
  for (let y = 0; y < roi.height; y++) {
    const src = (roi.y + y) * r.width + roi.x;
    out.set(r.data.subarray(src, src + roi.width) as never, y * roi.width);
  }
  return { ...r, width: roi.width, height: roi.height, data: out };
}

/** Minimum and maximum pixel value (NaN ignored). */
export function minMax(data: PixelData): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
