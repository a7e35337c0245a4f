/**
 * Otsu (1979) threshold on the count histogram, written here because SIMS code must not import
 * src/segmentation (team rule) and the method is ten lines. Follows scikit-image 0.19
 * `threshold_otsu` exactly so results can be checked against it:
 * - integer maps: one histogram bin per integer value from min to max;
 *   float maps: 256 equal bins over [min, max], bin centres as values;
 * - between-class variance w₁·w₂·(μ₁ − μ₂)² for each split, first maximum wins;
 * - the threshold is the centre value of the last bin of the lower class; pixels > threshold
 *   are above it (hot spots).
 */
import type { PixelData } from '../../raster/types.js';

export interface OtsuResult {
  /** Pixels with value > threshold form the upper class. */
  threshold: number;
  bins: number;
}

export function otsuThreshold(data: PixelData | Float64Array): OtsuResult {
  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integer && v !== Math.floor(v)) integer = false;
  }
  if (!(max > min)) return { threshold: min, bins: 1 };
  let hist: Float64Array;
  let centres: Float64Array;
  if (integer && max - min < 1 << 20) {
    const n = max - min + 1;
    hist = new Float64Array(n);
    centres = new Float64Array(n);
    for (let i = 0; i < n; i++) centres[i] = min + i;
    for (let i = 0; i < data.length; i++) hist[data[i]! - min]!++;
  } else {
    const n = 256;
    hist = new Float64Array(n);
    centres = new Float64Array(n);
    const step = (max - min) / n;
    for (let i = 0; i < n; i++) centres[i] = min + (i + 0.5) * step;
    for (let i = 0; i < data.length; i++) {
      let b = Math.floor((data[i]! - min) / step);
      if (b >= n) b = n - 1;
      hist[b]!++;
    }
  }
  const n = hist.length;
  // Cumulative weights/means from below (w1, m1) and from above (w2, m2).
  const w1 = new Float64Array(n);
  const s1 = new Float64Array(n);
  let w = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    w += hist[i]!;
    s += hist[i]! * centres[i]!;
    w1[i] = w;
    s1[i] = s;
  }
  const W = w;
  const S = s;
  let best = -1;
  let bestIdx = 0;
  for (let i = 0; i < n - 1; i++) {
    const a = w1[i]!;
    const b = W - a;
    if (a === 0 || b === 0) {
      if (best < 0) {
        best = 0;
        bestIdx = i;
      }
      continue;
    }
    const ma = s1[i]! / a;
    const mb = (S - s1[i]!) / b;
    const v = a * b * (ma - mb) * (ma - mb);
    if (v > best) {
      best = v;
      bestIdx = i;
    }
  }
  return { threshold: centres[bestIdx]!, bins: n };
}
