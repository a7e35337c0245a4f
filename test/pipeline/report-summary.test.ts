/**
 * The per-binder summary: images of different cycle counts are never pooled, n says what it counts,
 * pore sizes never mix µm and px, the segmentation band is kept apart from the between-image spread,
 * and correlations carry their caveat. Inputs are hand-made rows; expected values are hand calculations.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildCorrelations, buildSummary } from '../../src/pipeline/summary.js';
import { DEFAULT_RULE } from '../../src/pipeline/study.js';
import type { SemImage } from '../../src/pipeline/types.js';
import { fmtBand } from '../../src/pipeline/report/tables.js';

let k = 0;
function img(binder: number, state: 'pristine' | 'cycled', cycles: number | null, porosity: number, extra: Partial<SemImage> & { band?: [number, number] } = {}): SemImage {
  const { band, ...rest } = extra;
  return {
    file: `img${k++}.tif`,
    label: { kind: 'sem', electrode: 'cathode', binderWtPct: binder, state, cycles, group: 'names' },
    status: 'ok',
    cached: false,
    error: null,
    porosityPercent: porosity,
    voidFraction: porosity / 100,
    method: 'Otsu',
    threshold: 80,
    polarity: 'dark',
    roi: null,
    databar: null,
    pixelSize: { value: 0.045, unit: 'µm', source: 'test' },
    pores: { unit: 'µm', count: 10, meanEcd: 0.4, d10: 0.1, d50: 0.3, d90: 0.8 },
    poreEcds: [],
    warnings: [],
    overlay: null,
    options: {},
    raw: {},
    ...(band ? { confidence: { separability: null, level: 'medium' as const, band: { low: band[0], high: band[1], rule: 'threshold ± 5 grey levels' }, warnings: [] } } : {}),
    ...rest,
  };
}

test('50- and 150-cycle images of one binder content are separate groups, never pooled', () => {
  // The case: 0.5 wt % had 2 images at 50 cycles (3.1, 3.2 %) and 2 at 150 (14.9, 15.0 %);
  // pooled they became "cycled 150": 9.05 ± 6.96 %, n = 4.
  const warnings: string[] = [];
  const sem = [img(0.5, 'pristine', null, 3.0), img(0.5, 'pristine', null, 3.1), img(0.5, 'cycled', 50, 3.1), img(0.5, 'cycled', 50, 3.2), img(0.5, 'cycled', 150, 14.9), img(0.5, 'cycled', 150, 15.0)];
  const s = buildSummary(sem, [], new Map(), new Map(), warnings)[0]!;
  assert.deepEqual(s.sem.states!.map((g) => [g.state, g.cycles, g.porosity.n, Number(g.porosity.mean!.toFixed(2))]), [
    ['pristine', null, 2, 3.05],
    ['cycled', 50, 2, 3.15],
    ['cycled', 150, 2, 14.95],
  ]);
  // Tie between 50 and 150 (one group each) → the higher count is the main cycled group.
  assert.equal(s.sem.cycled!.cycles, 150);
  assert.equal(s.sem.cycled!.porosity.mean, (14.9 + 15.0) / 2);
  assert.equal(s.sem.cycled!.porosity.counts, 'images');
  // Increase for each cycle count: 3.15 − 3.05 = 0.1 and 14.95 − 3.05 = 11.9 pp.
  assert.deepEqual(s.sem.increases!.map((x) => [x.cycles, Number(x.value.toFixed(2))]), [[50, 0.1], [150, 11.9]]);
  assert.equal(Number(s.sem.increase!.value.toFixed(2)), 11.9);
  assert.ok(warnings.some((w) => /cathode 0\.5 wt %: cycled images at 50 and 150 cycles are summarised as separate groups, never pooled/.test(w)), warnings.join('\n'));
});

test('cycled images without a cycle count next to counted ones: a separate group and a warning naming them', () => {
  const warnings: string[] = [];
  const sem = [img(1.5, 'cycled', 150, 11.0), img(1.5, 'cycled', 150, 11.4), img(1.5, 'cycled', null, 6.0, { file: 'after_1.tif' })];
  const s = buildSummary(sem, [], new Map(), new Map(), warnings)[0]!;
  assert.deepEqual(s.sem.states!.map((g) => [g.cycles, g.porosity.n]), [[150, 2], [null, 1]]);
  assert.equal(s.sem.cycled!.cycles, 150);
  assert.ok(warnings.some((w) => /1 cycled image\(s\) have no cycle count while others have 150 cycles.*after_1\.tif/.test(w)), warnings.join('\n'));
});

test('pore sizes: uncalibrated images are never summarised as µm; mixed groups and pixel sizes > 2× apart warn', () => {
  const px = (p: number) => img(2.0, 'pristine', null, p, { pixelSize: null, pores: { unit: 'px', count: 5, meanEcd: 9, d10: 2, d50: 7, d90: 20 } });
  let warnings: string[] = [];
  let s = buildSummary([px(3), px(3.2)], [], new Map(), new Map(), warnings)[0]!;
  assert.equal(s.sem.pristine!.poreD50.unit, 'px');
  assert.equal(s.sem.pristine!.poreD50.mean, 7);
  warnings = [];
  s = buildSummary([px(3), img(2.0, 'pristine', null, 3.1)], [], new Map(), new Map(), warnings)[0]!;
  assert.equal(s.sem.pristine!.poreD50.unit, 'µm');
  assert.equal(s.sem.pristine!.poreD50.n, 1, 'only the calibrated image');
  assert.ok(warnings.some((w) => /1 of 2 images are uncalibrated/.test(w)), warnings.join('\n'));
  warnings = [];
  buildSummary([img(2.0, 'pristine', null, 3), img(2.0, 'pristine', null, 3, { pixelSize: { value: 0.1, unit: 'µm', source: 't' } })], [], new Map(), new Map(), warnings);
  assert.ok(warnings.some((w) => /pixel sizes differ more than 2× \(0\.045 to 0\.1 µm\)/.test(w)), warnings.join('\n'));
});

test('segmentation band per group: the group mean with every image at its band ends; "not available" when absent', () => {
  const warnings: string[] = [];
  // Bands 0.02–0.04 and 0.03–0.05 (void fraction) → group band [2.5, 4.5] %.
  const s = buildSummary([img(1.0, 'pristine', null, 3.0, { band: [0.02, 0.04] }), img(1.0, 'pristine', null, 4.0, { band: [0.03, 0.05] })], [], new Map(), new Map(), warnings)[0]!;
  const b = s.sem.pristine!.band!;
  assert.ok(Math.abs(b.low! - 2.5) < 1e-12 && Math.abs(b.high! - 4.5) < 1e-12, JSON.stringify(b));
  assert.deepEqual([b.n, b.of, b.rules], [2, 2, ['threshold ± 5 grey levels']]);
  // The between-image spread stays its own number: sd of (3, 4) = 0.7071…
  assert.ok(Math.abs(s.sem.pristine!.porosity.sd! - Math.SQRT1_2) < 1e-12);
  const none = buildSummary([img(1.0, 'pristine', null, 3.0)], [], new Map(), new Map(), [])[0]!;
  assert.equal(none.sem.pristine!.band, null);
  const lv = buildSummary([img(1.0, 'pristine', null, 3.0, { band: [0.02, 0.04] }), img(1.0, 'pristine', null, 3.0, { confidence: { separability: null, level: 'low', band: { low: 0.01, high: 0.09, rule: 'r' }, warnings: [] } })], [], new Map(), new Map(), [])[0]!;
  assert.deepEqual(lv.sem.pristine!.band!.levels, { high: 0, medium: 1, low: 1 });
  assert.equal(fmtBand(lv.sem.pristine!.band), '[1.50, 6.50] %; confidence medium 1, low 1 of 2');
  assert.equal(fmtBand(none.sem.pristine!.band), 'not available');
  const part = buildSummary([img(1.0, 'pristine', null, 3.0, { band: [0.02, 0.04] }), img(1.0, 'pristine', null, 3.0)], [], new Map(), new Map(), [])[0]!;
  assert.deepEqual([part.sem.pristine!.band!.low, part.sem.pristine!.band!.n, part.sem.pristine!.band!.of], [null, 1, 2]);
});

test('correlations over five binder contents carry the caveat: p = 1/60 for any two monotone trends, not mechanism', () => {
  const sem = [0.5, 1.0, 1.5, 2.0, 2.5].map((b, i) => img(b, 'cycled', 150, 15 - i));
  const summary = buildSummary(sem, [], new Map(), new Map(), []);
  const c = buildCorrelations(summary, DEFAULT_RULE).find((x) => x.x.key === 'binder' && x.y.key === 'cycled_porosity')!;
  assert.equal(c.spearman.rho, -1);
  assert.ok(Math.abs(c.spearman.pExact! - 1 / 60) < 1e-12);
  assert.equal(c.y.label, 'Porosity after 150 cycles');
  assert.match(c.caveat!, /n = 5 binder contents.*any two monotone trends give ρ = ±1 with exact p = 0\.0167.*not evidence of a mechanism/);
});

test('TOF-SIMS maps of different cycle counts are not pooled either', () => {
  const m = (b: number, cycles: number, mean: number) => ({
    file: `m${b}_${cycles}.bif6`, label: { kind: 'sims', electrode: 'anode', binderWtPct: b, state: 'cycled', cycles, group: 'names' }, status: 'ok', cached: false, error: null,
    totalFile: null, format: 'bif6', channel: 'Li+', width: 8, height: 8, pixelSize: null, meanCounts: mean, meanCountsCI95: null, totalCounts: null, zeroFraction: null,
    ticRatio: null, hotspotFraction: null, hotspotRule: null, relativeToReference: null, warnings: [], heatmap: null, options: {}, raw: null,
  }) as unknown as import('../../src/pipeline/types.js').SimsMap;
  const warnings: string[] = [];
  // 15 cycles: 2 maps per binder content; 100 cycles: 1 map at 0.5 wt %.
  const maps = [m(0.5, 15, 1.0), m(0.5, 15, 1.2), m(1.5, 15, 2.0), m(1.5, 15, 2.2), m(0.5, 100, 9.0)];
  const s = buildSummary([], maps, new Map(), new Map([['anode', 0.5]]), warnings);
  const s05 = s.find((x) => x.binderWtPct === 0.5)!.sims!;
  assert.deepEqual([s05.meanCounts.n, s05.meanCounts.mean, s05.meanCounts.counts], [2, 1.1, 'maps']);
  // Relative Li⁺ of 1.5 wt %: 2.1 / 1.1 (the 100-cycle map is not in the reference).
  assert.ok(Math.abs(s.find((x) => x.binderWtPct === 1.5)!.sims!.relative!.value - 2.1 / 1.1) < 1e-12);
  assert.ok(warnings.some((w) => /TOF-SIMS anode: maps at 15 and 100 cycles are not pooled; the summary uses the 15-cycle maps, 1 other map\(s\)/.test(w)), warnings.join('\n'));
});
