/**
 * Intensity normalisation before the features, so that a model trained on one acquisition's images
 * sees another's on the same scale:
 *  1. flat field: the image is divided by its own large-scale brightness (means of 32×32-pixel blocks
 *     of the analysed pixels, smoothed with a Gaussian of σ = 4 blocks ≈ 128 px, interpolated
 *     bilinearly between block centres) — removes the shading, vignetting and charging gradients a
 *     detector or a specimen adds, which no global scale can;
 *  2. percentiles: the 1st and 99th percentiles of the flat-fielded analysed pixels map to 0 and 1
 *     (brightness and contrast).
 * Both are computed once per image (never per tile), so tiling does not change the result.
 */
import { gaussianBlurFloat } from '../gaussian.js';

export const FLAT_FIELD_BLOCK = 32;
export const FLAT_FIELD_SIGMA_BLOCKS = 4;

export interface Normalisation {
  /** v ↦ (v / field(x, y) − offset) · scale; field is null when flat-fielding is off. */
  offset: number;
  scale: number;
  field: FlatField | null;
}

export interface FlatField {
  /** Smoothed block means divided by their mean (≈ 1), gw × gh. */
  grid: Float32Array;
  gw: number;
  gh: number;
  block: number;
}

/** The large-scale brightness of an image (see the module comment), or null if flat. */
export function flatField(data: ArrayLike<number>, width: number, height: number, area: Uint8Array | null, block = FLAT_FIELD_BLOCK): FlatField | null {
  const gw = Math.ceil(width / block);
  const gh = Math.ceil(height / block);
  const sum = new Float64Array(gw * gh);
  const cnt = new Float64Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / block) * gw;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (area && area[i] === 0) continue;
      const v = data[i]!;
      if (!Number.isFinite(v)) continue;
      const g = gy + Math.floor(x / block);
      sum[g] = sum[g]! + v;
      cnt[g]++;
    }
  }
  let tot = 0;
  let tc = 0;
  for (let g = 0; g < sum.length; g++) {
    tot += sum[g]!;
    tc += cnt[g]!;
  }
  if (tc === 0 || !(tot > 0)) return null;
  const mean = tot / tc;
  // Blocks with no analysed pixel take the global mean; then smooth and scale to mean 1.
  const grid = new Float32Array(gw * gh);
  for (let g = 0; g < grid.length; g++) grid[g] = cnt[g]! > 0 ? sum[g]! / cnt[g]! : mean;
  const smooth = gw * gh > 1 ? gaussianBlurFloat(grid, gw, gh, FLAT_FIELD_SIGMA_BLOCKS, 0.002) : grid;
  for (let g = 0; g < smooth.length; g++) smooth[g] = Math.max(smooth[g]! / mean, 1e-3);
  return { grid: smooth, gw, gh, block };
}

/** The field at pixel (x, y): bilinear between block centres, constant beyond the outer ones. */
export function fieldAt(f: FlatField, x: number, y: number): number {
  const fx = Math.min(Math.max((x + 0.5) / f.block - 0.5, 0), f.gw - 1);
  const fy = Math.min(Math.max((y + 0.5) / f.block - 0.5, 0), f.gh - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, f.gw - 1);
  const y1 = Math.min(y0 + 1, f.gh - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const g = f.grid;
  const top = g[y0 * f.gw + x0]! * (1 - ax) + g[y0 * f.gw + x1]! * ax;
  const bot = g[y1 * f.gw + x0]! * (1 - ax) + g[y1 * f.gw + x1]! * ax;
  return top * (1 - ay) + bot * ay;
}

/**
 * The normalisation of one image: flat field (unless `flat` is false), then the `lowP` / `highP`
 * percentiles of the flat-fielded analysed pixels (4096-bin histogram between min and max).
 */
export function imageNormalisation(data: ArrayLike<number>, width: number, height: number, area: Uint8Array | null, lowP = 0.01, highP = 0.99, flat = true): Normalisation {
  const field = flat ? flatField(data, width, height, area) : null;
  const n = width * height;
  const vals = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      vals[i] = field ? data[i]! / fieldAt(field, x, y) : data[i]!;
    }
  }
  const p = percentileNormalisation(vals, area, lowP, highP);
  return { offset: p.offset, scale: p.scale, field };
}

/** Percentile normalisation: the lowP and highP percentiles of the analysed pixels map to 0 and 1. */
export function percentileNormalisation(data: ArrayLike<number>, area: Uint8Array | null, lowP = 0.01, highP = 0.99): { offset: number; scale: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (area && area[i] === 0) continue;
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    count++;
  }
  if (count === 0 || !(hi > lo)) return { offset: Number.isFinite(lo) ? lo : 0, scale: 1 };
  const bins = 4096;
  const hist = new Float64Array(bins);
  const k = (bins - 1) / (hi - lo);
  for (let i = 0; i < data.length; i++) {
    if (area && area[i] === 0) continue;
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    hist[Math.floor((v - lo) * k)]++;
  }
  const at = (p: number): number => {
    const target = p * count;
    let acc = 0;
    for (let b = 0; b < bins; b++) {
      acc += hist[b]!;
      if (acc > target) return lo + b / k;
    }
    return hi;
  };
  const p1 = at(lowP);
  const p99 = at(highP);
  return { offset: p1, scale: p99 > p1 ? 1 / (p99 - p1) : 1 };
}
