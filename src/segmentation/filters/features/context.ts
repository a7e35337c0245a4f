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
import { growResident, residentInstance, wasmDiffX, wasmDiffY, wasmEigen2, type DerivModule } from './derivatives.js';

/** Kernel accuracy of the feature Gaussians (ImageJ's 8-bit choice: a radius of about 3.5 σ). */
export const FEATURE_GAUSSIAN_ACCURACY = 0.002;

/** Radius in pixels of the Gaussian kernel used for σ (taps beyond it are zero). */
export function gaussianRadius(sigma: number): number {
  return gaussianKernel(sigma, FEATURE_GAUSSIAN_ACCURACY).kernel.length - 1;
}

/** G_σ * src; into (w×h, not overlapping src) is reused when given. */
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
 *
 * The planes are views of one WebAssembly memory (a derivatives.wasm instance of this pool's own), so
 * that the derivative kernels work on them in place. That memory only grows in `reset`, when no plane
 * is in use (growing detaches every view): a call that needs more than it has gets ordinary
 * Float32Arrays for the rest (the kernels then copy), and the next reset makes room — so from the
 * second tile of an image on, every plane is resident.
 */
export class PlanePool {
  private mod: DerivModule | null = null;
  /** Bytes of mod's memory the planes may use. */
  private capacity = 0;
  /** Bytes handed out since the last reset, and the most ever. */
  private top = 0;
  private high = 0;
  private growFailed = false;
  private readonly planes: Float32Array[] = [];
  private next = 0;
  /** A w×h plane (contents undefined). */
  take(n: number): Float32Array {
    return this.resident(n) ?? this.ordinary(n);
  }
  /** A plane of n floats in the pool's WebAssembly memory, or null when it has no room for it yet (contents undefined). */
  resident(n: number): Float32Array | null {
    const at = this.top;
    this.top += (4 * n + 63) & ~63;
    if (this.top > this.high) this.high = this.top;
    return this.mod && this.top <= this.capacity ? new Float32Array(this.mod.memory.buffer, at, n) : null;
  }
  private ordinary(n: number): Float32Array {
    let p = this.planes[this.next];
    if (!p || p.length < n) {
      p = new Float32Array(n);
      this.planes[this.next] = p;
    }
    this.next++;
    return p.length === n ? p : p.subarray(0, n);
  }
  reset(): void {
    if (this.high > this.capacity && !this.growFailed) {
      this.mod ??= residentInstance();
      if (growResident(this.mod, this.high)) {
        this.capacity = this.mod.memory.buffer.byteLength;
        this.planes.length = 0;
      } else this.growFailed = true;
    }
    this.top = 0;
    this.next = 0;
  }
}

/** numpy.gradient along x (axis 1) of a w×h plane (WebAssembly, bit-identical to the double-precision JavaScript it replaced). */
export function diffX(src: Float32Array, width: number, height: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(width * height);
  if (width < 2) return out.fill(0);
  wasmDiffX(src, out, width, height);
  return out;
}

/** numpy.gradient along y (axis 0) of a w×h plane (WebAssembly, as diffX). */
export function diffY(src: Float32Array, width: number, height: number, into?: Float32Array): Float32Array {
  const out = into ?? new Float32Array(width * height);
  if (height < 2) return out.fill(0);
  wasmDiffY(src, out, width, height);
  return out;
}

/**
 * Eigenvalues of the symmetric 2×2 matrices [[a, b], [b, c]] per pixel, larger first (as skimage), times `scale`:
 * m = (a + c)/2, d = (a − c)/2, r = sqrt(d² + b²), (m ± r)·scale in double, rounded once to float32 (WebAssembly).
 */
export function eigen2(a: Float32Array, b: Float32Array, c: Float32Array, l1: Float32Array, l2: Float32Array, scale = 1): void {
  wasmEigen2(a, b, c, l1, l2, a.length, scale);
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

  /**
   * Where to compute a result destined for `out` (a w×h plane): a pool plane in WebAssembly memory when
   * there is one (the kernel runs in place; then `deliver` copies it to out), else out itself.
   */
  staging(out: Float32Array): Float32Array {
    return this.pool.resident(this.width * this.height) ?? out;
  }

  /** Copy a result computed in `staging(out)` to out (nothing when it was computed there). */
  deliver(result: Float32Array, out: Float32Array): void {
    if (result !== out) out.set(result);
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
