import { intHistogram, roundToInt } from './java.js';

/**
 * IJ_IsoData: ImageJ's original iterative intermeans (`AutoThresholder.IJIsoData`, ImageJ 1.53t),
 * kept there "for backward compatibility". Differences from IsoData that are kept here:
 * bins 0 and 255 (the first and last bin) are ignored — "so erased areas aren't included" —
 * and the result is round((mean ≤ t + mean > t) / 2) at the first t where the moving index
 * passes it.
 *
 * Degenerate histograms (as ImageJ): fewer than two non-empty bins once the first and last
 * bins are zeroed → data.length/2 = 128 (all-zero, one grey value, 0/255, 254/255);
 * two values 60/180 → 120; 100/101 → 101.
 */
export function ijIsoData(histogram: ArrayLike<number>): number {
  return ijIsoDataInPlace(intHistogram(histogram));
}

/** The port proper; modifies `data[0]` and `data[last]` (the caller passes a copy). */
export function ijIsoDataInPlace(data: Int32Array): number {
  const maxValue = data.length - 1;
  data[0] = 0; // "set to zero so erased areas aren't included"
  data[maxValue] = 0;
  let min = 0;
  while (data[min] === 0 && min < maxValue) min++;
  let max = maxValue;
  while (data[max] === 0 && max > 0) max--;
  if (min >= max) return data.length >> 1;
  let movingIndex = min;
  let result: number;
  do {
    let sum1 = 0.0;
    let sum2 = 0.0;
    let sum3 = 0.0;
    let sum4 = 0.0;
    for (let i = min; i <= movingIndex; i++) {
      sum1 += i * data[i]!;
      sum2 += data[i]!;
    }
    for (let i = movingIndex + 1; i <= max; i++) {
      sum3 += i * data[i]!;
      sum4 += data[i]!;
    }
    result = (sum1 / sum2 + sum3 / sum4) / 2.0;
    movingIndex++;
  } while (movingIndex + 1 <= result && movingIndex < max - 1);
  return roundToInt(result);
}
