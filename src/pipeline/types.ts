/**
 * The typed result of a study run. `runStudy` returns it and `report.json`
 * holds exactly it (JSON.stringify of this object). Every number carries its
 * unit, in the field name or in a `unit` next to it.
 */
import type { CellState, DataKind, Electrode } from './labels.js';
import type { Interval, Summary, SpearmanResult } from './stats.js';
import type { CapacityCurve, EcMetric, ExtraValue } from './electrochem.js';
import type { Recommendation } from './recommend.js';
import type { RecommendationRule, StudyGroup } from './study.js';
import type { SegmentationConfidence } from '../segmentation/segmentation-types.js';

/** Bumped on any incompatible change of this layout. */
export const SCHEMA_VERSION = '1.0';

export interface FileLabel {
  kind: DataKind;
  electrode: Electrode;
  binderWtPct: number;
  state: CellState;
  /** Cycle count for cycled samples, when known. */
  cycles: number | null;
  /** Study-file group name, or "pattern" / "names" when labelled from the path. */
  group: string;
}

/** One input file of the run record. */
export interface InputFile {
  /** Path relative to the study folder, with "/" separators. */
  path: string;
  sizeBytes: number;
  sha256: string;
  role: 'study' | 'sem' | 'sims' | 'sims-total' | 'electrochem-table' | 'cycling' | 'sidecar' | 'unlabelled';
}

export interface PoreStats {
  /** "µm" when calibrated, else "px". */
  unit: string;
  count: number;
  meanEcd: number | null;
  d10: number | null;
  d50: number | null;
  d90: number | null;
}

/** The model a learned segmentation used (SemImage.segmentation.model). */
export interface SemModel {
  /** Model folder, relative to the study folder (with '/') when inside it, else as recorded (absolute); null when not recorded. */
  path: string | null;
  /** SHA-256 of the model's files (hex). */
  sha256: string;
  backend?: string;
  classes?: string[];
}

/** One SEM image: what was measured and how. */
export interface SemImage {
  file: string;
  label: FileLabel;
  status: 'ok' | 'failed';
  /** Reused from the --resume cache (same content hash and options). */
  cached: boolean;
  error: { code: string; message: string } | null;
  porosityPercent: number | null;
  voidFraction: number | null;
  method: string | null;
  threshold: number | null;
  polarity: string | null;
  roi: { x: number; y: number; width: number; height: number } | null;
  /** Data-bar rows excluded, as reported by the analysis. */
  databar: unknown;
  pixelSize: { value: number; unit: string; source: string } | null;
  pores: PoreStats | null;
  /** Equivalent circular diameters of the pores (unit as pores.unit), for the size distributions. */
  poreEcds: number[];
  warnings: string[];
  /** Overlay PNG relative to the report folder, or null. */
  overlay: string | null;
  /** Options the analysis was run with. */
  options: Record<string, unknown>;
  /** The full analysis result (minus the per-pore list), for the record. */
  raw: Record<string, unknown> | null;
  /** Pre-filters in the order applied, in words ("Gaussian σ 1 px", "none"). */
  prefilters?: string;
  /**
   * How the image was segmented (segmenter family, method, thresholds in grey values) and, for a learned
   * segmentation, the model: its folder (relative to the study folder when inside it, else absolute), its SHA-256,
   * inference backend and classes.
   */
  segmentation?: { segmenter: string; method: string; thresholds: number[]; model?: SemModel };
  /** Area fraction of every phase of a multi-phase segmentation (learned models), in % of the analysed area. */
  phases?: { name: string; percent: number; void: boolean }[];
  /** Segmentation-sensitivity band and confidence, where the segmenter estimates them. */
  confidence?: SegmentationConfidence;
}

/** One TOF-SIMS map. */
export interface SimsMap {
  file: string;
  label: FileLabel;
  status: 'ok' | 'failed';
  cached: boolean;
  error: { code: string; message: string } | null;
  /** Total-ion image used for the ratio (relative path), or null. */
  totalFile: string | null;
  format: string | null;
  channel: unknown;
  width: number | null;
  height: number | null;
  pixelSize: { value: number; unit: string; source: string } | null;
  /** Counts per pixel (mean) with its Poisson 95 % interval. */
  meanCounts: number | null;
  meanCountsCI95: [number, number] | null;
  totalCounts: number | null;
  zeroFraction: number | null;
  /** Li⁺ ÷ total-ion counts (dimensionless), or null. */
  ticRatio: number | null;
  hotspotFraction: number | null;
  hotspotRule: unknown;
  /** This map's mean counts relative to the reference group's mean (dimensionless). */
  relativeToReference: { value: number; ci95: [number, number] | null; reference: string } | null;
  warnings: string[];
  heatmap: string | null;
  options: Record<string, unknown>;
  raw: Record<string, unknown> | null;
}

export interface Stat extends Summary {
  unit: string;
  /** What n counts: "images", "maps", "cells", "pores per image"… (absent in reports written before 0.1.1). */
  counts?: string;
}

/**
 * The segmentation-sensitivity band of a group's porosity (issue 10: every image's
 * result.confidence.band = {low, high, rule}, void fraction 0..1): the group mean recomputed with
 * every image at its band low and at its band high, in %. Kept apart from the between-image spread.
 */
export interface GroupBand {
  /** Mean over images of band.low × 100, or null when not every image has a band. */
  low: number | null;
  high: number | null;
  unit: '%';
  /** Images with a band, of `of` images. */
  n: number;
  of: number;
  /** The band rules the images give (deduplicated). */
  rules: string[];
  /** Images per confidence level (result.confidence.level), when the analysis gives one. */
  levels?: { high: number; medium: number; low: number };
}

export interface SemStateSummary {
  state: CellState;
  cycles: number | null;
  /** Porosity in % over the images of this state. */
  porosity: Stat;
  /** Per-image median pore diameter D50, summarised over images. */
  poreD50: Stat;
  poreMeanEcd: Stat;
  poreCount: Stat;
  files: string[];
  /** Segmentation band of the porosity (null: no image carries one, "not available"). */
  band?: GroupBand | null;
  /** Calibration of the images: how many calibrated, uncalibrated, and the pixel-size range (µm). */
  calibration?: { calibrated: number; uncalibrated: number; pixelSizeUm: [number, number] | null };
}

export interface BinderSummary {
  electrode: Electrode;
  binderWtPct: number;
  sem: {
    pristine: SemStateSummary | null;
    cycled: SemStateSummary | null;
    /** Cycled − pristine porosity in percentage points, with Welch's 95 % interval. */
    increase: { value: number; unit: 'pp'; ci95: Interval | null; df: number | null } | null;
    /**
     * Every state × cycle-count group, pristine first, then cycled by cycle count (unknown count last).
     * Images of different cycle counts are never pooled; `cycled` is the group at the electrode's main
     * cycle count (the most common one, ties → the highest).
     */
    states?: SemStateSummary[];
    /** Cycled − pristine for every cycled group (`increase` is the one of `cycled`). */
    increases?: Array<{ cycles: number | null; value: number; unit: 'pp'; ci95: Interval | null; df: number | null }>;
  };
  sims: {
    /** Mean counts per pixel over maps. */
    meanCounts: Stat;
    ticRatio: Stat;
    /** Group mean relative to the reference binder content, with a 95 % interval. */
    relative: { value: number; unit: '1'; ci95: [number, number] | null; method: string; reference: number } | null;
    hotspotFraction: Stat;
    files: string[];
  } | null;
  electrochem: {
    metrics: Record<string, EcMetric>;
    extra: Record<string, ExtraValue & { from: string }>;
  } | null;
}

export interface Correlation {
  electrode: Electrode;
  x: { key: string; label: string; unit: string };
  y: { key: string; label: string; unit: string };
  /** The plain numbers, one per binder content (n is small, so read these too). */
  points: Array<{ binderWtPct: number; x: number; y: number }>;
  spearman: SpearmanResult;
  /** What the number can and cannot say (smallest possible p for this n; association, not mechanism). */
  caveat?: string;
}

export interface Failure {
  file: string;
  code: string;
  message: string;
}

export interface RunRecord {
  voidscopeVersion: string;
  node: string;
  dependencies: Record<string, string>;
  startedAt: string;
  finishedAt: string;
  /** Absolute study folder and report folder. */
  folder: string;
  out: string;
  /** How files were labelled: the study file, a pattern, or names. */
  labelling: { mode: 'study-file' | 'pattern' | 'names'; studyFile: string | null; pattern: string | null };
  options: { jobs: number; resume: boolean; overlays: boolean };
  inputs: InputFile[];
  groups: StudyGroup[];
  rule: RecommendationRule;
}

export interface StudyResult {
  schemaVersion: string;
  study: { name: string | null; description: string | null };
  run: RunRecord;
  sem: SemImage[];
  sims: SimsMap[];
  electrochem: {
    tables: string[];
    cells: Array<{ file: string; electrode: Electrode; binderWtPct: number; cell: string; metrics: Record<string, { value: number; unit: string }>; notes: string[] }>;
    curves: CapacityCurve[];
  };
  summary: BinderSummary[];
  correlations: Correlation[];
  recommendations: Recommendation[];
  /** Data files nobody could label (listed, not dropped). */
  unlabelled: Array<{ file: string; reason: string }>;
  failures: Failure[];
  warnings: string[];
}
