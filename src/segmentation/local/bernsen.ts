/**
 * Bernsen (Fiji Auto_Local_Threshold 1.11.0 `Bernsen`): with local max and min over ImageJ's circular
 * kernel (RankFilters MAX/MIN), contrast = max − min and mid = (max + min) / 2 (integer division):
 * contrast < contrastThreshold → object iff mid ≥ 128 (the low-contrast window is all one class);
 * otherwise object iff pixel ≥ mid. Parameter 1 = contrast threshold (default 15). Parameter 2 unused.
 * 16-bit: 128 ↦ 128 × 257 = 32896 (default contrast threshold 15 × 257 = 3855).
 * Bernsen J. (1986) Dynamic thresholding of grey-level images, Proc. 8th ICPR, 1251–1255.
 */
import { bitDepthOf, objectBit, SCALE16, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMinMax } from './rank.js';

export const BERNSEN_PARAMS: LocalParamInfo = {
  names: ['contrastThreshold', null],
  integer: [true, false],
  defaults: (bitDepth) => [bitDepth === 16 ? 15 * SCALE16 : 15, 0],
};

export function bernsen(raster: LocalRaster, radius: number, contrastThreshold: number, _p2: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const { min, max } = rankMinMax(data, width, height, radius);
  const half = bitDepthOf(raster) === 16 ? 128 * SCALE16 : 128;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const lo = min[i]!;
    const hi = max[i]!;
    const mid = (lo + hi) >>> 1;
    const cond = hi - lo < contrastThreshold ? mid >= half : data[i]! >= mid;
    out[i] = objectBit(cond, whiteObjects);
  }
  return out;
}
