/**
 * ImageJ 1.53t `AutoThresholder.bimodalTest`: true when the (smoothed) histogram has exactly
 * two strict local maxima. Shared by Intermodes and Minimum.
 */
export function bimodalTest(y: Float64Array): boolean {
  const len = y.length;
  let modes = 0;
  for (let k = 1; k < len - 1; k++) {
    if (y[k - 1]! < y[k]! && y[k + 1]! < y[k]!) {
      modes++;
      if (modes > 2) return false;
    }
  }
  return modes === 2;
}

/** ImageJ gives up smoothing after this many passes (Intermodes, Minimum) and logs a message. */
export const MAX_SMOOTHING_ITERATIONS = 10000;
