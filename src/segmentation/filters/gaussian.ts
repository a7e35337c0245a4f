/**
 * Gaussian blur with ImageJ's parameters and arithmetic (Process ▸ Filters ▸ Gaussian Blur…).
 *
 * Reproduces ImageJ 1.53t `ij.plugin.filter.GaussianBlur` (makeGaussianKernel, convolveLine,
 * blurGaussian on the whole image) bit for bit:
 *  - σ is the standard deviation in pixels ("Sigma (Radius)" in ImageJ's dialog).
 *  - Kernel accuracy 0.002 for 8-bit images and 0.0002 for 16-bit / float, as ImageJ chooses;
 *    kernel radius `ceil(σ·sqrt(−2·ln accuracy)) + 1`, at most max(50, line length), with ImageJ's
 *    "edge correction" (the outer taps replaced by a parabola reaching 0 at the kernel radius) and
 *    its normalisation; one kernel per direction (the bound depends on the line length).
 *  - Separable: rows first, then columns, in 32-bit float with ImageJ's order of operations; pixels
 *    near a line end use ImageJ's formula (the taps beyond the end times the end pixel, through the
 *    kernel's running sums), which equals "out-of-image pixels take the nearest edge value" up to
 *    float rounding — and here the rounding is ImageJ's too.
 *  - Integer images are rounded back as ByteProcessor/ShortProcessor.setPixels does:
 *    `(int)(v + 0.5f)` clamped to the type's range.
 * The convolution runs in WebAssembly (gaussian.wat, built to gaussian.wasm): its f32 arithmetic is
 * Java's float, which JavaScript's doubles are not, and its SIMD lanes make it fast.
 *
 * Known difference from ImageJ (documented, deliberately not reproduced): for σ > 8.5 ImageJ
 * downsamples each line, convolves and upsamples (a speed trick that changes values by a fraction
 * of a grey level); here the full kernel is always applied, i.e. this is the Gaussian ImageJ
 * approximates. 32-bit integer and float64 rasters (which ImageJ does not have) are blurred as
 * float32, like ImageJ's 32-bit images, and returned in their own type.
 *
 * Hand-written because no installed library offers ImageJ's kernel: sharp/libvips' `blur` uses a
 * different kernel length/accuracy and fixed-point arithmetic for 8-bit.
 */
import { compileWasm, instantiateWasm } from '../../wasm.js';
import type { PixelData, Raster } from '../../raster/types.js';
import { VoidscopeError } from '../../errors.js';

/** Kernel accuracy ImageJ uses: 0.002 for 8-bit (and RGB), 0.0002 for 16-bit and float. */
export function imagejGaussianAccuracy(bitDepth: number, sampleFormat: 'uint' | 'float'): number {
  return bitDepth === 8 && sampleFormat === 'uint' ? 0.002 : 0.0002;
}

/** ImageJ's Gaussian kernel for one direction. */
export interface GaussianKernel {
  /** One side of the normalised kernel: `kernel[0]` is the centre tap, `kernel[i]` the weight at distance i. */
  kernel: Float32Array;
  /** `kernSum[i]`: the sum of the taps beyond distance i (what ImageJ multiplies the edge pixel by). */
  kernSum: Float32Array;
}

/**
 * ImageJ's `makeGaussianKernel(sigma, accuracy, maxRadius)`: the full kernel is
 * kernel[n-1] … kernel[1] kernel[0] kernel[1] … kernel[n-1]. `maxRadius` is the line length
 * (ImageJ raises it to at least 50). Float taps, double sums, as ImageJ computes them.
 */
export function gaussianKernel(sigma: number, accuracy: number, maxRadius = Infinity): GaussianKernel {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`gaussian sigma must be > 0, got ${sigma}`);
  const maxR = Math.max(50, maxRadius);
  let kRadius = Math.ceil(sigma * Math.sqrt(-2 * Math.log(accuracy))) + 1;
  if (kRadius > maxR) kRadius = maxR;
  const k = new Float32Array(kRadius);
  for (let i = 0; i < kRadius; i++) k[i] = Math.exp((-0.5 * i * i) / sigma / sigma);
  if (kRadius < maxR && kRadius > 3) {
    // Edge correction: find the smallest sqrt-slope towards the kernel end and replace the tail by
    // a parabola (kRadius − r)²·slope² that reaches 0 at kRadius.
    let sqrtSlope = Number.MAX_VALUE;
    let r = kRadius;
    while (r > Math.trunc(kRadius / 2)) {
      r--;
      const a = Math.sqrt(k[r]!) / (kRadius - r);
      if (a < sqrtSlope) sqrtSlope = a;
      else break;
    }
    for (let r1 = r + 2; r1 < kRadius; r1++) k[r1] = (kRadius - r1) * (kRadius - r1) * sqrtSlope * sqrtSlope;
  }
  let sum: number;
  if (kRadius < maxR) {
    sum = k[0]!;
    for (let i = 1; i < kRadius; i++) sum += 2 * k[i]!;
  } else sum = sigma * Math.sqrt(2 * Math.PI);
  const kernSum = new Float32Array(kRadius);
  let rsum = 0.5 + (0.5 * k[0]!) / sum;
  for (let i = 0; i < kRadius; i++) {
    const v = k[i]! / sum;
    k[i] = v;
    rsum -= v;
    kernSum[i] = rsum;
  }
  return { kernel: k, kernSum };
}

export interface GaussianOptions {
  /** Kernel accuracy; default ImageJ's choice for the raster's depth (see imagejGaussianAccuracy). */
  accuracy?: number;
  /**
   * Write the result into this array instead of a new one (used when it has the raster's own type
   * and pixel count and shares no bytes with the input — two views of one buffer that do not overlap
   * are fine; otherwise ignored) — lets a caller reuse one buffer across images.
   */
  into?: PixelData;
}

interface BlurModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  blur(
    src: number, stype: number, dst: number, dtype: number, w: number, h: number, ra: number, y0: number, y1: number,
    kx: number, sx: number, krx: number, ky: number, sy: number, kry: number, work: number,
  ): void;
}

let blurModule: BlurModule | null = null;
/** The compiled gaussian.wasm, instantiated once per thread (its memory is reused between calls). */
function wasm(): BlurModule {
  if (blurModule) return blurModule;
  blurModule = instantiateWasm<BlurModule>(compileWasm(new URL('./gaussian.wasm', import.meta.url)));
  return blurModule;
}

type Plane = Uint8Array | Uint16Array | Float32Array;
const typeCode = (a: Plane): number => (a instanceof Uint8Array ? 0 : a instanceof Uint16Array ? 1 : 2);
const align16 = (n: number): number => (n + 15) & ~15;
/** Input + output bytes handed to the WebAssembly module at once; taller images go in strips of rows. */
const STRIP_BYTES = 64 << 20;

/** Whether two arrays share any byte (views of one buffer whose ranges meet). */
function overlap(a: PixelData, b: PixelData): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Blur src (w×h) into dst (same pixel count; u8, u16 or f32 each), ImageJ's arithmetic. */
function blurPlane(src: Plane, dst: Plane, width: number, height: number, sigma: number, accuracy: number): void {
  const kx = gaussianKernel(sigma, accuracy, width);
  const ky = gaussianKernel(sigma, accuracy, height);
  const krx = kx.kernel.length;
  const kry = ky.kernel.length;
  const ringRows = 2 * kry - 1;
  // Layout (see gaussian.wat): kernels, then work = tab, line, col, ring; then the src and dst strips.
  const kxAt = 0;
  const sxAt = align16(kxAt + 4 * krx);
  const kyAt = align16(sxAt + 4 * krx);
  const syAt = align16(kyAt + 4 * kry);
  const workAt = align16(syAt + 4 * kry);
  const workBytes = align16(4 * Math.max(ringRows, 2 * krx - 1)) + align16(4 * width) + align16(4 * ringRows) + 4 * ringRows * width;
  const srcAt = align16(workAt + workBytes);
  const sb = src.BYTES_PER_ELEMENT;
  const db = dst.BYTES_PER_ELEMENT;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(STRIP_BYTES / (width * (sb + db)))));
  const maxInRows = Math.min(height, rowsPerStrip + 2 * (kry - 1));
  const dstAt = align16(srcAt + maxInRows * width * sb);
  const need = dstAt + rowsPerStrip * width * db;
  const m = wasm();
  if (m.memory.buffer.byteLength < need) m.memory.grow(Math.ceil((need - m.memory.buffer.byteLength) / 65536));
  const mem = m.memory.buffer;
  new Float32Array(mem, kxAt, krx).set(kx.kernel);
  new Float32Array(mem, sxAt, krx).set(kx.kernSum);
  new Float32Array(mem, kyAt, kry).set(ky.kernel);
  new Float32Array(mem, syAt, kry).set(ky.kernSum);
  const View = src.constructor as new (b: ArrayBuffer, o: number, n: number) => Plane;
  const OutView = dst.constructor as new (b: ArrayBuffer, o: number, n: number) => Plane;
  for (let y0 = 0; y0 < height; y0 += rowsPerStrip) {
    const y1 = Math.min(height, y0 + rowsPerStrip);
    const ra = Math.max(0, y0 - (kry - 1));
    const rb = Math.min(height, y1 + (kry - 1));
    new View(mem, srcAt, (rb - ra) * width).set(src.subarray(ra * width, rb * width));
    m.blur(srcAt, typeCode(src), dstAt, typeCode(dst), width, height, ra, y0, y1, kxAt, sxAt, krx, kyAt, syAt, kry, workAt);
    dst.set(new OutView(mem, dstAt, (y1 - y0) * width) as never, y0 * width);
  }
}

/** Blur one float plane: src (w×h) → new Float32Array (w×h), ImageJ's kernel and float arithmetic. */
export function gaussianBlurFloat(src: Float32Array, width: number, height: number, sigma: number, accuracy: number): Float32Array {
  const out = new Float32Array(width * height);
  blurPlane(src, out, width, height, sigma, accuracy);
  return out;
}

/**
 * Gaussian blur of a raster with ImageJ's parameters; returns a new raster of the same depth
 * (integer images rounded as ImageJ rounds). σ in pixels, > 0.
 */
export function imagejGaussianBlur<T extends PixelData>(raster: Raster<T>, sigma: number, options: GaussianOptions = {}): Raster<T> {
  if (!(typeof sigma === 'number' && Number.isFinite(sigma) && sigma > 0)) {
    throw new VoidscopeError('EOPTION', `gaussian sigma must be a number > 0 (pixels), got ${String(sigma)}`);
  }
  const { width, height } = raster;
  const accuracy = options.accuracy ?? imagejGaussianAccuracy(raster.bitDepth, raster.sampleFormat);
  const data = raster.data;
  const n = width * height;
  const into = options.into;
  const reuse = into !== undefined && into.length === n && into.constructor === data.constructor && !overlap(into, data);
  let out: PixelData;
  if (data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Float32Array) {
    out = reuse ? into : new (data.constructor as new (n: number) => Plane)(n);
    blurPlane(data, out as Plane, width, height, sigma, accuracy);
  } else {
    // 32-bit integer / float64: blurred as float32 (ImageJ's 32-bit type), returned in their own type.
    const f = gaussianBlurFloat(Float32Array.from(data), width, height, sigma, accuracy);
    out = data instanceof Uint32Array ? Uint32Array.from(f, (v) => Math.min(4294967295, Math.max(0, Math.floor(v + 0.5)))) : Float64Array.from(f);
  }
  return { ...raster, data: out as T };
}
