/**
 * Sauvola (Fiji Auto_Local_Threshold 1.11.0 `Sauvola`): object iff
 * pixel > (int)(mean · (1 + k·(√variance / R − 1))), mean and variance as in Niblack (RankFilters on
 * float32). Parameter 1 = k (default 0.5), parameter 2 = R, the dynamic range of the standard
 * deviation (default 128; 16-bit: 128 × 257 = 32896).
 * Sauvola J., Pietikäinen M. (2000) Adaptive document image binarization, Pattern Recognition 33(2) 225–236.
 */
import { d2i } from '../threshold/java.js';
import { objectBit, SCALE16, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMeanVariance } from './rank.js';

export const SAUVOLA_PARAMS: LocalParamInfo = {
  names: ['k', 'r'],
  integer: [false, false],
  defaults: (bitDepth) => [0.5, bitDepth === 16 ? 128 * SCALE16 : 128],
};

export function sauvola(raster: LocalRaster, radius: number, k: number, r: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const { mean, variance } = rankMeanVariance(data, width, height, radius, { mean: true, variance: true });
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const m = mean![i]!;
    out[i] = objectBit(data[i]! > d2i(m * (1.0 + k * (Math.sqrt(variance![i]!) / r - 1.0))), whiteObjects);
  }
  return out;
}
