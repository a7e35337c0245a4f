/**
 * voidscope threshold module: ImageJ 1.53t AutoThresholder parity (17 methods, one file each),
 * scikit-image 0.19.3 multi-Otsu, ImageJ's histogram rules for 8/16-bit/float, and the single
 * void rule (`isVoidPixel`). See README.md in this folder.
 */
export * from './methods.js';
export {
  histogram,
  binOf,
  type BinMap,
  type HistogramInfo,
  type HistogramMode,
  type HistogramOptions,
  type HistogramResult,
} from './histogram.js';
export * from './compute.js';
export { multiOtsu, multiOtsuDetail, type MultiOtsuDetail } from './multi-otsu.js';
export { minErrorDetail } from './min-error.js';
export { defaultThreshold } from './default.js';
export { huang } from './huang.js';
export { intermodes } from './intermodes.js';
export { isoData } from './isodata.js';
export { ijIsoData } from './ij-isodata.js';
export { li } from './li.js';
export { maxEntropy } from './max-entropy.js';
export { mean } from './mean.js';
export { minError } from './min-error.js';
export { minimum } from './minimum.js';
export { moments } from './moments.js';
export { otsu } from './otsu.js';
export { percentile } from './percentile.js';
export { renyiEntropy } from './renyi-entropy.js';
export { shanbhag } from './shanbhag.js';
export { triangle } from './triangle.js';
export { yen } from './yen.js';
