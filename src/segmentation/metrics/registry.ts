/**
 * METRICS: measurements on a label map, one registry entry per metric name (MetricName in
 * spec.ts), each a function of (label map, analysed region, parameters) → a typed, unit-bearing
 * result. Today porosity and pores; phases, contact, void classes, local thickness and layer are
 * the next entries (one file each in this folder).
 *
 * The region is the analysed area as a rectangle and an optional mask (AnalysisRegion); the label
 * map has 0 outside it. Pores call the ImageJ-order labelling kernel (pores.ts) as is, on the
 * label map's void phase.
 */
import type { LabelMap } from '../../raster/labels.js';
import type { PixelSize } from '../../raster/types.js';
import { voidMaskOf } from '../../raster/void-mask.js';
import { labelPores, summarizePores, type LabelResult, type PoreSummary } from './pores.js';
import { voidFraction, type VoidCount } from './porosity.js';
import { regionPixelCount, type AnalysisRegion } from './region.js';

export interface MetricParams {
  /** Calibration (µm per px), or null = pixels. */
  pixelSize: PixelSize | null;
  /** Smallest pore in pixels (smaller components are specks). */
  minAreaPx: number;
  /** Pores: also return the pore label image (for overlays), optionally into this buffer. */
  labels?: boolean;
  labelsInto?: Int32Array;
  /** Porosity: the void-pixel count when another metric already visited every void pixel. */
  voidPixels?: number;
  /** The region's pixel count when the caller already counted it (regionPixelCount), so no metric recounts a masked region. */
  analysedPixels?: number;
}

export interface PoresMeasurement {
  /** Per-pore summary in µm (calibrated) or px, with the unit in `unit` / `areaUnit`. */
  summary: PoreSummary;
  /** The raw labelling (pore list in px, specks, optional label image). */
  labelled: LabelResult;
}

export const METRICS = {
  /** Void fraction: void-phase pixels / analysed pixels (dimensionless, 0..1). */
  porosity(map: LabelMap, region: AnalysisRegion, p: MetricParams): VoidCount {
    if (p.voidPixels !== undefined) {
      const analysedPixels = p.analysedPixels ?? regionPixelCount(region, map.width);
      return { voidPixels: p.voidPixels, analysedPixels, voidFraction: analysedPixels > 0 ? p.voidPixels / analysedPixels : NaN };
    }
    return voidFraction(voidMaskOf(map), map.width, region);
  },
  /** Pores: 8-connected components of the void phase (ImageJ Analyze Particles order), sizes in `summary.unit`. */
  pores(map: LabelMap, region: AnalysisRegion, p: MetricParams): PoresMeasurement {
    const labelled = labelPores(voidMaskOf(map), map.width, map.height, region, {
      minAreaPx: p.minAreaPx,
      labels: p.labels === true,
      ...(p.labelsInto ? { labelsInto: p.labelsInto } : {}),
    });
    const summary = summarizePores(labelled, p.analysedPixels ?? regionPixelCount(region, map.width), p.minAreaPx, p.pixelSize);
    return { summary, labelled };
  },
} as const;

export type MetricRegistry = typeof METRICS;
export type Measurements = { [K in keyof MetricRegistry]?: ReturnType<MetricRegistry[K]> };
