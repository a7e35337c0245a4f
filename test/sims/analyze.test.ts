/**
 * analyzeSimsMap / compareSimsMaps on files written here with known counts, and on the committed
 * synthetic samples. Expected values are computed by hand in the test from the written counts;
 * comparison intervals from SciPy 1.17 binomtest(k, k + k_ref).proportion_ci('exact') mapped
 * to a rate ratio (the method of R poisson.test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { analyzeSimsMap, compareSimsMaps, encodeBif6, readSimsFile, VoidscopeError } from '../../src/index.js';
import type { SimsMapResult } from '../../src/index.js';
import { SAMPLES, tempDir } from './helpers.js';

const N = 8;
function writeMap(dir: string, name: string, li: (x: number, y: number) => number): string {
  const liC = new Uint32Array(N * N);
  const tot = new Uint32Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) {
    liC[y * N + x] = li(x, y);
    tot[y * N + x] = li(x, y) + 20;
  }
  const f = join(dir, name);
  writeFileSync(f, encodeBif6(N, N, [
    { id: 0, masses: [0, 0, 0], counts: tot },
    { id: 2, masses: [6.99, 7.016, 7.04], counts: liC },
  ]));
  return f;
}

test('analyzeSimsMap: ROI, binning, --fov calibration, TIC ratio and recorded choices', async () => {
  const dir = tempDir();
  // Li = x (0..7 per row): total per row 28, whole map 224; total-ion = Li + 20 per pixel.
  const f = writeMap(dir, 'ramp.bif6', (x) => x);
  const r = await analyzeSimsMap(f, { fovUm: 16, roi: { x: 4, y: 0, width: 4, height: 6 }, bin: 2, hotspot: { method: 'sigma', k: 0 } });
  // ROI columns 4..7, rows 0..5: 6 rows × (4+5+6+7) = 132 counts; 2×2 bins → 2×3 map of (4+5)·2 = 18 and (6+7)·2 = 26.
  assert.equal(r.totalCounts, 132);
  assert.deepEqual([r.width, r.height, r.pixels], [2, 3, 6]);
  assert.deepEqual(Array.from(r.raster.data), [18, 26, 18, 26, 18, 26]);
  assert.equal(r.meanCounts, 22);
  assert.equal(r.medianCounts, 22);
  assert.equal(r.pixelSize?.value, 4); // 16 µm / 8 px = 2 µm, ×2 binning
  assert.equal(r.areaUm2, 96);
  assert.equal(r.countsPerUm2, 132 / 96);
  assert.equal(r.ticRatio?.totalIonCounts, 132 + 20 * 24);
  assert.equal(r.ticRatio?.value, 132 / 612);
  assert.deepEqual(r.roi, { x: 4, y: 0, width: 4, height: 6 });
  assert.equal(r.binning.factor, 2);
  assert.match(r.binning.effect, /counts conserved/);
  assert.equal(r.hotspotFraction, 0.5); // sigma k = 0: above the mean 22 → the three 26s
  assert.equal(r.channel.id, 2);
  assert.equal(r.total?.source, 'same file, channel 0 (id 0)');
  assert.ok(!('raster' in JSON.parse(JSON.stringify(r))), 'raster stays out of JSON');
  // Without --fov: uncalibrated, and said so.
  const u = await analyzeSimsMap(f);
  assert.equal(u.pixelSize, null);
  assert.equal(u.areaUm2, null);
  assert.ok(u.assumptions.some((a) => /no field of view/.test(a)));
});

test('analyzeSimsMap: options validated up front with clear errors', async () => {
  const dir = tempDir();
  const f = writeMap(dir, 'm.bif6', () => 1);
  const bad: [object, RegExp][] = [
    [{ bin: 3.5 }, /--bin must be an integer/],
    [{ fovUm: -1 }, /--fov must be/],
    [{ roi: { x: 6, y: 0, width: 4, height: 2 } }, /extends past the 8×8 map/],
    [{ channel: 'id:9' }, /no channel matches id 9/],
    [{ channel: { mz: 100 } }, /no channel matches m\/z 100/],
    [{ bin: 16 }, /larger than the 8×8 map/],
  ];
  for (const [o, re] of bad) await assert.rejects(analyzeSimsMap(f, o), (e: Error) => e instanceof VoidscopeError && e.code === 'EOPTION' && re.test(e.message));
  await assert.rejects(analyzeSimsMap(f, { total: join(dir, 'nope.txt') }), (e: Error) => e instanceof VoidscopeError && e.code === 'ENOENT');
});

test('compareSimsMaps: exact rate ratio per µm² (values from SciPy binomtest) and per total ion', async () => {
  const dir = tempDir();
  const a = await analyzeSimsMap(writeMap(dir, 'a.bif6', (x, y) => (x + y) % 2 === 0 ? 1 : 0), { fovUm: 8 }); // 32 counts
  const b = await analyzeSimsMap(writeMap(dir, 'b.bif6', () => 1), { fovUm: 8 }); // 64 counts
  const c = compareSimsMaps([a, b], 0);
  assert.equal(c.reference, a.file);
  assert.equal(c.normalisation, 'counts per µm² of analysed area');
  const rb = c.rows[1]!.relativeIntensity;
  assert.equal(rb.value, 2);
  // SciPy: binomtest(64, 96).proportion_ci('exact') → p/(1 − p) (equal exposures).
  assert.ok(Math.abs(rb.lower - 1.288942568359964) < 1e-9, String(rb.lower));
  assert.ok(Math.abs(rb.upper - 3.160068548350149) < 1e-9, String(rb.upper));
  assert.equal(c.rows[0]!.relativeIntensity.value, 1);
  assert.ok(c.rows[1]!.relativeTicRatio);
  assert.equal(c.rows[1]!.relativeTicRatio!.value, (64 / (64 + 1280)) / (32 / (32 + 1280)));
  assert.match(c.caveat, /counting noise/);
  // Different exposure units: binning changes the pixel, not the per-source-pixel rate.
  const a2 = await analyzeSimsMap(a.file, { bin: 2 });
  const b1 = await analyzeSimsMap(b.file);
  const c2 = compareSimsMaps([a2, b1], 0);
  assert.equal(c2.normalisation, 'counts per source pixel (not all maps are calibrated)');
  assert.equal(c2.rows[1]!.relativeIntensity.value, 2);
  assert.throws(() => compareSimsMaps([a], 3), /reference index 3 is out of range/);
});

test('compareSimsMaps: ROIs of different size, interval from the SciPy/R poisson.test construction', async () => {
  const dir = tempDir();
  // Pixels (0..1, 0..1) hold 7, 8, 7, 8 = 30 counts; the rest of the 4×4 corner holds 2 each (12 px → 24).
  const f = writeMap(dir, 'c.bif6', (x, y) => (x < 2 && y < 2 ? [7, 8, 7, 8][y * 2 + x]! : x < 4 && y < 4 ? 2 : 0));
  const small = await analyzeSimsMap(f, { roi: { x: 0, y: 0, width: 2, height: 2 } }); // 30 counts on 4 px
  const big = await analyzeSimsMap(f, { roi: { x: 0, y: 0, width: 4, height: 4 } }); // 30 + 12·2 = 54
  assert.equal(small.totalCounts, 30);
  assert.equal(big.totalCounts, 54);
  const r = compareSimsMaps([big, small], 0).rows[1]!.relativeIntensity;
  assert.equal(r.value, 30 / 4 / (54 / 16));
  // SciPy: binomtest(30, 84).proportion_ci('exact') → p/(1 − p) · 16/4.
  assert.ok(Math.abs(r.lower - 1.3728366487296308) < 1e-9, String(r.lower));
  assert.ok(Math.abs(r.upper - 3.53527124574763) < 1e-9, String(r.upper));
});

test('samples: Li+ rises with binder content; BIF6 and text forms hold the same counts; size budget', { skip: readdirSync(SAMPLES, { withFileTypes: true }).length === 0 ? 'no samples' : false }, async () => {
  const results: SimsMapResult[] = [];
  for (const b of ['0.5', '1.0', '1.5', '2.0', '2.5']) {
    results.push(await analyzeSimsMap(join(SAMPLES, `NBR${b}`, `SiC-anode_NBR${b}_15cyc_pos.bif6`), { fovUm: 50 }));
  }
  for (const r of results) {
    assert.deepEqual([r.width, r.height], [128, 128]);
    assert.equal(r.pixelSize?.value, 50 / 128);
    assert.ok(r.ticRatio);
  }
  for (let i = 1; i < results.length; i++) {
    assert.ok(results[i]!.meanCounts > results[i - 1]!.meanCounts, `mean Li+ rises from NBR index ${i - 1} to ${i}`);
    assert.ok(results[i]!.ticRatio!.value > results[i - 1]!.ticRatio!.value);
  }
  // The generator's model: matrix level 0.35 + 0.45·b counts/px, ×3 in particles, ×1.8 in rims, so the
  // mean lies between 0.35 + 0.45·b and 3× that.
  for (const [i, b] of [0.5, 1.0, 1.5, 2.0, 2.5].entries()) {
    const base = 0.35 + 0.45 * b;
    assert.ok(results[i]!.meanCounts > base && results[i]!.meanCounts < 3 * base);
  }
  const cmp = compareSimsMaps(results, 0);
  assert.ok(cmp.rows[4]!.relativeIntensity.lower > 2, 'NBR2.5 carries clearly more Li+ than NBR0.5');
  for (const b of ['0.5', '2.5']) {
    const dir = join(SAMPLES, `NBR${b}`);
    const bif = await readSimsFile(join(dir, `SiC-anode_NBR${b}_15cyc_pos.bif6`));
    const txtLi = await readSimsFile(join(dir, `SiC-anode_NBR${b}_15cyc_pos (2) - Li+.txt`));
    const txtTot = await readSimsFile(join(dir, `SiC-anode_NBR${b}_15cyc_pos (0) - total.txt`));
    assert.deepEqual(Array.from((await txtLi.channels[0]!.load()).data), Array.from((await bif.channels[1]!.load()).data));
    assert.deepEqual(Array.from((await txtTot.channels[0]!.load()).data), Array.from((await bif.channels[0]!.load()).data));
    const viaText = await analyzeSimsMap(join(dir, `SiC-anode_NBR${b}_15cyc_pos (2) - Li+.txt`), { fovUm: 50 });
    const viaBif = results[b === '0.5' ? 0 : 4]!;
    assert.equal(viaText.totalCounts, viaBif.totalCounts);
    assert.deepEqual(viaText.ticRatio, viaBif.ticRatio);
  }
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else bytes += statSync(join(d, e.name)).size;
    }
  };
  walk(join(SAMPLES, '..'));
  assert.ok(bytes < 1.6e6, `samples/sims is ${bytes} bytes`);
});

test('count PNG (16-bit grey) is read at full depth; a colour PNG is refused', async () => {
  const dir = tempDir();
  const w = 3;
  const h = 2;
  const px = [0, 1, 300, 65535, 7, 42];
  const f = join(dir, 'counts.png');
  // sharp takes a Uint16Array raw input as 16-bit samples (verified with PIL/scikit-image: values kept).
  await sharp(Uint16Array.from(px), { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toFile(f);
  const ds = await readSimsFile(f);
  assert.equal(ds.format, 'count-png');
  assert.deepEqual(Array.from((await ds.channels[0]!.load()).data), px);
  const rgb = join(dir, 'rgb.png');
  await sharp({ create: { width: 2, height: 2, channels: 3, background: { r: 200, g: 10, b: 10 } } }).png().toFile(rgb);
  await assert.rejects(readSimsFile(rgb), (e: Error) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED' && /colour image/.test(e.message) && e.message.includes(rgb));
});

test('sample generator is deterministic and the committed samples are its output', async () => {
  const { spawnSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const { REPO } = await import('./helpers.js');
  const out = join(tempDir(), 'anode');
  const r = spawnSync(process.execPath, [join(REPO, 'dist', 'scripts', 'samples', 'sims.js'), out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const b of readdirSync(SAMPLES)) {
    for (const f of readdirSync(join(SAMPLES, b))) {
      assert.ok(readFileSync(join(out, b, f)).equals(readFileSync(join(SAMPLES, b, f))), `${b}/${f} differs from a fresh run`);
    }
    assert.deepEqual(readdirSync(join(out, b)).sort(), readdirSync(join(SAMPLES, b)).sort());
  }
});
