/**
 * Otsu (Fiji Auto_Local_Threshold 1.11.0 `Otsu`): for every pixel, Otsu's threshold of the histogram
 * of its window, object iff pixel > threshold or pixel = 255. No parameters.
 *
 * The window is Fiji's, not RankFilters': `new OvalRoi(x − r, y − r, 2r, 2r)` (OvalRoi.getMask:
 * (mx − r + ½)²/r² + (my − r + ½)²/r² ≤ 1), so it covers x − r … x + r − 1 (half a pixel off centre),
 * clipped to the image (no edge padding: fewer pixels at the border). The threshold is E. Celebi's Otsu
 * code as Fiji runs it, in doubles in the same order (normalised histogram, cumulative sums, first
 * maximum of the between-class variance, 0/0 = NaN never a maximum).
 *
 * Hand-written for speed, exactly: the window histogram slides (one pixel in and one out per kernel row)
 * instead of being rebuilt (Fiji: O(r²) per pixel), and the Otsu loop visits only the non-empty bins,
 * found through a bitmap. Skipping empty bins is exact: an empty bin adds +0 to both cumulative sums,
 * so its between-class variance equals the previous bin's and (strict `<`) never becomes the maximum;
 * before the first non-empty bin it is 0/0 = NaN.
 *
 * 16-bit: the same on 65536 bins; object iff pixel > threshold or pixel = 65535.
 */
import { bitDepthOf, objectBit, type LocalParamInfo, type LocalRaster } from './common.js';

export const OTSU_PARAMS: LocalParamInfo = {
  names: [null, null],
  integer: [false, false],
  defaults: () => [0, 0],
};

/** Row spans of Fiji's OvalRoi(0, 0, 2r, 2r) mask: columns lo[my]..hi[my] (empty when lo > hi). */
export function ovalRoiSpans(radius: number): { lo: Int32Array; hi: Int32Array } {
  const size = 2 * radius;
  let a = size / 2.0;
  let b = size / 2.0;
  const a2 = a * a;
  const b2 = b * b;
  a -= 0.5;
  b -= 0.5;
  const lo = new Int32Array(size).fill(size);
  const hi = new Int32Array(size).fill(-1);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const xx = x - a;
      const yy = y - b;
      if ((xx * xx) / a2 + (yy * yy) / b2 <= 1.0) {
        if (x < lo[y]!) lo[y] = x;
        if (x > hi[y]!) hi[y] = x;
      }
    }
  return { lo, hi };
}

export function localOtsu(raster: LocalRaster, radius: number, _p1: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const L = bitDepthOf(raster) === 16 ? 65536 : 256;
  const top = L - 1;
  const { lo, hi } = ovalRoiSpans(radius);
  const size = 2 * radius;
  const hist = new Int32Array(L);
  const words = new Uint32Array(L >>> 5);
  const summary = new Uint32Array(Math.max(1, L >>> 10));
  const binV = new Int32Array(L);
  const binH = new Float64Array(L);
  let n = 0;
  const add = (v: number): void => {
    n++;
    if (hist[v]!++ === 0) {
      words[v >>> 5]! |= 1 << (v & 31);
      summary[v >>> 10]! |= 1 << ((v >>> 5) & 31);
    }
  };
  const remove = (v: number): void => {
    n--;
    if (--hist[v]! === 0) {
      const w = v >>> 5;
      words[w]! &= ~(1 << (v & 31));
      if (words[w] === 0) summary[v >>> 10]! &= ~(1 << (w & 31));
    }
  };
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    hist.fill(0);
    words.fill(0);
    summary.fill(0);
    n = 0;
    for (let my = 0; my < size; my++) {
      const yy = y - radius + my;
      if (yy < 0 || yy >= height || lo[my]! > hi[my]!) continue;
      for (let mx = lo[my]!; mx <= hi[my]!; mx++) {
        const xx = mx - radius;
        if (xx >= 0 && xx < width) add(data[yy * width + xx]!);
      }
    }
    for (let x = 0; x < width; x++) {
      if (x > 0) {
        for (let my = 0; my < size; my++) {
          const yy = y - radius + my;
          if (yy < 0 || yy >= height || lo[my]! > hi[my]!) continue;
          const xo = x - 1 - radius + lo[my]!;
          if (xo >= 0 && xo < width) remove(data[yy * width + xo]!);
          const xi = x - radius + hi[my]!;
          if (xi >= 0 && xi < width) add(data[yy * width + xi]!);
        }
      }
      // Pass 1: the non-empty bins in ascending order, their normalised counts and the total mean.
      const term = 1.0 / n;
      let nb = 0;
      let mean = 0.0;
      for (let s = 0; s < summary.length; s++) {
        let sb = summary[s]!;
        while (sb !== 0) {
          const sbit = 31 - Math.clz32(sb & -sb);
          sb &= sb - 1;
          const w = (s << 5) | sbit;
          let bits = words[w]!;
          while (bits !== 0) {
            const bit = 31 - Math.clz32(bits & -bits);
            bits &= bits - 1;
            const v = (w << 5) | bit;
            const histo = term * hist[v]!;
            mean = mean + v * histo;
            binV[nb] = v;
            binH[nb++] = histo;
          }
        }
      }
      const totalMean = mean;
      // Pass 2: between-class variance, first maximum.
      let cnh = 0.0;
      mean = 0.0;
      let threshold = 0;
      let maxBcv = 0.0;
      for (let b = 0; b < nb; b++) {
        const v = binV[b]!;
        const histo = binH[b]!;
        cnh = cnh + histo;
        mean = mean + v * histo;
        let bcv = totalMean * cnh - mean;
        bcv *= bcv / (cnh * (1.0 - cnh));
        if (maxBcv < bcv) {
          maxBcv = bcv;
          threshold = v;
        }
      }
      const i = y * width + x;
      const p = data[i]!;
      out[i] = objectBit(p > threshold || p === top, whiteObjects);
    }
  }
  return out;
}
