/**
 * MidGrey (Fiji Auto_Local_Threshold 1.11.0 `MidGrey`): object iff pixel > (max + min) / 2 − C with
 * RankFilters MAX/MIN over ImageJ's circular kernel and integer division. Parameter 1 = C (whole
 * number, default 0). Same rule on 16-bit values.
 */
import { objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMinMax } from './rank.js';

export const MID_GREY_PARAMS: LocalParamInfo = {
  names: ['c', null],
  integer: [true, false],
  defaults: () => [0, 0],
};

export function midGrey(raster: LocalRaster, radius: number, c: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const { min, max } = rankMinMax(data, width, height, radius);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = objectBit(data[i]! > ((max[i]! + min[i]!) >>> 1) - c, whiteObjects);
  return out;
}
