import { intHistogram, javaResult } from './java.js';

/**
 * Triangle (Zack, Rogers & Latt 1977), as in ImageJ 1.53t `AutoThresholder.Triangle`
 * (modified from J. Schindelin's plugin): a line from the histogram peak to the far end of
 * the histogram (one bin beyond the last non-empty bin, where the count is 0); the threshold
 * is one bin below the point of maximal distance from that line.
 *
 * ImageJ quirks kept: the histogram is FLIPPED when the peak is closer to the low end than to
 * the high end (so the line always runs to the longer tail), and the result is flipped back
 * (255 − split). The "−1" (split--) makes ImageJ's Triangle one level below scikit-image's.
 *
 * Degenerate histograms (as ImageJ): one grey value v → v − 1 or v − 2 depending on v and the
 * pixel count (100 with 1000 px → 99, with 10 px → 98), i.e. no pixel is void; 0 → 2 and
 * 255 → 253 (the flip); all-zero → 2; two values 60 (300 px) / 180 (700 px) → 178,
 * 60 (700) / 180 (300) → 62.
 */
export function triangle(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  const last = n - 1;
  let min = 0;
  let dmax = 0;
  let max = 0;
  let min2 = 0;
  for (let i = 0; i < n; i++) {
    if (data[i]! > 0) {
      min = i;
      break;
    }
  }
  if (min > 0) min--; // line to the (p==0) point, not to data[min]
  for (let i = last; i > 0; i--) {
    if (data[i]! > 0) {
      min2 = i;
      break;
    }
  }
  if (min2 < last) min2++;
  for (let i = 0; i < n; i++) {
    if (data[i]! > dmax) {
      max = i;
      dmax = data[i]!;
    }
  }
  let inverted = false;
  if (max - min < min2 - max) {
    inverted = true;
    data.reverse();
    min = last - min2;
    max = last - max;
  }
  if (min === max) return javaResult(min);

  // line nx·x + ny·y − d = 0 from (min, data[min]) to (max, data[max])
  let nx = data[max]!;
  let ny = min - max;
  let d = Math.sqrt(nx * nx + ny * ny);
  nx /= d;
  ny /= d;
  d = nx * min + ny * data[min]!;
  let split = min;
  let splitDistance = 0;
  for (let i = min + 1; i <= max; i++) {
    const newDistance = nx * i + ny * data[i]! - d;
    if (newDistance > splitDistance) {
      split = i;
      splitDistance = newDistance;
    }
  }
  split--;
  return javaResult(inverted ? last - split : split);
}
