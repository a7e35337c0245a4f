/**
 * The analysed region: a rectangle (ROI) optionally further restricted by a mask
 * (non-zero = analysed). Pixels outside are ignored by every measurement.
 */
import type { Roi } from '../../raster/types.js';
import { VoidscopeError } from '../../errors.js';

export interface AnalysisRegion {
  /** Bounding rectangle of the analysed pixels (the ROI, or the whole image). */
  roi: Roi;
  /** Optional full-image mask (width×height), non-zero = analysed. Only pixels inside `roi` AND the mask count. */
  mask?: Uint8Array | null;
}

/** Check a ROI lies inside a width×height image and has positive size. */
export function validateRoi(roi: Roi, width: number, height: number): Roi {
  const ok =
    roi !== null &&
    typeof roi === 'object' &&
    [roi.x, roi.y, roi.width, roi.height].every((v) => Number.isInteger(v)) &&
    roi.x >= 0 &&
    roi.y >= 0 &&
    roi.width > 0 &&
    roi.height > 0 &&
    roi.x + roi.width <= width &&
    roi.y + roi.height <= height;
  if (!ok) {
    throw new VoidscopeError(
      'EOPTION',
      `roi ${JSON.stringify(roi)} must be whole pixels with width, height > 0 and lie inside the ${width}x${height} image`,
    );
  }
  return { x: roi.x, y: roi.y, width: roi.width, height: roi.height };
}

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
