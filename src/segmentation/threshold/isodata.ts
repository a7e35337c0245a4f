import { iadd, idiv, imul, intHistogram, javaResult, roundToInt } from './java.js';

/**
 * IsoData / intermeans (Ridler & Calvard 1978), as in ImageJ 1.53t `AutoThresholder.IsoData`:
 * starting just above the first non-empty bin (bin 0 ignored), increase g until
 * g = round((L + H) / 2), L = mean below g, H = mean above g (bin g itself excluded).
 *
 * ImageJ quirks kept: L is computed in Java `int` arithmetic — the sum Σ i·h[i] wraps at
 * 2³¹ (images of more than ~8.4 M pixels) and L = sum / count is an integer division.
 * Degenerate histograms (as ImageJ): no g is found → -1 → 0 for all-zero, one grey value,
 * two adjacent values (100/101) and 0/255 (bin 0 is never below g); two values 60/180 → 120.
 */
export function isoData(histogram: ArrayLike<number>): number {
  const data = intHistogram(histogram);
  const n = data.length;
  let g = 0;
  for (let i = 1; i < n; i++) {
    if (data[i]! > 0) {
      g = i + 1;
      break;
    }
  }
  for (;;) {
    let l = 0; // Java int
    let totl = 0; // Java int
    for (let i = 0; i < g; i++) {
      totl = iadd(totl, data[i]!);
      l = iadd(l, imul(data[i]!, i));
    }
    let h = 0;
    let toth = 0;
    for (let i = g + 1; i < n; i++) {
      toth += data[i]!;
      h += data[i]! * i;
    }
    if (totl > 0 && toth > 0) {
      l = idiv(l, totl);
      h /= toth;
      if (g === roundToInt((l + h) / 2.0)) break;
    }
    g++;
    if (g > n - 2) return javaResult(-1);
  }
  return javaResult(g);
}
