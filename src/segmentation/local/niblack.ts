/**
 * Niblack (Fiji Auto_Local_Threshold 1.11.0 `Niblack`): object iff pixel > (int)(mean + k·√variance − C),
 * mean and variance being RankFilters MEAN and VARIANCE of the image as float32 (ImageJ's summation
 * order and float rounding). Parameter 1 = k (default +0.2 for white objects, −0.2 for dark ones, as
 * Niblack recommends), parameter 2 = C (whole number, default 0). Same rule on 16-bit values.
 * Niblack W. (1986) An Introduction to Digital Image Processing, Prentice-Hall.
 */
import { d2i } from '../threshold/java.js';
import { objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMeanVariance } from './rank.js';

export const NIBLACK_PARAMS: LocalParamInfo = {
  names: ['k', 'c'],
  integer: [false, true],
  defaults: (_depth, whiteObjects) => [whiteObjects ? 0.2 : -0.2, 0],
};

export function niblack(raster: LocalRaster, radius: number, k: number, c: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const { mean, variance } = rankMeanVariance(data, width, height, radius, { mean: true, variance: true });
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] = objectBit(data[i]! > d2i(mean![i]! + k * Math.sqrt(variance![i]!) - c), whiteObjects);
  }
  return out;
}
