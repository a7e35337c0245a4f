import { bimodalTest, MAX_SMOOTHING_ITERATIONS } from './bimodal-test.js';
import { intHistogram, javaResult } from './java.js';

/**
 * Intermodes (Prewitt & Mendelsohn 1966), as in ImageJ 1.53t `AutoThresholder.Intermodes`:
 * the histogram between its first and last non-empty bins is smoothed by a 3-point running
 * mean until it has exactly two local maxima; the threshold is floor((j+k)/2).
 *
 * Degenerate histograms: ImageJ gives up after 10 000 smoothing passes ("Intermodes Threshold
 * not found after 10000 iterations.") and returns -1 → 0: one grey value → 0, two adjacent
 * values (100/101) → 0. Two separated values a < b → ⌊(a+b)/2⌋ (60/180 → 120, 0/255 → 127).
 * **All-zero histogram: ImageJ throws ArrayIndexOutOfBoundsException (data[-1]); we return 0.**
 */
export function intermodes(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  let minbin = -1;
  let maxbin = -1;
  for (let i = 0; i < data.length; i++) if (data[i]! > 0) maxbin = i;
  for (let i = data.length - 1; i >= 0; i--) if (data[i]! > 0) minbin = i;
  if (minbin < 0) return 0; // ImageJ: data[-1] → ArrayIndexOutOfBoundsException
  const length = maxbin - minbin + 1;
  const hist = new Float64Array(length);
  for (let i = minbin; i <= maxbin; i++) hist[i - minbin] = data[i]!;

  let iter = 0;
  while (!bimodalTest(hist)) {
    let previous = 0;
    let current = 0;
    let next = hist[0]!;
    for (let i = 0; i < length - 1; i++) {
      previous = current;
      current = next;
      next = hist[i + 1]!;
      hist[i] = (previous + current + next) / 3;
    }
    hist[length - 1] = (current + next) / 3;
    iter++;
    if (iter > MAX_SMOOTHING_ITERATIONS) return javaResult(-1);
  }
  let tt = 0;
  for (let i = 1; i < length - 1; i++) {
    if (hist[i - 1]! < hist[i]! && hist[i + 1]! < hist[i]!) tt += i;
  }
  const threshold = Math.floor(tt / 2.0);
  return javaResult(threshold + minbin);
}
