import { intHistogram } from './java.js';

/**
 * Otsu's between-class-variance maximisation, as in ImageJ 1.53t `AutoThresholder.Otsu`
 * (J. Bevik's C++ code ported by Landini). Candidates are k = 1 … bins−2; ties go to the
 * LAST k with the maximal variance (`>=`).
 *
 * Degenerate histograms (as ImageJ): one grey value or all-zero → every variance is 0, so the
 * last candidate wins: 254 for 256 bins (bins − 2 in general). Two values a < b → b − 1
 * (all k in a..b−1 tie; the last wins): 60/180 → 179, 0/255 → 254.
 */
export function otsu(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const L = data.length;
  let S = 0;
  let N = 0;
  for (let k = 0; k < L; k++) {
    S += k * data[k]!;
    N += data[k]!;
  }
  let Sk = 0;
  let N1 = data[0]!;
  let BCV = 0;
  let BCVmax = 0;
  let kStar = 0;
  for (let k = 1; k < L - 1; k++) {
    Sk += k * data[k]!;
    N1 += data[k]!;
    const denom = N1 * (N - N1);
    if (denom !== 0) {
      const num = (N1 / N) * S - Sk;
      BCV = (num * num) / denom;
    } else BCV = 0;
    if (BCV >= BCVmax) {
      BCVmax = BCV;
      kStar = k;
    }
  }
  return kStar;
}
