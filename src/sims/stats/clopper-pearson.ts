/**
 * Clopper–Pearson (1934) exact binomial interval for a proportion k/n:
 *   lower = Beta⁻¹(α/2; k, n − k + 1)   (0 when k = 0)
 *   upper = Beta⁻¹(1 − α/2; k + 1, n − k)   (1 when k = n)
 * Used for the channel-to-total-ion ratio: conditional on the total-ion count n of the same
 * pixels, the channel count k (a subset of the same ions) is binomial when both are Poisson —
 * the standard exact conditional method. Non-integer k, n go through the continuous beta quantile.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { Interval } from './poisson-interval.js';

export function clopperPearson(k: number, n: number, level = 0.95): Interval {
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`n must be a finite number > 0, got ${n}`);
  if (!(k >= 0 && k <= n)) throw new RangeError(`k must be in [0, n], got k=${k}, n=${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const alpha = 1 - level;
  const lower = k === 0 ? 0 : betaQuantile(alpha / 2, k, n - k + 1);
  const upper = k === n ? 1 : betaQuantile(1 - alpha / 2, k + 1, n - k);
  return { lower, upper, level };
}
