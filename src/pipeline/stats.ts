/**
 * Small-sample statistics for the per-binder summary: mean, sample standard
 * deviation, Student-t confidence intervals, Welch's two-sample interval and
 * Spearman's rank correlation.
 *
 * The t quantile comes from @stdlib (a maintained, tested implementation of the
 * incomplete beta inverse). The rest is a handful of textbook formulas on plain
 * number arrays; no statistics package on npm offers Welch's interval with the
 * Welch–Satterthwaite df, average-rank ties and an exact permutation p-value together
 * with typings and no transitive baggage, so they are written out here, each with
 * its formula, and checked against scipy values in test/pipeline/stats.test.ts.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** A two-sided interval at `level` (e.g. 0.95). */
export interface Interval {
  low: number;
  high: number;
  level: number;
  /** How it was computed, e.g. "Student t, df = 4". */
  method: string;
}

export interface Summary {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1 in the denominator); null for n < 2. */
  sd: number | null;
  /** Standard error of the mean; null for n < 2. */
  se: number | null;
  /** Student-t interval of the mean; null for n < 2. */
  ci95: Interval | null;
  min: number | null;
  max: number | null;
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance with n − 1 in the denominator (two-pass, stable for our sizes). */
export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / (xs.length - 1);
}

/** Two-sided Student-t quantile: t such that P(|T_df| ≤ t) = level. */
export function tCritical(df: number, level = 0.95): number {
  return tQuantile(1 - (1 - level) / 2, df);
}

/** Mean, sd, standard error and Student-t 95 % interval of the mean. Non-finite values are ignored. */
export function summarize(values: readonly number[], level = 0.95): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, se: null, ci95: null, min: null, max: null };
  const m = mean(xs);
  // Loops, not Math.min(...xs): spreading a large array overflows the call stack.
  const min = xs.reduce((a, b) => (b < a ? b : a), Infinity);
  const max = xs.reduce((a, b) => (b > a ? b : a), -Infinity);
  if (n < 2) return { n, mean: m, sd: null, se: null, ci95: null, min, max };
  const sd = Math.sqrt(variance(xs));
  const se = sd / Math.sqrt(n);
  const t = tCritical(n - 1, level);
  return {
    n,
    mean: m,
    sd,
    se,
    ci95: { low: m - t * se, high: m + t * se, level, method: `Student t, df = ${n - 1}` },
    min,
    max,
  };
}

export interface WelchResult {
  /** mean(b) − mean(a). */
  difference: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  ci95: Interval;
}

/**
 * Welch's interval for the difference of two means, mean(b) − mean(a), from
 * summary statistics: se = √(s²a/na + s²b/nb), df = se⁴ / Σ (s²i/ni)² / (ni − 1).
 * Needs n ≥ 2 in both groups; returns null otherwise. When both variances are
 * zero the interval collapses to the difference (df reported as na + nb − 2).
 */
export function welchFromStats(
  a: { n: number; mean: number; sd: number },
  b: { n: number; mean: number; sd: number },
  level = 0.95,
): WelchResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const se = Math.sqrt(va + vb);
  const difference = b.mean - a.mean;
  if (se === 0) {
    const df = a.n + b.n - 2;
    return { difference, se, df, ci95: { low: difference, high: difference, level, method: `Welch, df = ${df} (zero variance)` } };
  }
  const df = (va + vb) ** 2 / (va * va / (a.n - 1) + vb * vb / (b.n - 1));
  const t = tCritical(df, level);
  return {
    difference,
    se,
    df,
    ci95: { low: difference - t * se, high: difference + t * se, level, method: `Welch t, df = ${round(df, 2)}` },
  };
}

/** Welch's interval of mean(b) − mean(a) from raw samples. */
export function welch(a: readonly number[], b: readonly number[], level = 0.95): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  return welchFromStats(
    { n: a.length, mean: mean(a), sd: Math.sqrt(variance(a)) },
    { n: b.length, mean: mean(b), sd: Math.sqrt(variance(b)) },
    level,
  );
}

/** Ranks starting at 1, ties get the average of the ranks they span. */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((i, j) => xs[i]! - xs[j]!);
  const r = new Array<number>(xs.length);
  let k = 0;
  while (k < idx.length) {
    let e = k;
    while (e + 1 < idx.length && xs[idx[e + 1]!] === xs[idx[k]!]) e++;
    const avg = (k + e) / 2 + 1;
    for (let q = k; q <= e; q++) r[idx[q]!] = avg;
    k = e + 1;
  }
  return r;
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export interface SpearmanResult {
  n: number;
  /** Spearman's ρ (Pearson correlation of average ranks); null when n < 3 or a variable is constant. */
  rho: number | null;
  /**
   * Two-sided p-value by exact enumeration of all n! permutations (n ≤ 8), the
   * probability of |ρ| at least as large as observed under no association; null
   * for larger n or when ρ is undefined. With n = 5 the smallest possible p is 1/60.
   */
  pExact: number | null;
}

/** Spearman's rank correlation of paired values, with an exact permutation p-value for small n. */
export function spearman(x: readonly number[], y: readonly number[]): SpearmanResult {
  if (x.length !== y.length) throw new RangeError('spearman: x and y differ in length');
  const n = x.length;
  if (n < 3) return { n, rho: null, pExact: null };
  const rx = ranks(x);
  const ry = ranks(y);
  const rho = pearson(rx, ry);
  if (rho === null) return { n, rho: null, pExact: null };
  let pExact: number | null = null;
  if (n <= 8) {
    let extreme = 0;
    let total = 0;
    const eps = 1e-12;
    for (const perm of permutations(ry)) {
      const r = pearson(rx, perm);
      total++;
      if (r !== null && Math.abs(r) >= Math.abs(rho) - eps) extreme++;
    }
    pExact = extreme / total;
  }
  return { n, rho, pExact };
}

function* permutations(xs: readonly number[]): Generator<number[]> {
  // Heap's algorithm.
  const a = xs.slice();
  const c = new Array<number>(a.length).fill(0);
  yield a.slice();
  let i = 0;
  while (i < a.length) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      [a[j], a[i]] = [a[i]!, a[j]!];
      yield a.slice();
      c[i]!++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

/** Round to `digits` decimals (for messages, never for stored values). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
