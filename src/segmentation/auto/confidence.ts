/**
 * Separability, confidence level and the segmentation-sensitivity band of a void fraction.
 *
 * The band rule for a threshold segmentation (used by `thresholdBand`, for every global or manual
 * threshold, ImageJ methods included, without changing their threshold):
 *
 *   band = [F(t − δ), F(t + δ)],  F(x) = share of the analysed pixels on the void side of boundary x,
 *   δ = the image's noise σ (Immerkær, see noise.ts) expressed in histogram bins (fractional bins are
 *   interpolated linearly; δ = 0, a noise-free image, gives a zero-width band).
 *
 * A pixel whose grey value lies within one noise σ of the boundary cannot be assigned to either side
 * from its value alone; F over that range is how far the void fraction moves when the boundary moves
 * by what the data cannot distinguish. Where the histogram has a deep valley at t the band is narrow;
 * where t sits inside a populated flank (a minority class in the tail of the matrix) it is wide.
 * The automatic segmenter (index.ts) widens this with the spread of its two defensible boundaries when
 * the classes overlap. README.md gives the measured coverage.
 */
import type { Raster } from '../../raster/types.js';
import type { Polarity } from '../threshold/compute.js';
import { binOf, histogramWithMap } from '../threshold/histogram.js';
import type { SegmentationConfidence, VoidFractionBand } from '../segmentation-types.js';
import { noiseReport, type NoiseReport } from './noise.js';

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
  const d = Math.max(0, Number.isFinite(deltaBins) ? deltaBins : 0);
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
    rule: `void fraction over thresholds t ± δ, δ = ${d.toFixed(1)} histogram bins = the image's noise σ (Immerkær): pixels within one noise σ of the boundary cannot be assigned from their value`,
  };
}

/** Convert a noise σ in raster units to histogram bins of width `binWidth` (raster units per bin). */
export function noiseInBins(sigma: number, binWidth: number): number {
  return binWidth > 0 ? sigma / binWidth : 0;
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

/**
 * The band of a threshold already computed on a raster (a `ThresholdResult` from computeThreshold,
 * manualThreshold or tryAllThresholds — the threshold itself is not changed): the histogram is rebuilt
 * with the same binning rule (`bins`, default ImageJ's), the threshold's bin is its `bin` when given,
 * else the bin of its value; δ = noise σ (`noiseSigma`, raster units; default `noiseReport(raster,
 * area).sigma`) / the histogram's bin width. `observed` (the measured void fraction) is kept inside.
 */
export function bandForThreshold(
  raster: Raster,
  area: Uint8Array | null,
  threshold: { value: number; polarity: Polarity; bin?: number | null },
  opts: { bins?: 'imagej' | number; noiseSigma?: number; observed?: number } = {},
): VoidFractionBand {
  const { hist, map } = histogramWithMap(raster, { mask: area ?? undefined, bins: opts.bins ?? 'imagej' });
  let t: number;
  if (threshold.bin !== undefined && threshold.bin !== null) t = threshold.bin;
  else if (map === null) t = Math.floor(threshold.value);
  else t = binOf(threshold.value, map);
  const sigma = opts.noiseSigma ?? noiseReport(raster, area).sigma;
  const width = hist.mode === '8-bit' ? 1 : hist.binWidth;
  return thresholdBand(hist.counts, t, threshold.polarity, noiseInBins(sigma, width), opts.observed);
}

/** One image's void fraction and its segmentation band (0..1). */
export interface BandedValue {
  value: number;
  band: VoidFractionBand | null;
}

/**
 * Group statistics that keep the two sources of uncertainty apart: the spread BETWEEN images (sample
 * SD of the values) and the SEGMENTATION band (mean of the per-image band limits, and the mean
 * half-width). They are reported side by side and never added: a difference between two groups is
 * real only if it exceeds both.
 */
export function groupBands(values: readonly BandedValue[]): {
  n: number;
  mean: number;
  sdBetweenImages: number | null;
  segmentation: { low: number; high: number; meanHalfWidth: number } | null;
} {
  const n = values.length;
  if (n === 0) return { n: 0, mean: NaN, sdBetweenImages: null, segmentation: null };
  let s = 0;
  for (const v of values) s += v.value;
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v.value - mean) ** 2;
  const sdBetweenImages = n > 1 ? Math.sqrt(ss / (n - 1)) : null;
  const banded = values.filter((v) => v.band !== null);
  if (banded.length === 0) return { n, mean, sdBetweenImages, segmentation: null };
  let lo = 0;
  let hi = 0;
  let hw = 0;
  for (const v of banded) {
    lo += v.band!.low;
    hi += v.band!.high;
    hw += (v.band!.high - v.band!.low) / 2;
  }
  const k = banded.length;
  return { n, mean, sdBetweenImages, segmentation: { low: lo / k, high: hi / k, meanHalfWidth: hw / k } };
}

/**
 * Separability, level, band and warnings for a threshold segmentation (global ImageJ method, MultiOtsu,
 * manual threshold), without changing its threshold — what the integrator attaches to every
 * non-auto result so that each porosity carries the same kind of confidence as `segmentAuto`'s.
 *  - band: `bandForThreshold` (t ± one noise σ);
 *  - separability: the histogram split at t into the void side and the rest, d = |μ₁ − μ₂|/√(σ₁² + σ₂²),
 *    1 − 2Φ(−d/2) (a crude two-class figure: a multi-phase rest inflates σ₂);
 *  - level: `confidenceLevel(d, observed, band)`;
 *  - warnings: the noise hint (`noiseReport`), and for low confidence where the boundary sits.
 */
export function thresholdConfidence(
  raster: Raster,
  area: Uint8Array | null,
  threshold: { value: number; polarity: Polarity; bin?: number | null },
  observed: number,
  opts: { bins?: 'imagej' | number; noise?: NoiseReport } = {},
): SegmentationConfidence {
  const noise = opts.noise ?? noiseReport(raster, area);
  const { hist, map } = histogramWithMap(raster, { mask: area ?? undefined, bins: opts.bins ?? 'imagej' });
  let t: number;
  if (threshold.bin !== undefined && threshold.bin !== null) t = threshold.bin;
  else if (map === null) t = Math.floor(threshold.value);
  else t = binOf(threshold.value, map);
  const width = hist.mode === '8-bit' ? 1 : hist.binWidth;
  const band = thresholdBand(hist.counts, t, threshold.polarity, noiseInBins(noise.sigma, width), observed);
  const m = [0, 0];
  const s1 = [0, 0];
  const s2 = [0, 0];
  for (let b = 0; b < hist.counts.length; b++) {
    const c = hist.counts[b]!;
    if (c === 0) continue;
    const k = b <= t ? 0 : 1;
    m[k]! += c;
    s1[k]! += c * b;
    s2[k]! += c * b * b;
  }
  let d = 0;
  if (m[0]! > 0 && m[1]! > 0) {
    const mu0 = s1[0]! / m[0]!;
    const mu1 = s1[1]! / m[1]!;
    const v0 = Math.max(0, s2[0]! / m[0]! - mu0 * mu0);
    const v1 = Math.max(0, s2[1]! / m[1]! - mu1 * mu1);
    d = Math.abs(mu1 - mu0) / Math.sqrt(Math.max(1e-12, v0 + v1));
  }
  const level = confidenceLevel(d, observed, band);
  const warnings: string[] = [];
  const pp = (x: number): string => (x * 100).toFixed(1);
  if (level === 'low') {
    warnings.push(
      `the threshold is not in a valley of the histogram: within one noise σ of it the void fraction moves over ${pp(band.low)}–${pp(band.high)} %; ` +
        'check the overlay, or try the automatic segmenter (method auto)',
    );
  }
  if (noise.recommendation) warnings.push(noise.recommendation);
  return { separability: separabilityFromD(d), level, band, warnings };
}
