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

/** Blur one float plane in place-free fashion: src (w×h) → dst (w×h). */
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
  blurColumns(tmp, out, width, height, ky);
  return out;
}

/** Horizontal pass with nearest-edge padding, row by row through a padded line buffer. */
function blurRows(src: ArrayLike<number>, dst: Float32Array, width: number, height: number, k: Float64Array): void {
  const r = k.length - 1;
  const line = new Float64Array(width + 2 * r);
  const k0 = k[0]!;
  for (let y = 0; y < height; y++) {
    const off = y * width;
    const first = src[off]!;
    const last = src[off + width - 1]!;
    for (let i = 0; i < r; i++) line[i] = first;
    for (let x = 0; x < width; x++) line[r + x] = src[off + x]!;
    for (let i = 0; i < r; i++) line[r + width + i] = last;
    if (r === 4) {
      // The common case (σ≈1 on 8-bit): unrolled.
      const k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!;
      for (let x = 0; x < width; x++) {
        const c = x + 4;
        dst[off + x] =
          k0 * line[c]! +
          k1 * (line[c - 1]! + line[c + 1]!) +
          k2 * (line[c - 2]! + line[c + 2]!) +
          k3 * (line[c - 3]! + line[c + 3]!) +
          k4 * (line[c - 4]! + line[c + 4]!);
      }
    } else {
      for (let x = 0; x < width; x++) {
        const c = x + r;
        let s = k0 * line[c]!;
        for (let j = 1; j <= r; j++) s += k[j]! * (line[c - j]! + line[c + j]!);
        dst[off + x] = s;
      }
    }
  }
}

/** Vertical pass, computed row-wise (cache friendly) with clamped row indices. */
function blurColumns(src: Float32Array, dst: Float32Array, width: number, height: number, k: Float64Array): void {
  const r = k.length - 1;
  const k0 = k[0]!;
  const acc = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const off = y * width;
    for (let x = 0; x < width; x++) acc[x] = k0 * src[off + x]!;
    for (let j = 1; j <= r; j++) {
      const kj = k[j]!;
      const up = (y - j < 0 ? 0 : y - j) * width;
      const dn = (y + j >= height ? height - 1 : y + j) * width;
      for (let x = 0; x < width; x++) acc[x] += kj * (src[up + x]! + src[dn + x]!);
    }
    for (let x = 0; x < width; x++) dst[off + x] = acc[x]!;
  }
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
  const tmp = new Float32Array(width * height);
  blurRows(raster.data, tmp, width, height, kx);
  const outF = new Float32Array(width * height);
  blurColumns(tmp, outF, width, height, ky);
  const data = raster.data;
  let out: PixelData;
  if (data instanceof Uint8Array) out = roundInto(outF, new Uint8Array(outF.length), 255);
  else if (data instanceof Uint16Array) out = roundInto(outF, new Uint16Array(outF.length), 65535);
  else if (data instanceof Uint32Array) out = roundInto(outF, new Uint32Array(outF.length), 4294967295);
  else if (data instanceof Float64Array) out = Float64Array.from(outF);
  else out = outF;
  return { ...raster, data: out as T };
}

function roundInto<A extends Uint8Array | Uint16Array | Uint32Array>(src: Float32Array, dst: A, max: number): A {
  for (let i = 0; i < src.length; i++) {
    let v = src[i]! + 0.5;
    if (v < 0) v = 0;
    else if (v > max) v = max;
    dst[i] = v; // typed-array store truncates, like Java's (int) cast for v ≥ 0
  }
  return dst;
}
