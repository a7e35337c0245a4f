/**
 * Contrast (Fiji Auto_Local_Threshold 1.11.0 `Contrast`, G. Landini 2013): object iff the pixel is at
 * least as close to the local maximum as to the local minimum (RankFilters MAX/MIN over ImageJ's
 * circular kernel) AND the pixel is not 0 (Fiji 1.10: a 0 pixel is never an object). No parameters.
 * Same rule on 16-bit values.
 */
import { objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMinMax } from './rank.js';

export const CONTRAST_PARAMS: LocalParamInfo = {
  names: [null, null],
  integer: [false, false],
  defaults: () => [0, 0],
};

export function contrast(raster: LocalRaster, radius: number, _p1: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const { min, max } = rankMinMax(data, width, height, radius);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const p = data[i]!;
    out[i] = objectBit(Math.abs(max[i]! - p) <= Math.abs(p - min[i]!) && p !== 0, whiteObjects);
  }
  return out;
}
