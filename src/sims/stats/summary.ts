/** Descriptive statistics of a count map. Pure. */
import type { PixelData } from '../../raster/types.js';

export interface CountSummary {
  pixels: number;
  /** Sum of all pixel counts. */
  totalCounts: number;
  /** Mean counts per pixel. */
  meanCounts: number;
  /** Median counts per pixel (mean of the two middle values for an even pixel count). */
  medianCounts: number;
  maxCounts: number;
  minCounts: number;
  /** Sample standard deviation of the pixel counts (n − 1). */
  sdCounts: number;
  /** Fraction of pixels with exactly 0 counts. */
  zeroFraction: number;
  nonZeroPixels: number;
  /** Variance / mean of pixel counts: 1 for a homogeneous Poisson map, > 1 for clustered signal. */
  dispersionIndex: number | null;
  /** Whether every pixel holds an integer count (false for float/dead-time-corrected data). */
  integerCounts: boolean;
}

export function summarizeCounts(data: PixelData): CountSummary {
  const n = data.length;
  if (n === 0) throw new RangeError('empty map');
  let total = 0;
  let zeros = 0;
  let max = -Infinity;
  let min = Infinity;
  let integer = true;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    total += v;
    if (v === 0) zeros++;
    if (v > max) max = v;
    if (v < min) min = v;
    if (integer && v !== Math.floor(v)) integer = false;
  }
  const mean = total / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i]! - mean;
    ss += d * d;
  }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = Float64Array.from(data).sort();
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return {
    pixels: n,
    totalCounts: total,
    meanCounts: mean,
    medianCounts: median,
    maxCounts: max,
    minCounts: min,
    sdCounts: sd,
    zeroFraction: zeros / n,
    nonZeroPixels: n - zeros,
    dispersionIndex: mean > 0 && n > 1 ? (sd * sd) / mean : null,
    integerCounts: integer,
  };
}
