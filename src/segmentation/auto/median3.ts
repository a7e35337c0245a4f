/**
 * 3×3 median of an 8-bit plane, edge pixels replicated: the same result as ImageJ's median radius 1
 * (`filters/median.ts` `medianFilter(raster, 1)`: RankFilters' radius-1 kernel is the full 3×3 square,
 * out-of-image pixels take the nearest edge value), checked pixel for pixel in
 * test/segmentation/auto-median3.test.ts.
 *
 * Hand-written for speed only: the automatic segmenter runs this on every image, and a fixed 19-exchange
 * median-of-9 network (Paeth, Graphics Gems 1990; Devillard's `opt_med9`) is several times faster than
 * the general sliding-histogram median for this smallest kernel. The general filter stays the one for
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
    for (let x = 0; x < W; x++) {
      const xl = x > 0 ? x - 1 : 0;
      const xr = x < W - 1 ? x + 1 : W - 1;
      let p0 = src[up + xl]!, p1 = src[up + x]!, p2 = src[up + xr]!;
      let p3 = src[mid + xl]!, p4 = src[mid + x]!, p5 = src[mid + xr]!;
      let p6 = src[dn + xl]!, p7 = src[dn + x]!, p8 = src[dn + xr]!;
      let t: number;
      // opt_med9 exchange network
      if (p1 > p2) { t = p1; p1 = p2; p2 = t; }
      if (p4 > p5) { t = p4; p4 = p5; p5 = t; }
      if (p7 > p8) { t = p7; p7 = p8; p8 = t; }
      if (p0 > p1) { t = p0; p0 = p1; p1 = t; }
      if (p3 > p4) { t = p3; p3 = p4; p4 = t; }
      if (p6 > p7) { t = p6; p6 = p7; p7 = t; }
      if (p1 > p2) { t = p1; p1 = p2; p2 = t; }
      if (p4 > p5) { t = p4; p4 = p5; p5 = t; }
      if (p7 > p8) { t = p7; p7 = p8; p8 = t; }
      if (p0 > p3) { t = p0; p0 = p3; p3 = t; }
      if (p5 > p8) { t = p5; p5 = p8; p8 = t; }
      if (p4 > p7) { t = p4; p4 = p7; p7 = t; }
      if (p3 > p6) { t = p3; p3 = p6; p6 = t; }
      if (p1 > p4) { t = p1; p1 = p4; p4 = t; }
      if (p2 > p5) { t = p2; p2 = p5; p5 = t; }
      if (p4 > p7) { t = p4; p4 = p7; p7 = t; }
      if (p4 > p2) { t = p4; p4 = p2; p2 = t; }
      if (p6 > p4) { t = p6; p6 = p4; p4 = t; }
      if (p4 > p2) { t = p4; p4 = p2; p2 = t; }
      dst[mid + x] = p4;
    }
  }
  return dst;
}
