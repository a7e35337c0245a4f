/**
 * Pre-filters: a registry keyed by `Prefilter['kind']`, each an exact ImageJ filter (wrapped, not
 * re-implemented: filters/median.ts, filters/gaussian.ts; Subtract Background:
 * filters/subtract-background.ts). `applyPrefilters` cuts the data-bar rows off first (a view, not a
 * copy) and applies the spec's filters in order; every filter applied is recorded (AppliedFilter),
 * and the records reach every result and the report tables.
 */
import type { Raster } from '../raster/types.js';
import { VoidscopeError } from '../errors.js';
import { imagejGaussianBlur, imagejGaussianAccuracy } from './filters/gaussian.js';
import { circularKernel, medianFilter } from './filters/median.js';
import { describeBackground, subtractBackground, SUBTRACT_BACKGROUND_SOURCE } from './filters/subtract-background.js';
import type { Prefilter } from './spec.js';
import type { AppliedFilter } from './types.js';

/** One pre-filter: raster in, raster out, plus the record of what was done. */
export type PrefilterFn<P extends Prefilter> = (raster: Raster, p: P, into?: Uint8Array) => { raster: Raster; applied: AppliedFilter };

export const PREFILTERS = {
  median(raster, p) {
    const k = circularKernel(p.radius);
    return {
      raster: medianFilter(raster, p.radius),
      applied: {
        name: 'median',
        radiusPx: p.radius,
        kernelPixels: k.nPoints,
        note: `ImageJ RankFilters median, circular kernel of ${k.nPoints} px, edge pixels replicated`,
      },
    };
  },
  gaussian(raster: Raster, p: Extract<Prefilter, { kind: 'gaussian' }>, into?: Uint8Array) {
    const accuracy = imagejGaussianAccuracy(raster.bitDepth, raster.sampleFormat);
    const out = imagejGaussianBlur(raster, p.sigma, { accuracy, ...(into ? { into: into.subarray(0, raster.width * raster.height) } : {}) });
    return {
      raster: out,
      applied: {
        name: 'gaussian',
        sigmaPx: p.sigma,
        accuracy,
        note:
          'ImageJ GaussianBlur kernel (accuracy ' + accuracy + ', edge-corrected), separable, edge pixels replicated' +
          (p.sigma > 8.5 ? '; ImageJ would downscale for sigma > 8.5 (values may differ by a fraction of a grey level)' : ''),
      },
    };
  },
  background(raster: Raster, p: Extract<Prefilter, { kind: 'background' }>) {
    const spec = { radius: p.radius, light: p.light, paraboloid: p.paraboloid, noSmoothing: p.noSmoothing, correctCorners: true };
    return {
      raster: subtractBackground(raster, spec),
      applied: { name: 'background', radiusPx: p.radius, note: `${describeBackground(spec)}; ${SUBTRACT_BACKGROUND_SOURCE}, exact` },
    };
  },
} as const satisfies { [K in Prefilter['kind']]: PrefilterFn<Extract<Prefilter, { kind: K }>> };

/**
 * Crop to the micrograph rows, then apply the pre-filters in order. `gaussianInto`: an 8-bit
 * output buffer the Gaussian may write into (analyzePorosity's per-thread pool).
 */
export function applyPrefilters(
  raster: Raster,
  micrographRows: number,
  prefilters: readonly Prefilter[],
  gaussianInto?: Uint8Array,
): { raster: Raster; filters: AppliedFilter[] } {
  const { width, height } = raster;
  // The data bar is a band of whole rows at the bottom: the micrograph is a view, not a copy.
  let work: Raster = micrographRows < height ? { ...raster, height: micrographRows, data: raster.data.subarray(0, width * micrographRows) } : raster;
  const filters: AppliedFilter[] = [];
  for (const p of prefilters) {
    const step = (PREFILTERS[p.kind] as PrefilterFn<Prefilter>)(work, p, p.kind === 'gaussian' ? gaussianInto : undefined);
    work = step.raster;
    filters.push(step.applied);
  }
  if (filters.length > 0 && micrographRows < height) {
    filters[filters.length - 1]!.note += '; only the micrograph rows were filtered (data bar cut off first)';
  }
  return { raster: work, filters };
}

/** One line per filter for tables: "median r 2 px → Gaussian σ 1 px" ("none" when empty). */
export function describeFilters(filters: readonly AppliedFilter[]): string {
  if (filters.length === 0) return 'none';
  return filters
    .map((f) =>
      f.name === 'gaussian' ? `Gaussian σ ${f.sigmaPx} px` : f.name === 'median' ? `median r ${f.radiusPx} px` : `background r ${f.radiusPx} px`,
    )
    .join(' → ');
}
