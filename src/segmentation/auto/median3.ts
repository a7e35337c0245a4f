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
  const min = Math.min;
  const max = Math.max;
  for (let y = 0; y < H; y++) {
    const up = (y > 0 ? y - 1 : 0) * W;
    const mid = y * W;
    const dn = (y < H - 1 ? y + 1 : H - 1) * W;
    // each column (up, mid, dn) sorted into lo ≤ md ≤ hi; the 3×3 median is
    // med3(max of the three lo, med3 of the three md, min of the three hi) — exact, branch-free
    let a: number, b: number, c: number, t: number;
    // column x−1 (replicated at x = 0) and column x
    a = src[up]!; b = src[mid]!; c = src[dn]!;
    t = min(a, b); b = max(a, b); a = t;
    t = min(b, c); c = max(b, c); b = t;
    t = min(a, b); b = max(a, b); a = t;
    let lo0 = a, md0 = b, hi0 = c;
    let lo1 = a, md1 = b, hi1 = c;
    for (let x = 0; x < W; x++) {
      const xr = x < W - 1 ? x + 1 : W - 1;
      a = src[up + xr]!; b = src[mid + xr]!; c = src[dn + xr]!;
      t = min(a, b); b = max(a, b); a = t;
      t = min(b, c); c = max(b, c); b = t;
      t = min(a, b); b = max(a, b); a = t;
      const lo = max(lo0, lo1, a);
      const hi = min(hi0, hi1, c);
      const m1 = min(md0, md1);
      const m2 = max(md0, md1);
      const md = max(m1, min(m2, b));
      // med3(lo, md, hi)
      dst[mid + x] = max(min(lo, md), min(max(lo, md), hi));
      lo0 = lo1; md0 = md1; hi0 = hi1;
      lo1 = a; md1 = b; hi1 = c;
    }
  }
  return dst;
}
