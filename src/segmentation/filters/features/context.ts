/**
 * The shared work of one feature stack: Gaussian-smoothed copies of the (normalised) image and
 * their central differences, computed once per scale and reused by every feature that needs them.
 *
 * Smoothing is ImageJ's Gaussian kernel (filters/gaussian.ts, WebAssembly SIMD; out-of-image pixels
 * take the nearest edge value) at accuracy 0.002. Derivatives are central differences of the smoothed
 * image with one-sided differences at the borders, exactly numpy.gradient — which is what
 * scikit-image 0.19's `hessian_matrix` and `structure_tensor` apply to their Gaussian-smoothed image.
 */
import { gaussianKernel, imagejGaussianBlur } from '../gaussian.js';

/** Kernel accuracy of the feature Gaussians (ImageJ's 8-bit choice: a radius of about 3.5 σ). */
export const FEATURE_GAUSSIAN_ACCURACY = 0.002;

/** Radius in pixels of the Gaussian kernel used for σ (taps beyond it are zero). */
export function gaussianRadius(sigma: number): number {
  return gaussianKernel(sigma, FEATURE_GAUSSIAN_ACCURACY).kernel.length - 1;
}

/** G_σ * src; into (w×h, another buffer than src) is reused when given. */
export function smooth(src: Float32Array, width: number, height: number, sigma: number, into?: Float32Array): Float32Array {
  const r = imagejGaussianBlur({ width, height, bitDepth: 32, sampleFormat: 'float', data: src, pixelSize: null }, sigma, {
    accuracy: FEATURE_GAUSSIAN_ACCURACY,
    ...(into ? { into } : {}),
  });
  return r.data;
}

/**
 * Scratch planes handed out in call order and taken back all at once (`reset`), so that the tiles of
 * one image reuse the same buffers instead of allocating ≈ 60 planes each (garbage collection was 8 %
 * of prediction time).
 */
export class PlanePool {
  private readonly planes: Float32Array[] = [];
  private next = 0;
  /** A w×h plane (contents undefined). */
  take(n: number): Float32Array {
    let p = this.planes[this.next];
    if (!p || p.length < n) {
      p = new Float32Array(n);
      this.planes[this.next] = p;
    }
    this.next++;
    return p.length === n ? p : p.subarray(0, n);
  }
  reset(): void {
    this.next = 0;
  }
}

/** numpy.gradient along x (axis 1) of a w×h plane. */
export function diffX(src: Float32Array, width: number, height: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(width * height);
  if (width < 2) return out.fill(0);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const e = o + width - 1;
    // a, b, c = src[i − 1], src[i], src[i + 1] carried along the row: one load per pixel.
    let a = src[o]!;
    let b = src[o + 1]!;
    out[o] = b - a;
    for (let i = o + 1; i < e; i++) {
      const c = src[i + 1]!;
      out[i] = (c - a) * 0.5;
      a = b;
      b = c;
    }
    out[e] = b - a;
  }
  return out;
}

/** numpy.gradient along y (axis 0) of a w×h plane. */
export function diffY(src: Float32Array, width: number, height: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(width * height);
  if (height < 2) return out.fill(0);
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) out[x] = src[width + x]! - src[x]!;
  // The inner rows as one run (row y's neighbours are ± width away): one loop, no per-row set-up.
  for (let i = width; i < last; i++) out[i] = (src[i + width]! - src[i - width]!) * 0.5;
  for (let i = last; i < last + width; i++) out[i] = src[i]! - src[i - width]!;
  return out;
}

/** Eigenvalues of the symmetric 2×2 matrices [[a, b], [b, c]] per pixel, larger first (as skimage), times `scale`. */
export function eigen2(a: Float32Array, b: Float32Array, c: Float32Array, l1: Float32Array, l2: Float32Array, scale = 1): void {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    // Each input read once (V8 reloads a[i] after a store to l1, which might alias it).
    const ai = a[i]!;
    const bi = b[i]!;
    const ci = c[i]!;
    const m = (ai + ci) * 0.5;
    const d = (ai - ci) * 0.5;
    const r = Math.sqrt(d * d + bi * bi);
    l1[i] = (m + r) * scale;
    l2[i] = (m - r) * scale;
  }
}

/** Lazily computed, memoised smoothings and derivatives of one plane. */
export class FeatureContext {
  private readonly blurs = new Map<number, Float32Array>();
  private readonly grads = new Map<number, [Float32Array, Float32Array]>();
  private readonly hessians = new Map<number, [Float32Array, Float32Array, Float32Array]>();
  constructor(
    readonly image: Float32Array,
    readonly width: number,
    readonly height: number,
    readonly pool: PlanePool = new PlanePool(),
  ) {}

  /** A scratch plane of the image's size from the pool. */
  scratch(): Float32Array {
    return this.pool.take(this.width * this.height);
  }

  /** G_σ * image. */
  blur(sigma: number): Float32Array {
    let g = this.blurs.get(sigma);
    if (!g) {
      g = smooth(this.image, this.width, this.height, sigma, this.scratch());
      this.blurs.set(sigma, g);
    }
    return g;
  }

  /** [∂x, ∂y] of G_σ * image (central differences). */
  gradient(sigma: number): [Float32Array, Float32Array] {
    let g = this.grads.get(sigma);
    if (!g) {
      const s = this.blur(sigma);
      g = [diffX(s, this.width, this.height, this.scratch()), diffY(s, this.width, this.height, this.scratch())];
      this.grads.set(sigma, g);
    }
    return g;
  }

  /** [∂xx, ∂xy, ∂yy] of G_σ * image: central differences of the gradient (∂xy = ∂y of ∂x, as skimage). */
  hessian(sigma: number): [Float32Array, Float32Array, Float32Array] {
    let h = this.hessians.get(sigma);
    if (!h) {
      const [gx, gy] = this.gradient(sigma);
      const { width: w, height: hh } = this;
      h = [diffX(gx, w, hh, this.scratch()), diffY(gx, w, hh, this.scratch()), diffY(gy, w, hh, this.scratch())];
      this.hessians.set(sigma, h);
    }
    return h;
  }
}
