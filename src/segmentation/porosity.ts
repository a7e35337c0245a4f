/**
 * SEM porosity: void fraction and pores of a cross-section image.
 *
 *  - `measurePorosity(raster, options)` — pure: data-bar rows excluded → optional median →
 *    optional Gaussian → threshold (automatic method or manual) → void fraction → pores.
 *  - `analyzePorosity(file, options)` — the edge: readImage → readSemMetadata (pixel size:
 *    the user's `pixelSize` wins; the data bar is excluded unless `keepDatabar`) → analysis
 *    mask file (if a path is given) → measurePorosity → optional overlay / void-mask PNGs.
 *    Self-contained and its result is plain JSON (safe to call from worker threads).
 *
 * Convention (stated in every result): the threshold t is what the method returns for the
 * histogram of the analysed region; with dark voids (default) void ⇔ pixel ≤ t, which is
 * ImageJ's `setAutoThreshold(method)` without "dark" (selects 0..t); with bright voids
 * void ⇔ pixel > t.
 *
 * Default method: 'MultiOtsu' (scikit-image 0.19.3 `threshold_multiotsu`, 3 classes, the
 * lower threshold for dark voids). SEM cross-sections of composite electrodes have three
 * phases (voids, electrolyte/binder matrix, active particles); every two-class ImageJ method
 * either splits particles from matrix (Otsu, IsoData, Mean, Li, …: void fraction 25–46 pp too
 * high on the committed samples) or lands in the void/matrix valley only by chance
 * (MaxEntropy, Yen, RenyiEntropy: median error 1.9 pp). MultiOtsu recovers every sample's
 * ground truth within 0.1 pp. See samples/sem/README.md for the full comparison. Any of
 * ImageJ's 17 methods can be chosen with `method`, with exact ImageJ thresholds.
 */
import { basename } from 'node:path';
import type { PixelSize, Raster, Roi } from '../raster/types.js';
import { readImage, type DecodedImage } from '../raster/read.js';
import { VoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { VERSION } from '../version.js';
import {
  applyThreshold,
  computeThreshold,
  manualThreshold,
  parseThresholdMethod,
  tryAllThresholds,
  voidRule,
  type AnyThresholdMethod,
  type HistogramInfo,
  type Polarity,
  type ThresholdResult,
} from './threshold/index.js';
import { readSemMetadata, resolvePixelSize } from './metadata/index.js';
import type { DatabarInfo } from './metadata/index.js';
import { imagejGaussianBlur, imagejGaussianAccuracy } from './filters/gaussian.js';
import { circularKernel, medianFilter } from './filters/median.js';
import { labelPores, summarizePores, type PoreSummary } from './metrics/pores.js';
import { regionPixelCount, validateRoi } from './metrics/region.js';

/** The default automatic threshold method (see the module comment for why it is not an ImageJ method). */
export const DEFAULT_POROSITY_METHOD: AnyThresholdMethod = 'MultiOtsu';

export interface MinPoreSize {
  value: number;
  unit: 'px' | 'µm²';
}

export interface PorosityOptions {
  /**
   * Automatic threshold method: one of ImageJ 1.53t's 17 AutoThresholder methods
   * (case-insensitive) or 'MultiOtsu'. Default 'MultiOtsu' (3-phase electrode images; see
   * DEFAULT_POROSITY_METHOD). Ignored when `threshold` is given.
   */
  method?: AnyThresholdMethod | string;
  /** Manual threshold in the image's own grey values (0..255 for 8-bit); overrides `method`. */
  threshold?: number;
  /** Voids are 'dark' (default: void ⇔ pixel ≤ t) or 'bright' (void ⇔ pixel > t). */
  voids?: Polarity;
  /** Analyse only this rectangle (pixels, top-left origin). Default: the whole micrograph. */
  roi?: Roi;
  /**
   * Analysis mask, same size as the image: non-zero = analysed (combined with `roi`).
   * A raster, a Uint8Array, or (analyzePorosity only) the path of a mask image.
   */
  mask?: Uint8Array | Raster | string;
  /** Gaussian pre-filter σ in pixels (ImageJ Gaussian Blur "Sigma (Radius)"); default none. */
  gaussian?: number;
  /** Median pre-filter radius in pixels (ImageJ Median "Radius", circular kernel); default none. */
  median?: number;
  /** Pixel size in µm per pixel; wins over the file's metadata. Default: from metadata, else uncalibrated. */
  pixelSize?: number;
  /**
   * Smallest pore kept in the pore list; smaller 8-connected components are "specks".
   * Default { value: 0, unit: 'px' } (keep all, as ImageJ's Analyze Particles "0-Infinity").
   * Specks always count in `voidFraction`; `voidFractionExcludingSpecks` leaves them out.
   * 'µm²' needs a calibration.
   */
  minPore?: MinPoreSize;
  /** Histogram for automatic methods: 'imagej' (default: ImageJ's 256-bin rule for 16-bit/float) or a bin count. */
  bins?: 'imagej' | number;
  /** Keep the data-bar rows in the analysis (default false: excluded). */
  keepDatabar?: boolean;
  /** Page of a multi-page TIFF (analyzePorosity; default 0). */
  page?: number;
  /** Refuse images with more pixels than this (analyzePorosity; default readImage's). */
  maxPixels?: number;
  /** analyzePorosity: write an overlay PNG here (voids tinted, region outlined, scale bar). */
  overlay?: string;
  /** analyzePorosity: write the 0/255 void mask PNG here (full image size; 255 = void). */
  voidMask?: string;
}

/** Options of the pure `measurePorosity` (no file paths). */
export interface MeasureOptions extends Omit<PorosityOptions, 'mask' | 'overlay' | 'voidMask' | 'page' | 'maxPixels' | 'pixelSize'> {
  mask?: Uint8Array | Raster;
  /** Pixel size: a number (µm/px, source "user") or a PixelSize; default the raster's own `pixelSize`. */
  pixelSize?: number | PixelSize | null;
  /** Data-bar rows at the bottom (from readSemMetadata); excluded unless keepDatabar. */
  databar?: DatabarInfo | null;
}

export interface AppliedFilter {
  name: 'median' | 'gaussian';
  /** Median: radius in px and kernel size; Gaussian: σ in px and kernel accuracy. */
  radiusPx?: number;
  kernelPixels?: number;
  sigmaPx?: number;
  accuracy?: number;
  /** What the filter reproduces, and any difference. */
  note: string;
}

export interface PorosityResult {
  /** Input file (null for in-memory rasters). */
  file: string | null;
  /** Full image size, data bar included. */
  width: number;
  height: number;
  bitDepth: number;
  page?: number;
  /** Analysed rectangle actually used (after data-bar exclusion), pixels. */
  roi: Roi;
  /** Whether an analysis mask restricted the ROI, and where it came from. */
  mask: { source: string } | null;
  /** Data-bar rows at the bottom and whether they were excluded. */
  databar: { rows: number; source: string; excluded: boolean } | null;
  method: AnyThresholdMethod | 'Manual';
  threshold: {
    /** Threshold in the image's own grey values. */
    value: number;
    /** Histogram bin the method returned (null for manual thresholds). */
    bin: number | null;
    histogram: HistogramInfo | null;
    source: ThresholdResult['source'];
    /** MultiOtsu: both thresholds (values ascending). */
    allValues?: number[];
    note?: string;
  };
  polarity: Polarity;
  /** The rule in words, e.g. "void = pixel <= 74 (dark voids)". */
  convention: string;
  /** Void pixels / analysed pixels, 0..1 (all void pixels, specks included). */
  voidFraction: number;
  porosityPercent: number;
  voidPixels: number;
  analysedPixels: number;
  /** Void fraction without the specks (components below minPore). */
  voidFractionExcludingSpecks: number;
  porosityPercentExcludingSpecks: number;
  /** Calibration used (µm per px), null = uncalibrated (pores in px). */
  pixelSize: { value: number; valueY?: number; unit: 'µm'; source: string } | null;
  /** Pre-filters in the order applied (empty = none). */
  filters: AppliedFilter[];
  /** The minimum pore size as given and in pixels. */
  minPore: { value: number; unit: 'px' | 'µm²'; pixels: number };
  pores: PoreSummary;
  outputs?: { overlay?: string; voidMask?: string };
  warnings: string[];
  voidscopeVersion: string;
}

/** Everything measurePorosity computed, for overlays and tests (not JSON-friendly). */
export interface PorosityDetail {
  result: PorosityResult;
  /** The analysed raster after data-bar cropping and filters. */
  analysed: Raster;
  /** 1 = void (width × analysed height; 0 outside the region). */
  voids: Uint8Array;
  /** Pore label image of the analysed raster: 0 none, −1 speck, else pore id (null when not asked for). */
  labels: Int32Array | null;
  /** The analysis mask over the analysed rows (non-zero = analysed), or null. */
  regionMask: Uint8Array | null;
}

// ---------------------------------------------------------------------------------------------
// validation

function isRaster(x: unknown): x is Raster {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x && !(x instanceof Uint8Array);
}

function finitePositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

interface Validated {
  method: AnyThresholdMethod | null;
  threshold: number | undefined;
  voids: Polarity;
  gaussian: number | undefined;
  median: number | undefined;
  minPore: MinPoreSize;
  bins: 'imagej' | number;
  keepDatabar: boolean;
}

/** Validate the options that do not depend on the image (throws EOPTION naming the option). */
export function validatePorosityOptions(o: PorosityOptions | MeasureOptions): Validated {
  if (o === null || typeof o !== 'object') throw new VoidscopeError('EOPTION', 'porosity options must be an object');
  const voids = o.voids ?? 'dark';
  if (voids !== 'dark' && voids !== 'bright') throw new VoidscopeError('EOPTION', `voids must be 'dark' or 'bright', got ${String(voids)}`);
  if (o.threshold !== undefined && !(typeof o.threshold === 'number' && Number.isFinite(o.threshold))) {
    throw new VoidscopeError('EOPTION', `threshold must be a finite number, got ${String(o.threshold)}`);
  }
  const method = o.threshold !== undefined && o.method === undefined ? null : parseThresholdMethod(String(o.method ?? DEFAULT_POROSITY_METHOD));
  if (o.gaussian !== undefined && !finitePositive(o.gaussian)) {
    throw new VoidscopeError('EOPTION', `gaussian sigma must be a number > 0 (pixels), got ${String(o.gaussian)}`);
  }
  if (o.median !== undefined && !(typeof o.median === 'number' && Number.isFinite(o.median) && o.median >= 0.5)) {
    throw new VoidscopeError('EOPTION', `median radius must be a number >= 0.5 (pixels), got ${String(o.median)}`);
  }
  const minPore = o.minPore ?? { value: 0, unit: 'px' as const };
  if (
    typeof minPore !== 'object' ||
    (minPore.unit !== 'px' && minPore.unit !== 'µm²') ||
    !(typeof minPore.value === 'number' && Number.isFinite(minPore.value) && minPore.value >= 0)
  ) {
    throw new VoidscopeError('EOPTION', `minPore must be {value >= 0, unit: 'px' | 'µm²'}, got ${JSON.stringify(minPore)}`);
  }
  const bins = o.bins ?? 'imagej';
  if (bins !== 'imagej' && !(Number.isInteger(bins) && bins >= 2 && bins <= 65536)) {
    throw new VoidscopeError('EOPTION', `bins must be 'imagej' or a whole number 2..65536, got ${String(bins)}`);
  }
  if (o.roi !== undefined && (o.roi === null || typeof o.roi !== 'object')) {
    throw new VoidscopeError('EOPTION', `roi must be {x, y, width, height}, got ${String(o.roi)}`);
  }
  if (o.pixelSize !== undefined && o.pixelSize !== null && typeof o.pixelSize === 'number' && !finitePositive(o.pixelSize)) {
    throw new VoidscopeError('EOPTION', `pixelSize must be a positive number of µm per pixel, got ${String(o.pixelSize)}`);
  }
  return {
    method,
    threshold: o.threshold,
    voids,
    gaussian: o.gaussian,
    median: o.median,
    minPore: { value: minPore.value, unit: minPore.unit },
    bins,
    keepDatabar: o.keepDatabar === true,
  };
}

// ---------------------------------------------------------------------------------------------
// analysed area: data bar, ROI, mask

export interface AnalysisArea {
  /** Rows above the excluded data bar (= height when nothing is excluded). */
  micrographRows: number;
  /** Analysed rectangle (inside the micrograph rows). */
  roi: Roi;
  /** Analysis mask over the micrograph rows (width × micrographRows view), or null. */
  mask: Uint8Array | null;
  databar: PorosityResult['databar'];
}

/**
 * Where to measure: the data bar (if any) is cut off unless keepDatabar, the ROI is
 * validated and clipped to the micrograph rows (with a warning), the mask converted to
 * 0/1. Pure; throws EOPTION for a ROI outside the image or entirely in the data bar.
 */
export function resolveAnalysisArea(
  raster: { width: number; height: number },
  o: { roi?: Roi; mask?: Uint8Array | Raster; databar?: DatabarInfo | null; keepDatabar?: boolean },
  warnings: string[] = [],
): AnalysisArea {
  const { width, height } = raster;
  const db = o.databar ?? null;
  let micrographRows = height;
  let databar: PorosityResult['databar'] = null;
  if (db && db.rows > 0) {
    const excluded = o.keepDatabar !== true;
    if (excluded) {
      if (db.rows >= height) throw new VoidscopeError('EOPTION', `data bar of ${db.rows} rows leaves nothing of the ${height}-row image`);
      micrographRows = height - db.rows;
    }
    databar = { rows: db.rows, source: db.source, excluded };
  } else if (db) {
    databar = { rows: 0, source: db.source, excluded: false };
  }
  let roi: Roi = { x: 0, y: 0, width, height: micrographRows };
  if (o.roi) {
    const r = validateRoi(o.roi, width, height);
    if (r.y + r.height > micrographRows) {
      if (r.y >= micrographRows) {
        throw new VoidscopeError(
          'EOPTION',
          `roi ${r.x},${r.y},${r.width},${r.height} lies entirely in the data bar (rows ${micrographRows}..${height - 1}); use keepDatabar to analyse it`,
        );
      }
      warnings.push(`roi clipped to the micrograph: rows ${micrographRows}..${r.y + r.height - 1} are the data bar`);
      roi = { ...r, height: micrographRows - r.y };
    } else roi = r;
  }
  let mask: Uint8Array | null = null;
  if (o.mask !== undefined) {
    const full = toMaskArray(o.mask, width, height);
    mask = micrographRows < height ? full.subarray(0, width * micrographRows) : full;
  }
  return { micrographRows, roi, mask, databar };
}

// ---------------------------------------------------------------------------------------------
// the pure measurement

function toMaskArray(mask: Uint8Array | Raster, width: number, height: number): Uint8Array {
  if (mask instanceof Uint8Array) {
    if (mask.length !== width * height) {
      throw new VoidscopeError('EOPTION', `mask has ${mask.length} pixels, the image ${width}x${height} = ${width * height}`);
    }
    return mask;
  }
  if (!isRaster(mask)) throw new VoidscopeError('EOPTION', 'mask must be a Uint8Array or a raster');
  if (mask.width !== width || mask.height !== height) {
    throw new VoidscopeError('EOPTION', `mask is ${mask.width}x${mask.height}, the image ${width}x${height}: they must be the same size`);
  }
  const out = new Uint8Array(width * height);
  const d = mask.data;
  for (let i = 0; i < out.length; i++) out[i] = d[i] !== 0 && d[i] === d[i] ? 1 : 0;
  return out;
}

/** Measure porosity of an in-memory raster. Pure. See PorosityOptions for defaults. */
export function measurePorosity(raster: Raster, options: MeasureOptions = {}): PorosityResult {
  return measurePorosityDetailed(raster, options, { labels: false }).result;
}

/** measurePorosity plus the void mask, label image and filtered raster (for overlays and tests). */
export function measurePorosityDetailed(
  raster: Raster,
  options: MeasureOptions = {},
  context: {
    file?: string | null;
    page?: number;
    maskSource?: string;
    warnings?: string[];
    labels?: boolean;
    /** Reuse these buffers for the label image / the Gaussian output (see analyzePorosity). */
    labelsInto?: Int32Array;
    filterInto?: Uint8Array;
  } = {},
): PorosityDetail {
  const v = validatePorosityOptions(options);
  const warnings = [...(context.warnings ?? [])];
  const { width, height } = raster;
  if (!(width > 0 && height > 0) || raster.data.length !== width * height) {
    throw new VoidscopeError('ECORRUPT', `raster is ${width}x${height} but holds ${raster.data.length} pixels`, context.file ? { file: context.file } : {});
  }

  const area = resolveAnalysisArea(raster, { ...options, keepDatabar: v.keepDatabar }, warnings);
  const { micrographRows, roi, databar } = area;
  const mask = area.mask ?? undefined;

  // Analysed raster: the micrograph rows, filtered.
  const { raster: work, filters } = applyPrefilters(raster, micrographRows, v, context.filterInto);

  // Threshold.
  let thr: ThresholdResult;
  if (v.threshold !== undefined) {
    thr = manualThreshold(work, v.threshold, v.voids);
    if (options.method !== undefined) warnings.push(`manual threshold ${v.threshold} given: method ${String(options.method)} not used`);
  } else {
    thr = computeThreshold(work, { method: v.method!, roi, ...(mask ? { mask } : {}), bins: v.bins, polarity: v.voids });
  }
  const voids = applyThreshold(work, thr.value, v.voids, { roi, ...(mask ? { mask } : {}) });

  // Calibration.
  let pixelSize: PixelSize | null;
  if (typeof options.pixelSize === 'number') pixelSize = { value: options.pixelSize, unit: 'µm', source: 'user' };
  else if (options.pixelSize === null) pixelSize = null;
  else pixelSize = options.pixelSize ?? raster.pixelSize ?? null;
  const pxArea = pixelSize ? pixelSize.value * (pixelSize.valueY ?? pixelSize.value) : 1;

  // Minimum pore size in pixels.
  let minAreaPx: number;
  if (v.minPore.unit === 'px') minAreaPx = Math.ceil(v.minPore.value - 1e-9);
  else {
    if (!pixelSize) {
      throw new VoidscopeError('EOPTION', `a minimum pore size in µm² needs a calibration: give a pixel size (--pixel-size) or use px`, context.file ? { file: context.file } : {});
    }
    minAreaPx = Math.ceil(v.minPore.value / pxArea - 1e-9);
  }

  // Measure.
  const region = { roi, mask: mask ?? null };
  const analysedPixels = regionPixelCount(region, width);
  if (analysedPixels === 0) {
    throw new VoidscopeError('EEMPTY', 'the analysed region (ROI ∩ mask) contains no pixels', context.file ? { file: context.file } : {});
  }
  // The labelling visits every void pixel of the region once, so it also gives the void count.
  const labelled = labelPores(voids, width, micrographRows, region, {
    minAreaPx,
    labels: context.labels !== false,
    ...(context.labelsInto ? { labelsInto: context.labelsInto } : {}),
  });
  const count = { voidPixels: labelled.voidPixels, analysedPixels, voidFraction: labelled.voidPixels / analysedPixels };
  const pores = summarizePores(labelled, count.analysedPixels, minAreaPx, pixelSize);
  const keptVoid = count.voidPixels - labelled.speckPixels;

  if (count.voidPixels === 0) warnings.push(`no void pixels at threshold ${thr.value}`);
  if (count.voidFraction > 0.5) {
    warnings.push(
      `void fraction ${(count.voidFraction * 100).toFixed(1)} % > 50 %: check the threshold (a two-class method on a 3-phase image selects matrix as void)`,
    );
  }
  if (thr.note) warnings.push(thr.note);

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
    polarity: v.voids,
    convention: `${voidRule(thr.value, v.voids)} (${v.voids} voids)` +
      (v.voids === 'dark' ? "; = ImageJ setAutoThreshold(method) without 'dark', which selects 0..t" : "; = ImageJ's 'dark' selection for 8-bit"),
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
    minPore: { value: v.minPore.value, unit: v.minPore.unit, pixels: minAreaPx },
    pores,
    warnings,
    voidscopeVersion: VERSION,
  };
  return { result, analysed: work, voids, labels: labelled.labels ?? null, regionMask: mask ?? null };
}

/** Crop to the micrograph rows, then median and/or Gaussian (in that order). */
function applyPrefilters(
  raster: Raster,
  micrographRows: number,
  v: { median?: number | undefined; gaussian?: number | undefined },
  gaussianInto?: Uint8Array,
): { raster: Raster; filters: AppliedFilter[] } {
  const { width, height } = raster;
  // The data bar is a band of whole rows at the bottom: the micrograph is a view, not a copy.
  let work: Raster = micrographRows < height ? { ...raster, height: micrographRows, data: raster.data.subarray(0, width * micrographRows) } : raster;
  const filters: AppliedFilter[] = [];
  if (v.median !== undefined) {
    const k = circularKernel(v.median);
    work = medianFilter(work, v.median);
    filters.push({
      name: 'median',
      radiusPx: v.median,
      kernelPixels: k.nPoints,
      note: `ImageJ RankFilters median, circular kernel of ${k.nPoints} px, edge pixels replicated`,
    });
  }
  if (v.gaussian !== undefined) {
    const accuracy = imagejGaussianAccuracy(work.bitDepth, work.sampleFormat);
    work = imagejGaussianBlur(work, v.gaussian, { accuracy, ...(gaussianInto ? { into: gaussianInto.subarray(0, work.width * work.height) } : {}) });
    filters.push({
      name: 'gaussian',
      sigmaPx: v.gaussian,
      accuracy,
      note:
        'ImageJ GaussianBlur kernel (accuracy ' + accuracy + ', edge-corrected), separable, edge pixels replicated' +
        (v.gaussian > 8.5 ? '; ImageJ would downscale for sigma > 8.5 (values may differ by a fraction of a grey level)' : ''),
    });
  }
  if (filters.length > 0 && micrographRows < height) {
    filters[filters.length - 1]!.note += '; only the micrograph rows were filtered (data bar cut off first)';
  }
  return { raster: work, filters };
}

// ---------------------------------------------------------------------------------------------
// every method ("Try all")

export interface ThresholdsOptions {
  roi?: Roi;
  mask?: Uint8Array | Raster | string;
  voids?: Polarity;
  bins?: 'imagej' | number;
  gaussian?: number;
  median?: number;
  keepDatabar?: boolean;
  page?: number;
  maxPixels?: number;
}

export interface ThresholdsResult {
  file: string | null;
  width: number;
  height: number;
  bitDepth: number;
  roi: Roi;
  mask: { source: string } | null;
  databar: PorosityResult['databar'];
  polarity: Polarity;
  /** The histogram every method ran on. */
  histogram: HistogramInfo;
  analysedPixels: number;
  convention: string;
  filters: AppliedFilter[];
  /** Every ImageJ 1.53t method and MultiOtsu: threshold (grey value) and the void fraction it gives. */
  methods: { method: AnyThresholdMethod; threshold: number; bin: number; voidPixels: number; voidFraction: number; porosityPercent: number; note?: string }[];
  warnings: string[];
  voidscopeVersion: string;
}

/** Every threshold method on one raster, like ImageJ's "Try all" (pure). */
export function measureAllThresholds(
  raster: Raster,
  options: Omit<ThresholdsOptions, 'mask' | 'page' | 'maxPixels'> & { mask?: Uint8Array | Raster; databar?: DatabarInfo | null } = {},
  context: { file?: string | null; maskSource?: string; warnings?: string[] } = {},
): ThresholdsResult {
  const v = validatePorosityOptions({ ...options, method: undefined });
  const warnings = [...(context.warnings ?? [])];
  const area = resolveAnalysisArea(raster, { ...options, keepDatabar: v.keepDatabar }, warnings);
  const { raster: work, filters } = applyPrefilters(raster, area.micrographRows, v);
  const all = tryAllThresholds(work, { roi: area.roi, ...(area.mask ? { mask: area.mask } : {}), bins: v.bins, polarity: v.voids });
  return {
    file: context.file ?? null,
    width: raster.width,
    height: raster.height,
    bitDepth: raster.bitDepth,
    roi: area.roi,
    mask: area.mask ? { source: context.maskSource ?? 'in-memory mask' } : null,
    databar: area.databar,
    polarity: v.voids,
    histogram: all.histogram,
    analysedPixels: all.pixels,
    convention: v.voids === 'dark' ? 'void = pixel <= t (dark voids)' : 'void = pixel > t (bright voids)',
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

/** Read an image (data bar excluded as in analyzePorosity) and run every threshold method on it. */
export async function analyzeThresholds(file: string, options: ThresholdsOptions = {}): Promise<ThresholdsResult> {
  validatePorosityOptions({ ...options, mask: undefined });
  const image = await readImage(file, {
    ...(options.page !== undefined ? { page: options.page } : {}),
    ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
  });
  const meta = await readSemMetadata(file, image);
  let mask: Uint8Array | Raster | undefined;
  let maskSource: string | undefined;
  if (typeof options.mask === 'string') {
    mask = await readMaskFile(options.mask, image.raster.width, image.raster.height);
    maskSource = options.mask;
  } else if (options.mask !== undefined) mask = options.mask;
  const { page: _p, maxPixels: _m, mask: _mask, ...rest } = options;
  try {
    return measureAllThresholds(
      image.raster,
      { ...rest, ...(mask ? { mask } : {}), databar: meta.databar },
      { file, ...(maskSource ? { maskSource } : {}), warnings: [...meta.warnings] },
    );
  } catch (e) {
    if (e instanceof VoidscopeError && e.file === undefined) throw new VoidscopeError(e.code, e.message, { file, cause: e });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// the edge

async function readMaskFile(path: string, width: number, height: number): Promise<Uint8Array> {
  const m = await readImage(path);
  if (m.raster.width !== width || m.raster.height !== height) {
    throw new VoidscopeError(
      'EOPTION',
      `mask image is ${m.raster.width}x${m.raster.height}, the image ${width}x${height}: they must be the same size`,
      { file: path },
    );
  }
  return toMaskArray(m.raster, width, height);
}

/**
 * Read an SEM image and measure its porosity (see PorosityOptions). Writes the overlay /
 * void-mask PNGs when asked. The result is plain JSON.
 */
export async function analyzePorosity(file: string, options: PorosityOptions = {}): Promise<PorosityResult> {
  validatePorosityOptions(options);
  if (options.pixelSize !== undefined && !finitePositive(options.pixelSize)) {
    throw new VoidscopeError('EOPTION', `pixelSize must be a positive number of µm per pixel, got ${String(options.pixelSize)}`);
  }
  const image: DecodedImage = await readImage(file, {
    ...(options.page !== undefined ? { page: options.page } : {}),
    ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
  });
  const meta = await readSemMetadata(file, image);
  const pixelSize = resolvePixelSize(meta, options.pixelSize);
  const warnings = [...meta.warnings];
  if (image.greyConversion) warnings.push(`colour image converted to grey: ${image.greyConversion}`);
  if (options.pixelSize !== undefined && meta.pixelSize && Math.abs(meta.pixelSize.value - options.pixelSize) / meta.pixelSize.value > 0.001) {
    warnings.push(`user pixel size ${options.pixelSize} µm overrides the file's ${meta.pixelSize.value} µm (${meta.pixelSize.source})`);
  }
  let mask: Uint8Array | Raster | undefined;
  let maskSource: string | undefined;
  if (typeof options.mask === 'string') {
    mask = await readMaskFile(options.mask, image.raster.width, image.raster.height);
    maskSource = options.mask;
  } else if (options.mask !== undefined) {
    mask = options.mask;
    maskSource = 'in-memory mask';
  }
  const { overlay, voidMask, page: _p, maxPixels: _m, mask: _mask, pixelSize: _ps, ...rest } = options;
  // The overlay's label image (4 bytes per pixel) comes from a per-thread pool: it lives only until
  // the overlay is drawn, and a fresh 12 MB array per 3-Mpx image costs more than the labelling.
  const labelsInto = overlay !== undefined ? takeLabelBuffer(image.raster.width * image.raster.height) : undefined;
  // Likewise the Gaussian output of 8-bit images: only the result (plain numbers) leaves this call.
  const filterInto = options.gaussian !== undefined && image.raster.data instanceof Uint8Array ? takeFilterBuffer(image.raster.data.length) : undefined;
  try {
    let detail: PorosityDetail;
    try {
      detail = measurePorosityDetailed(
        image.raster,
        { ...rest, ...(mask ? { mask } : {}), pixelSize, databar: meta.databar },
        {
          file,
          page: image.pages > 1 ? image.page : undefined,
          ...(maskSource ? { maskSource } : {}),
          warnings,
          labels: overlay !== undefined,
          ...(labelsInto ? { labelsInto } : {}),
          ...(filterInto ? { filterInto } : {}),
        },
      );
    } catch (e) {
      if (e instanceof VoidscopeError && e.file === undefined) throw new VoidscopeError(e.code, e.message, { file, cause: e });
      throw e;
    }
    return await writeOutputs(image, detail, overlay, voidMask);
  } finally {
    if (labelsInto) releaseLabelBuffer(labelsInto);
    if (filterInto) spareFilter = filterInto;
  }
}

/** A Gaussian output buffer not in use (per thread; the last 8-bit image's). */
let spareFilter: Uint8Array | null = null;
function takeFilterBuffer(n: number): Uint8Array {
  const b = spareFilter && spareFilter.length === n ? spareFilter : new Uint8Array(n);
  if (b === spareFilter) spareFilter = null;
  return b;
}

/** A label buffer not in use (per thread; one kept, ≤ 4 bytes per pixel of the last image). */
let spareLabels: Int32Array | null = null;
function takeLabelBuffer(n: number): Int32Array {
  const b = spareLabels && spareLabels.length === n ? spareLabels : new Int32Array(n);
  if (b === spareLabels) spareLabels = null;
  return b;
}
function releaseLabelBuffer(b: Int32Array): void {
  spareLabels = b;
}

async function writeOutputs(
  image: DecodedImage,
  detail: PorosityDetail,
  overlay: string | undefined,
  voidMask: string | undefined,
): Promise<PorosityResult> {
  const result = detail.result;
  if (image.pages > 1) result.page = image.page;
  if (overlay !== undefined || voidMask !== undefined) {
    const { renderOverlay, voidMaskPng } = await import('./overlay.js');
    result.outputs = {};
    if (overlay !== undefined) {
      const png = await renderOverlay(image.raster, detail);
      await writeFileAtomic(overlay, png);
      result.outputs.overlay = overlay;
    }
    if (voidMask !== undefined) {
      await writeFileAtomic(voidMask, await voidMaskPng(image.raster.width, image.raster.height, detail.voids));
      result.outputs.voidMask = voidMask;
    }
  }
  return result;
}

/** File name helper for several inputs: out.png + image stem → out_<stem>.png. */
export function perImageOutputPath(out: string, inputFile: string): string {
  const stem = basename(inputFile).replace(/\.[^.]+$/u, '');
  const m = /^(.*?)(\.[^./\\]+)?$/u.exec(out)!;
  return `${m[1]}_${stem}${m[2] ?? '.png'}`;
}

