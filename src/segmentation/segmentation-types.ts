/**
 * What every segmenter returns (the contract between segmenters and measurements).
 *
 * A segmenter is a pure function (raster, analysed area, its own validated spec) → Segmentation.
 * The area is full-image-sized: `area[i] !== 0` ⇔ pixel i is analysed (ROI ∩ mask ∩ not data bar);
 * null means every pixel. The label map has 0 outside the area.
 */
import type { Raster } from '../raster/types.js';
import type { LabelMap } from '../raster/labels.js';

export interface SegmentInput {
  /** The pre-filtered raster (full image size). */
  raster: Raster;
  /** Full-size 0/1 (non-zero = analysed) or null = all pixels. */
  area: Uint8Array | null;
}

/** How a segmentation was made: plain JSON, goes into every result. */
export interface SegmentationRecord {
  /** Segmenter family: 'global' | 'manual' | 'auto' | 'local' | 'model'. */
  segmenter: string;
  /** Method name within the family, e.g. 'Otsu', 'MultiOtsu', 'Sauvola', 'auto'. */
  method: string;
  /** Every parameter that changes the result (validated values, defaults filled in). */
  params: Record<string, unknown>;
  /** Decision thresholds in the image's own grey values, ascending (empty where none: local, model). */
  thresholds: number[];
  /** What the method reproduces, e.g. "ImageJ 1.53t AutoThresholder", "Fiji Auto_Local_Threshold 1.10.1". */
  source: string;
  /** Plain-language notes on what was done (chosen class count, denoising applied, …). */
  notes: string[];
  /** Learned models: the model's SHA-256, the TensorFlow.js backend. */
  model?: { sha256: string; path?: string; backend: string; classes: string[] };
}

/**
 * The segmentation-sensitivity band of the void fraction (0..1): how far it moves when the
 * decision boundary moves within the range the data cannot distinguish. `rule` says how in words.
 */
export interface VoidFractionBand {
  low: number;
  high: number;
  rule: string;
}

export interface SegmentationConfidence {
  /** 0..1 (1 = perfectly separated classes), or null where not defined. */
  separability: number | null;
  /** 'high' | 'medium' | 'low': low means no automatic rule can be trusted on this image. */
  level: 'high' | 'medium' | 'low';
  band: VoidFractionBand | null;
  /** What to tell the user (e.g. "the void class is not a distinct dark population: try --median 2, a ROI or a trained model"). */
  warnings: string[];
}

export interface Segmentation {
  labels: LabelMap;
  record: SegmentationRecord;
  confidence: SegmentationConfidence;
}

export type Segmenter<S> = (input: SegmentInput, spec: S) => Segmentation | Promise<Segmentation>;
