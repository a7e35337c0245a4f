/**
 * Multi-level Otsu — scikit-image's `skimage.filters.threshold_multiotsu` (version 0.19.3),
 * NOT an ImageJ method (ImageJ 1.53t's AutoThresholder has no multi-class method). Offered as
 * `'MultiOtsu'` for three-phase SEM images (dark voids / grey matrix / bright particles).
 *
 * Faithful to skimage 0.19.3 down to its arithmetic, so results are bit-for-bit the same:
 *  - the histogram is trimmed to its first..last non-empty bin (skimage's
 *    `histogram(source_range='image')` for integer images), and normalised in float64, then
 *    cast to float32;
 *  - the moments and the between-class-variance look-up table are float32 (Cython `float`),
 *    emulated here with Math.fround after every operation, including skimage's quirks:
 *    `first_moment[0] = prob[0]` (not 0·prob[0]) and the LUT entry for class [0, 0] left at 0;
 *  - exhaustive search over all threshold combinations, first maximum wins (`>`).
 *
 * Returns `classes − 1` bin indices t₀ < t₁ < …: class k = bins (t_{k−1}, t_k]. For porosity
 * with dark voids, void = pixel ≤ t₀ (scikit-image's own `np.digitize` recipe would put
 * pixels equal to t₀ into the upper class; voidscope uses ≤ like every other method).
 *
 * Degenerate histograms: with exactly `classes` non-empty bins skimage returns all but the
 * last non-empty bin (so do we). With fewer, skimage raises ValueError ("The input image has
 * only N different values. It cannot be thresholded in C classes."); we instead return the
 * non-empty bins but the last, padded with the last non-empty bin (one grey value v → [v, v];
 * all-zero → [0, 0]) and `multiOtsuDetail` reports `degenerate: true`.
 *
 * Cost: O(bins^(classes−1)) — fine for 256 bins and 3 classes; bins ≤ 4096 accepted for 3 classes.
 */
import { VoidscopeError } from '../../errors.js';

const f = Math.fround;

/** Largest occupied histogram span MultiOtsu accepts (its LUT holds bins·(bins+1)/2 floats). */
export const MULTI_OTSU_MAX_BINS = 4096;

export interface MultiOtsuDetail {
  /** Threshold bin indices into the given histogram, ascending, length classes − 1. */
  thresholds: number[];
  /** True when the histogram has fewer non-empty bins than classes (skimage raises). */
  degenerate: boolean;
}

export function multiOtsu(histogram: ArrayLike<number>, classes = 3): number[] {
  return multiOtsuDetail(histogram, classes).thresholds;
}

export function multiOtsuDetail(histogram: ArrayLike<number>, classes = 3): MultiOtsuDetail {
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`multiOtsu: classes must be an integer ≥ 2 (got ${classes})`);
  const n = histogram.length;
  let start = -1;
  let end = -1;
  for (let i = 0; i < n; i++) {
    if (histogram[i]! > 0) {
      if (start < 0) start = i;
      end = i;
    }
  }
  const nz: number[] = [];
  for (let i = 0; i < n; i++) if (histogram[i]! > 0) nz.push(i);
  const tc = classes - 1;
  if (nz.length <= classes) {
    const t = nz.slice(0, Math.max(0, nz.length - 1));
    const pad = nz.length > 0 ? nz[nz.length - 1]! : 0;
    while (t.length < tc) t.push(pad);
    return { thresholds: t, degenerate: nz.length < classes };
  }
  const nb = end - start + 1;
  if (nb > MULTI_OTSU_MAX_BINS) {
    throw new VoidscopeError('EOPTION', `MultiOtsu needs a look-up table of bins²/2 entries; use at most ${MULTI_OTSU_MAX_BINS} occupied bins (got ${nb})`);
  }
  let total = 0;
  for (let i = start; i <= end; i++) total += histogram[i]!;
  const prob = new Float32Array(nb);
  for (let i = 0; i < nb; i++) prob[i] = histogram[start + i]! / total; // float64 division, cast to float32
  const idx = tc === 2 ? search2(prob) : searchGeneric(prob, tc);
  return { thresholds: idx.map((i) => i + start), degenerate: false };
}

/** skimage `_set_var_btwcls_lut`: compressed upper-triangular LUT of between-class terms (float32). */
function varBtwclsLut(prob: Float32Array): Float32Array {
  const nbins = prob.length;
  const lut = new Float32Array((nbins * (nbins + 1)) / 2);
  const zeroth = new Float32Array(nbins);
  const first = new Float32Array(nbins);
  zeroth[0] = prob[0]!;
  first[0] = prob[0]!; // sic (skimage 0.19.3)
  for (let i = 1; i < nbins; i++) {
    zeroth[i] = f(zeroth[i - 1]! + prob[i]!);
    first[i] = f(first[i - 1]! + f(i * prob[i]!));
    if (zeroth[i]! > 0) lut[i] = f(f(first[i]! * first[i]!) / zeroth[i]!);
  }
  let idx = nbins;
  for (let i = 1; i < nbins; i++) {
    for (let j = i; j < nbins; j++) {
      const z = f(zeroth[j]! - zeroth[i - 1]!);
      if (z > 0) {
        const m = f(first[j]! - first[i - 1]!);
        lut[idx] = f(f(m * m) / z);
      }
      idx++;
    }
  }
  return lut;
}

function lutAt(lut: Float32Array, i: number, j: number, nbins: number): number {
  return lut[Math.floor((i * (2 * nbins - i + 1)) / 2) + j - i]!;
}

/** Two thresholds (three classes): skimage's recursive search unrolled. */
function search2(prob: Float32Array): number[] {
  const nbins = prob.length;
  const lut = varBtwclsLut(prob);
  let sigmaMax = 0;
  let best = [0, 0];
  for (let a = 0; a < nbins - 2; a++) {
    const left = lutAt(lut, 0, a, nbins);
    for (let b = a + 1; b < nbins - 1; b++) {
      let sigma = f(left + lutAt(lut, b + 1, nbins - 1, nbins));
      sigma = f(sigma + lutAt(lut, a + 1, b, nbins));
      if (sigma > sigmaMax) {
        sigmaMax = sigma;
        best = [a, b];
      }
    }
  }
  return best;
}

/** Any number of thresholds: skimage's recursion over the same LUT. */
function searchGeneric(prob: Float32Array, tc: number): number[] {
  const nbins = prob.length;
  const lut = varBtwclsLut(prob);
  const cur = new Array<number>(tc).fill(0);
  let best = new Array<number>(tc).fill(0);
  let sigmaMax = 0;
  const rec = (histIdx: number, threshIdx: number): void => {
    if (threshIdx < tc) {
      for (let idx = histIdx; idx < nbins - tc + threshIdx; idx++) {
        cur[threshIdx] = idx;
        rec(idx + 1, threshIdx + 1);
      }
      return;
    }
    let sigma = f(lutAt(lut, 0, cur[0]!, nbins) + lutAt(lut, cur[tc - 1]! + 1, nbins - 1, nbins));
    for (let k = 0; k < tc - 1; k++) sigma = f(sigma + lutAt(lut, cur[k]! + 1, cur[k + 1]!, nbins));
    if (sigma > sigmaMax) {
      sigmaMax = sigma;
      best = cur.slice();
    }
  };
  rec(0, 0);
  return best;
}
