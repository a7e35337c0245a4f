/**
 * Gaussian blur with ImageJ's parameters (Process ▸ Filters ▸ Gaussian Blur…).
 *
 * Re-implemented from the description of ImageJ 1.53t `ij.plugin.filter.GaussianBlur`:
 *  - σ is the standard deviation in pixels ("Sigma (Radius)" in ImageJ's dialog).
 *  - Kernel accuracy 0.002 for 8-bit images and 0.0002 for 16-bit / float, as ImageJ
 *    chooses; kernel radius `ceil(σ·sqrt(−2·ln accuracy)) + 1` (the last tap is zero),
 *    with ImageJ's "edge correction": the outer kernel taps are replaced by a parabola
 *    reaching 0 at the kernel radius so the kernel has no step; then normalised to 1.
 *  - Separable: rows first, then columns, in 32-bit float; out-of-image pixels take
 *    the value of the nearest edge pixel.
 *  - Integer images are rounded back to their depth (`(int)(v + 0.5)`, clamped), as
 *    ImageJ's ByteProcessor/ShortProcessor.setPixels does.
 *
 * Known differences from ImageJ (documented, deliberately not reproduced):
 *  - For σ > 8.5 ImageJ downsamples the line, convolves and upsamples (a speed trick
 *    that changes values by a fraction of a grey level); here the full kernel is always
 *    applied, i.e. this is the exact Gaussian ImageJ approximates.
 *  - Sums are accumulated in double precision (ImageJ: float), so a pixel whose blurred
 *    value lies within ~1e-5 of x.5 can round the other way (very rare; ≤1 grey level).
 *  - When the kernel would be longer than the image line ImageJ folds the missing
 *    kernel tail into the edge pixels; here the kernel is truncated at the line length
 *    and renormalised.
 *
 * Hand-written because no installed library offers ImageJ's kernel: sharp/libvips'
 * `blur` uses a different kernel length/accuracy and fixed-point arithmetic for 8-bit.
 */
import type { PixelData, Raster } from '../../raster/types.js';
import { VoidscopeError } from '../../errors.js';

/** Kernel accuracy ImageJ uses: 0.002 for 8-bit (and RGB), 0.0002 for 16-bit and float. */
export function imagejGaussianAccuracy(bitDepth: number, sampleFormat: 'uint' | 'float'): number {
  return bitDepth === 8 && sampleFormat === 'uint' ? 0.002 : 0.0002;
}

/**
 * One side of ImageJ's normalised Gaussian kernel: `k[0]` is the centre tap, `k[i]`
 * the weight at distance i. The full kernel is k[n-1] … k[1] k[0] k[1] … k[n-1].
 * `maxRadius` bounds the kernel (ImageJ: the line length, at least 50).
 */
export function gaussianKernel(sigma: number, accuracy: number, maxRadius = Infinity): Float64Array {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`gaussian sigma must be > 0, got ${sigma}`);
  let kRadius = Math.ceil(sigma * Math.sqrt(-2 * Math.log(accuracy))) + 1;
  const maxR = Math.max(50, maxRadius);
  if (kRadius > maxR) kRadius = maxR;
  const k = new Float64Array(kRadius);
  // ImageJ stores the taps as float; keep that rounding so the kernel is the same.
  for (let i = 0; i < kRadius; i++) k[i] = Math.fround(Math.exp((-0.5 * i * i) / sigma / sigma));
  if (kRadius < maxR && kRadius > 3) {
    // Edge correction: find the smallest sqrt-slope towards the kernel end and replace
    // the tail by a parabola (kRadius − r)²·slope² that reaches 0 at kRadius.
    let sqrtSlope = Number.MAX_VALUE;
    let r = kRadius;
    while (r > Math.trunc(kRadius / 2)) {
      r--;
      const a = Math.sqrt(k[r]!) / (kRadius - r);
      if (a < sqrtSlope) sqrtSlope = a;
      else break;
    }
    for (let r1 = r + 2; r1 < kRadius; r1++) {
      k[r1] = Math.fround((kRadius - r1) * (kRadius - r1) * sqrtSlope * sqrtSlope);
    }
  }
  let sum = k[0]!;
  for (let i = 1; i < kRadius; i++) sum += 2 * k[i]!;
  for (let i = 0; i < kRadius; i++) k[i] = Math.fround(k[i]! / sum);
  return k;
}

export interface GaussianOptions {
  /** Kernel accuracy; default ImageJ's choice for the raster's depth (see imagejGaussianAccuracy). */
  accuracy?: number;
  /**
   * Write the result into this array instead of a new one (used when it has the raster's own type
   * and pixel count and is not the input itself; otherwise ignored) — lets a caller reuse one
   * buffer across images.
   */
  into?: PixelData;
}

/** Drop trailing zero taps (ImageJ's last tap is 0 after edge correction). */
function trimKernel(k: Float64Array): Float64Array {
  let n = k.length;
  while (n > 1 && k[n - 1] === 0) n--;
  return n === k.length ? k : k.subarray(0, n);
}

/** Blur one float plane: src (w×h) → new Float32Array (w×h), ImageJ kernel, rows then columns. */
export function gaussianBlurFloat(
  src: Float32Array,
  width: number,
  height: number,
  sigma: number,
  accuracy: number,
): Float32Array {
  const kx = trimKernel(gaussianKernel(sigma, accuracy, width));
  const ky = trimKernel(gaussianKernel(sigma, accuracy, height));
  const out = new Float32Array(width * height);
  blurSeparable(src, out, width, height, kx, ky, 0);
  return out;
}

/**
 * Horizontal pass of one line, src[so …] → dst[dOff …] (float32). Interior pixels read the source
 * line directly; for the r = 4 kernel of σ ≈ 1 on 8-bit images the 9 taps are held in locals and
 * shifted along (one load per pixel). The r pixels at each end use clamped indices, i.e.
 * out-of-image pixels take the edge value, as ImageJ does. Every output is the same expression,
 * summed in the same order, as the plain loop: k0·c + k1·(l1 + r1) + k2·(l2 + r2) + …
 */
function blurRow(src: ArrayLike<number>, so: number, dst: Float32Array, dOff: number, width: number, k: Float64Array): void {
  // (No closures in here: variables captured by one live in a heap context, which slows the loop.)
  const r = k.length - 1;
  const k0 = k[0]!;
  const x0 = Math.min(r, width);
  const x1 = Math.max(x0, width - r);
  for (let x = 0; x < x0; x++) dst[dOff + x] = rowEdge(src, so, width, k, x);
  if (r === 4 && x1 > x0) {
    const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
    let i = so + x0;
    let a0 = src[i - 4]!, a1 = src[i - 3]!, a2 = src[i - 2]!, a3 = src[i - 1]!, a4 = src[i]!, a5 = src[i + 1]!, a6 = src[i + 2]!, a7 = src[i + 3]!;
    for (let d = dOff + x0, e = dOff + x1; d < e; d++, i++) {
      const a8 = src[i + 4]!;
      dst[d] = k0 * a4 + k1 * (a3 + a5) + k2 * (a2 + a6) + k3 * (a1 + a7) + k4 * (a0 + a8);
      a0 = a1; a1 = a2; a2 = a3; a3 = a4; a4 = a5; a5 = a6; a6 = a7; a7 = a8;
    }
  } else {
    for (let x = x0; x < x1; x++) {
      const i = so + x;
      let s = k0 * src[i]!;
      for (let j = 1; j <= r; j++) s += k[j]! * (src[i - j]! + src[i + j]!);
      dst[dOff + x] = s;
    }
  }
  for (let x = x1; x < width; x++) dst[dOff + x] = rowEdge(src, so, width, k, x);
}

/** One output pixel of the row pass near a line end: out-of-line taps take the edge pixel. */
function rowEdge(src: ArrayLike<number>, so: number, width: number, k: Float64Array, x: number): number {
  let s = k[0]! * src[so + x]!;
  for (let j = 1; j < k.length; j++) {
    const a = x - j < 0 ? 0 : x - j;
    const b = x + j >= width ? width - 1 : x + j;
    s += k[j]! * (src[so + a]! + src[so + b]!);
  }
  return s;
}

type OutData = Float32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * Vertical pass for one output row: `rows[j]` is the offset in `src` of input row y + j − r
 * (already clamped to the image). `max` > 0: integer output rounded like ImageJ,
 * (int)(v + 0.5) clamped to 0..max.
 */
function blurColumn1(src: Float32Array, rows: Int32Array, dst: OutData, off: number, width: number, k: Float64Array, max: number): void {
  const r = k.length - 1;
  const k0 = k[0]!;
  const round = max > 0;
  const small = round && max <= 65535;
  if (r === 4) {
    const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
    const m4 = rows[0]!, m3 = rows[1]!, m2 = rows[2]!, m1 = rows[3]!, c = rows[4]!, p1 = rows[5]!, p2 = rows[6]!, p3 = rows[7]!, p4 = rows[8]!;
    for (let x = 0; x < width; x++) {
      const v =
        k0 * src[c + x]! +
        k1 * (src[m1 + x]! + src[p1 + x]!) +
        k2 * (src[m2 + x]! + src[p2 + x]!) +
        k3 * (src[m3 + x]! + src[p3 + x]!) +
        k4 * (src[m4 + x]! + src[p4 + x]!);
      // ImageJ's (int)(v + 0.5): the kernel is positive and sums to 1, so 0 ≤ v ≤ max (+ float
      // rounding) and |0 truncates exactly like Java's cast for 8/16-bit; 32-bit values are clamped.
      if (small) dst[off + x] = (v + 0.5) | 0;
      else if (round) dst[off + x] = Math.min(max, Math.max(0, Math.floor(v + 0.5)));
      else dst[off + x] = v;
    }
  } else {
    const c = rows[r]!;
    for (let x = 0; x < width; x++) {
      let v = k0 * src[c + x]!;
      for (let j = 1; j <= r; j++) v += k[j]! * (src[rows[r - j]! + x]! + src[rows[r + j]! + x]!);
      if (small) dst[off + x] = (v + 0.5) | 0;
      else if (round) dst[off + x] = Math.min(max, Math.max(0, Math.floor(v + 0.5)));
      else dst[off + x] = v;
    }
  }
}

/**
 * Vertical pass for two output rows at once, r = 4, 8/16-bit output (the common case: σ ≈ 1).
 * The two rows share 8 of their 10 input rows (`rows[0..9]` = offsets of rows y − 4 … y + 5);
 * same arithmetic, same order as blurColumn1.
 */
function blurColumn2(src: Float32Array, rows: Int32Array, dst: Uint8Array | Uint16Array, off: number, width: number, k: Float64Array): void {
  const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
  const r0 = rows[0]!, r1 = rows[1]!, r2 = rows[2]!, r3 = rows[3]!, r4 = rows[4]!, r5 = rows[5]!, r6 = rows[6]!, r7 = rows[7]!, r8 = rows[8]!, r9 = rows[9]!;
  const off1 = off + width;
  for (let x = 0; x < width; x++) {
    const a0 = src[r0 + x]!, a1 = src[r1 + x]!, a2 = src[r2 + x]!, a3 = src[r3 + x]!, a4 = src[r4 + x]!;
    const a5 = src[r5 + x]!, a6 = src[r6 + x]!, a7 = src[r7 + x]!, a8 = src[r8 + x]!, a9 = src[r9 + x]!;
    const v0 = k0 * a4 + k1 * (a3 + a5) + k2 * (a2 + a6) + k3 * (a1 + a7) + k4 * (a0 + a8);
    const v1 = k0 * a5 + k1 * (a4 + a6) + k2 * (a3 + a7) + k3 * (a2 + a8) + k4 * (a1 + a9);
    dst[off + x] = (v0 + 0.5) | 0;
    dst[off1 + x] = (v1 + 0.5) | 0;
  }
}

/**
 * Separable blur src → dst, rows first then columns, fused: the row pass fills a ring of the last
 * 2·ry + 2 float rows and each output row is made as soon as its input rows are in the ring, so the
 * intermediate plane never leaves the cache (a full float plane of a 3-Mpx image is 12 MB). Rows
 * outside the image are the clamped edge rows. Per pixel the arithmetic is exactly that of a full
 * row pass followed by a full column pass.
 */
function blurSeparable(src: ArrayLike<number>, dst: OutData, width: number, height: number, kx: Float64Array, ky: Float64Array, max: number): void {
  const ry = ky.length - 1;
  const ringRows = Math.min(height, 2 * ry + 2);
  const ring = scratch(ringRows * width);
  const rows = new Int32Array(2 * ry + 2);
  const pair = ry === 4 && max > 0 && max <= 65535;
  let done = 0; // rows of the row pass made so far
  const slot = (yy: number): number => ((yy < 0 ? 0 : yy >= height ? height - 1 : yy) % ringRows) * width;
  for (let y = 0; y < height; ) {
    const two = pair && y + 1 < height;
    const last = Math.min(height - 1, y + ry + (two ? 1 : 0));
    for (; done <= last; done++) blurRow(src, done * width, ring, (done % ringRows) * width, width, kx);
    for (let j = 0; j < 2 * ry + (two ? 2 : 1); j++) rows[j] = slot(y + j - ry);
    if (two) {
      blurColumn2(ring, rows, dst as Uint8Array | Uint16Array, y * width, width, ky);
      y += 2;
    } else {
      blurColumn1(ring, rows, dst, y * width, width, ky, max);
      y++;
    }
  }
}

let scratchBuf: Float32Array | null = null;
/** The row-pass ring, reused between calls (one per thread; never returned to callers). */
function scratch(n: number): Float32Array {
  if (!scratchBuf || scratchBuf.length < n) scratchBuf = new Float32Array(n);
  return scratchBuf.length === n ? scratchBuf : scratchBuf.subarray(0, n);
}

/**
 * Gaussian blur of a raster with ImageJ's parameters; returns a new raster of the same
 * depth (integer images rounded as ImageJ rounds). σ in pixels, > 0.
 */
export function imagejGaussianBlur<T extends PixelData>(raster: Raster<T>, sigma: number, options: GaussianOptions = {}): Raster<T> {
  if (!(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0)) {
    throw new VoidscopeError('EOPTION', `gaussian sigma must be a number > 0 (pixels), got ${String(sigma)}`);
  }
  const { width, height } = raster;
  const accuracy = options.accuracy ?? imagejGaussianAccuracy(raster.bitDepth, raster.sampleFormat);
  const kx = trimKernel(gaussianKernel(sigma, accuracy, width));
  const ky = trimKernel(gaussianKernel(sigma, accuracy, height));
  const data = raster.data;
  const n = width * height;
  const into = options.into;
  const reuse = into !== undefined && into !== data && into.length === n && into.constructor === data.constructor && into.buffer !== data.buffer;
  let out: PixelData;
  if (data instanceof Uint8Array) blurSeparable(data, (out = reuse ? (into as Uint8Array) : new Uint8Array(n)), width, height, kx, ky, 255);
  else if (data instanceof Uint16Array) blurSeparable(data, (out = new Uint16Array(n)), width, height, kx, ky, 65535);
  else if (data instanceof Uint32Array) blurSeparable(data, (out = new Uint32Array(n)), width, height, kx, ky, 4294967295);
  else {
    const f = new Float32Array(n);
    blurSeparable(data, f, width, height, kx, ky, 0);
    out = data instanceof Float64Array ? Float64Array.from(f) : f;
  }
  return { ...raster, data: out as T };
}
