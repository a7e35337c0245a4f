/**
 * The neighbourhood statistics Fiji's Auto_Local_Threshold takes from ImageJ 1.53t's
 * `ij.plugin.filter.RankFilters.rank(ip, radius, MIN | MAX | MEAN | VARIANCE)`, reproduced exactly.
 *
 * Kernel: ImageJ's circular kernel (`circularKernel` of filters/median.ts, a port of
 * RankFilters.makeLineRadii). Edges: out-of-image pixels take the value of the nearest edge pixel
 * (RankFilters pads its line cache with edge pixels in x and duplicates the first/last row in y).
 *
 * Hand-written (no library has ImageJ's kernel and summation order):
 * - MIN/MAX are exact whatever the algorithm, so each kernel row is a 1-D sliding extreme
 *   (van Herk / Gil–Werman, O(1) per pixel per row, computed once per source row and distinct row
 *   half-width): O(kernel height) per pixel, not O(r²).
 * - MEAN/VARIANCE follow RankFilters' own order of double additions, because on float input
 *   (Phansalkar's 0..1 image) a different order rounds differently: the full kernel sum at the first
 *   pixel of a line (and at every pixel for kernels of radius < 2), then per pixel, row by row,
 *   "minus the pixel that left, plus the pixel that entered" accumulated separately and added to the
 *   running sums (RankFilters.getAreaSums / addSideSums). O(kernel height) per pixel, like ImageJ.
 *   Results are rounded to float32 as ImageJ stores them.
 */
import { circularKernel, type CircularKernel } from '../filters/median.js';

export type IntPixels = Uint8Array | Uint16Array;

/** Largest ring of cached sliding extremes in rankMinMax, in Int32 elements per array (16 M = 64 MB). */
const RING_BUDGET = 16 * 1024 * 1024;

/**
 * RankFilters MIN and MAX (exact) of an 8- or 16-bit image with ImageJ's circular kernel of `radius`.
 * Returned arrays have the input's type. `ringBudget` (Int32 elements) only exists to test the uncached path.
 */
export function rankMinMax<T extends IntPixels>(
  src: T,
  width: number,
  height: number,
  radius: number,
  ringBudget: number = RING_BUDGET,
): { min: T; max: T } {
  const k = circularKernel(radius);
  const Ctor = src.constructor as { new (n: number): T };
  const min = new Ctor(width * height);
  const max = new Ctor(width * height);
  const { kRadius, halfWidths } = k;
  const rows = 2 * kRadius + 1;
  // The distinct row half-widths (10 for radius 15): each source row's sliding min/max is computed once
  // per distinct half-width when the row enters the kernel, kept in a ring of `rows` slots, and
  // combined over the kernel's rows for every output row.
  // Past RING_BUDGET (large radius × wide image) the ring would not fit: then each kernel row is
  // recomputed per output row instead (same values, about twice the time).
  const distinct = [...new Set(halfWidths)].sort((a, b) => a - b);
  const cached = rows * distinct.length * width <= ringBudget;
  const nd = cached ? distinct.length : rows;
  const which = cached ? Int32Array.from(halfWidths, (hw) => distinct.indexOf(hw)) : Int32Array.from(halfWidths, (_hw, j) => j);
  const ringMin = new Int32Array(cached ? rows * nd * width : width);
  const ringMax = new Int32Array(cached ? rows * nd * width : width);
  const slotRow = new Int32Array(rows).fill(-1);
  const padded = new Int32Array(width + 2 * kRadius);
  const g = new Int32Array(width + 2 * kRadius);
  const h = new Int32Array(width + 2 * kRadius);
  const accMin = new Int32Array(width);
  const accMax = new Int32Array(width);
  for (let y = 0; y < height; y++) {
    accMin.fill(0x7fffffff);
    accMax.fill(-1);
    for (let j = 0; j < rows; j++) {
      let yy = y + j - kRadius;
      if (yy < 0) yy = 0;
      else if (yy >= height) yy = height - 1;
      let o: number;
      if (cached) {
        const slot = yy % rows;
        if (slotRow[slot] !== yy) {
          slotRow[slot] = yy;
          for (let d = 0; d < nd; d++) {
            const od = (slot * nd + d) * width;
            slidingExtremes(src, yy * width, width, distinct[d]!, padded, g, h, ringMin.subarray(od, od + width), ringMax.subarray(od, od + width));
          }
        }
        o = (slot * nd + which[j]!) * width;
      } else {
        o = 0;
        slidingExtremes(src, yy * width, width, halfWidths[j]!, padded, g, h, ringMin, ringMax);
      }
      for (let x = 0; x < width; x++) {
        const lo = ringMin[o + x]!;
        const hi = ringMax[o + x]!;
        if (lo < accMin[x]!) accMin[x] = lo;
        if (hi > accMax[x]!) accMax[x] = hi;
      }
    }
    const o = y * width;
    for (let x = 0; x < width; x++) {
      min[o + x] = accMin[x]!;
      max[o + x] = accMax[x]!;
    }
  }
  return { min, max };
}

/** Min and max over [x−hw, x+hw] of one row with edge replication (van Herk / Gil–Werman). */
function slidingExtremes(
  src: IntPixels,
  off: number,
  width: number,
  hw: number,
  padded: Int32Array,
  g: Int32Array,
  h: Int32Array,
  outMin: Int32Array,
  outMax: Int32Array,
): void {
  const n = width + 2 * hw;
  for (let i = 0; i < n; i++) {
    let x = i - hw;
    if (x < 0) x = 0;
    else if (x >= width) x = width - 1;
    padded[i] = src[off + x]!;
  }
  const k = 2 * hw + 1;
  // max
  for (let b = 0; b < n; b += k) {
    const e = Math.min(b + k, n);
    g[b] = padded[b]!;
    for (let i = b + 1; i < e; i++) g[i] = padded[i]! > g[i - 1]! ? padded[i]! : g[i - 1]!;
    h[e - 1] = padded[e - 1]!;
    for (let i = e - 2; i >= b; i--) h[i] = padded[i]! > h[i + 1]! ? padded[i]! : h[i + 1]!;
  }
  for (let x = 0; x < width; x++) {
    const a = h[x]!;
    const c = g[x + k - 1]!;
    outMax[x] = a > c ? a : c;
  }
  // min
  for (let b = 0; b < n; b += k) {
    const e = Math.min(b + k, n);
    g[b] = padded[b]!;
    for (let i = b + 1; i < e; i++) g[i] = padded[i]! < g[i - 1]! ? padded[i]! : g[i - 1]!;
    h[e - 1] = padded[e - 1]!;
    for (let i = e - 2; i >= b; i--) h[i] = padded[i]! < h[i + 1]! ? padded[i]! : h[i + 1]!;
  }
  for (let x = 0; x < width; x++) {
    const a = h[x]!;
    const c = g[x + k - 1]!;
    outMin[x] = a < c ? a : c;
  }
}

/**
 * RankFilters MEAN and VARIANCE of a 32-bit (float) image, exactly as ImageJ 1.53t computes them on a
 * FloatProcessor: mean = (float)(Σv / n), variance = (float)((Σv² − (Σv)²/n) / n) clipped at 0 (no upper
 * clip for float images). `values` are the float pixel values (integers for converted 8/16-bit images).
 * Either output may be skipped.
 */
export function rankMeanVariance(
  values: ArrayLike<number>,
  width: number,
  height: number,
  radius: number,
  want: { mean?: boolean; variance?: boolean },
): { mean: Float32Array | null; variance: Float32Array | null } {
  const k: CircularKernel = circularKernel(radius);
  const { kRadius, halfWidths, nPoints } = k;
  const rows = 2 * kRadius + 1;
  const cw = width + 2 * kRadius; // cache line width, as RankFilters' cache (padLeft = padRight = kRadius)
  // Each image row padded with its edge pixels, as float values promoted to double.
  const cache = new Float64Array(cw * height);
  for (let y = 0; y < height; y++) {
    const o = y * cw;
    const s = y * width;
    for (let i = 0; i < cw; i++) {
      let x = i - kRadius;
      if (x < 0) x = 0;
      else if (x >= width) x = width - 1;
      cache[o + i] = Math.fround(values[s + x]!);
    }
  }
  const mean = want.mean ? new Float32Array(width * height) : null;
  const variance = want.variance ? new Float32Array(width * height) : null;
  const smallKernel = kRadius < 2;
  const rowOff = new Int32Array(rows);
  let s0 = 0;
  let s1 = 0;
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < rows; j++) {
      let yy = y + j - kRadius;
      if (yy < 0) yy = 0;
      else if (yy >= height) yy = height - 1;
      rowOff[j] = yy * cw + kRadius; // cache index of pixel x = 0 in that row
    }
    let full = true;
    for (let x = 0; x < width; x++) {
      if (full) {
        full = smallKernel;
        let sum = 0;
        let sum2 = 0;
        for (let j = 0; j < rows; j++) {
          const hw = halfWidths[j]!;
          const base = rowOff[j]! + x;
          for (let p = base - hw; p <= base + hw; p++) {
            const v = cache[p]!;
            sum += v;
            sum2 += v * v;
          }
        }
        s0 = sum;
        s1 = sum2;
      } else {
        let sum = 0;
        let sum2 = 0;
        for (let j = 0; j < rows; j++) {
          const hw = halfWidths[j]!;
          const base = rowOff[j]! + x;
          let v = cache[base - hw - 1]!; // left the kernel
          sum -= v;
          sum2 -= v * v;
          v = cache[base + hw]!; // entered the kernel
          sum += v;
          sum2 += v * v;
        }
        s0 += sum;
        s1 += sum2;
        if (s0 !== s0) full = true;
      }
      const i = y * width + x;
      if (mean) mean[i] = s0 / nPoints;
      if (variance) {
        let value = Math.fround((s1 - (s0 * s0) / nPoints) / nPoints);
        if (value < 0) value = 0;
        variance[i] = value;
      }
    }
  }
  return { mean, variance };
}

/**
 * RankFilters MEDIAN of a 16-bit image, exactly `medianFilter` of ../filters/median.ts (the kernel has
 * an odd number of points, so the median is the ((n+1)/2)-th smallest pixel value; edge pixels
 * replicated), but in O(kernel height + 512) per pixel instead of O(r²): a sliding 65536-bin histogram
 * with 256 coarse block counts, searched block then bin. Hand-written here because filters/median.ts
 * (not ours to edit) selects from the gathered kernel for 16-bit data: 14 s instead of ~0.4 s for a
 * 940×626 image at radius 15. The test checks equality with medianFilter.
 */
export function rankMedian16(src: Uint16Array, width: number, height: number, radius: number): Uint16Array {
  const { kRadius, halfWidths, nPoints } = circularKernel(radius);
  const rows = 2 * kRadius + 1;
  const half = (nPoints + 1) >> 1;
  const hist = new Int32Array(65536);
  const coarse = new Int32Array(256);
  const rowOff = new Int32Array(rows);
  const out = new Uint16Array(width * height);
  const clampX = (x: number): number => (x < 0 ? 0 : x >= width ? width - 1 : x);
  for (let y = 0; y < height; y++) {
    hist.fill(0);
    coarse.fill(0);
    for (let j = 0; j < rows; j++) {
      let yy = y + j - kRadius;
      if (yy < 0) yy = 0;
      else if (yy >= height) yy = height - 1;
      rowOff[j] = yy * width;
      const hw = halfWidths[j]!;
      for (let dx = -hw; dx <= hw; dx++) {
        const v = src[rowOff[j]! + clampX(dx)]!;
        hist[v]!++;
        coarse[v >>> 8]!++;
      }
    }
    for (let x = 0; x < width; x++) {
      if (x > 0) {
        for (let j = 0; j < rows; j++) {
          const hw = halfWidths[j]!;
          const o = rowOff[j]!;
          const vOut = src[o + clampX(x - 1 - hw)]!;
          hist[vOut]!--;
          coarse[vOut >>> 8]!--;
          const vIn = src[o + clampX(x + hw)]!;
          hist[vIn]!++;
          coarse[vIn >>> 8]!++;
        }
      }
      let cum = 0;
      let b = 0;
      while (cum + coarse[b]! < half) cum += coarse[b++]!;
      let v = b << 8;
      while (cum + hist[v]! < half) cum += hist[v++]!;
      out[y * width + x] = v;
    }
  }
  return out;
}
