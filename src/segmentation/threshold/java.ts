/**
 * Java numeric semantics the ImageJ ports need, in one place.
 *
 * ImageJ's AutoThresholder is Java: `(int)` casts of doubles saturate and map NaN to 0,
 * `int` arithmetic wraps at 32 bits, `Math.round` returns floor(x + ½). JavaScript numbers
 * behave differently in exactly those corners, and the corners matter on degenerate
 * histograms (empty, single value) and on huge images (int overflow), so every port goes
 * through these helpers instead of `Math.trunc`/`Math.round`/plain `*`.
 */

/** Java `(int) d` for a double: NaN → 0, ±∞ and out-of-range saturate, otherwise truncate toward 0. */
export function d2i(d: number): number {
  if (d !== d) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return d < 0 ? Math.ceil(d) : Math.floor(d);
}

/** Java `(int) Math.round(d)`: Math.round gives the long floor(d + ½) (NaN → 0), then the int cast wraps. */
export function roundToInt(d: number): number {
  if (d !== d) return 0;
  // JS Math.round is also the exact floor(d + ½) with ties toward +∞, like Java 7+.
  const r = Math.round(d);
  if (!Number.isFinite(r)) return r > 0 ? -1 : 0; // (int)Long.MAX_VALUE = -1, (int)Long.MIN_VALUE = 0
  if (Math.abs(r) > 2 ** 53) return 0; // unreachable for histogram data; keeps the result an int
  return Number(BigInt.asIntN(32, BigInt(r)));
}

/** Java `int` multiplication (wraps at 32 bits). */
export const imul = Math.imul;

/** Java `int` addition (wraps at 32 bits). */
export function iadd(a: number, b: number): number {
  return (a + b) | 0;
}

/** Java `int` division (truncates toward 0; the caller guarantees b ≠ 0). */
export function idiv(a: number, b: number): number {
  return (a / b) | 0;
}

/**
 * A fresh `int[]` copy of a histogram. Counts are whole numbers ≥ 0; the copy also means no
 * port can ever modify the caller's array (ImageJ's Triangle and IJ_IsoData modify theirs in
 * place and then restore it).
 */
export function intHistogram(histogram: ArrayLike<number>): Int32Array {
  const n = histogram.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = histogram[i]!;
  return out;
}

/** `getThreshold` maps a method's -1 ("not found") to 0. */
export function javaResult(threshold: number): number {
  return threshold === -1 ? 0 : threshold;
}

/** Java's Double.MIN_VALUE (the smallest positive double, not the most negative one). */
export const DOUBLE_MIN_VALUE = 4.9e-324;
/** Java's Double.MAX_VALUE. */
export const DOUBLE_MAX_VALUE = Number.MAX_VALUE;
/** DBL_EPSILON as written in the ported C code. */
export const DBL_EPSILON = 2.220446049250313e-16;
