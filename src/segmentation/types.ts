/**
 * The typed results of the SEM porosity analysis (plain JSON; they cross worker threads by
 * structured clone) and the detailed in-memory product of measurePorosityDetailed.
 * Public JSON field names are fixed: add optional fields only.
 */
import type { Raster, Roi } from '../raster/types.js';
import type { AnyThresholdMethod, HistogramInfo, Polarity, ThresholdResult } from './threshold/index.js';
import type { PoreSummary } from './metrics/pores.js';
import type { Segmentation, SegmentationConfidence, SegmentationRecord } from './segmentation-types.js';

export interface AppliedFilter {
  name: 'median' | 'gaussian' | 'background';
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
  /** The threshold method ('Manual' for a user value), or the method of another segmenter (its record is in `segmentation`). */
  method: AnyThresholdMethod | 'Manual' | (string & {});
  threshold: {
    /** Threshold in the image's own grey values. */
    value: number;
    /** Histogram bin the method returned (null for manual thresholds). */
    bin: number | null;
    histogram: HistogramInfo | null;
    /** Who defines the threshold (ImageJ, scikit-image, manual) or the segmenter's source. */
    source: ThresholdResult['source'] | (string & {});
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
  /** How the label map was made (segmenter, method, parameters, thresholds, source). */
  segmentation?: SegmentationRecord;
  /** Segmentation-sensitivity band and confidence (attached by segmenters that estimate them). */
  confidence?: SegmentationConfidence;
  /**
   * Area fraction of every phase of the label map (learned models and other segmenters with more than
   * void/solid), over the analysed pixels; the void phase's fraction equals `voidFraction`.
   */
  phases?: { id: number; name: string; void: boolean; pixels: number; fraction: number; percent: number }[];
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
  /** The segmentation the measurements ran on (label map + record + confidence). */
  segmentation: Segmentation;
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

