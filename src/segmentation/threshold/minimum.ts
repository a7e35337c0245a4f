import { bimodalTest, MAX_SMOOTHING_ITERATIONS } from './bimodal-test.js';
import { intHistogram, javaResult } from './java.js';

/**
 * Minimum (Prewitt & Mendelsohn 1966), as in ImageJ 1.53t `AutoThresholder.Minimum`: the
 * whole histogram is smoothed with a 3-point running mean (zero outside) until it has exactly
 * two local maxima; the threshold is the first i with h[i−1] > h[i] ≤ h[i+1].
 *
 * Degenerate histograms: ImageJ gives up after 10 000 passes ("Minimum: threshold not found
 * after 10000 iterations.") and returns -1 → 0 — all-zero, one grey value, two adjacent values
 * give 0; two separated values may become bimodal (60/180 → 61, 0/255 → 4).
 */
export function minimum(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  let iHisto = new Float64Array(n);
  for (let i = 0; i < n; i++) iHisto[i] = data[i]!;
  let tHisto = new Float64Array(n);
  let iter = 0;
  while (!bimodalTest(iHisto)) {
    for (let i = 1; i < n - 1; i++) tHisto[i] = (iHisto[i - 1]! + iHisto[i]! + iHisto[i + 1]!) / 3;
    tHisto[0] = (iHisto[0]! + iHisto[1]!) / 3; // 0 outside
    tHisto[n - 1] = (iHisto[n - 2]! + iHisto[n - 1]!) / 3; // 0 outside
    const swap = iHisto; // ImageJ copies tHisto into iHisto; swapping the buffers is equivalent
    iHisto = tHisto;
    tHisto = swap;
    iter++;
    if (iter > MAX_SMOOTHING_ITERATIONS) return javaResult(-1);
  }
  let threshold = -1;
  for (let i = 1; i < n - 1; i++) {
    if (iHisto[i - 1]! > iHisto[i]! && iHisto[i + 1]! >= iHisto[i]!) {
      threshold = i;
      break;
    }
  }
  return javaResult(threshold);
}
