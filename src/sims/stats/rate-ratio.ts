/**
 * Ratio of two Poisson rates with an exact conditional interval.
 * Map A: kA counts over exposure eA (pixels or µm²); reference B: kB over eB.
 * Conditional on m = kA + kB, kA ~ Binomial(m, π) with π = eA·R / (eA·R + eB), R = rateA/rateB.
 * A Clopper–Pearson interval [πL, πU] for π maps to R = π/(1 − π) · eB/eA
 * (Lehmann & Romano, Testing Statistical Hypotheses, §4.6; Breslow & Day vol. II §2.2).
 * Counting noise only: it says whether the two maps' mean intensities differ by more than
 * Poisson noise, not how much samples vary between preparations.
 */
import chisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import { clopperPearson } from './clopper-pearson.js';

export interface RatioWithInterval {
  value: number;
  lower: number;
  upper: number;
  level: number;
  method: string;
}

export function poissonRateRatio(kA: number, eA: number, kB: number, eB: number, level = 0.95): RatioWithInterval {
  if (!(eA > 0 && eB > 0)) throw new RangeError('exposures must be > 0');
  if (!(kA >= 0 && kB >= 0)) throw new RangeError('counts must be ≥ 0');
  const method = 'exact conditional binomial (Clopper–Pearson on countsA out of countsA+countsB), rates = counts / exposure';
  const m = kA + kB;
  const value = kB === 0 ? (kA === 0 ? NaN : Infinity) : kA / eA / (kB / eB);
  if (m === 0) return { value, lower: 0, upper: Infinity, level, method };
  const p = clopperPearson(kA, m, level);
  const toR = (pi: number) => (pi >= 1 ? Infinity : (pi / (1 - pi)) * (eB / eA));
  return { value, lower: toR(p.lower), upper: toR(p.upper), level, method };
}

/**
 * Ratio of two proportions (e.g. Li⁺/total-ion of map A over that of map B) with the
 * Katz log interval: exp(ln RR ± z·√(1/kA − 1/nA + 1/kB − 1/nB)). Approximate (large-count);
 * undefined (null) when a count is zero.
 */
export function proportionRatioKatz(kA: number, nA: number, kB: number, nB: number, level = 0.95): RatioWithInterval | null {
  if (kA <= 0 || kB <= 0 || nA <= 0 || nB <= 0) return null;
  const z = normalQuantile(1 - (1 - level) / 2);
  const rr = kA / nA / (kB / nB);
  const se = Math.sqrt(Math.max(0, 1 / kA - 1 / nA + 1 / kB - 1 / nB));
  return {
    value: rr,
    lower: rr * Math.exp(-z * se),
    upper: rr * Math.exp(z * se),
    level,
    method: 'Katz log interval for a ratio of two binomial proportions (approximate, large counts)',
  };
}

/** Standard normal quantile via the χ²(1) quantile: z_p = √χ²(2p − 1; 1) for p ≥ ½. */
export function normalQuantile(p: number): number {
  if (p === 0.5) return 0;
  const z = Math.sqrt(chisquareQuantile(Math.abs(2 * p - 1), 1));
  return p > 0.5 ? z : -z;
}
