import { DOUBLE_MAX_VALUE, intHistogram, javaResult } from './java.js';
import { cumulativeNormalised, entropyRange } from './max-entropy.js';

/**
 * Shanbhag's information-measure thresholding (1994), as in ImageJ 1.53t
 * `AutoThresholder.Shanbhag` (Landini's port of Celebi's code): minimises
 * |ent_back − ent_obj|. O(bins²).
 *
 * Degenerate histograms (as ImageJ): one grey value → 0 (all measures NaN, -1 → 0);
 * all-zero → 0; two values a < b → a (60/180 → 60).
 */
export function shanbhag(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const { norm, p1, p2 } = cumulativeNormalised(data);
  const { firstBin, lastBin } = entropyRange(p1, p2);
  let threshold = -1;
  let minEnt = DOUBLE_MAX_VALUE;
  for (let it = firstBin; it <= lastBin; it++) {
    let entBack = 0.0;
    let term = 0.5 / p1[it]!;
    for (let ih = 1; ih <= it; ih++) entBack -= norm[ih]! * Math.log(1.0 - term * p1[ih - 1]!);
    entBack *= term;
    let entObj = 0.0;
    term = 0.5 / p2[it]!;
    for (let ih = it + 1; ih < n; ih++) entObj -= norm[ih]! * Math.log(1.0 - term * p2[ih]!);
    entObj *= term;
    const totEnt = Math.abs(entBack - entObj);
    if (totEnt < minEnt) {
      minEnt = totEnt;
      threshold = it;
    }
  }
  return javaResult(threshold);
}
