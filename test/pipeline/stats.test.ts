/**
 * Statistics of the per-binder summary. Expected values were computed once with
 * scipy 1.17.1 / numpy (/usr/bin/python3), as quoted next to each assertion:
 *   stats.t.interval(0.95, n-1, loc=mean, scale=sd/sqrt(n)); stats.t.ppf(0.975, df);
 *   Welch by hand from numpy var(ddof=1) with the Welch–Satterthwaite df (matches
 *   stats.ttest_ind(equal_var=False), t = 29.412); stats.spearmanr; the exact
 *   permutation p by enumerating itertools.permutations (16 of 120 for the sp2 case).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { summarize, tCritical, welch, welchFromStats, spearman, ranks } from '../../src/pipeline/stats.js';

const close = (a: number | null | undefined, b: number, tol = 1e-9, what = ''): void => {
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) <= tol, `${what}: expected ${b}, got ${a}`);
};

test('t quantiles match scipy stats.t.ppf(0.975, df)', () => {
  close(tCritical(1), 12.706204736432095, 1e-9, 'df 1');
  close(tCritical(4), 2.7764451051977987, 1e-12, 'df 4');
  close(tCritical(2.5), 3.5746548420118773, 1e-9, 'df 2.5 (non-integer, Welch)');
});

test('mean, sd and Student-t 95 % interval', () => {
  // x = [3.1, 2.9, 3.4, 3.0, 3.2]: mean 3.12, sd 0.19235384061671346,
  // scipy stats.t.interval → (2.8811611611900014, 3.358838838809999)
  const s = summarize([3.1, 2.9, 3.4, 3.0, 3.2]);
  assert.equal(s.n, 5);
  close(s.mean, 3.12, 1e-12, 'mean');
  close(s.sd, 0.19235384061671346, 1e-12, 'sd');
  close(s.ci95?.low, 2.8811611611900014, 1e-9, 'low');
  close(s.ci95?.high, 3.358838838809999, 1e-9, 'high');
  assert.match(s.ci95!.method, /df = 4/);
});

test('one value: mean only, no sd or interval; none: all null; non-finite ignored', () => {
  const one = summarize([15]);
  assert.equal(one.mean, 15);
  assert.equal(one.sd, null);
  assert.equal(one.ci95, null);
  const none = summarize([]);
  assert.equal(none.mean, null);
  assert.equal(summarize([1, Number.NaN, 3]).n, 2);
});

test('Welch interval of cycled − pristine', () => {
  // c = [15.2, 14.1, 15.9, 14.8], p = [3.1, 2.9, 3.4]: d = 11.866666666666667, se = 0.40345728123034025,
  // df = 3.83305799883913, CI (10.726984084516415, 13.00634924881692)
  const w = welch([3.1, 2.9, 3.4], [15.2, 14.1, 15.9, 14.8])!;
  close(w.difference, 11.866666666666667, 1e-12, 'difference');
  close(w.se, 0.40345728123034025, 1e-12, 'se');
  close(w.df, 3.83305799883913, 1e-9, 'df');
  close(w.ci95.low, 10.726984084516415, 1e-8, 'low');
  close(w.ci95.high, 13.00634924881692, 1e-8, 'high');
  assert.equal(welch([1], [2, 3]), null, 'n = 1 in a group gives no interval');
  const z = welchFromStats({ n: 2, mean: 1, sd: 0 }, { n: 2, mean: 3, sd: 0 })!;
  assert.equal(z.ci95.low, 2);
  assert.equal(z.ci95.high, 2);
});

test('ranks average ties', () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
});

test('Spearman ρ and exact permutation p', () => {
  // scipy spearmanr([0.5..2.5], [15.1, 12.9, 11.2, 10.0, 9.0]) → −1; exact p = 2/120 (both perfect orders).
  const a = spearman([0.5, 1, 1.5, 2, 2.5], [15.1, 12.9, 11.2, 10.0, 9.0]);
  close(a.rho, -1, 1e-12, 'rho');
  close(a.pExact, 2 / 120, 1e-12, 'p');
  assert.equal(a.n, 5);
  // spearmanr([1..5], [2,1,4,3,5]) → 0.8; exact p 16/120 = 0.1333…
  const b = spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
  close(b.rho, 0.8, 1e-12, 'rho');
  close(b.pExact, 16 / 120, 1e-12, 'p');
  // With ties: spearmanr([1,2,2,3,4], [1,3,2,2,5]) → 0.7631578947368421
  close(spearman([1, 2, 2, 3, 4], [1, 3, 2, 2, 5]).rho, 0.7631578947368421, 1e-12, 'rho with ties');
  assert.equal(spearman([1, 2], [3, 4]).rho, null, 'n < 3');
  assert.equal(spearman([1, 2, 3], [5, 5, 5]).rho, null, 'constant variable');
});
