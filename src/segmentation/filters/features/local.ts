/**
 * Window minimum/maximum and the Kuwahara filter of a float plane, with out-of-image pixels taking
 * the nearest edge value, computed in WebAssembly SIMD (local.wat; why there, see its header).
 *
 * Both start from a copy of the plane padded by r on every side with its edge values (W2 = w + 2r
 * floats per row, H2 = h + 2r rows), so that every window is whole and each pass is one straight
 * loop over the padded plane. Memory: one module instance per thread, reused between calls.
 */
import { compileWasm, instantiateWasm } from '../../../wasm.js';

interface LocalModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  minmax2(a: number, b: number, c: number, d: number, lo: number, hi: number, n: number): void;
  square(a: number, o: number, n: number): void;
  boxsum(a: number, o: number, n: number, step: number, count: number): void;
  kuwahara(bs: number, bq: number, out: number, w: number, h: number, W2: number, r: number, inv: number): void;
}

/** The radii (scales) extrema and kuwahara accept: whole pixels 1..16; null when r is one, else why not. */
export function checkRadius(r: number, what: string): string | null {
  return Number.isInteger(r) && r >= 1 && r <= 16 ? null : `the ${what} scale is a radius in whole pixels, 1..16`;
}

let mod: LocalModule | null = null;
function wasm(): LocalModule {
  mod ??= instantiateWasm<LocalModule>(compileWasm(new URL('./local.wasm', import.meta.url)));
  return mod;
}

/** Byte addresses of `count` planes of `floats` each (16-byte aligned, 64 bytes of slack after each: the kernels run in blocks of four). */
function planes(m: LocalModule, count: number, floats: number): number[] {
  const stride = (floats * 4 + 64 + 15) & ~15;
  const need = count * stride;
  const have = m.memory.buffer.byteLength;
  if (need > have) m.memory.grow(Math.ceil((need - have) / 65536));
  return Array.from({ length: count }, (_, i) => i * stride);
}

/** src (w×h) padded by r with its edge values into the module's memory at byte `at`. */
function padInto(m: LocalModule, at: number, src: Float32Array, w: number, h: number, r: number): void {
  const W2 = w + 2 * r;
  const P = new Float32Array(m.memory.buffer, at, W2 * (h + 2 * r));
  for (let yy = 0; yy < h + 2 * r; yy++) {
    const y = yy < r ? 0 : yy - r >= h ? h - 1 : yy - r;
    const o = yy * W2;
    P.set(src.subarray(y * w, y * w + w), o + r);
    P.fill(src[y * w]!, o, o + r);
    P.fill(src[y * w + w - 1]!, o + r + w, o + W2);
  }
}

/** Copy rows of w floats from padded-stride rows (W2) at byte `at` into out (w×h). */
function copyOut(m: LocalModule, at: number, W2: number, w: number, h: number, out: Float32Array): void {
  const src = new Float32Array(m.memory.buffer, at, W2 * h);
  for (let y = 0; y < h; y++) out.set(src.subarray(y * W2, y * W2 + w), y * w);
}

/**
 * Min and max of src over the (2r+1)² window around each pixel (edge values beyond the image: the
 * same as clipping the window, for extremes). Separable; each axis answers a window of 2r+1 samples
 * from two overlapping runs of 2^k samples (a sparse table), so the cost grows with log r.
 */
export function windowExtrema(src: Float32Array, w: number, h: number, r: number, outMin: Float32Array, outMax: Float32Array): void {
  const m = wasm();
  const W2 = w + 2 * r;
  const N2 = W2 * (h + 2 * r);
  const full = 2 * r + 1;
  const K = 31 - Math.clz32(full);
  // Planes: padded, two per level (lo, hi) for levels 1..K, the row result and the output (lo, hi each).
  const at = planes(m, 1 + 2 * K + 4, N2);
  padInto(m, at[0]!, src, w, h, r);
  const pass = (lo0: number, hi0: number, step: number, rowLo: number, rowHi: number, outCount: number): void => {
    let lo = lo0;
    let hi = hi0;
    for (let k = 1; k <= K; k++) {
      const off = (1 << (k - 1)) * step * 4;
      const nl = at[2 * k - 1]!;
      const nh = at[2 * k]!;
      m.minmax2(lo, lo + off, hi, hi + off, nl, nh, N2 - (1 << (k - 1)) * step);
      lo = nl;
      hi = nh;
    }
    const span = (full - (1 << K)) * step * 4;
    m.minmax2(lo, lo + span, hi, hi + span, rowLo, rowHi, outCount);
  };
  const rowLo = at[2 * K + 1]!;
  const rowHi = at[2 * K + 2]!;
  // Rows: rowLo[y·W2 + x] = extreme of padded row y, columns x … x + 2r (image columns x − r … x + r).
  pass(at[0]!, at[0]!, 1, rowLo, rowHi, N2 - full + 1);
  // Columns of that: rows y … y + 2r (image rows y − r … y + r).
  const outLo = at[2 * K + 3]!;
  const outHi = at[2 * K + 4]!;
  pass(rowLo, rowHi, W2, outLo, outHi, h * W2);
  copyOut(m, outLo, W2, w, h, outMin);
  copyOut(m, outHi, W2, w, h, outMax);
}

/**
 * Kuwahara filter of radius r: the mean of whichever of the four (r+1)² quadrants meeting at the pixel
 * (top-left, top-right, bottom-left, bottom-right; ties to the earlier) has the smallest variance.
 * Sums are float32, added in one fixed order per pixel.
 */
export function kuwaharaFilter(src: Float32Array, w: number, h: number, r: number, out: Float32Array): void {
  const m = wasm();
  const W2 = w + 2 * r;
  const N2 = W2 * (h + 2 * r);
  // Planes: padded, squares, row sums (values, squares), box sums (values, squares); the output reuses the squares' slot.
  const [p, sq, hs, hq, bs, bq] = planes(m, 6, N2) as [number, number, number, number, number, number];
  padInto(m, p, src, w, h, r);
  m.square(p, sq, N2);
  m.boxsum(p, hs, N2 - r, 4, r);
  m.boxsum(sq, hq, N2 - r, 4, r);
  m.boxsum(hs, bs, N2 - r * W2 - r, 4 * W2, r);
  m.boxsum(hq, bq, N2 - r * W2 - r, 4 * W2, r);
  m.kuwahara(bs, bq, sq, w, h, W2, r, 1 / ((r + 1) * (r + 1)));
  out.set(new Float32Array(m.memory.buffer, sq, w * h));
}
