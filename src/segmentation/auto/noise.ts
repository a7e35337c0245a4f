/**
 * Noise estimation for the automatic segmenter and for warnings on any method.
 *
 * σ is Immerkær's estimator (J. Immerkær, "Fast noise variance estimation", CVIU 64(2), 1996): the
 * image is convolved with the 3×3 mask N = [1 −2 1; −2 4 −2; 1 −2 1], which cancels any locally
 * linear signal, and for white noise of variance σ² its output has variance 36σ². Instead of the
 * paper's mean |N∗I| we take the MEDIAN |N∗I| (σ = 1.4826 · median / 6), so that edges (a minority of
 * pixels) do not inflate the estimate. Only pixels whose 3×3 neighbourhood lies inside the analysed
 * area count. Scan-line-correlated noise is underestimated somewhat (the mask sees its low-pass part as
 * signal). Hand-written: no installed library offers it on typed arrays, and it is 20 lines.
 */
import type { Raster } from '../../raster/types.js';

/** Median-absolute Immerkær residual → σ, in the units of `data`. `scale`: bins per data unit of the residual histogram. */
export function immerkaerSigma(
  data: ArrayLike<number>,
  width: number,
  height: number,
  area: Uint8Array | null,
  scale = 1,
  rowStep = 1,
): { sigma: number; samples: number } {
  const BINS = 8192;
  const hist = new Float64Array(BINS);
  let n = 0;
  const W = width;
  for (let y = 1; y < height - 1; y += rowStep) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      if (area !== null && (area[i] === 0 || area[i - W - 1] === 0 || area[i + W + 1] === 0 || area[i - W + 1] === 0 || area[i + W - 1] === 0)) continue;
      const v =
        data[i - W - 1]! - 2 * data[i - W]! + data[i - W + 1]! -
        2 * data[i - 1]! + 4 * data[i]! - 2 * data[i + 1]! +
        data[i + W - 1]! - 2 * data[i + W]! + data[i + W + 1]!;
      if (v !== v) continue; // NaN
      const b = Math.abs(v) * scale;
      hist[b >= BINS - 1 ? BINS - 1 : Math.floor(b)]!++;
      n++;
    }
  }
  if (n === 0) return { sigma: 0, samples: 0 };
  let acc = 0;
  const half = n / 2;
  for (let b = 0; b < BINS; b++) {
    const c = hist[b]!;
    if (acc + c >= half) {
      // linear interpolation inside the bin
      const med = (b + (c > 0 ? (half - acc) / c : 0)) / scale;
      return { sigma: (1.4826 * med) / 6, samples: n };
    }
    acc += c;
  }
  return { sigma: (1.4826 * (BINS / scale)) / 6, samples: n };
}

export interface NoiseReport {
  /** Noise σ in the raster's own grey units (Immerkær, median form). */
  sigma: number;
  /** Contrast the σ is compared with: 95th − 5th percentile of the analysed pixels (raster units). */
  contrast: number;
  /** σ / contrast (0 when the contrast is 0). */
  relative: number;
  /** 'low' (< 0.04), 'moderate' (0.04–0.08), 'high' (≥ 0.08) relative noise. */
  level: 'low' | 'moderate' | 'high';
  /** Suggested median radius (ImageJ convention) before a global threshold, or null where none is needed. */
  suggestedMedian: number | null;
  /** Plain-language hint for the user, or null. */
  recommendation: string | null;
  /** How σ was estimated. */
  method: string;
}

/** Bounds of the relative-noise levels; see src/segmentation/auto/README.md for the measurements behind them. */
export const NOISE_LEVELS = { moderate: 0.04, high: 0.08 } as const;

/**
 * Noise σ of the analysed area and what to do about it. Pure; any raster depth. `knownSigma`: a σ
 * already estimated on the same pixels (raster units), to skip the second pass. The recommendation is
 * meant for global-threshold methods (the automatic segmenter denoises by itself).
 */
export function noiseReport(raster: Raster, area: Uint8Array | null, knownSigma?: number): NoiseReport {
  const { data, width, height } = raster;
  // Every row up to 256 rows, then every k-th row (≥ 256 rows of samples): the median residual and the
  // 5–95 % contrast are statistics of hundreds of thousands of pixels either way, and this keeps the
  // band of a global threshold cheap (≈ 4 ms instead of ≈ 35 ms of CPU on a 3-Mpx image).
  const rowStep = Math.max(1, Math.floor(height / 256));
  const { p5, p95 } = percentiles(data, area, width, rowStep);
  const contrast = p95 - p5;
  // residual histogram resolution: ≥ 4 bins per grey level for 8-bit, ~contrast/2000 units otherwise
  const scale = contrast > 0 ? Math.max(4, 2000 / contrast) / Math.max(1, contrast / 255) : 4;
  const sigma = knownSigma ?? immerkaerSigma(data, width, height, area, scale, rowStep).sigma;
  const relative = contrast > 0 ? sigma / contrast : 0;
  const level = relative >= NOISE_LEVELS.high ? 'high' : relative >= NOISE_LEVELS.moderate ? 'moderate' : 'low';
  const suggestedMedian = level === 'high' ? 2 : level === 'moderate' ? 1 : null;
  const pct = (relative * 100).toFixed(1);
  const recommendation =
    suggestedMedian === null
      ? null
      : `image noise σ ≈ ${fmt(sigma)} grey levels is ${pct} % of the contrast (${level}): a global threshold will split ` +
        `noise into many one-pixel "pores"; median ${suggestedMedian} suggested before thresholding (or use the automatic segmenter, which denoises)`;
  return {
    sigma,
    contrast,
    relative,
    level,
    suggestedMedian,
    recommendation,
    method: 'Immerkær 1996 3×3 Laplacian-difference mask, median absolute residual (σ = 1.4826·median/6)',
  };
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2);
}

/** 5th and 95th percentiles of the analysed pixels of every `rowStep`-th row (NaN ignored), via a 4096-bin histogram over min..max. */
function percentiles(data: ArrayLike<number>, area: Uint8Array | null, width: number, rowStep: number): { p5: number; p95: number } {
  if (data instanceof Uint8Array) return percentiles8(data, area, width, rowStep);
  let lo = Infinity;
  let hi = -Infinity;
  const n = data.length;
  const rowLen = width * rowStep;
  for (let r = 0; r < n; r += rowLen) {
    for (let i = r, e = Math.min(n, r + width); i < e; i++) {
      if (area !== null && area[i] === 0) continue;
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi > lo)) return { p5: lo === Infinity ? 0 : lo, p95: lo === Infinity ? 0 : lo };
  const B = 4096;
  const h = new Float64Array(B);
  const s = (B - 1) / (hi - lo);
  let m = 0;
  for (let r = 0; r < n; r += rowLen) {
    for (let i = r, e = Math.min(n, r + width); i < e; i++) {
      if (area !== null && area[i] === 0) continue;
      const v = data[i]!;
      if (v !== v) continue;
      h[Math.floor((v - lo) * s)]!++;
      m++;
    }
  }
  const at = (q: number): number => {
    let acc = 0;
    for (let b = 0; b < B; b++) {
      acc += h[b]!;
      if (acc >= q * m) return lo + b / s;
    }
    return hi;
  };
  return { p5: at(0.05), p95: at(0.95) };
}

/** percentiles() for 8-bit data: one pass into 256 bins (exact grey levels). */
function percentiles8(data: Uint8Array, area: Uint8Array | null, width: number, rowStep: number): { p5: number; p95: number } {
  const h = new Float64Array(256);
  const n = data.length;
  const rowLen = width * rowStep;
  let m = 0;
  for (let r = 0; r < n; r += rowLen) {
    const e = Math.min(n, r + width);
    if (area === null) {
      for (let i = r; i < e; i++) h[data[i]!]!++;
      m += e - r;
    } else {
      for (let i = r; i < e; i++) {
        if (area[i] === 0) continue;
        h[data[i]!]!++;
        m++;
      }
    }
  }
  if (m === 0) return { p5: 0, p95: 0 };
  const at = (q: number): number => {
    let acc = 0;
    for (let b = 0; b < 256; b++) {
      acc += h[b]!;
      if (acc >= q * m) return b;
    }
    return 255;
  };
  return { p5: at(0.05), p95: at(0.95) };
}

/**
 * How many void components (8-connected) a mask has and how many are single pixels — the symptom of an
 * unfiltered noisy image (issue 10: a FIB-SEM slice with 16,293 "pores", most of them one pixel). Pure,
 * O(pixels). `warning` is set when at least half of ≥ 100 components are single pixels.
 */
export function speckleReport(
  voids: Uint8Array,
  width: number,
  height: number,
  area: Uint8Array | null = null,
): { components: number; singles: number; share: number; warning: string | null } {
  const n = width * height;
  const seen = new Uint8Array(n);
  const stack = new Int32Array(n);
  let components = 0;
  let singles = 0;
  for (let s = 0; s < n; s++) {
    if (voids[s] === 0 || seen[s] !== 0 || (area !== null && area[s] === 0)) continue;
    components++;
    let size = 0;
    let sp = 0;
    stack[sp++] = s;
    seen[s] = 1;
    while (sp > 0) {
      const i = stack[--sp]!;
      size++;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (voids[j] === 0 || seen[j] !== 0 || (area !== null && area[j] === 0)) continue;
          seen[j] = 1;
          stack[sp++] = j;
        }
      }
    }
    if (size === 1) singles++;
  }
  const share = components > 0 ? singles / components : 0;
  const warning =
    components >= 100 && share >= 0.5
      ? `${singles} of ${components} pores are single pixels: image noise is being counted as pores; median 2 suggested before thresholding (or the automatic segmenter)`
      : null;
  return { components, singles, share, warning };
}
