/**
 * Void fraction (porosity) of a binary void image inside the analysed region.
 */
import type { AnalysisRegion } from './region.js';

export interface VoidCount {
  /** Void pixels inside the analysed region. */
  voidPixels: number;
  /** Analysed pixels (ROI ∩ mask). */
  analysedPixels: number;
  /** voidPixels / analysedPixels, 0..1 (NaN when nothing is analysed). */
  voidFraction: number;
}

/**
 * Count void pixels (non-zero in `voids`, a width-wide full-image array) inside the
 * region. The result does not depend on what `voids` holds outside the region.
 */
export function voidFraction(voids: Uint8Array, width: number, region: AnalysisRegion): VoidCount {
  const { roi, mask } = region;
  let voidPixels = 0;
  let analysedPixels = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    const o = y * width;
    if (mask) {
      for (let x = roi.x; x < roi.x + roi.width; x++) {
        if (mask[o + x] !== 0) {
          analysedPixels++;
          if (voids[o + x] !== 0) voidPixels++;
        }
      }
    } else {
      for (let x = roi.x, e = roi.x + roi.width; x < e; x++) if (voids[o + x] !== 0) voidPixels++;
      analysedPixels += roi.width;
    }
  }
  return { voidPixels, analysedPixels, voidFraction: analysedPixels > 0 ? voidPixels / analysedPixels : NaN };
}
