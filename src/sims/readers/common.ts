/** Small helpers shared by the SIMS readers: file access with clear errors and count validation. */
import { open, readFile } from 'node:fs/promises';
import { VoidscopeError } from '../../errors.js';
import { statInputFile } from '../../fsutil.js';
import { createRaster } from '../../raster/types.js';
import type { PixelSize } from '../../raster/types.js';
import type { CountRaster } from '../types.js';

/**
 * Largest raster a SIMS file may imply (16 Mi pixels = 4096 × 4096; 128 MiB per float64 image):
 * SIMS maps are far smaller, and one stray index in a small file must not allocate gigabytes.
 */
export const SIMS_MAX_PIXELS = 1 << 24;

/** Stat a SIMS input, turning "missing" / "empty" / "is a folder" into VoidscopeErrors naming it. */
export function statInput(file: string): Promise<number> {
  return statInputFile(file, 'a SIMS file');
}

export async function readInput(file: string): Promise<Buffer> {
  await statInput(file);
  try {
    return await readFile(file);
  } catch (e) {
    throw new VoidscopeError('EIO', `cannot read file: ${(e as Error).message}`, { file, cause: e });
  }
}

/** Read `length` bytes at `offset` (exactly, or ECORRUPT). */
export async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    if (bytesRead !== length) {
      throw new VoidscopeError('ECORRUPT', `truncated: wanted ${length} bytes at offset ${offset}, got ${bytesRead}`, { file });
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * Check that every value is a finite, non-negative count; returns whether all are integers.
 * `where(i)` describes pixel i for the error message.
 */
export function validateCounts(
  data: ArrayLike<number>,
  file: string,
  where: (i: number) => string,
): { integer: boolean } {
  let integer = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) throw new VoidscopeError('ECORRUPT', `count is ${v} (not a finite number) at ${where(i)}`, { file });
    if (v < 0) throw new VoidscopeError('ECORRUPT', `negative count ${v} at ${where(i)}`, { file });
    if (integer && v !== Math.floor(v)) integer = false;
  }
  return { integer };
}

/**
 * Turn validated float64 values into the tightest count raster: uint32 when every value is an
 * integer ≤ 2^32−1, else float64.
 */
export function toCountRaster(values: Float64Array, width: number, height: number, pixelSize: PixelSize | null = null): CountRaster {
  let integer = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== Math.floor(v) || v > 0xffffffff) {
      integer = false;
      break;
    }
  }
  if (integer) return createRaster(width, height, Uint32Array.from(values), { pixelSize });
  return createRaster(width, height, values, { pixelSize });
}

export function describeXY(width: number): (i: number) => string {
  return (i) => `pixel x=${i % width}, y=${Math.floor(i / width)}`;
}
