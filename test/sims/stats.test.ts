/**
 * Counting statistics against independently computed values. Sources:
 * - Garwood limits: Gehrels (1986) ApJ 303:336, Tables 1–2 (CL 0.975 one-sided = two-sided 95 %):
 *   n = 0 → [0, 3.689]; n = 10 → [4.795, 18.390]; full precision from SciPy 1.17 chi2.ppf.
 * - Clopper–Pearson: R binom.test(5, 10) → [0.187086, 0.812914]; k = 0 closed form 1 − 0.025^(1/n).
 * - Poisson rate ratio: R `?poisson.test` example poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)):
 *   rate ratio 1.971488, 95 % CI [0.8584264, 4.2772659].
 * - Otsu: scikit-image 0.19.3 threshold_otsu; Gaussian blur: SciPy ndimage.gaussian_filter
 *   (mode 'nearest', truncate 3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binCounts,
  clopperPearson,
  createRaster,
  garwoodInterval,
  gammaQuantile,
  gaussianBlur,
  hotspotFraction,
  meanCountsInterval,
  otsuThreshold,
  poissonRateRatio,
  proportionRatioKatz,
  summarizeCounts,
} from '../../src/index.js';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);

test('Garwood interval: Gehrels (1986) table values and SciPy precision', () => {
  const g0 = garwoodInterval(0);
  assert.equal(g0.lower, 0);
  close(g0.upper, 3.689, 5e-4, 'n=0 upper (Gehrels)');
  close(g0.upper, 3.6888794541139354, 1e-12, 'n=0 upper (SciPy)');
  const g10 = garwoodInterval(10);
  close(g10.lower, 4.795, 5e-4, 'n=10 lower (Gehrels)');
  close(g10.upper, 18.39, 5e-4, 'n=10 upper (Gehrels)');
  close(g10.lower, 4.7953886961324335, 1e-12);
  close(g10.upper, 18.39035604201778, 1e-12);
  // Large counts (our own inverse; stdlib is wrong there): SciPy chi2.ppf(0.975, 2000)/2 = 1062.9211512248878.
  close(garwoodInterval(999).upper, 2125.8423024497756 / 2, 1e-8, 'n=999 upper');
  close(garwoodInterval(83943).lower, 1.272218154601302 * 65536, 1e-6); // SciPy chi2.ppf(0.025, 167886) / 2
  close(garwoodInterval(83943).upper, 169025.61741341476 / 2, 1e-6);
  close(2 * gammaQuantile(10000, 0.975), 20393.883649999767, 1e-7);
  // Continuity at the switch from stdlib to our inverse (df 600 → 602).
  const below = garwoodInterval(299).upper;
  const above = garwoodInterval(300).upper;
  assert.ok(above - below > 1 && above - below < 1.1);
  // Mean per pixel = total interval / pixels.
  const m = meanCountsInterval(10, 4);
  close(m.lower, 4.7953886961324335 / 4, 1e-12);
  assert.throws(() => garwoodInterval(-1), RangeError);
});

test('Clopper–Pearson interval: R binom.test values and closed forms', () => {
  const a = clopperPearson(5, 10);
  close(a.lower, 0.187086, 1e-6);
  close(a.upper, 0.812914, 1e-6);
  const z = clopperPearson(0, 10);
  assert.equal(z.lower, 0);
  close(z.upper, 1 - 0.025 ** (1 / 10), 1e-12);
  const f = clopperPearson(10, 10);
  close(f.lower, 0.025 ** (1 / 10), 1e-12);
  assert.equal(f.upper, 1);
  assert.throws(() => clopperPearson(11, 10), RangeError);
});

test('Poisson rate ratio: R poisson.test example; edge cases', () => {
  const r = poissonRateRatio(11, 800, 6 + 8 + 7, 1083 + 1050 + 878);
  close(r.value, 1.971488, 1e-6);
  close(r.lower, 0.8584264, 1e-7);
  close(r.upper, 4.2772659, 1e-7);
  const zeroRef = poissonRateRatio(5, 1, 0, 1);
  assert.equal(zeroRef.value, Infinity);
  assert.equal(zeroRef.upper, Infinity);
  assert.ok(zeroRef.lower > 0);
  // Same counts, same exposure: 1, interval symmetric on the log scale.
  const same = poissonRateRatio(400, 10, 400, 10);
  assert.equal(same.value, 1);
  close(Math.log(same.lower), -Math.log(same.upper), 1e-12);
  // Katz: hand computation for 100/1000 vs 50/1000: RR 2, SE √(1/100 − 1/1000 + 1/50 − 1/1000) = √0.028.
  const k = proportionRatioKatz(100, 1000, 50, 1000)!;
  assert.equal(k.value, 2);
  close(k.upper, 2 * Math.exp(1.959963984540054 * Math.sqrt(0.028)), 1e-9);
  assert.equal(proportionRatioKatz(0, 10, 5, 10), null);
});

test('summary: total, mean, median (even n), zero fraction, SD, dispersion', () => {
  const s = summarizeCounts(Uint32Array.from([0, 0, 1, 3, 4, 10]));
  assert.equal(s.totalCounts, 18);
  assert.equal(s.meanCounts, 3);
  assert.equal(s.medianCounts, 2); // (1 + 3) / 2
  assert.equal(s.zeroFraction, 2 / 6);
  close(s.sdCounts, Math.sqrt((9 + 9 + 4 + 0 + 1 + 49) / 5), 1e-12);
  close(s.dispersionIndex!, 72 / 5 / 3, 1e-12);
  assert.equal(s.integerCounts, true);
  assert.equal(summarizeCounts(Float64Array.from([0.5, 1])).integerCounts, false);
});

test('binning: counts conserved, edge rows/columns dropped and reported, pixel size scaled', () => {
  // 5×3 map, values 0..14; 2×2 bins → 2×1, dropping column 4 and row 2.
  const r = createRaster(5, 3, Uint32Array.from({ length: 15 }, (_, i) => i), { pixelSize: { value: 0.5, unit: 'µm', source: 'test' } });
  const b = binCounts(r, 2);
  assert.deepEqual([b.raster.width, b.raster.height], [2, 1]);
  assert.deepEqual(Array.from(b.raster.data), [0 + 1 + 5 + 6, 2 + 3 + 7 + 8]);
  assert.equal(b.droppedColumns, 1);
  assert.equal(b.droppedRows, 1);
  assert.equal(b.droppedCounts, 105 - 12 - 20);
  assert.equal(b.raster.pixelSize?.value, 1);
  assert.ok(b.raster.data instanceof Uint32Array);
  assert.throws(() => binCounts(r, 4), /larger than the 5×3 map/);
});

test('Otsu: integer and float maps against scikit-image 0.19.3', () => {
  // Integers 0..10 pattern (i·7 mod 11), 5×6: skimage on the Gaussian-blurred float version below.
  const a = Uint32Array.from({ length: 30 }, (_, i) => (i * 7) % 11);
  const g = gaussianBlur(a, 6, 5, 1);
  close(g[0]!, 3.5207107966524207, 1e-12, 'blur [0,0] vs SciPy');
  close(g[2 * 6 + 3]!, 5.212049020890779, 1e-12, 'blur [2,3]');
  close(g[29]!, 5.702942985970834, 1e-12, 'blur [4,5]');
  const t = otsuThreshold(g);
  close(t.threshold, 3.619114842336802, 1e-9, 'float Otsu');
  assert.equal(g.filter((v) => v > t.threshold).length, 27);
  // Float pattern: skimage threshold_otsu = 26.674817778150135, 261 pixels above.
  const f = Float64Array.from({ length: 4096 }, (_, i) => ((i * 7919) % 1000) / 37.3 + (i % 17 === 0 ? 40 : 0));
  const tf = otsuThreshold(f);
  close(tf.threshold, 26.674817778150135, 1e-9);
  assert.equal(f.filter((v) => v > tf.threshold).length, 261);
  // Constant map: threshold = the value, nothing above.
  assert.equal(otsuThreshold(Uint32Array.from([3, 3, 3])).threshold, 3);
});

test('hot-spot fraction: sigma rule by hand, smoothing recorded in the rule', () => {
  // 10 pixels: nine 1s and one 11: mean 2, SD √10 → threshold 2 + 1·√10 = 5.16: one hot pixel.
  const d = Uint32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]);
  const h = hotspotFraction(d, 5, 2, { method: 'sigma', k: 1 });
  close(h.thresholdCounts, 2 + Math.sqrt(10), 1e-12);
  assert.equal(h.fraction, 0.1);
  assert.match(h.rule.description, /mean \+ 1·SD/);
  const s = hotspotFraction(d, 5, 2, { method: 'otsu', smoothSigmaPx: 1 });
  assert.match(s.rule.description, /Gaussian blur \(σ = 1 px\)/);
});
