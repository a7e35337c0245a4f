import { intHistogram, javaResult } from './java.js';

/**
 * Percentile (Doyle 1962) with ImageJ's fixed 50 %: the grey level whose cumulative fraction
 * is closest to 0.5 (first one on ties), as in ImageJ 1.53t `AutoThresholder.Percentile`.
 * The cumulative sum is accumulated in the same order as ImageJ's partialSum, so the doubles
 * are identical.
 *
 * Degenerate histograms (as ImageJ): one grey value v → 0 (bins below v already give
 * |0 − 0.5| = 0.5, which nothing beats); all-zero → NaN everywhere → -1 → 0; two values
 * a < b → a (60/180 → 60).
 */
export function percentile(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const ptile = 0.5;
  let threshold = -1;
  let total = 0;
  for (let i = 0; i < n; i++) total += data[i]!;
  let temp = 1.0;
  let partial = 0;
  for (let i = 0; i < n; i++) {
    partial += data[i]!;
    const avec = Math.abs(partial / total - ptile);
    if (avec < temp) {
      temp = avec;
      threshold = i;
    }
  }
  return javaResult(threshold);
}
