/**
 * Mean (Fiji Auto_Local_Threshold 1.11.0 `Mean`): object iff pixel > (int)(mean − C), the mean being
 * RankFilters MEAN of the image converted to 32-bit (float32, ImageJ's summation order) and (int) Java's
 * truncation toward 0. Parameter 1 = C (whole number, default 0). Same rule on 16-bit values.
 */
import { d2i } from '../threshold/java.js';
import { objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMeanVariance } from './rank.js';

export const MEAN_PARAMS: LocalParamInfo = {
  names: ['c', null],
  integer: [true, false],
  defaults: () => [0, 0],
};

export function localMean(raster: LocalRaster, radius: number, c: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const m = rankMeanVariance(data, width, height, radius, { mean: true }).mean!;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = objectBit(data[i]! > d2i(m[i]! - c), whiteObjects);
  return out;
}
