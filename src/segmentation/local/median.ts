/**
 * Median (Fiji Auto_Local_Threshold 1.11.0 `Median`): object iff pixel > median − C, the median being
 * ImageJ's RankFilters MEDIAN over the circular kernel (filters/median.ts `medianFilter`, exact;
 * the kernel has an odd number of points, so the median is a pixel value; for 16-bit data the same
 * values come from rank.ts `rankMedian16`, a sliding histogram instead of per-pixel selection). Parameter 1 = C (whole
 * number, default 0). Same rule on 16-bit values.
 */
import type { Raster } from '../../raster/types.js';
import { medianFilter } from '../filters/median.js';
import { objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMedian16 } from './rank.js';

export const MEDIAN_PARAMS: LocalParamInfo = {
  names: ['c', null],
  integer: [true, false],
  defaults: () => [0, 0],
};

export function localMedian(raster: LocalRaster, radius: number, c: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const data = raster.data;
  // 8-bit: filters/median.ts (sliding histogram). 16-bit: rank.ts rankMedian16, the same values faster.
  const med = data instanceof Uint16Array ? rankMedian16(data, raster.width, raster.height, radius) : medianFilter(raster as Raster, radius).data;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = objectBit(data[i]! > med[i]! - c, whiteObjects);
  return out;
}
