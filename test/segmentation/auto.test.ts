/**
 * The automatic segmenter (src/segmentation/auto): accuracy against known truth and on real images.
 *
 * Where the expected values come from:
 *  - generated dense electrodes: the generator's own void mask (scripts/samples/dense.ts, seeded);
 *    the tolerances are the target (1 pp) and the accuracy measured by
 *    `npm run bench:segmentation` (max 0.69 pp, band contains the truth in 19/20);
 *  - bundled samples: samples/sem/ground-truth.json (generator scripts/samples/sem.ts);
 *  - llzo cathode: the by-eye range 5–9 % (hand-set --threshold 35..45 --gaussian 1 gives 4.4–8.5 %);
 *  - kit fibre test.tif: the issue says the void class is ambiguous there → must not be 'high';
 *  - taufactor electrode.tiff page 0: MANIFEST.md, pore fraction 0.449737548828125 (label 0);
 *  - hand-made histograms and noise: computed by hand in the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseSuite, denseSpec, generateDenseImage } from '../../scripts/samples/dense.js';
import { mulberry32, normal } from '../../scripts/lib/random.js';
import { createRaster, type Raster } from '../../src/raster/types.js';
import { phaseCounts, VOID } from '../../src/raster/labels.js';
import { readImage } from '../../src/raster/read.js';
import { tryAllThresholds } from '../../src/segmentation/threshold/index.js';
import { segmentAuto, noiseReport, thresholdBand, bandForThreshold, thresholdConfidence, speckleReport, groupBands, fitMixture, voidRule } from '../../src/segmentation/auto/index.js';
import { computeThreshold, manualThreshold, applyThreshold } from '../../src/segmentation/threshold/index.js';
import type { Segmentation } from '../../src/segmentation/segmentation-types.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REF = join(ROOT, '..', 'shared', 'refdata', 'sem');

function vf(s: Segmentation): number {
  const c = phaseCounts(s.labels);
  return c[VOID]! / (c[1]! + c[2]!);
}

test('generated dense electrodes: auto within 1 pp of the truth on all 20 cases (MultiOtsu off by up to 40 pp); band contains the truth on ≥ 17', () => {
  let covered = 0;
  let worstMulti = 0;
  for (const c of denseSuite()) {
    const img = generateDenseImage(c.spec);
    const raster = createRaster(img.width, img.height, img.pixels);
    const s = segmentAuto({ raster, area: null }, { method: 'auto' });
    const f = vf(s);
    assert.ok(Math.abs(f - img.trueVoidFraction) <= 0.01, `${c.name}: auto ${f} vs truth ${img.trueVoidFraction}`);
    const b = s.confidence.band!;
    assert.ok(b.low <= f && f <= b.high, `${c.name}: band ${b.low}–${b.high} must contain the value ${f}`);
    if (img.trueVoidFraction >= b.low && img.trueVoidFraction <= b.high) covered++;
    const multi = tryAllThresholds(raster, { methods: ['MultiOtsu'] }).methods[0]!.voidFraction;
    worstMulti = Math.max(worstMulti, Math.abs(multi - img.trueVoidFraction));
    assert.equal(s.record.segmenter, 'auto');
    assert.equal(s.record.thresholds.length, 2);
  }
  assert.ok(covered >= 17, `band covered the truth in ${covered}/20 (bench: 19/20)`);
  // the failure this segmenter fixes: today's default is tens of points off on these images
  assert.ok(worstMulti > 0.3, `MultiOtsu worst error ${worstMulti}`);
});

test('16-bit, float and bright-void versions of a dense image give the same void fraction (±0.3 pp)', () => {
  const img = generateDenseImage(denseSpec(0.05, 4711, { width: 320, height: 240 }));
  const n = img.pixels.length;
  const base = vf(segmentAuto({ raster: createRaster(img.width, img.height, img.pixels), area: null }));
  const u16 = new Uint16Array(n);
  const f32 = new Float32Array(n);
  const inv = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    u16[i] = img.pixels[i]! * 257 + 100;
    f32[i] = img.pixels[i]! / 255 - 0.5;
    inv[i] = 255 - img.pixels[i]!;
  }
  const s16 = segmentAuto({ raster: createRaster(img.width, img.height, u16), area: null });
  const r16 = vf(s16);
  // the record speaks raster units: the void component's mean ≈ 257 × the 8-bit one + 100 (±2 % of the range)
  const s8 = segmentAuto({ raster: createRaster(img.width, img.height, img.pixels), area: null });
  const m8 = (s8.record.params.components as { mean: number }[])[0]!.mean;
  const m16 = (s16.record.params.components as { mean: number }[])[0]!.mean;
  assert.ok(Math.abs(m16 - (m8 * 257 + 100)) < 0.02 * 65535, `${m16} vs ${m8 * 257 + 100}`);
  assert.ok(s16.record.thresholds[0]! > 257 * 20 && s16.record.thresholds[1]! < 257 * 120, JSON.stringify(s16.record.thresholds));
  const rf = vf(segmentAuto({ raster: createRaster(img.width, img.height, f32), area: null }));
  const rb = vf(segmentAuto({ raster: createRaster(img.width, img.height, inv), area: null }, { method: 'auto', voids: 'bright' }));
  for (const [name, v] of [['16-bit', r16], ['float', rf], ['bright', rb]] as const) {
    assert.ok(Math.abs(v - base) <= 0.003, `${name}: ${v} vs 8-bit ${base}`);
  }
  assert.ok(Math.abs(base - img.trueVoidFraction) <= 0.01);
});

test('analysed area: pixels outside are label 0 and not counted; an empty area is EEMPTY', () => {
  const img = generateDenseImage(denseSpec(0.06, 99, { width: 256, height: 192 }));
  const raster = createRaster(img.width, img.height, img.pixels);
  const area = new Uint8Array(img.pixels.length);
  area.fill(1, 0, 256 * 96);
  const s = segmentAuto({ raster, area });
  for (let i = 256 * 96; i < area.length; i++) assert.equal(s.labels.data[i], 0);
  assert.throws(() => segmentAuto({ raster, area: new Uint8Array(area.length) }), /no pixels/);
  assert.throws(() => segmentAuto({ raster, area: null }, { method: 'auto', denoise: -1 }), /denoise/);
});

test('a flat image (one grey level) has no void population: 0 voids, low confidence, a warning', () => {
  const raster: Raster = createRaster(64, 48, new Uint8Array(64 * 48).fill(120));
  const s = segmentAuto({ raster, area: null });
  assert.equal(vf(s), 0);
  assert.equal(s.confidence.level, 'low');
  assert.ok(s.confidence.warnings.length > 0);
});

test('bundled samples/sem: auto recovers every ground-truth void fraction within 0.25 pp (bench: max 0.18 pp), band contains it (40/40), 1.5 vs 2.5 wt % cycled cathodes resolved', async () => {
  const cycled: Record<string, { low: number; high: number }[]> = {};
  const gt = JSON.parse(readFileSync(join(ROOT, 'samples', 'sem', 'ground-truth.json'), 'utf8')) as {
    images: { file: string; trueVoidFraction: number; micrographRows: number }[];
  };
  assert.equal(gt.images.length, 40);
  for (const t of gt.images) {
    const { raster } = await readImage(join(ROOT, 'samples', 'sem', t.file));
    const area = new Uint8Array(raster.width * raster.height);
    area.fill(1, 0, raster.width * t.micrographRows);
    const s = segmentAuto({ raster, area });
    assert.ok(Math.abs(vf(s) - t.trueVoidFraction) <= 0.0025, `${t.file}: ${vf(s)} vs ${t.trueVoidFraction}`);
    const b = s.confidence.band!;
    assert.ok(b.low <= t.trueVoidFraction && t.trueVoidFraction <= b.high, `${t.file}: band ${b.low}–${b.high} vs truth ${t.trueVoidFraction}`);
    assert.equal(s.confidence.level, 'high', t.file);
    const m = /^cathode\/NBR(1\.5|2\.5)\/cycled150\//.exec(t.file);
    if (m) (cycled[m[1]!] ??= []).push(b);
  }
  // the study's 11.2 % vs 9.0 % (1.5 vs 2.5 wt % NBR, cycled): every 1.5 band lies above every 2.5 band
  for (const a of cycled['1.5']!) for (const b of cycled['2.5']!) assert.ok(a.low > b.high, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('thresholdBand: hand-computed bands on hand-made histograms', () => {
  // deep valley: 1000 dark px in bins 0–9, 9000 in 100–199; any boundary 45–55 gives 10 %
  const valley = new Float64Array(256);
  for (let b = 0; b < 10; b++) valley[b] = 100;
  for (let b = 100; b < 200; b++) valley[b] = 90;
  const v = thresholdBand(valley, 50, 'dark', 5);
  assert.equal(v.low, 0.1);
  assert.equal(v.high, 0.1);
  // flat histogram (1 px per bin): boundary 127 ± 10 → bins ≤ 117 … ≤ 137 → 118/256 … 138/256
  const flat = new Float64Array(256).fill(1);
  const f = thresholdBand(flat, 127, 'dark', 10);
  assert.equal(f.low, 118 / 256);
  assert.equal(f.high, 138 / 256);
  const fb = thresholdBand(flat, 127, 'bright', 10);
  assert.equal(fb.low, 1 - 138 / 256);
  assert.equal(fb.high, 1 - 118 / 256);
  // fractional δ interpolates within the neighbouring bin; δ = 0 (noise-free) gives a point
  const frac = thresholdBand(flat, 127, 'dark', 0.25);
  assert.equal(frac.low, 127.75 / 256);
  assert.equal(frac.high, 128.25 / 256);
  const point = thresholdBand(flat, 127, 'dark', 0);
  assert.equal(point.low, 128 / 256);
  assert.equal(point.high, 128 / 256);
  assert.match(f.rule, /noise σ/);
});

test('noiseReport: σ of white Gaussian noise (σ = 10) on flat grey with a step is recovered within 5 %', () => {
  const W = 400;
  const H = 300;
  const rnd = mulberry32(5);
  const d = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) d[y * W + x] = (x < W / 2 ? 80 : 160) + 10 * normal(rnd);
  const r = noiseReport(createRaster(W, H, d), null);
  assert.ok(Math.abs(r.sigma - 10) < 0.5, `σ = ${r.sigma}`);
  // contrast p95 − p5 ≈ 80 + 2·1.645·10 ≈ 113 → relative ≈ 0.088: high → median 2
  assert.equal(r.level, 'high');
  assert.equal(r.suggestedMedian, 2);
  assert.match(r.recommendation!, /median 2/);
  const quiet = noiseReport(createRaster(W, H, d.map((v) => Math.round((v - 120) / 10) * 10 + 120)), null);
  assert.ok(quiet.sigma >= 0);
});

test('Gaussian mixture: two separated populations are found (weights, means) and the void rule lies between them', () => {
  const h = new Float64Array(256);
  for (let b = 0; b < 256; b++) h[b] = 500 * Math.exp(-0.5 * ((b - 40) / 5) ** 2) + 4500 * Math.exp(-0.5 * ((b - 150) / 10) ** 2);
  const fit = fitMixture(h, 2);
  const [a, b] = fit.components;
  assert.ok(Math.abs(a!.mean - 40) < 0.5 && Math.abs(b!.mean - 150) < 0.5);
  assert.ok(Math.abs(a!.weight - 500 * 5 / (500 * 5 + 4500 * 10)) < 0.005);
  const rule = voidRule(fit.components)!;
  assert.ok(rule.d > 9);
  assert.equal(rule.seed, Math.floor((40 + 150) / 2)); // separated: the area-preserving midpoint
});

const REAL = existsSync(REF);
test('real LLZO–LCO composite cathode: auto lands in the by-eye 5–9 % range (default MultiOtsu 33 %) and is not "high"', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'llzo_lco_cathode', 'Picture1cropped.png'));
  const s = segmentAuto({ raster, area: null });
  const f = vf(s);
  assert.ok(f >= 0.05 && f <= 0.09, `llzo auto ${f}`);
  assert.ok(s.confidence.band!.low <= 0.05 && s.confidence.band!.high >= 0.09, JSON.stringify(s.confidence.band));
  assert.notEqual(s.confidence.level, 'high');
  assert.ok(s.confidence.warnings.length > 0);
});

test('real fibre cross-section (kit test.tif): the ambiguous void class is flagged low (a dark phase, not a void minority), band ≥ 5 pp', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'kit_sem_mapping_zeiss', 'test.tif'));
  const s = segmentAuto({ raster, area: null });
  assert.equal(s.confidence.level, 'low');
  assert.ok(s.confidence.warnings.some((w) => /dark phase/.test(w)), s.confidence.warnings.join(' | '));
  assert.ok(s.confidence.band!.high - s.confidence.band!.low >= 0.05, JSON.stringify(s.confidence.band));
});

test('real noisy FIB-SEM slice: noiseReport suggests a median filter; auto is low confidence', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'kit_sem_mapping_zeiss', 'InLens_keyframe_00001_slice_00006_z=1.6659um.tif'));
  const nr = noiseReport(raster, null);
  assert.ok(nr.suggestedMedian !== null && nr.suggestedMedian >= 1, JSON.stringify(nr));
  assert.match(nr.recommendation!, /median/);
  assert.equal(segmentAuto({ raster, area: null }).confidence.level, 'low');
});

test('taufactor labelled NMC volume, page 0: the pore phase is recovered exactly (0.449737548828125), high confidence', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'taufactor', 'electrode.tiff'), { page: 0 });
  const s = segmentAuto({ raster, area: null });
  assert.equal(vf(s), 0.449737548828125);
  assert.equal(s.confidence.level, 'high');
});

test('bandForThreshold: an ImageJ threshold keeps its value; 8-bit band = F(t ± σ) by hand; noise-free labels give a point', () => {
  // 8-bit: grey g has (g + 1) pixels for g < 100 and none above; Otsu is whatever ImageJ says, the band is checked by hand
  const vals: number[] = [];
  for (let g = 0; g < 100; g++) for (let k = 0; k <= g; k++) vals.push(g);
  const data = Uint8Array.from(vals);
  const raster = createRaster(data.length, 1, data);
  const t = manualThreshold(raster, 49, 'dark');
  const total = (100 * 101) / 2;
  // σ = 2 given: boundary 47 … 51 → Σ_{g≤47}(g+1) = 48·49/2 = 1176, Σ_{g≤51}(g+1) = 52·53/2 = 1378
  const b = bandForThreshold(raster, null, t, { noiseSigma: 2 });
  assert.equal(b.low, 1176 / total);
  assert.equal(b.high, 1378 / total);
  const otsu = computeThreshold(raster, { method: 'Otsu' });
  const bo = bandForThreshold(raster, null, otsu, { noiseSigma: 0 });
  assert.equal(bo.low, bo.high); // noise-free: a point, at ImageJ's own threshold
  let below = 0;
  for (const v of vals) if (v <= otsu.value) below++;
  assert.equal(bo.low, below / total);
});

test('groupBands keeps the spread between images and the segmentation band apart (hand-computed)', () => {
  const g = groupBands([
    { value: 0.10, band: { low: 0.09, high: 0.12, rule: '' } },
    { value: 0.12, band: { low: 0.11, high: 0.12, rule: '' } },
    { value: 0.08, band: null },
  ]);
  assert.equal(g.n, 3);
  assert.ok(Math.abs(g.mean - 0.1) < 1e-15);
  assert.ok(Math.abs(g.sdBetweenImages! - 0.02) < 1e-15); // values 0.10, 0.12, 0.08: SD = 0.02
  assert.ok(Math.abs(g.segmentation!.low - 0.1) < 1e-15);
  assert.ok(Math.abs(g.segmentation!.high - 0.12) < 1e-15);
  assert.ok(Math.abs(g.segmentation!.meanHalfWidth - 0.01) < 1e-15); // (0.015 + 0.005) / 2
});

test('noiseReport and bandForThreshold on 16-bit: σ scales with the data (×257), the relative noise does not; the ImageJ band holds the observed fraction', () => {
  const img = generateDenseImage(denseSpec(0.05, 1234, { width: 256, height: 192 }));
  const n = img.pixels.length;
  const u16 = new Uint16Array(n);
  for (let i = 0; i < n; i++) u16[i] = img.pixels[i]! * 257;
  const r8 = createRaster(img.width, img.height, img.pixels);
  const r16 = createRaster(img.width, img.height, u16);
  const n8 = noiseReport(r8, null);
  const n16 = noiseReport(r16, null);
  assert.ok(Math.abs(n16.sigma / n8.sigma - 257) < 257 * 0.03, `${n16.sigma} vs ${n8.sigma}`);
  assert.ok(Math.abs(n16.relative - n8.relative) < 0.003);
  assert.equal(n16.level, n8.level);
  const t = computeThreshold(r16, { method: 'Otsu' });
  let voids = 0;
  for (let i = 0; i < n; i++) if (u16[i]! <= t.value) voids++;
  const b = bandForThreshold(r16, null, t, { noiseSigma: n16.sigma, observed: voids / n });
  assert.ok(b.low <= voids / n && voids / n <= b.high);
  // Otsu sits in the matrix: the 16-bit band is as wide as the 8-bit one (same image, same rule)
  const t8 = computeThreshold(r8, { method: 'Otsu' });
  const b8 = bandForThreshold(r8, null, t8, { noiseSigma: n8.sigma });
  assert.ok(Math.abs((b.high - b.low) - (b8.high - b8.low)) < 0.03, `${b.low}–${b.high} vs ${b8.low}–${b8.high}`);
});

test('a generated electrode WITHOUT voids: auto does not claim a confident void fraction (level low, band down to 0)', () => {
  const img = generateDenseImage(denseSpec(0, 555));
  assert.equal(img.trueVoidFraction, 0);
  const s = segmentAuto({ raster: createRaster(img.width, img.height, img.pixels), area: null });
  assert.equal(s.confidence.level, 'low');
  assert.equal(s.confidence.band!.low, 0);
  assert.ok(s.confidence.warnings.length > 0);
});

test('speckleReport: hand-made mask (3 components: a single pixel, a diagonal pair, an L) and the 100-component warning rule', () => {
  // 6×4, 8-connectivity: (0,0) alone; (3,0)+(4,1) diagonal pair; (0,3),(1,3),(1,2) an L
  const W = 6;
  const m = new Uint8Array(24);
  for (const [x, y] of [[0, 0], [3, 0], [4, 1], [0, 3], [1, 3], [1, 2]] as const) m[y * W + x] = 1;
  const r = speckleReport(m, W, 4);
  assert.deepEqual({ c: r.components, s: r.singles, w: r.warning }, { c: 3, s: 1, w: null });
  // outside the area a pixel does not count
  const area = new Uint8Array(24).fill(1);
  area[0] = 0;
  assert.equal(speckleReport(m, W, 4, area).components, 2);
  // a 40×40 checkerboard of isolated pixels: 400 single-pixel components → warning
  const cb = new Uint8Array(40 * 40);
  for (let y = 0; y < 40; y += 2) for (let x = 0; x < 40; x += 2) cb[y * 40 + x] = 1;
  const c = speckleReport(cb, 40, 40);
  assert.equal(c.components, 400);
  assert.equal(c.singles, 400);
  assert.match(c.warning!, /400 of 400 pores are single pixels/);
});

test('real FIB-SEM slice with today\'s default (MultiOtsu): the issue\'s 16,293 "pores", most single pixels, get a speckle warning', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'kit_sem_mapping_zeiss', 'InLens_keyframe_00001_slice_00006_z=1.6659um.tif'));
  const t = computeThreshold(raster, { method: 'MultiOtsu' });
  const mask = applyThreshold(raster, t.value, 'dark');
  const r = speckleReport(mask, raster.width, raster.height);
  assert.equal(r.components, 16293); // the count the issue reports (8-connected, no size filter)
  assert.ok(r.singles > r.components / 2, `${r.singles}`);
  assert.match(r.warning!, /median 2 suggested/);
});

test('thresholdConfidence on the real cathode: the default MultiOtsu (33.0 %) is low confidence with a wide band and the noise hint', { skip: REAL ? false : `${REF} absent` }, async () => {
  const { raster } = await readImage(join(REF, 'llzo_lco_cathode', 'Picture1cropped.png'));
  const t = computeThreshold(raster, { method: 'MultiOtsu' });
  const mask = applyThreshold(raster, t.value, 'dark');
  let v = 0;
  for (const x of mask) v += x;
  const f = v / mask.length;
  assert.ok(Math.abs(f - 0.33) < 0.001, `${f}`); // the issue: "default (MultiOtsu, lowest class) 33.0 %"
  const c = thresholdConfidence(raster, null, t, f);
  assert.equal(c.level, 'low');
  assert.ok(c.band!.low < f - 0.1 && c.band!.high > f + 0.1, JSON.stringify(c.band));
  assert.ok(c.warnings.some((w) => /median/.test(w)));
});

test('float raster with NaN pixels: NaN is not analysed (label 0) and never void', () => {
  const img = generateDenseImage(denseSpec(0.05, 77, { width: 200, height: 150 }));
  const f = new Float32Array(img.pixels.length);
  for (let i = 0; i < f.length; i++) f[i] = img.pixels[i]!;
  for (let i = 0; i < f.length; i += 97) f[i] = NaN;
  const s = segmentAuto({ raster: createRaster(200, 150, f), area: null });
  for (let i = 0; i < f.length; i += 97) assert.equal(s.labels.data[i], 0);
  assert.ok(s.record.notes.some((n) => /NaN pixels: not analysed/.test(n)));
  assert.ok(Math.abs(vf(s) - img.trueVoidFraction) < 0.01, `${vf(s)} vs ${img.trueVoidFraction}`);
});

test('a flat image (one grey level, e.g. a zeroed micrograph) has no void class: 0 % void, band 0–100 %, confidence low with the reason', () => {
  // Ground truth by construction: nothing in a constant 16-bit image can be told apart from anything else.
  // (The real FEI Helios refdata file whose micrograph area is zeroed gave 100 % void before this rule.)
  const r = createRaster(64, 48, new Uint16Array(64 * 48));
  const seg = segmentAuto({ raster: r, area: null });
  assert.equal(phaseCounts(seg.labels)[VOID], 0);
  assert.deepEqual([seg.confidence.band?.low, seg.confidence.band?.high, seg.confidence.level], [0, 1, 'low']);
  assert.match(seg.confidence.warnings.join(' '), /single grey-level population/);
});
