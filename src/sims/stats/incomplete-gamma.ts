/**
 * Regularized incomplete gamma functions P(a, x), Q(a, x) and their inverses, hand-written
 * because @stdlib/math-base-special-gammainc (0.2.x, used by the stdlib χ² quantile) is wrong for
 * a ≳ 1000 when x > a: e.g. stdlib's χ²₀.₉₇₅(2000) = 2126.17, while SciPy 1.17 gives 2125.84
 * (Wilson–Hilferty and Cornish–Fisher agree with SciPy). That would shift the upper Garwood limit
 * of maps with more than ~500 counts. Methods (Numerical Recipes 3rd ed. §6.2): series for
 * x < a + 1, Lentz continued fraction otherwise; ln Γ by Stirling's series (a ≥ 10, with upward
 * recurrence below). Inverses by safeguarded Newton iteration inside a bracket.
 */

const LN_SQRT_2PI = 0.9189385332046728;

/** ln Γ(a) for a > 0 (relative error ~1e-15). */
export function lnGamma(a: number): number {
  if (!(a > 0)) throw new RangeError(`lnGamma needs a > 0, got ${a}`);
  let shift = 0;
  let x = a;
  while (x < 10) {
    shift -= Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return shift + (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
}

function prefactor(a: number, x: number): number {
  return Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

/** P(a, x) by its power series (use for x < a + 1). */
function pSeries(a: number, x: number): number {
  let ap = a;
  let del = 1 / a;
  let sum = del;
  for (let n = 0; n < 1_000_000; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * 1e-16) break;
  }
  return sum * prefactor(a, x);
}

/** Q(a, x) by the modified Lentz continued fraction (use for x ≥ a + 1). */
function qContinuedFraction(a: number, x: number): number {
  const FPMIN = 1e-300;
  let b = x + 1 - a;
  let c = 1 / FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1_000_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = b + an / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return prefactor(a, x) * h;
}

/** Lower regularized incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  return x < a + 1 ? pSeries(a, x) : 1 - qContinuedFraction(a, x);
}

/** Upper regularized incomplete gamma Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  return x < a + 1 ? 1 - pSeries(a, x) : qContinuedFraction(a, x);
}

/**
 * x such that P(a, x) = p (the p-quantile of Gamma(a, 1)), for 0 < p < 1.
 * Newton on whichever of P or Q is the small one (for accuracy), kept inside a shrinking bracket.
 */
export function gammaQuantile(a: number, p: number): number {
  if (!(a > 0) || !(p > 0 && p < 1)) throw new RangeError(`gammaQuantile needs a > 0 and 0 < p < 1 (a=${a}, p=${p})`);
  const useUpper = p > 0.5;
  const target = useUpper ? 1 - p : p;
  const f = (x: number) => (useUpper ? target - gammaQ(a, x) : gammaP(a, x) - target); // increasing in x
  // Wilson–Hilferty start, then bracket.
  const z = Math.sqrt(2) * inverseErf(2 * p - 1);
  let x = a * Math.pow(Math.max(1e-3, 1 - 1 / (9 * a) + z / (3 * Math.sqrt(a))), 3);
  if (!(x > 0)) x = a;
  let lo = 0;
  let hi = Math.max(2 * x, a + 50 * Math.sqrt(a) + 50);
  while (f(hi) < 0) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    const dens = Math.exp(-x + (a - 1) * Math.log(x) - lnGamma(a)); // dP/dx
    let next = x - fx / dens;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, x)) return next;
    x = next;
  }
  return x;
}

/** Inverse error function (Giles 2012 single-precision start + two Newton steps; ~1e-15). */
export function inverseErf(y: number): number {
  if (y <= -1) return -Infinity;
  if (y >= 1) return Infinity;
  let w = -Math.log((1 - y) * (1 + y));
  let x: number;
  if (w < 5) {
    w -= 2.5;
    let p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
    x = p * y;
  } else {
    w = Math.sqrt(w) - 3;
    let p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
    x = p * y;
  }
  for (let i = 0; i < 2; i++) {
    const err = erf(x) - y;
    x -= err / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  }
  return x;
}

/** erf via P(½, x²). */
export function erf(x: number): number {
  const v = gammaP(0.5, x * x);
  return x < 0 ? -v : v;
}
