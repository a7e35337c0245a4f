/**
 * Real ULVAC-PHI TRIFT II counts converted to TIFF/CSV (MANIFEST §4) and real SurfaceLab
 * spectrum / depth-profile exports (MANIFEST §2–3). Sums, maxima and non-zero counts are the
 * MANIFEST's [computed] values, re-derived by us with numpy 2.4 / tifffile (same numbers);
 * peak counts of the spectra are the authors' own processed tables ([3rd-party data]).
 * Otsu thresholds were computed with scikit-image 0.19.3 `threshold_otsu` on the same arrays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSimsMap, peakInWindow, readSimsFile } from '../../src/sims/index.js';
import type { Spectrum } from '../../src/sims/index.js';
import { ref, refAbsent } from './helpers.js';

function stats(d: ArrayLike<number>, w: number) {
  let sum = 0;
  let max = 0;
  let nz = 0;
  let row0 = 0;
  let col0 = 0;
  for (let i = 0; i < d.length; i++) {
    sum += d[i]!;
    if (d[i]! > max) max = d[i]!;
    if (d[i]! > 0) nz++;
    if (i < w) row0 += d[i]!;
    if (i % w === 0) col0 += d[i]!;
  }
  return { sum, max, nz, row0, col0 };
}

test('ULVAC-PHI TIC count TIFF (uint32): sums, maximum, non-zero pixels', { skip: refAbsent }, async () => {
  const ds = await readSimsFile(ref('derived/tofsimsData_testImage_TIC_256x256_uint32.tif'));
  assert.equal(ds.format, 'count-tiff');
  const r = await ds.channels[0]!.load();
  assert.equal(r.width, 256);
  assert.ok(r.data instanceof Uint32Array);
  assert.deepEqual(stats(r.data, 256), { sum: 1859292, max: 296, nz: 60872, row0: 1660, col0: 5545 });
});

test('ULVAC-PHI K+ (m/z 39) as uint32 TIFF and as CSV: identical counts', { skip: refAbsent }, async () => {
  const tif = await (await readSimsFile(ref('derived/tofsimsData_testImage_mz39_256x256_uint32.tif'))).channels[0]!.load();
  const csvDs = await readSimsFile(ref('derived/tofsimsData_testImage_mz39_256x256.csv'));
  assert.equal(csvDs.format, 'matrix-text');
  const csv = await csvDs.channels[0]!.load();
  assert.deepEqual(stats(tif.data, 256), { sum: 83943, max: 18, nz: 36731, row0: 66, col0: 259 });
  assert.deepEqual(Array.from(csv.data), Array.from(tif.data));
});

test('ULVAC-PHI K+/TIC: analysis values (mean 1.28086853, ratio 0.0451478, Otsu from scikit-image)', { skip: refAbsent }, async () => {
  // The K+ count image has no ion label: it is selected explicitly (never assumed to be Li+).
  const r = await analyzeSimsMap(ref('derived/tofsimsData_testImage_mz39_256x256_uint32.tif'), {
    channel: 'index:0',
    total: ref('derived/tofsimsData_testImage_TIC_256x256_uint32.tif'),
  });
  assert.equal(r.totalCounts, 83943);
  assert.ok(Math.abs(r.meanCounts - 1.28086853) < 1e-8);
  assert.equal(r.medianCounts, 1); // numpy median
  assert.equal(r.zeroFraction, 1 - 36731 / 65536);
  assert.ok(Math.abs(r.dispersionIndex! - 2.087103466261704) < 1e-9); // numpy var(ddof=1)/mean
  // Garwood limits from SciPy 1.17: chi2.ppf(0.025, 2·83943)/2/65536, chi2.ppf(0.975, 2·83943+2)/2/65536.
  assert.ok(Math.abs(r.meanCountsCI95.lower - 1.272218154601302) < 1e-12);
  assert.ok(Math.abs(r.meanCountsCI95.upper - 1.2895631211350613) < 1e-12);
  assert.ok(r.ticRatio);
  assert.ok(Math.abs(r.ticRatio.value - 0.0451478) < 1e-7); // MANIFEST
  // Clopper–Pearson from SciPy 1.17 binomtest(83943, 1859292).proportion_ci('exact').
  assert.ok(Math.abs(r.ticRatio.lower - 0.044849827548744337) < 1e-11);
  assert.ok(Math.abs(r.ticRatio.upper - 0.0454472511826498) < 1e-11);
  // scikit-image 0.19.3 threshold_otsu(K) = 2, fraction of pixels > 2 = 0.18768310546875.
  assert.equal(r.hotspot?.thresholdCounts, 2);
  assert.equal(r.hotspotFraction, 0.18768310546875);
});

test('ULVAC-PHI K+: ROI, 2×2 binning and sigma rule against numpy / scikit-image', { skip: refAbsent }, async () => {
  const file = ref('derived/tofsimsData_testImage_mz39_256x256.csv');
  await assert.rejects(analyzeSimsMap(file), /single channel with no ion label or mass, so voidscope cannot tell whether it is Li⁺/);
  const roi = await analyzeSimsMap(file, { channel: 'index:0', roi: { x: 10, y: 20, width: 100, height: 50 } });
  assert.equal(roi.totalCounts, 3083); // numpy k[20:70, 10:110].sum()
  assert.equal(roi.maxCounts, 8);
  const b = await analyzeSimsMap(file, { channel: 'index:0', bin: 2 });
  assert.equal(b.width, 128);
  assert.equal(b.totalCounts, 83943); // counts conserved
  assert.equal(b.maxCounts, 52); // numpy 2×2 block sums
  assert.equal(b.zeroFraction, 0.18255615234375);
  assert.equal(b.hotspot?.thresholdCounts, 6); // skimage threshold_otsu on the binned map
  assert.equal(b.hotspotFraction, 0.32330322265625);
  const s = await analyzeSimsMap(file, { channel: 'index:0', hotspot: { method: 'sigma', k: 2 } });
  assert.ok(Math.abs(s.hotspot!.thresholdCounts - 4.550917550920819) < 1e-9); // numpy mean + 2·std(ddof=1)
  assert.equal(s.hotspotFraction, 0.0514984130859375);
});

test('SurfaceLab positive spectrum: peak counts equal the authors\' processed table', { skip: refAbsent }, async () => {
  const ds = await readSimsFile(ref('P_HEA19_Bi1_1.txt'));
  assert.equal(ds.format, 'surfacelab-spectrum');
  const s = ds.meta.spectrum as Spectrum;
  assert.equal(s.mz.length, 4908);
  assert.deepEqual(s.settings, ['# Binning: 200 channels', '# Deadtime Correction: on']);
  assert.deepEqual([s.channel[0], s.mz[0], s.intensity[0]], [100, 0.000195, 0]);
  assert.deepEqual([s.channel[4907], s.mz[4907], s.intensity[4907]], [981452, 887.02474, 0]);
  assert.equal((await ds.channels[0]!.load()).data[0], 10148635);
  // Authors' AllSample_PositiveMode_ProcessedData.csv line 136: largest single bin near each mass.
  const peak = (m: number) => peakInWindow(s, m - 0.02, m + 0.02).maxBin!;
  assert.deepEqual([peak(1.005782).counts, peak(38.996489).counts, peak(22.989339).counts, peak(27.052527).counts], [22661, 400937, 3078636, 141236]);
  // ⁷Li⁺ bin 7.006745 = 3488 counts, next bin 7.0389 = 94 (MANIFEST [computed]).
  const li = peakInWindow(s, 7.016 - 0.05, 7.016 + 0.05);
  assert.equal(li.counts, 3488 + 94);
  assert.deepEqual(li.maxBin, { mz: 7.006745, channel: 86900, counts: 3488 });
  assert.equal(peakInWindow(s, 6.0, 6.03).counts, 285); // ⁶Li⁺ bin 6.016639
});

test('SurfaceLab spectrum through analyzeSimsMap: default Li+ window, ratio to the summed spectrum', { skip: refAbsent }, async () => {
  const r = await analyzeSimsMap(ref('P_HEA19_Bi1_1.txt'));
  assert.equal(r.channel.selectedBy, 'default Li channel: m/z 7.016 ± 0.05 u window (inclusive)');
  assert.equal(r.totalCounts, 3582);
  assert.equal(r.ticRatio?.totalIonCounts, 10148635);
  assert.equal(r.hotspot, null);
});

test('SurfaceLab negative spectrum: H and Cl peaks, row count and total', { skip: refAbsent }, async () => {
  const ds = await readSimsFile(ref('N_HEA19_Bi1_1.txt'));
  const s = ds.meta.spectrum as Spectrum;
  assert.equal(s.mz.length, 4950);
  assert.equal((await ds.channels[0]!.load()).data[0], 21868157);
  const peak = (m: number) => peakInWindow(s, m - 0.02, m + 0.02).maxBin!.counts;
  assert.deepEqual([peak(1.005081), peak(34.974233)], [2857041, 2446707]);
});

test('SurfaceLab depth-profile export: 47 points, 106 peak/ratio columns, total column sum', { skip: refAbsent }, async () => {
  const ds = await readSimsFile(ref('I241213e_M_PCBM-ref_2D_pos-B1 - NF.txt'));
  assert.equal(ds.format, 'surfacelab-profile');
  assert.equal(ds.width, 47);
  assert.equal(ds.channels.length, 106);
  const total = ds.channels[0]!;
  assert.equal(total.label, 'total');
  assert.equal(total.kind, 'total');
  const t = await total.load();
  let sum = 0;
  for (const v of t.data) sum += v;
  assert.ok(Math.abs(sum - 2634327.6) < 0.05, `${sum}`);
  assert.equal(t.data[46], 18315.2); // last row, column 5
  assert.equal((ds.meta.sputterTimeS as Float64Array)[46], 152.371);
  const ag = ds.channels.find((c) => c.label === 'Ag+')!;
  assert.equal(ag.mzCentre, 106.9038);
  // 14 inf cells live only in ratio columns.
  let inf = 0;
  for (const c of ds.channels.filter((ch) => ch.kind === 'ratio')) for (const v of (await c.load()).data) if (!Number.isFinite(v)) inf++;
  assert.equal(inf, 14);
});
