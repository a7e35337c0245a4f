/**
 * SEGMENTERS: one registry entry per segmenter family (SegmentSpec['method']), each turning
 * (pre-filtered raster, analysed area, its own validated spec) into a Segmentation: a label map
 * (a phase per pixel, 0 outside the area) plus the record of how it was made.
 *
 *  - global: the 17 ImageJ 1.53t AutoThresholder methods and MultiOtsu, through threshold/ as is
 *    (computeThreshold + applyThreshold: the one void rule; nothing here compares pixels);
 *  - manual: a user threshold, through threshold/ (manualThreshold + applyThreshold);
 *  - auto: the noise-aware default (auto/); local: Fiji Auto Local Threshold (local/); model: learned
 *    segmentation (learned/, loaded lazily: tfjs never loads unless a model is used). Their specs are
 *    validated once in spec.ts.
 *
 * `segment(input, spec)` dispatches. Threshold segmenters also return the ThresholdResult (bin,
 * histogram) that PorosityResult.threshold reports, and the 0/1 void mask they applied, which the
 * measurements reuse (voidMaskOf) instead of recomputing it from the label map.
 */
import { SOLID, TWO_PHASES, VOID, type LabelMap, type LabelSpacing } from '../raster/labels.js';
import { rememberVoidMask } from '../raster/void-mask.js';
import type { Roi } from '../raster/types.js';
import { applyThreshold, computeThreshold, manualThreshold, type ThresholdResult } from './threshold/index.js';
import type { Segmentation, SegmentInput } from './segmentation-types.js';
import { segmentAuto } from './auto/index.js';
import { segmentLocal } from './local/index.js';
import type { SegmentSpec } from './spec.js';
import type { AnalysisRegion } from './metrics/region.js';

/**
 * SegmentInput plus, optionally, the same area as a rectangle and a mask over it (the shape the
 * threshold code takes, and much cheaper than a full-size area mask when only a ROI is given).
 * `area` must agree with it; the segment stage makes `area` a lazy getter in that case.
 */
export interface RegionInput extends SegmentInput {
  region?: AnalysisRegion;
  /** Calibration of the label map, or null. */
  spacing?: LabelSpacing | null;
}

/** What the threshold segmenters add (additive to the Segmentation contract). */
export interface ThresholdSegmentation extends Segmentation {
  threshold: ThresholdResult;
}

export type AnySegmenter<S> = (input: RegionInput, spec: S) => Segmentation | Promise<Segmentation>;

/**
 * Two-phase label map from a 0/1 void mask (0 outside the region). The phase array is built on
 * first use: the porosity and pore measurements read the void mask the segmenter kept
 * (voidMaskOf), so a run that only measures them never pays for it (3 MB and a pass per 3-Mpx image).
 */
export function labelsFromVoids(voids: Uint8Array, width: number, height: number, region: AnalysisRegion, spacing: LabelSpacing | null): LabelMap {
  const build = (): Uint8Array => {
    const data = new Uint8Array(width * height);
    const { roi, mask } = region;
    for (let y = roi.y; y < roi.y + roi.height; y++) {
      const o = y * width;
      if (mask) {
        for (let i = o + roi.x, e = o + roi.x + roi.width; i < e; i++) if (mask[i] !== 0) data[i] = voids[i] !== 0 ? VOID : SOLID;
      } else {
        // voids is 0/1 inside the region: void 1 → VOID (1), 0 → SOLID (2).
        for (let i = o + roi.x, e = o + roi.x + roi.width; i < e; i++) data[i] = SOLID - voids[i]!;
      }
    }
    return data;
  };
  const map = {
    width,
    height,
    depth: 1,
    phases: TWO_PHASES,
    voidPhase: VOID,
    spacing,
    get data(): Uint8Array {
      const data = build();
      Object.defineProperty(this, 'data', { value: data, enumerable: true, writable: true });
      return data;
    },
  } as LabelMap;
  rememberVoidMask(map, voids);
  return map;
}

function regionOf(input: RegionInput): AnalysisRegion {
  if (input.region) return input.region;
  const { width, height } = input.raster;
  return { roi: { x: 0, y: 0, width, height }, mask: input.area };
}

function thresholdSegmentation(input: RegionInput, thr: ThresholdResult, segmenter: 'global' | 'manual', params: Record<string, unknown>): ThresholdSegmentation {
  const region = regionOf(input);
  const { raster } = input;
  const voids = applyThreshold(raster, thr.value, thr.polarity, { roi: region.roi, ...(region.mask ? { mask: region.mask } : {}) });
  const labels = labelsFromVoids(voids, raster.width, raster.height, region, input.spacing ?? null);
  return {
    labels,
    threshold: thr,
    record: {
      segmenter,
      method: thr.method,
      params,
      thresholds: thr.thresholds ? [...thr.thresholds.values] : [thr.value],
      source: thr.source,
      notes: thr.note ? [thr.note] : [],
    },
    confidence: { separability: null, level: 'medium', band: null, warnings: [] },
  };
}

export const SEGMENTERS = {
  global(input, spec) {
    const region = regionOf(input);
    const thr = computeThreshold(input.raster, {
      method: spec.name,
      roi: region.roi,
      ...(region.mask ? { mask: region.mask } : {}),
      bins: spec.bins,
      polarity: spec.voids,
    });
    return thresholdSegmentation(input, thr, 'global', { bins: spec.bins, voids: spec.voids });
  },
  manual(input, spec) {
    return thresholdSegmentation(input, manualThreshold(input.raster, spec.value, spec.voids), 'manual', { value: spec.value, voids: spec.voids });
  },
  // The noise-aware automatic segmenter (auto/README.md).
  auto: (input: RegionInput, spec: Extract<SegmentSpec, { method: 'auto' }>): Segmentation =>
    segmentAuto(input, { method: 'auto', voids: spec.voids }),
  // Fiji Auto Local Threshold (local/README.md): Fiji's parameter 0 means the method's default.
  local: (input: RegionInput, spec: Extract<SegmentSpec, { method: 'local' }>): Segmentation =>
    segmentLocal(input, { name: spec.name, radius: spec.radius, param1: spec.p1 ?? 0, param2: spec.p2 ?? 0, voids: spec.voids }),
  // Learned segmentation (learned/README.md): loaded lazily, so TensorFlow.js and the model code load
  // only when a model is used; asynchronous (the model file is read once per thread and cached).
  model: async (input: RegionInput, spec: Extract<SegmentSpec, { method: 'model' }>): Promise<Segmentation> =>
    (await import('./learned/predict.js')).segmentModel(input, { path: spec.path }),
} as const satisfies { [K in SegmentSpec['method']]: AnySegmenter<Extract<SegmentSpec, { method: K }>> };

/** Run the segmenter the spec names. */
export function segment(input: RegionInput, spec: SegmentSpec): Segmentation | Promise<Segmentation> {
  return (SEGMENTERS[spec.method] as AnySegmenter<SegmentSpec>)(input, spec);
}

export function isThresholdSegmentation(s: Segmentation): s is ThresholdSegmentation {
  return 'threshold' in s && (s as ThresholdSegmentation).threshold !== undefined;
}
