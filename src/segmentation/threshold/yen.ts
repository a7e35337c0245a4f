import { DOUBLE_MIN_VALUE, intHistogram, javaResult } from './java.js';
import { cumulativeNormalised } from './max-entropy.js';

/**
 * Yen's maximum-correlation criterion (Yen, Chang & Chang 1995), as in ImageJ 1.53t
 * `AutoThresholder.Yen` (Landini's port of Celebi's code).
 *
 * ImageJ quirk kept: the running maximum starts at Double.MIN_VALUE (smallest positive
 * double), so histograms whose criterion is never positive give -1 → 0: all-zero, one grey
 * value, and two-value histograms (60/180 → 0, 0/255 → 0).
 *
 * Known limit: on a two-valued histogram the criterion is analytically 0, so the result hangs
 * on the last bit of ln(); ImageJ's Math.log (HotSpot intrinsic) and JavaScript's (fdlibm =
 * StrictMath) can then disagree (2 of 4000 random histograms in a soak test).
 */
export function yen(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const { norm, p1 } = cumulativeNormalised(data);
  const p1Sq = new Float64Array(n);
  const p2Sq = new Float64Array(n);
  p1Sq[0] = norm[0]! * norm[0]!;
  for (let ih = 1; ih < n; ih++) p1Sq[ih] = p1Sq[ih - 1]! + norm[ih]! * norm[ih]!;
  p2Sq[n - 1] = 0.0;
  for (let ih = n - 2; ih >= 0; ih--) p2Sq[ih] = p2Sq[ih + 1]! + norm[ih + 1]! * norm[ih + 1]!;
  let threshold = -1;
  let maxCrit = DOUBLE_MIN_VALUE;
  for (let it = 0; it < n; it++) {
    const a = p1Sq[it]! * p2Sq[it]!;
    const b = p1[it]! * (1.0 - p1[it]!);
    const crit = -1.0 * (a > 0.0 ? Math.log(a) : 0.0) + 2 * (b > 0.0 ? Math.log(b) : 0.0);
    if (crit > maxCrit) {
      maxCrit = crit;
      threshold = it;
    }
  }
  return javaResult(threshold);
}
