/**
 * Phansalkar (Fiji Auto_Local_Threshold 1.11.0 `Phansalkar`): on the image normalised to 0..1,
 * object iff pixel > mean · (1 + p·exp(−q·mean) + k·(sd / r − 1)), p = 2, q = 10 fixed.
 *
 * Exactly Fiji's steps: ContrastEnhancer "normalize" with 0 % saturation (LUT
 * v ↦ (int)((v − min)/(max − min) · 255) over the whole image's min..max, nothing when the image is
 * flat), conversion to float32, `multiply(1.0/255)` in float32, RankFilters MEAN and VARIANCE of that
 * float image (ImageJ's summation order), sd = (float)√variance. Parameter 1 = k (default 0.25),
 * parameter 2 = r (default 0.5). 16-bit: the normalisation maps to 0..65535 (ImageJ's 16-bit
 * normalize) and is divided by 65535, so k and r keep their meaning.
 * Phansalkar N. et al. (2011) Adaptive local thresholding for detection of nuclei in diversity stained
 * cytology images, ICCSP 2011, 218–220.
 */
import { d2i } from '../threshold/java.js';
import { bitDepthOf, objectBit, type LocalParamInfo, type LocalRaster } from './common.js';
import { rankMeanVariance } from './rank.js';

export const PHANSALKAR_PARAMS: LocalParamInfo = {
  names: ['k', 'r'],
  integer: [false, false],
  defaults: () => [0.25, 0.5],
};

const P = 2.0;
const Q = 10.0;

export function phansalkar(raster: LocalRaster, radius: number, k: number, r: number, whiteObjects: boolean): Uint8Array {
  const { width, height, data } = raster;
  const top = bitDepthOf(raster) === 16 ? 65535 : 255;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = Math.fround(1.0 / top); // FloatProcessor.multiply: c = (float)value, v * c in float
  const norm = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const s = hi > lo ? (v <= lo ? 0 : v >= hi ? top : d2i(((v - lo) / (hi - lo)) * top)) : v;
    norm[i] = s * scale;
  }
  const { mean, variance } = rankMeanVariance(norm, width, height, radius, { mean: true, variance: true });
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const m = mean![i]!;
    const v = variance![i]!;
    const sd = v <= 0 ? 0 : Math.fround(Math.sqrt(v));
    out[i] = objectBit(norm[i]! > m * (1.0 + P * Math.exp(-Q * m) + k * (sd / r - 1.0)), whiteObjects);
  }
  return out;
}
