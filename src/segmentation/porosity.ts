/**
 * SEM porosity: void fraction and pores of a cross-section image.
 *
 *  - `measurePorosity(raster, options)` — pure: data-bar rows excluded → pre-filters (background,
 *    median, Gaussian) → segmentation (auto, a global method, manual, local; learned models through the
 *    async chain) → void fraction with its band → pores.
 *  - `analyzePorosity(file, options)` — the file edge, in analyze.ts.
 *
 * measurePorosity is the stage chain: parseAnalysisSpec (spec.ts, unless given a parsed spec) →
 * resolveAnalysisArea (area.ts) → applyPrefilters (prefilter.ts) → SEGMENTERS (segment.ts) →
 * METRICS (metrics/registry.ts) → the PorosityResult (types.ts).
 *
 * Convention (stated in every result): the threshold t is what the method returns for the
 * histogram of the analysed region; with dark voids (default) void ⇔ pixel ≤ t, which is
 * ImageJ's `setAutoThreshold(method)` without "dark" (selects 0..t); with bright voids
 * void ⇔ pixel > t.
 *
 * Default segmentation: the automatic segmenter (auto/README.md: noise-aware, the number of grey-level
 * classes from the data, the void class only where it is a distinct dark population, with a band and a
 * confidence level). On dense electrodes every global split lands inside the noisy matrix (the real
 * LLZO–LCO cathode: MultiOtsu 33 %, ImageJ's methods 50–75 %, auto 6.8 %, by eye 5–9 %). Any of
 * ImageJ's 17 methods (exact ImageJ thresholds) or MultiOtsu can be chosen with `method`; every
 * threshold result also gets a band (auto/confidence.ts thresholdConfidence) without changing t.
 */
import { basename } from 'node:path';

import type { PixelSize, Raster, Roi } from '../raster/types.js';
import { VoidscopeError } from '../errors.js';
import { VERSION } from '../version.js';
import { tryAllThresholds, voidRule, type ThresholdResult } from './threshold/index.js';
import type { DatabarInfo } from './metadata/index.js';
import { areaMask, resolveAnalysisArea } from './area.js';
import { thresholdConfidence } from './auto/confidence.js';
import { applyPrefilters } from './prefilter.js';
import { isThresholdSegmentation, segment, type RegionInput } from './segment.js';
import { regionPixelCount } from './metrics/region.js';
import { METRICS } from './metrics/registry.js';
import { voidMaskOf } from '../raster/void-mask.js';
import { phaseCounts, type LabelMap } from '../raster/labels.js';
import {
  DEFAULT_POROSITY_METHOD,
  isAnalysisSpec,
  parseAnalysisSpec,
  specVoids,
  type AnalysisOptions,
  type AnalysisSpec,
  type MinPoreSize,
  type ParseSpecOptions,
} from './spec.js';
import type { AppliedFilter, PorosityDetail, PorosityResult, ThresholdsResult } from './types.js';
import type { Segmentation, SegmentationConfidence } from './segmentation-types.js';

export { DEFAULT_POROSITY_METHOD, type MinPoreSize };

/**
 * Options of analyzePorosity: the flat analysis options (spec.ts: method, threshold, voids, roi,
 * mask, gaussian, median, pixelSize, minPore, bins, keepDatabar, page, maxPixels, overlay,
 * voidMask, …) with, for library calls, an in-memory mask.
 */
export interface PorosityOptions extends Omit<AnalysisOptions, 'mask'> {
  /** Analysis mask, same size as the image (non-zero = analysed): a path, a Uint8Array or a raster. */
  mask?: Uint8Array | Raster | string;
}

/** Options of the pure `measurePorosity` (no file paths). */
export interface MeasureOptions extends Omit<AnalysisOptions, 'mask' | 'overlay' | 'voidMask' | 'page' | 'maxPixels' | 'pixelSize'> {
  mask?: Uint8Array | Raster;
  /** Pixel size: a number (µm/px, source "user") or a PixelSize; default the raster's own `pixelSize`. */
  pixelSize?: number | PixelSize | null;
  /** Data-bar rows at the bottom (from readSemMetadata); excluded unless keepDatabar. */
  databar?: DatabarInfo | null;
}

/** In-memory inputs of a measurement that are not part of the (plain-JSON) spec. */
export interface MeasureInputs {
  mask?: Uint8Array | Raster;
  /** A PixelSize from metadata (wins over raster.pixelSize; spec.pixelSize wins over both), or null = uncalibrated. */
  pixelSize?: PixelSize | null;
  databar?: DatabarInfo | null;
}

export interface MeasureContext {
  file?: string | null;
  page?: number | undefined;
  maskSource?: string;
  warnings?: string[];
  labels?: boolean;
  /** Reuse these buffers for the label image / the Gaussian output (see analyzePorosity). */
  labelsInto?: Int32Array;
  filterInto?: Uint8Array;
}

const PURE_REFUSED: ParseSpecOptions['refuse'] = {
  overlay: 'is an output file: use analyzePorosity',
  voidMask: 'is an output file: use analyzePorosity',
  page: 'applies to reading a file: use analyzePorosity',
  maxPixels: 'applies to reading a file: use analyzePorosity',
};

/** Split library options into the plain-JSON spec and the in-memory inputs. */
export function splitMeasureOptions(options: MeasureOptions | AnalysisSpec, refuse: ParseSpecOptions['refuse'] = PURE_REFUSED): { spec: AnalysisSpec; inputs: MeasureInputs } {
  if (isAnalysisSpec(options)) return { spec: options, inputs: {} };
  if (options === null || typeof options !== 'object') throw new VoidscopeError('EOPTION', 'porosity options must be an object');
  const { mask, databar, pixelSize, ...rest } = options;
  const flat: Record<string, unknown> = { ...rest };
  const inputs: MeasureInputs = {};
  if (typeof pixelSize === 'number' || (pixelSize !== undefined && pixelSize !== null && typeof pixelSize !== 'object')) flat.pixelSize = pixelSize;
  else if (pixelSize !== undefined) inputs.pixelSize = pixelSize;
  if (typeof mask === 'string') throw new VoidscopeError('EOPTION', 'mask: a mask file needs analyzePorosity; measurePorosity takes a Uint8Array or a raster');
  if (mask !== undefined) inputs.mask = mask;
  if (databar !== undefined) inputs.databar = databar;
  return { spec: parseAnalysisSpec(flat, { refuse }), inputs };
}

/** Measure porosity of an in-memory raster. Pure. See AnalysisOptions for defaults. */
export function measurePorosity(raster: Raster, options: MeasureOptions | AnalysisSpec = {}): PorosityResult {
  return measurePorosityDetailed(raster, options, { labels: false }).result;
}

/** measurePorosity plus the label map, void mask, pore labels and filtered raster (for overlays and tests). */
export function measurePorosityDetailed(raster: Raster, options: MeasureOptions | AnalysisSpec = {}, context: MeasureContext = {}): PorosityDetail {
  const { spec, inputs } = splitMeasureOptions(options);
  return runPorosityStages(raster, spec, inputs, context);
}

/** The stage chain: area → pre-filters → segment → measure → result (synchronous segmenters). */
export function runPorosityStages(raster: Raster, spec: AnalysisSpec, inputs: MeasureInputs, context: MeasureContext = {}): PorosityDetail {
  const prep = prepareStages(raster, spec, inputs, context);
  const seg = segment(prep.input, spec.segment);
  if (seg instanceof Promise) {
    seg.catch(() => undefined);
    throw new VoidscopeError('EUNSUPPORTED', `segmenter ${spec.segment.method} is asynchronous: use analyzePorosity or runPorosityStagesAsync`, prep.where);
  }
  return finishStages(raster, spec, prep, seg, context);
}

/** runPorosityStages for any segmenter, asynchronous ones (learned models) included. */
export async function runPorosityStagesAsync(raster: Raster, spec: AnalysisSpec, inputs: MeasureInputs, context: MeasureContext = {}): Promise<PorosityDetail> {
  const prep = prepareStages(raster, spec, inputs, context);
  return finishStages(raster, spec, prep, await segment(prep.input, spec.segment), context);
}

interface Prepared {
  warnings: string[];
  where: { file?: string };
  area: ReturnType<typeof resolveAnalysisArea>;
  region: { roi: Roi; mask: Uint8Array | null };
  work: Raster;
  filters: AppliedFilter[];
  pixelSize: PixelSize | null;
  pxArea: number;
  input: RegionInput;
}

/** Stages 1–2 and the calibration: area, pre-filters, and the segmenter's input. */
function prepareStages(raster: Raster, spec: AnalysisSpec, inputs: MeasureInputs, context: MeasureContext): Prepared {
  const warnings = [...(context.warnings ?? [])];
  const where = context.file ? { file: context.file } : {};
  const { width, height } = raster;
  if (!(width > 0 && height > 0) || raster.data.length !== width * height) {
    throw new VoidscopeError('ECORRUPT', `raster is ${width}x${height} but holds ${raster.data.length} pixels`, where);
  }
  if (spec.area.mask !== null && inputs.mask === undefined) {
    throw new VoidscopeError('EOPTION', `mask: the mask file ${spec.area.mask} is read by analyzePorosity; measurePorosity takes a Uint8Array or a raster`);
  }

  // 1. Area.
  const area = resolveAnalysisArea(
    raster,
    { ...(spec.area.roi ? { roi: spec.area.roi } : {}), ...(inputs.mask !== undefined ? { mask: inputs.mask } : {}), databar: inputs.databar ?? null, keepDatabar: spec.area.keepDatabar },
    warnings,
  );
  const region = { roi: area.roi, mask: area.mask };

  // 2. Pre-filters (on the micrograph rows).
  const { raster: work, filters } = applyPrefilters(raster, area.micrographRows, spec.prefilters, context.filterInto);

  // Calibration.
  let pixelSize: PixelSize | null;
  if (spec.pixelSize !== null) pixelSize = { value: spec.pixelSize, unit: 'µm', source: 'user' };
  else if (inputs.pixelSize === null) pixelSize = null;
  else pixelSize = inputs.pixelSize ?? raster.pixelSize ?? null;
  const pxArea = pixelSize ? pixelSize.value * (pixelSize.valueY ?? pixelSize.value) : 1;

  // 3. Segment.
  const input: RegionInput = {
    raster: work,
    get area(): Uint8Array | null {
      const a = areaMask(area, width);
      Object.defineProperty(this, 'area', { value: a });
      return a;
    },
    region,
    spacing: pixelSize ? { x: pixelSize.value, y: pixelSize.valueY ?? pixelSize.value, unit: 'µm', source: pixelSize.source } : null,
  };
  return { warnings, where, area, region, work, filters, pixelSize, pxArea, input };
}

/** Area fraction of every phase of a label map over the analysed pixels (label 0 = outside, not counted). */
function phaseFractions(labels: LabelMap, analysedPixels: number): NonNullable<PorosityResult['phases']> {
  const counts = phaseCounts(labels);
  return labels.phases.map((p) => {
    const pixels = counts[p.id] ?? 0;
    return { id: p.id, name: p.name, void: p.id === labels.voidPhase, pixels, fraction: pixels / analysedPixels, percent: (pixels / analysedPixels) * 100 };
  });
}

/** Stages 4–5: measurements on the label map, and the result. */
function finishStages(raster: Raster, spec: AnalysisSpec, prep: Prepared, segmentation: Segmentation, context: MeasureContext): PorosityDetail {
  const { warnings, where, area, region, work, filters, pixelSize, pxArea } = prep;
  const { width, height } = raster;
  const { roi, databar } = area;
  const mask = area.mask;
  // Threshold segmenters report their ThresholdResult; the others (local, model, an auto segmenter
  // without one global threshold) report their record: its first threshold, or none (NaN → null in JSON).
  const rec = segmentation.record;
  const isThr = isThresholdSegmentation(segmentation);
  const thr: Pick<ThresholdResult, 'bin' | 'histogram' | 'value' | 'thresholds' | 'note'> & { method: string; source: string } = isThr
    ? segmentation.threshold
    : {
        method: rec.method,
        source: rec.source,
        value: rec.thresholds[0] ?? Number.NaN,
        bin: null,
        histogram: null,
        ...(rec.thresholds.length > 1 ? { thresholds: { bins: [], values: [...rec.thresholds] } } : {}),
        ...(rec.notes.length ? { note: rec.notes.join('; ') } : {}),
      };
  const voids = specVoids(spec.segment);

  // Minimum pore size in pixels.
  let minAreaPx: number;
  if (spec.minPore.unit === 'px') minAreaPx = Math.ceil(spec.minPore.value - 1e-9);
  else {
    if (!pixelSize) {
      throw new VoidscopeError('EOPTION', `a minimum pore size in µm² needs a calibration: give a pixel size (--pixel-size) or use px`, where);
    }
    minAreaPx = Math.ceil(spec.minPore.value / pxArea - 1e-9);
  }

  // 4. Measure.
  const analysedPixels = regionPixelCount(region, width);
  if (analysedPixels === 0) {
    throw new VoidscopeError('EEMPTY', 'the analysed region (ROI ∩ mask) contains no pixels', where);
  }
  // The labelling visits every void pixel of the region once, so it also gives the void count.
  const poresM = METRICS.pores(segmentation.labels, region, {
    pixelSize,
    minAreaPx,
    analysedPixels,
    labels: context.labels !== false,
    ...(context.labelsInto ? { labelsInto: context.labelsInto } : {}),
  });
  const labelled = poresM.labelled;
  const count = METRICS.porosity(segmentation.labels, region, { pixelSize, minAreaPx, voidPixels: labelled.voidPixels, analysedPixels });
  const pores = poresM.summary;
  const keptVoid = count.voidPixels - labelled.speckPixels;

  if (count.voidPixels === 0) warnings.push(isThr ? `no void pixels at threshold ${thr.value}` : `no void pixels in the ${rec.method} segmentation`);
  if (count.voidFraction > 0.5) {
    warnings.push(
      `void fraction ${(count.voidFraction * 100).toFixed(1)} % > 50 %: check the threshold (a two-class method on a 3-phase image selects matrix as void)`,
    );
  }
  if (thr.note) warnings.push(thr.note);
  // Every porosity carries its segmentation-sensitivity band. The auto segmenter (and a learned
  // model) estimate theirs; for a threshold (ImageJ method, MultiOtsu, manual) the band is the void
  // fraction with the threshold moved by ± one noise σ of the analysed image (auto/README.md), and
  // the threshold itself is never changed.
  const conf: SegmentationConfidence = isThr
    ? thresholdConfidence(
        work,
        prep.input.area,
        { value: thr.value, polarity: voids, bin: thr.bin },
        count.voidFraction,
        { bins: spec.segment.method === 'global' ? spec.segment.bins : 'imagej' },
      )
    : segmentation.confidence;
  const reportConfidence = isThr || conf.band !== null || conf.level === 'low' || conf.warnings.length > 0;
  if (reportConfidence) warnings.push(...conf.warnings);

  const result: PorosityResult = {
    file: context.file ?? null,
    width,
    height,
    bitDepth: raster.bitDepth,
    ...(context.page !== undefined ? { page: context.page } : {}),
    roi,
    mask: mask ? { source: context.maskSource ?? 'in-memory mask' } : null,
    databar,
    method: thr.method,
    threshold: {
      value: thr.value,
      bin: thr.bin,
      histogram: thr.histogram,
      source: thr.source,
      ...(thr.thresholds ? { allValues: thr.thresholds.values } : {}),
      ...(thr.note ? { note: thr.note } : {}),
    },
    polarity: voids,
    convention: isThr
      ? `${voidRule(thr.value, voids)} (${voids} voids)` +
        (voids === 'dark' ? "; = ImageJ setAutoThreshold(method) without 'dark', which selects 0..t" : "; = ImageJ's 'dark' selection for 8-bit")
      : `void = the "${segmentation.labels.phases.find((p) => p.id === segmentation.labels.voidPhase)?.name ?? 'void'}" phase of the ${rec.method} segmentation (${rec.segmenter})`,
    voidFraction: count.voidFraction,
    porosityPercent: count.voidFraction * 100,
    voidPixels: count.voidPixels,
    analysedPixels: count.analysedPixels,
    voidFractionExcludingSpecks: keptVoid / count.analysedPixels,
    porosityPercentExcludingSpecks: (keptVoid / count.analysedPixels) * 100,
    pixelSize: pixelSize
      ? { value: pixelSize.value, ...(pixelSize.valueY !== undefined ? { valueY: pixelSize.valueY } : {}), unit: 'µm', source: pixelSize.source }
      : null,
    filters,
    minPore: { value: spec.minPore.value, unit: spec.minPore.unit, pixels: minAreaPx },
    pores,
    warnings,
    voidscopeVersion: VERSION,
    segmentation: segmentation.record,
    ...(reportConfidence ? { confidence: conf } : {}),
    ...(rec.segmenter === 'model' || segmentation.labels.phases.length > 2 ? { phases: phaseFractions(segmentation.labels, count.analysedPixels) } : {}),
  };
  return { result, analysed: work, voids: voidMaskOfSeg(segmentation), labels: labelled.labels ?? null, regionMask: mask ?? null, segmentation };
}

// ---------------------------------------------------------------------------------------------
// every method ("Try all")

/** Options of analyzeThresholds / measureAllThresholds: the area, pre-filters and histogram options. */
export interface ThresholdsOptions {
  roi?: AnalysisOptions['roi'];
  mask?: Uint8Array | Raster | string;
  voids?: AnalysisOptions['voids'];
  bins?: AnalysisOptions['bins'];
  gaussian?: number;
  median?: number;
  background?: AnalysisOptions['background'];
  keepDatabar?: boolean;
  page?: number;
  maxPixels?: number;
}

const SEGMENT_REFUSED = 'does not apply: thresholds runs every method';
export const THRESHOLDS_REFUSED: ParseSpecOptions['refuse'] = {
  method: SEGMENT_REFUSED,
  threshold: SEGMENT_REFUSED,
  local: SEGMENT_REFUSED,
  model: SEGMENT_REFUSED,
  minPore: 'does not apply to thresholds',
  pixelSize: 'does not apply to thresholds',
  overlay: 'does not apply to thresholds',
  voidMask: 'does not apply to thresholds',
};

/** Every threshold method on one raster, like ImageJ's "Try all" (pure). */
export function measureAllThresholds(
  raster: Raster,
  options: (Omit<ThresholdsOptions, 'mask' | 'page' | 'maxPixels'> & { mask?: Uint8Array | Raster; databar?: DatabarInfo | null }) | AnalysisSpec = {},
  context: { file?: string | null; maskSource?: string; warnings?: string[] } = {},
): ThresholdsResult {
  const { spec, inputs } = splitMeasureOptions(options as MeasureOptions, { ...PURE_REFUSED, ...THRESHOLDS_REFUSED });
  return runThresholdsStages(raster, spec, inputs, context);
}

/** area → pre-filters → every global method (tryAllThresholds). */
export function runThresholdsStages(
  raster: Raster,
  spec: AnalysisSpec,
  inputs: MeasureInputs,
  context: { file?: string | null; maskSource?: string; warnings?: string[] } = {},
): ThresholdsResult {
  const warnings = [...(context.warnings ?? [])];
  const area = resolveAnalysisArea(
    raster,
    { ...(spec.area.roi ? { roi: spec.area.roi } : {}), ...(inputs.mask !== undefined ? { mask: inputs.mask } : {}), databar: inputs.databar ?? null, keepDatabar: spec.area.keepDatabar },
    warnings,
  );
  const { raster: work, filters } = applyPrefilters(raster, area.micrographRows, spec.prefilters);
  const voids = specVoids(spec.segment);
  const bins = spec.segment.method === 'global' ? spec.segment.bins : 'imagej';
  const all = tryAllThresholds(work, { roi: area.roi, ...(area.mask ? { mask: area.mask } : {}), bins, polarity: voids });
  return {
    file: context.file ?? null,
    width: raster.width,
    height: raster.height,
    bitDepth: raster.bitDepth,
    roi: area.roi,
    mask: area.mask ? { source: context.maskSource ?? 'in-memory mask' } : null,
    databar: area.databar,
    polarity: voids,
    histogram: all.histogram,
    analysedPixels: all.pixels,
    convention: voids === 'dark' ? 'void = pixel <= t (dark voids)' : 'void = pixel > t (bright voids)',
    filters,
    methods: all.methods.map((m) => ({
      method: m.method,
      threshold: m.value,
      bin: m.bin,
      voidPixels: m.voidPixels,
      voidFraction: m.voidFraction,
      porosityPercent: m.voidFraction * 100,
      ...(m.note ? { note: m.note } : {}),
    })),
    warnings,
    voidscopeVersion: VERSION,
  };
}

function voidMaskOfSeg(s: Segmentation): Uint8Array {
  return voidMaskOf(s.labels);
}

/**
 * Validate porosity options without an image (throws EOPTION naming the option). Kept for
 * callers of the earlier API; it is parseAnalysisSpec.
 */
export function validatePorosityOptions(o: PorosityOptions | MeasureOptions): AnalysisSpec {
  return splitMeasureOptions({ ...(o as MeasureOptions), mask: undefined }, {}).spec;
}

export type { AppliedFilter, PorosityDetail, PorosityResult, ThresholdsResult } from './types.js';
