import { d2i, imul, intHistogram, javaResult } from './java.js';
import { meanRaw } from './mean.js';

/** Safety cap: ImageJ's loop has none (an oscillating iteration would hang ImageJ). */
export const MIN_ERROR_MAX_ITERATIONS = 10000;

/** Σ_{i≤j} y[i] (ImageJ `A`). */
function A(y: Int32Array, j: number): number {
  if (j >= y.length) j = y.length - 1;
  let x = 0;
  for (let i = 0; i <= j; i++) x += y[i]!;
  return x;
}

/** Σ_{i≤j} i·y[i] with ImageJ's `int` product (ImageJ `B`): wraps when i·y[i] ≥ 2³¹. */
function B(y: Int32Array, j: number): number {
  if (j >= y.length) j = y.length - 1;
  let x = 0;
  for (let i = 0; i <= j; i++) x += imul(i, y[i]!);
  return x;
}

/** Σ_{i≤j} i²·y[i] with ImageJ's `int` product (ImageJ `C`): wraps when i²·y[i] ≥ 2³¹, i.e. a
 *  bin near 255 holding more than ~33 000 pixels. Kept: ImageJ 1.53t does exactly this. */
function C(y: Int32Array, j: number): number {
  if (j >= y.length) j = y.length - 1;
  let x = 0;
  for (let i = 0; i <= j; i++) x += imul(imul(i, i), y[i]!);
  return x;
}

/**
 * Minimum error thresholding (Kittler & Illingworth 1986), iterative form, as in ImageJ 1.53t
 * `AutoThresholder.MinErrorI` (Landini's port of Niemistö's Matlab code). Starts at Mean and
 * iterates t ← floor of the root of the quadratic of the two-Gaussian model.
 *
 * ImageJ quirks kept: (1) when the quadratic has no real root ImageJ logs "MinError(I): not
 * converging." and returns the current threshold — we return the same; (2) a NaN root keeps
 * the previous threshold; (3) the moment sums B and C use Java `int` products that overflow
 * for large images (see `C`); (4) `(int)` casts saturate.
 * Degenerate histograms (as ImageJ): one grey value v → v; all-zero → 0; two values → their
 * mean, as Mean (60/180 → 144). Deviation: ImageJ has no iteration limit; we stop after 10 000
 * iterations (never observed; ImageJ would hang) with the current threshold.
 */
export function minError(histogram: ArrayLike<number>): number {
  return minErrorDetail(histogram).threshold;
}

/**
 * MinError with ImageJ's diagnostics: `notConverging` is true when ImageJ 1.53t would log
 * "MinError(I): not converging." (the returned threshold is then the current estimate).
 */
export function minErrorDetail(histogram: ArrayLike<number>): { threshold: number; notConverging: boolean } {
  const data = intHistogram(histogram);
  const last = data.length - 1;
  let threshold = meanRaw(data);
  let tPrev = -2;
  let iterations = 0;
  while (threshold !== tPrev) {
    if (++iterations > MIN_ERROR_MAX_ITERATIONS) break;
    const mu = B(data, threshold) / A(data, threshold);
    const nu = (B(data, last) - B(data, threshold)) / (A(data, last) - A(data, threshold));
    const p = A(data, threshold) / A(data, last);
    const q = (A(data, last) - A(data, threshold)) / A(data, last);
    const sigma2 = C(data, threshold) / A(data, threshold) - mu * mu;
    const tau2 = (C(data, last) - C(data, threshold)) / (A(data, last) - A(data, threshold)) - nu * nu;
    const w0 = 1.0 / sigma2 - 1.0 / tau2;
    const w1 = mu / sigma2 - nu / tau2;
    const w2 = (mu * mu) / sigma2 - (nu * nu) / tau2 + Math.log10((sigma2 * (q * q)) / (tau2 * (p * p)));
    const sqterm = w1 * w1 - w0 * w2;
    if (sqterm < 0) {
      // ImageJ: IJ.log("MinError(I): not converging."); return threshold;
      return { threshold: javaResult(threshold), notConverging: true };
    }
    tPrev = threshold;
    const temp = (w1 + Math.sqrt(sqterm)) / w0;
    if (Number.isNaN(temp)) threshold = tPrev;
    else threshold = d2i(Math.floor(temp));
  }
  return { threshold: javaResult(threshold), notConverging: false };
}
