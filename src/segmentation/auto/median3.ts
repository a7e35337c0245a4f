/**
 * 3×3 median of an 8-bit plane, edge pixels replicated: the same result as ImageJ's median radius 1
 * (`filters/median.ts` `medianFilter(raster, 1)`: RankFilters' radius-1 kernel is the full 3×3 square,
 * out-of-image pixels take the nearest edge value), checked pixel for pixel in
 * test/segmentation/auto-median3.test.ts.
 *
 * Hand-written for speed only: the automatic segmenter runs this on every image. Each 3-pixel column is
 * sorted once (min/max, no branches) and reused for three output pixels; the median of the 3×3 window
 * is then med3(max of the column minima, median of the column medians, min of the column maxima)
 * (A. W. Paeth, "Median finding on a 3×3 grid", Graphics Gems, 1990) — several times faster than the
 * general sliding-histogram median for this smallest kernel. The general filter stays the one for
 * user-requested medians.
 */
export function median3x3(src: Uint8Array, width: number, height: number, out?: Uint8Array): Uint8Array {
  const W = width;
  const H = height;
  const dst = out && out.length === W * H && out !== src ? out : new Uint8Array(W * H);
  if (W === 0 || H === 0) return dst;
  for (let y = 0; y < H; y++) {
    const up = (y > 0 ? y - 1 : 0) * W;
    const mid = y * W;
    const dn = (y < H - 1 ? y + 1 : H - 1) * W;
    // each column (up, mid, dn) sorted into lo ≤ md ≤ hi; the 3×3 median is
    // med3(max of the three lo, med3 of the three md, min of the three hi) — exact. Branch-free integer
    // min/max (m = (a − b) >> 31 is −1 when a < b: min = b + ((a − b) & m), max = a − ((a − b) & m)):
    // noisy micrographs make comparisons unpredictable, and V8 does not inline variadic Math.min/max here.
    let a: number, b: number, c: number, d: number, e: number;
    a = src[up]!; b = src[mid]!; c = src[dn]!;
    d = a - b; e = d & (d >> 31); a = b + e; b = b + d - e; // a = min, b = max
    d = b - c; e = d & (d >> 31); b = c + e; c = c + d - e;
    d = a - b; e = d & (d >> 31); a = b + e; b = b + d - e;
    let lo0 = a, md0 = b, hi0 = c;
    let lo1 = a, md1 = b, hi1 = c;
    for (let x = 0; x < W; x++) {
      const xr = x < W - 1 ? x + 1 : W - 1;
      a = src[up + xr]!; b = src[mid + xr]!; c = src[dn + xr]!;
      d = a - b; e = d & (d >> 31); a = b + e; b = b + d - e;
      d = b - c; e = d & (d >> 31); b = c + e; c = c + d - e;
      d = a - b; e = d & (d >> 31); a = b + e; b = b + d - e;
      // lo = max(lo0, lo1, a); hi = min(hi0, hi1, c)
      d = lo0 - lo1; let lo = lo0 - (d & (d >> 31));
      d = lo - a; lo = lo - (d & (d >> 31));
      d = hi0 - hi1; let hi = hi1 + (d & (d >> 31));
      d = hi - c; hi = c + (d & (d >> 31));
      // md = med3(md0, md1, b) = max(min(md0, md1), min(max(md0, md1), b))
      d = md0 - md1; e = d & (d >> 31);
      const m1 = md1 + e;
      const m2 = md0 - e;
      d = m2 - b; const mb = b + (d & (d >> 31));
      d = m1 - mb; const md = m1 - (d & (d >> 31));
      // med3(lo, md, hi) = max(min(lo, md), min(max(lo, md), hi))
      d = lo - md; e = d & (d >> 31);
      const p = md + e;
      const q = lo - e;
      d = q - hi; const r = hi + (d & (d >> 31));
      d = p - r;
      dst[mid + x] = p - (d & (d >> 31));
      lo0 = lo1; md0 = md1; hi0 = hi1;
      lo1 = a; md1 = b; hi1 = c;
    }
  }
  return dst;
}
