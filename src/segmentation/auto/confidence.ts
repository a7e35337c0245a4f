/**
 * Separability, confidence level and the segmentation-sensitivity band of a void fraction.
 *
 * The band rule for a threshold segmentation (used by `thresholdBand`, for every global or manual
 * threshold, ImageJ methods included, without changing their threshold):
 *
 *   band = [F(t − δ), F(t + δ)],  F(x) = share of the analysed pixels on the void side of boundary x,
 *   δ = the image's noise σ (Immerkær, see noise.ts) expressed in histogram bins, at least 1 bin.
 *
 * A pixel whose grey value lies within one noise σ of the boundary cannot be assigned to either side
 * from its value alone; F over that range is how far the void fraction moves when the boundary moves
 * by what the data cannot distinguish. Where the histogram has a deep valley at t the band is narrow;
 * where t sits inside a populated flank (a minority class in the tail of the matrix) it is wide.
 * The automatic segmenter (index.ts) widens this with the spread of its two defensible boundaries when
 * the classes overlap. README.md gives the measured coverage.
 */
import type { Polarity } from '../threshold/compute.js';
import type { VoidFractionBand } from '../segmentation-types.js';

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Separability of two populations from their separation d = (μ₂ − μ₁)/√(σ₁² + σ₂²): 1 − 2·Φ(−d/2),
 * 0 for identical populations, 0.58 at d = 1.6, 0.77 at d = 2.4, 0.98 at d = 4.5, → 1 without overlap.
 */
export function separabilityFromD(d: number): number {
  if (!(d > 0)) return 0;
  return 1 - 2 * normalCdf(-d / 2);
}

/** Share of the histogram on the void side of a fractional boundary x (bins; bins ≤ x are dark-void). */
export function voidShareAt(counts: ArrayLike<number>, x: number, polarity: Polarity, total?: number): number {
  let n = total ?? 0;
  if (total === undefined) for (let b = 0; b < counts.length; b++) n += counts[b]!;
  if (n === 0) return 0;
  const B = counts.length;
  let below = 0;
  const whole = Math.floor(x);
  for (let b = 0; b <= Math.min(whole, B - 1); b++) below += counts[b]!;
  // linear share of the next bin for a fractional boundary
  const frac = x - whole;
  if (frac > 0 && whole + 1 >= 0 && whole + 1 < B) below += frac * counts[whole + 1]!;
  const dark = Math.min(1, Math.max(0, below / n));
  return polarity === 'dark' ? dark : 1 - dark;
}

/**
 * The segmentation-sensitivity band of a threshold segmentation: void fraction (0..1) over boundaries
 * t − δ … t + δ of the histogram it was computed from. `threshold` and `deltaBins` are in bins of
 * `counts` (8-bit: grey values; ImageJ 16-bit/float: the 256 bins of ThresholdResult.histogram, δ =
 * noise σ / histogram.binWidth). `observed`, when given, is always inside the band.
 */
export function thresholdBand(
  counts: ArrayLike<number>,
  threshold: number,
  polarity: Polarity,
  deltaBins: number,
  observed?: number,
): VoidFractionBand {
  const d = Math.max(1, Number.isFinite(deltaBins) ? deltaBins : 1);
  let a = voidShareAt(counts, threshold - d, polarity);
  let b = voidShareAt(counts, threshold + d, polarity);
  if (a > b) [a, b] = [b, a];
  if (observed !== undefined) {
    a = Math.min(a, observed);
    b = Math.max(b, observed);
  }
  return {
    low: a,
    high: b,
    rule: `void fraction over thresholds t ± δ, δ = ${d.toFixed(1)} histogram bins = the image's noise σ (Immerkær; at least 1 bin): pixels within one noise σ of the boundary cannot be assigned from their value`,
  };
}

/** Convert a noise σ in raster units to histogram bins of width `binWidth` (raster units per bin). */
export function noiseInBins(sigma: number, binWidth: number): number {
  return binWidth > 0 ? sigma / binWidth : 1;
}

export type ConfidenceLevel = 'high' | 'medium' | 'low';

/**
 * Level from the separation d of the void population from the phase above it and the band width:
 *  - high: d ≥ 4 and the band is narrower than max(1 pp, 20 % of the value);
 *  - low: d < 2.5, or the band is wider than max(5 pp, the value itself);
 *  - medium otherwise.
 */
export function confidenceLevel(d: number, value: number, band: VoidFractionBand): ConfidenceLevel {
  const width = band.high - band.low;
  if (!(d >= 2.5) || width > Math.max(0.05, value)) return 'low';
  if (d >= 4 && width <= Math.max(0.01, 0.2 * value)) return 'high';
  return 'medium';
}
