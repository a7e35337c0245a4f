/**
 * Median filter over a circular neighbourhood with ImageJ's radius convention
 * (Process ▸ Filters ▸ Median…, `ij.plugin.filter.RankFilters`).
 *
 * Kernel (re-implemented from ImageJ 1.53t RankFilters.makeLineRadii): radius r is
 * first adjusted like ImageJ (1.5 ≤ r < 1.75 → 1.75, 2.5 ≤ r < 2.85 → 2.85), then
 * r2 = (int)(r²) + 1, kRadius = (int)sqrt(r2), and the row at vertical offset dy spans
 * dx = −(int)sqrt(r2 − dy²) … +(int)sqrt(r2 − dy²). r = 1 → 3×3 (9 px), r = 2 → 21 px,
 * r = 3 → 37 px, r = 0.5 → the 4-neighbour cross (5 px). The point count is always odd,
 * so the median is one of the input values (no averaging) — identical to ImageJ.
 * Out-of-image pixels take the value of the nearest edge pixel, as in ImageJ.
 *
 * 8-bit: a sliding 256-bin histogram per row (Huang's algorithm), O(kernel height) per
 * pixel. 16-bit/float: the kernel values are gathered and the middle one selected.
 * Differences from ImageJ: none known for 8/16-bit; ImageJ filters float images in
 * float (same here) and treats NaN specially (here NaN compares false and may
 * propagate — SEM images have no NaN).
 *
 * Hand-written: no installed library offers ImageJ's circular kernel (sharp's
 * `median(size)` is a square size×size window).
 */
import type { PixelData, Raster } from '../../raster/types.js';
import { VoidscopeError } from '../../errors.js';

export interface CircularKernel {
  /** Kernel radius in whole pixels (rows −kRadius..kRadius). */
  kRadius: number;
  /** Half-width of each row, index dy + kRadius. */
  halfWidths: Int32Array;
  /** Number of pixels in the kernel. */
  nPoints: number;
}

/** ImageJ's circular kernel for a rank filter of the given radius. */
export function circularKernel(radius: number): CircularKernel {
  let r = radius;
  if (r >= 1.5 && r < 1.75) r = 1.75;
  else if (r >= 2.5 && r < 2.85) r = 2.85;
  const r2 = Math.trunc(r * r) + 1;
  const kRadius = Math.trunc(Math.sqrt(r2 + 1e-10));
  const halfWidths = new Int32Array(2 * kRadius + 1);
  let nPoints = 0;
  for (let dy = -kRadius; dy <= kRadius; dy++) {
    const dx = dy === 0 ? kRadius : Math.trunc(Math.sqrt(r2 - dy * dy + 1e-10));
    halfWidths[dy + kRadius] = dx;
    nPoints += 2 * dx + 1;
  }
  return { kRadius, halfWidths, nPoints };
}

/** Median filter (ImageJ circular radius in pixels, ≥ 0.5). Returns a new raster of the same depth. */
export function medianFilter<T extends PixelData>(raster: Raster<T>, radius: number): Raster<T> {
  if (!(typeof radius === 'number' && Number.isFinite(radius) && radius >= 0.5)) {
    throw new VoidscopeError('EOPTION', `median radius must be a number >= 0.5 (pixels), got ${String(radius)}`);
  }
  const kernel = circularKernel(radius);
  const data = raster.data;
  const out =
    data instanceof Uint8Array
      ? median8(data, raster.width, raster.height, kernel)
      : medianGeneric(data, raster.width, raster.height, kernel);
  return { ...raster, data: out as T };
}

function median8(src: Uint8Array, width: number, height: number, k: CircularKernel): Uint8Array {
  const out = new Uint8Array(width * height);
  const { kRadius, halfWidths, nPoints } = k;
  const half = (nPoints + 1) >> 1; // 1-based rank of the median
  const hist = new Int32Array(256);
  const rows = 2 * kRadius + 1;
  const rowOff = new Int32Array(rows);
  const clampX = (x: number) => (x < 0 ? 0 : x >= width ? width - 1 : x);
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < rows; j++) {
      let yy = y + j - kRadius;
      if (yy < 0) yy = 0;
      else if (yy >= height) yy = height - 1;
      rowOff[j] = yy * width;
    }
    hist.fill(0);
    // Kernel at x = 0.
    for (let j = 0; j < rows; j++) {
      const hw = halfWidths[j]!;
      const o = rowOff[j]!;
      for (let dx = -hw; dx <= hw; dx++) hist[src[o + clampX(dx)]!]!++;
    }
    // Running median: m = current median value, below = count of values < m.
    let m = 0;
    let below = 0;
    while (below + hist[m]! < half) below += hist[m++]!;
    out[y * width] = m;
    for (let x = 1; x < width; x++) {
      for (let j = 0; j < rows; j++) {
        const hw = halfWidths[j]!;
        const o = rowOff[j]!;
        const vOut = src[o + clampX(x - 1 - hw)]!;
        const vIn = src[o + clampX(x + hw)]!;
        hist[vOut]!--;
        if (vOut < m) below--;
        hist[vIn]!++;
        if (vIn < m) below++;
      }
      // Move m so that below < half <= below + hist[m].
      while (below >= half) below -= hist[--m]!;
      while (below + hist[m]! < half) below += hist[m++]!;
      out[y * width + x] = m;
    }
  }
  return out;
}

function medianGeneric(src: PixelData, width: number, height: number, k: CircularKernel): PixelData {
  const Ctor = src.constructor as { new (n: number): PixelData };
  const out = new Ctor(width * height);
  const { kRadius, halfWidths, nPoints } = k;
  const buf = new Float64Array(nPoints);
  const mid = nPoints >> 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let n = 0;
      for (let dy = -kRadius; dy <= kRadius; dy++) {
        let yy = y + dy;
        if (yy < 0) yy = 0;
        else if (yy >= height) yy = height - 1;
        const hw = halfWidths[dy + kRadius]!;
        const o = yy * width;
        for (let dx = -hw; dx <= hw; dx++) {
          let xx = x + dx;
          if (xx < 0) xx = 0;
          else if (xx >= width) xx = width - 1;
          buf[n++] = src[o + xx]!;
        }
      }
      out[y * width + x] = quickselect(buf, mid);
    }
  }
  return out;
}

/** k-th smallest (0-based) of buf, in place (Hoare selection). */
function quickselect(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}
