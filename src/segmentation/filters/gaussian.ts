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
  const tmp = new Float32Array(width * height);
  blurRows(src, tmp, width, height, kx);
  const out = new Float32Array(width * height);
  blurColumns(tmp, out, width, height, ky, 0);
  return out;
}

/**
 * Horizontal pass into a float plane. Interior pixels read the source row directly (the r = 4
 * kernel of σ ≈ 1 on 8-bit images is unrolled); the r pixels at each end use clamped indices,
 * i.e. out-of-image pixels take the edge value, as ImageJ does.
 */
function blurRows(src: ArrayLike<number>, dst: Float32Array, width: number, height: number, k: Float64Array): void {
  const r = k.length - 1;
  const k0 = k[0]!;
  const edge = (off: number, x: number): number => {
    let s = k0 * src[off + x]!;
    for (let j = 1; j <= r; j++) {
      const a = x - j < 0 ? 0 : x - j;
      const b = x + j >= width ? width - 1 : x + j;
      s += k[j]! * (src[off + a]! + src[off + b]!);
    }
    return s;
  };
  const x0 = Math.min(r, width);
  const x1 = Math.max(x0, width - r);
  for (let y = 0; y < height; y++) {
    const off = y * width;
    for (let x = 0; x < x0; x++) dst[off + x] = edge(off, x);
    if (r === 4) {
      const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
      for (let i = off + x0, e = off + x1; i < e; i++) {
        dst[i] =
          k0 * src[i]! +
          k1 * (src[i - 1]! + src[i + 1]!) +
          k2 * (src[i - 2]! + src[i + 2]!) +
          k3 * (src[i - 3]! + src[i + 3]!) +
          k4 * (src[i - 4]! + src[i + 4]!);
      }
    } else {
      for (let i = off + x0, e = off + x1; i < e; i++) {
        let s = k0 * src[i]!;
        for (let j = 1; j <= r; j++) s += k[j]! * (src[i - j]! + src[i + j]!);
        dst[i] = s;
      }
    }
    for (let x = x1; x < width; x++) dst[off + x] = edge(off, x);
  }
}

/**
 * Vertical pass, row by row (cache friendly), rows outside the image clamped to the edge rows.
 * `max` > 0: integer output rounded like ImageJ, (int)(v + 0.5) clamped to 0..max.
 */
function blurColumns(
  src: Float32Array,
  dst: Float32Array | Uint8Array | Uint16Array | Uint32Array,
  width: number,
  height: number,
  k: Float64Array,
  max: number,
): void {
  const r = k.length - 1;
  const k0 = k[0]!;
  const rows = new Int32Array(2 * r + 1);
  const round = max > 0;
  const small = round && max <= 65535;
  const rowOf = (yy: number): number => (yy < 0 ? 0 : yy >= height ? height - 1 : yy) * width;
  for (let y = 0; y < height; y++) {
    for (let j = -r; j <= r; j++) rows[j + r] = rowOf(y + j);
    const off = y * width;
    if (r === 4 && small && y + 1 < height) {
      // Two output rows per pass share 8 of their 10 input rows (fewer loads; the common case:
      // σ ≈ 1 on 8/16-bit images). Same arithmetic, same order as the single-row code below.
      const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
      const r0 = rows[0]!, r1 = rows[1]!, r2 = rows[2]!, r3 = rows[3]!, r4 = rows[4]!, r5 = rows[5]!, r6 = rows[6]!, r7 = rows[7]!, r8 = rows[8]!;
      const r9 = rowOf(y + 5);
      const off1 = off + width;
      for (let x = 0; x < width; x++) {
        const a0 = src[r0 + x]!, a1 = src[r1 + x]!, a2 = src[r2 + x]!, a3 = src[r3 + x]!, a4 = src[r4 + x]!;
        const a5 = src[r5 + x]!, a6 = src[r6 + x]!, a7 = src[r7 + x]!, a8 = src[r8 + x]!, a9 = src[r9 + x]!;
        const v0 = k0 * a4 + k1 * (a3 + a5) + k2 * (a2 + a6) + k3 * (a1 + a7) + k4 * (a0 + a8);
        const v1 = k0 * a5 + k1 * (a4 + a6) + k2 * (a3 + a7) + k3 * (a2 + a8) + k4 * (a1 + a9);
        dst[off + x] = (v0 + 0.5) | 0;
        dst[off1 + x] = (v1 + 0.5) | 0;
      }
      y++;
      continue;
    }
    if (r === 4) {
      const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
      const m4 = rows[0]!, m3 = rows[1]!, m2 = rows[2]!, m1 = rows[3]!, c = rows[4]!, p1 = rows[5]!, p2 = rows[6]!, p3 = rows[7]!, p4 = rows[8]!;
      for (let x = 0; x < width; x++) {
        let v =
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
}

let scratchBuf: Float32Array | null = null;
/** The row-pass buffer, reused between calls (one per thread; never returned to callers). */
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
  const tmp = scratch(width * height);
  blurRows(raster.data, tmp, width, height, kx);
  const data = raster.data;
  let out: PixelData;
  if (data instanceof Uint8Array) blurColumns(tmp, (out = new Uint8Array(tmp.length)), width, height, ky, 255);
  else if (data instanceof Uint16Array) blurColumns(tmp, (out = new Uint16Array(tmp.length)), width, height, ky, 65535);
  else if (data instanceof Uint32Array) blurColumns(tmp, (out = new Uint32Array(tmp.length)), width, height, ky, 4294967295);
  else {
    const f = new Float32Array(tmp.length);
    blurColumns(tmp, f, width, height, ky, 0);
    out = data instanceof Float64Array ? Float64Array.from(f) : f;
  }
  return { ...raster, data: out as T };
}
