import { d2i, intHistogram, javaResult } from './java.js';

/** Mean grey level as ImageJ computes it: (int)Math.floor(Σ i·h[i] / Σ h[i]); all-zero → NaN → 0. */
export function meanRaw(data: Int32Array): number {
  const n = data.length;
  let tot = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    tot += data[i]!;
    sum += i * data[i]!;
  }
  return d2i(Math.floor(sum / tot));
}

/**
 * Mean (Glasbey 1993): the threshold is the floor of the mean grey level, as in ImageJ 1.53t
 * `AutoThresholder.Mean`. Degenerate histograms (as ImageJ): one grey value v → v; all-zero →
 * NaN → (int) 0; two values → floor of their mean (60×300 + 180×700 → 144).
 */
export function mean(histogram: ArrayLike<number>): number {
  return javaResult(meanRaw(intHistogram(histogram)));
}
