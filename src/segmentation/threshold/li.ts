import { d2i, DBL_EPSILON, intHistogram, javaResult } from './java.js';

/** Safety cap: ImageJ's loop has none; an oscillating iteration would hang ImageJ. */
export const LI_MAX_ITERATIONS = 1000;

/**
 * Li's minimum cross-entropy thresholding, iterative version (Li & Tam 1998), as in ImageJ
 * 1.53t `AutoThresholder.Li` (Landini's port of Celebi's code). The initial estimate is the
 * mean grey level; each step sets t ← round((μb − μo) / (ln μb − ln μo)) until it changes by
 * ≤ 0.5. ImageJ iterates on integer thresholds on the raw bin indices (scikit-image does not,
 * so its Li differs).
 *
 * Degenerate histograms (as ImageJ): all-zero → 0; one grey value → 0 (a class mean is 0,
 * ln 0 = −∞, the update is 0); two values 60/180 → 109; 100/101 → 0. Deviation: ImageJ's loop
 * has no iteration limit; we stop after 1000 iterations and return the current threshold
 * (never observed; ImageJ would hang).
 */
export function li(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const tolerance = 0.5;
  let numPixels = 0;
  for (let ih = 0; ih < n; ih++) numPixels += data[ih]!;
  let mean = 0.0;
  for (let ih = 0 + 1; ih < n; ih++) mean += ih * data[ih]!;
  mean /= numPixels;
  let newThresh = mean;
  let oldThresh: number;
  let threshold: number;
  let iterations = 0;
  do {
    oldThresh = newThresh;
    threshold = d2i(oldThresh + 0.5);
    let sumBack = 0;
    let numBack = 0;
    const top = Math.min(threshold, n - 1); // ImageJ would index past the array (cannot happen)
    for (let ih = 0; ih <= top; ih++) {
      sumBack += ih * data[ih]!;
      numBack += data[ih]!;
    }
    const meanBack = numBack === 0 ? 0.0 : sumBack / numBack;
    let sumObj = 0;
    let numObj = 0;
    for (let ih = Math.max(threshold + 1, 0); ih < n; ih++) {
      sumObj += ih * data[ih]!;
      numObj += data[ih]!;
    }
    const meanObj = numObj === 0 ? 0.0 : sumObj / numObj;
    const temp = (meanBack - meanObj) / (Math.log(meanBack) - Math.log(meanObj));
    if (temp < -DBL_EPSILON) newThresh = d2i(temp - 0.5);
    else newThresh = d2i(temp + 0.5);
    if (++iterations >= LI_MAX_ITERATIONS) break;
  } while (Math.abs(newThresh - oldThresh) > tolerance);
  return javaResult(threshold);
}
