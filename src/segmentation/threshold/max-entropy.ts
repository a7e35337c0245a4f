import { DBL_EPSILON, DOUBLE_MIN_VALUE, intHistogram, javaResult } from './java.js';

/** Normalised histogram and its cumulative sums P1 (≤ t) and P2 = 1 − P1, as ImageJ builds them. */
export function cumulativeNormalised(data: Int32Array): { norm: Float64Array; p1: Float64Array; p2: Float64Array } {
  const n = data.length;
  let total = 0;
  for (let ih = 0; ih < n; ih++) total += data[ih]!;
  const norm = new Float64Array(n);
  for (let ih = 0; ih < n; ih++) norm[ih] = data[ih]! / total;
  const p1 = new Float64Array(n);
  const p2 = new Float64Array(n);
  p1[0] = norm[0]!;
  p2[0] = 1.0 - p1[0]!;
  for (let ih = 1; ih < n; ih++) {
    p1[ih] = p1[ih - 1]! + norm[ih]!;
    p2[ih] = 1.0 - p1[ih]!;
  }
  return { norm, p1, p2 };
}

/** First bin whose P1 is not ~0 and last bin whose P2 is not ~0 (ImageJ's first_bin/last_bin). */
export function entropyRange(p1: Float64Array, p2: Float64Array): { firstBin: number; lastBin: number } {
  const n = p1.length;
  let firstBin = 0;
  for (let ih = 0; ih < n; ih++) {
    if (!(Math.abs(p1[ih]!) < DBL_EPSILON)) {
      firstBin = ih;
      break;
    }
  }
  let lastBin = n - 1;
  for (let ih = n - 1; ih >= firstBin; ih--) {
    if (!(Math.abs(p2[ih]!) < DBL_EPSILON)) {
      lastBin = ih;
      break;
    }
  }
  return { firstBin, lastBin };
}

/**
 * Background plus object Shannon entropy when the histogram is split after bin `it`
 * (ImageJ's ent_back + ent_obj, same order of operations, so the sums are bit-identical).
 */
export function shannonEntropyAt(data: Int32Array, norm: Float64Array, p1: Float64Array, p2: Float64Array, it: number): number {
  const n = data.length;
  let entBack = 0.0;
  const P1 = p1[it]!;
  for (let ih = 0; ih <= it; ih++) {
    if (data[ih] !== 0) entBack -= (norm[ih]! / P1) * Math.log(norm[ih]! / P1);
  }
  let entObj = 0.0;
  const P2 = p2[it]!;
  for (let ih = it + 1; ih < n; ih++) {
    if (data[ih] !== 0) entObj -= (norm[ih]! / P2) * Math.log(norm[ih]! / P2);
  }
  return entBack + entObj;
}

/**
 * Kapur–Sahoo–Wong maximum entropy thresholding (1985), as in ImageJ 1.53t
 * `AutoThresholder.MaxEntropy`. O(bins²).
 *
 * ImageJ quirk kept: the running maximum starts at Double.MIN_VALUE (4.9e-324, the smallest
 * positive double), so a histogram whose total entropy is never positive returns -1 → 0.
 * Degenerate histograms (as ImageJ): all-zero, one grey value → 0; two values: 60 (300 px) /
 * 180 (700 px) → 0, 60 (700 px) / 180 (300 px) → 60.
 */
export function maxEntropy(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const { norm, p1, p2 } = cumulativeNormalised(data);
  const { firstBin, lastBin } = entropyRange(p1, p2);
  let threshold = -1;
  let maxEnt = DOUBLE_MIN_VALUE;
  for (let it = firstBin; it <= lastBin; it++) {
    const totEnt = shannonEntropyAt(data, norm, p1, p2, it);
    if (maxEnt < totEnt) {
      maxEnt = totEnt;
      threshold = it;
    }
  }
  return javaResult(threshold);
}
