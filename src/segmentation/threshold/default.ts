import { ijIsoDataInPlace } from './ij-isodata.js';
import { intHistogram } from './java.js';

/**
 * Default: the variant of IJ_IsoData used by ImageJ's Threshold dialog in "Default" mode
 * (ImageJ 1.53t `AutoThresholder.defaultIsoData`). Before running IJ_IsoData, the mode bin
 * is clipped: if the highest bin holds more than twice the second-highest (and the
 * second-highest is non-zero), its count is replaced by (int)(1.5 × second-highest). This
 * keeps a huge background peak from dragging the iteration.
 *
 * The mode is the first bin with the largest count (bin 0 and 255 included — IJ_IsoData then
 * ignores those two bins anyway). Degenerate histograms (as ImageJ): 128 when fewer than two
 * inner bins are non-empty (all-zero, one grey value, 0/255); two values 60/180 → 120;
 * 100/101 → 101.
 */
export function defaultThreshold(histogram: ArrayLike<number>): number {
  const data2 = intHistogram(histogram);
  const n = data2.length;
  let mode = 0;
  let maxCount = 0;
  for (let i = 0; i < n; i++) {
    if (data2[i]! > maxCount) {
      maxCount = data2[i]!;
      mode = i;
    }
  }
  let maxCount2 = 0;
  for (let i = 0; i < n; i++) {
    if (data2[i]! > maxCount2 && i !== mode) maxCount2 = data2[i]!;
  }
  if (maxCount > Math.imul(maxCount2, 2) && maxCount2 !== 0) {
    data2[mode] = Math.trunc(maxCount2 * 1.5); // (int)(maxCount2 * 1.5), always in int range
  }
  return ijIsoDataInPlace(data2);
}
