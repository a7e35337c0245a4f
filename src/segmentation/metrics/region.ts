/**
 * The analysed region: a rectangle (ROI) optionally further restricted by a mask
 * (non-zero = analysed). Pixels outside are ignored by every measurement.
 */
import type { Roi } from '../../raster/types.js';
import { validateRoi } from '../../raster/types.js';

export interface AnalysisRegion {
  /** Bounding rectangle of the analysed pixels (the ROI, or the whole image). */
  roi: Roi;
  /** Optional full-image mask (width×height), non-zero = analysed. Only pixels inside `roi` AND the mask count. */
  mask?: Uint8Array | null;
}

export { validateRoi };

/** Number of analysed pixels in the region. */
export function regionPixelCount(region: AnalysisRegion, width: number): number {
  const { roi, mask } = region;
  if (!mask) return roi.width * roi.height;
  let n = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    const o = y * width;
    for (let x = roi.x; x < roi.x + roi.width; x++) if (mask[o + x] !== 0) n++;
  }
  return n;
}
