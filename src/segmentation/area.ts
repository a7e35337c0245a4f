/**
 * The analysed area: data-bar rows cut off (unless keepDatabar), the ROI validated and clipped,
 * the analysis mask turned into 0/1. Pure. `areaMask` materialises the area as a full-size 0/1
 * mask for segmenters that do not take a ROI.
 */
import type { Raster, Roi } from '../raster/types.js';
import { VoidscopeError } from '../errors.js';
import type { DatabarInfo } from './metadata/index.js';
import { validateRoi, type AnalysisRegion } from './metrics/region.js';
import type { PorosityResult } from './types.js';

export function isRaster(x: unknown): x is Raster {
  return typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x && !(x instanceof Uint8Array);
}

/**
 * The analysed area: the one region type (metrics/region.ts AnalysisRegion: a rectangle and an
 * optional mask) plus where the micrograph ends and what the data bar was.
 */
export interface AnalysisArea extends AnalysisRegion {
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

export function toMaskArray(mask: Uint8Array | Raster, width: number, height: number): Uint8Array {
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


/**
 * The area as a 0/1 mask of width × rows (1 = analysed: inside the ROI and the mask), or null when
 * every one of those pixels is analysed.
 */
export function areaMask(area: AnalysisArea, width: number): Uint8Array | null {
  const rows = area.micrographRows;
  const { roi, mask } = area;
  if (!mask && roi.x === 0 && roi.y === 0 && roi.width === width && roi.height === rows) return null;
  const out = new Uint8Array(width * rows);
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    const o = y * width;
    if (mask) for (let x = roi.x; x < roi.x + roi.width; x++) out[o + x] = mask[o + x] !== 0 ? 1 : 0;
    else out.fill(1, o + roi.x, o + roi.x + roi.width);
  }
  return out;
}
