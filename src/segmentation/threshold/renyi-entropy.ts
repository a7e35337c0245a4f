import { d2i, intHistogram } from './java.js';
import { cumulativeNormalised, entropyRange, shannonEntropyAt } from './max-entropy.js';

/**
 * Rényi entropy thresholding (Kapur, Sahoo & Wong 1985), as in ImageJ 1.53t
 * `AutoThresholder.RenyiEntropy`: the maximum-entropy thresholds for α = 0.5, 1 and 2 are
 * sorted (t1 ≤ t2 ≤ t3), weighted by β values chosen from their spacing (≤ 5 levels apart),
 * and combined as (int)(t1·(P1[t1] + ¼ωβ1) + ¼·t2·ω·β2 + t3·(P2[t3] + ¼ωβ3)), ω = P1[t3] − P1[t1].
 * O(bins²).
 *
 * Degenerate histograms (as ImageJ; each partial search starts at 0, not MIN_INT): one grey
 * value or all-zero → 0; two values: 60 (300 px) / 180 (700 px) → 0, 60 (700) / 180 (300) → 28.
 */
export function renyiEntropy(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const { norm, p1, p2 } = cumulativeNormalised(data);
  const { firstBin, lastBin } = entropyRange(p1, p2);

  // α = 1: maximum entropy
  let threshold = 0;
  let maxEnt = 0.0;
  for (let it = firstBin; it <= lastBin; it++) {
    const totEnt = shannonEntropyAt(data, norm, p1, p2, it);
    if (maxEnt < totEnt) {
      maxEnt = totEnt;
      threshold = it;
    }
  }
  let tStar2 = threshold;

  // α = 0.5
  threshold = 0;
  maxEnt = 0.0;
  let alpha = 0.5;
  let term = 1.0 / (1.0 - alpha);
  for (let it = firstBin; it <= lastBin; it++) {
    let entBack = 0.0;
    const P1 = p1[it]!;
    for (let ih = 0; ih <= it; ih++) entBack += Math.sqrt(norm[ih]! / P1);
    let entObj = 0.0;
    const P2 = p2[it]!;
    for (let ih = it + 1; ih < n; ih++) entObj += Math.sqrt(norm[ih]! / P2);
    const totEnt = term * (entBack * entObj > 0.0 ? Math.log(entBack * entObj) : 0.0);
    if (totEnt > maxEnt) {
      maxEnt = totEnt;
      threshold = it;
    }
  }
  let tStar1 = threshold;

  // α = 2
  threshold = 0;
  maxEnt = 0.0;
  alpha = 2.0;
  term = 1.0 / (1.0 - alpha);
  for (let it = firstBin; it <= lastBin; it++) {
    let entBack = 0.0;
    const P1 = p1[it]!;
    for (let ih = 0; ih <= it; ih++) entBack += (norm[ih]! * norm[ih]!) / (P1 * P1);
    let entObj = 0.0;
    const P2 = p2[it]!;
    for (let ih = it + 1; ih < n; ih++) entObj += (norm[ih]! * norm[ih]!) / (P2 * P2);
    const totEnt = term * (entBack * entObj > 0.0 ? Math.log(entBack * entObj) : 0.0);
    if (totEnt > maxEnt) {
      maxEnt = totEnt;
      threshold = it;
    }
  }
  let tStar3 = threshold;

  // sort t_star values
  let tmp: number;
  if (tStar2 < tStar1) {
    tmp = tStar1;
    tStar1 = tStar2;
    tStar2 = tmp;
  }
  if (tStar3 < tStar2) {
    tmp = tStar2;
    tStar2 = tStar3;
    tStar3 = tmp;
  }
  if (tStar2 < tStar1) {
    tmp = tStar1;
    tStar1 = tStar2;
    tStar2 = tmp;
  }
  let beta1: number;
  let beta2: number;
  let beta3: number;
  if (Math.abs(tStar1 - tStar2) <= 5) {
    if (Math.abs(tStar2 - tStar3) <= 5) {
      beta1 = 1;
      beta2 = 2;
      beta3 = 1;
    } else {
      beta1 = 0;
      beta2 = 1;
      beta3 = 3;
    }
  } else if (Math.abs(tStar2 - tStar3) <= 5) {
    beta1 = 3;
    beta2 = 1;
    beta3 = 0;
  } else {
    beta1 = 1;
    beta2 = 2;
    beta3 = 1;
  }
  const omega = p1[tStar3]! - p1[tStar1]!;
  const opt = d2i(
    tStar1 * (p1[tStar1]! + 0.25 * omega * beta1) + 0.25 * tStar2 * omega * beta2 + tStar3 * (p2[tStar3]! + 0.25 * omega * beta3),
  );
  return opt === -1 ? 0 : opt;
}
