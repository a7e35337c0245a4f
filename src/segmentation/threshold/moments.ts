import { intHistogram, javaResult } from './java.js';

/**
 * Moment-preserving thresholding (Tsai 1985), as in ImageJ 1.53t `AutoThresholder.Moments`
 * (Landini's port of Celebi's fourier_0.8): the first three moments of the histogram are
 * matched by a two-level image; the threshold is the first grey level whose cumulative
 * fraction exceeds the fraction p0 of the lower level.
 *
 * Degenerate histograms (as ImageJ): one grey value or all-zero → p0 is NaN, no level exceeds
 * it, -1 → 0; two values a < b → b (60/180 → 180, 0/255 → 255: every pixel is below), but
 * adjacent 100/101 → 100.
 */
export function moments(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  let total = 0;
  const m0 = 1.0;
  let m1 = 0.0;
  let m2 = 0.0;
  let m3 = 0.0;
  let threshold = -1;
  const histo = new Float64Array(n);
  for (let i = 0; i < n; i++) total += data[i]!;
  for (let i = 0; i < n; i++) histo[i] = data[i]! / total;
  for (let i = 0; i < n; i++) {
    const di = i;
    m1 += di * histo[i]!;
    m2 += di * di * histo[i]!;
    m3 += di * di * di * histo[i]!;
  }
  const cd = m0 * m2 - m1 * m1;
  const c0 = (-m2 * m2 + m1 * m3) / cd;
  const c1 = (m0 * -m3 + m2 * m1) / cd;
  const z0 = 0.5 * (-c1 - Math.sqrt(c1 * c1 - 4.0 * c0));
  const z1 = 0.5 * (-c1 + Math.sqrt(c1 * c1 - 4.0 * c0));
  const p0 = (z1 - m1) / (z1 - z0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += histo[i]!;
    if (sum > p0) {
      threshold = i;
      break;
    }
  }
  return javaResult(threshold);
}
