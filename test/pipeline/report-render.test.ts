/**
 * report.md, index.html and the plots on small hand-made studies: provenance shown (not only in CSV and
 * JSON), captions that describe what was done, porosity intervals cut to the data axis and 0–100 %, pore
 * sizes never on a mixed µm/px axis, correlations with their caveat. Expected texts are written out.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildCorrelations, buildSummary, simsRelative } from '../../src/pipeline/summary.js';
import { aggregateElectrochem, type EcRow } from '../../src/pipeline/electrochem.js';
import { recommend } from '../../src/pipeline/recommend.js';
import { DEFAULT_RULE } from '../../src/pipeline/study.js';
import { renderMarkdown } from '../../src/pipeline/report/markdown.js';
import { renderHtml } from '../../src/pipeline/report/html.js';
import { plotSpecs } from '../../src/pipeline/report/plots.js';
import { porosityRows, summaryColumns } from '../../src/pipeline/report/tables.js';
import type { Electrode } from '../../src/pipeline/labels.js';
import type { SemImage, SimsMap, StudyResult } from '../../src/pipeline/types.js';

let k = 0;
function img(binder: number, state: 'pristine' | 'cycled', porosity: number, opts: { px?: boolean; ecds?: number[]; cycles?: number } = {}): SemImage {
  return {
    file: `sem/img${k++}.tif`,
    label: { kind: 'sem', electrode: 'cathode', binderWtPct: binder, state, cycles: state === 'cycled' ? opts.cycles ?? 150 : null, group: 'names' },
    status: 'ok', cached: false, error: null, porosityPercent: porosity, voidFraction: porosity / 100, method: 'Otsu', threshold: 80, polarity: 'dark',
    roi: null, databar: null,
    pixelSize: opts.px ? null : { value: 0.045, unit: 'µm', source: 'sidecar' },
    pores: opts.px ? { unit: 'px', count: 3, meanEcd: 8, d10: 2, d50: 7, d90: 15 } : { unit: 'µm', count: 3, meanEcd: 0.4, d10: 0.1, d50: 0.3, d90: 0.8 },
    poreEcds: opts.ecds ?? [], warnings: [], overlay: null, options: {}, raw: {},
  };
}
function map(binder: number, mean: number): SimsMap {
  return {
    file: `sims/m${binder}.bif6`, label: { kind: 'sims', electrode: 'anode', binderWtPct: binder, state: 'cycled', cycles: 15, group: 'names' },
    status: 'ok', cached: false, error: null, totalFile: null, format: 'bif6', channel: 'Li+', width: 128, height: 128, pixelSize: null,
    meanCounts: mean, meanCountsCI95: [mean * 0.97, mean * 1.03], totalCounts: mean * 16384, zeroFraction: 0.3, ticRatio: null, hotspotFraction: null,
    hotspotRule: null, relativeToReference: null, warnings: [], heatmap: null, options: {}, raw: null,
  };
}
const row = (electrode: Electrode, b: number, metrics: EcRow['metrics'], source: string, file: string): EcRow => ({ file, line: 2, electrode, binderWtPct: b, cell: null, source, metrics, extra: {} });

function result(sem: SemImage[], sims: SimsMap[], rows: EcRow[]): StudyResult {
  const warnings: string[] = [];
  const rule = { ...DEFAULT_RULE, highRate: 1 };
  const ec = aggregateElectrochem(rows, [], rule);
  const refs = new Map<Electrode, number>(sims.length ? [['anode', 0.5]] : []);
  simsRelative(sims, refs);
  const summary = buildSummary(sem, sims, ec.byBinder, refs, warnings);
  const electrodes = [...new Set(summary.filter((s) => s.electrochem).map((s) => s.electrode))];
  return {
    schemaVersion: '1.0', study: { name: 'test', description: null },
    run: { voidscopeVersion: '0', node: 'v20', dependencies: {}, startedAt: '', finishedAt: '', folder: '/x', out: '/y', labelling: { mode: 'names', studyFile: null, pattern: null }, options: { jobs: 1, resume: false, overlays: false }, inputs: [], groups: [], rule },
    sem, sims, electrochem: { tables: [...new Set(rows.map((r) => r.file))], cells: [], curves: [] },
    summary, correlations: buildCorrelations(summary, rule),
    recommendations: electrodes.map((e) => recommend(e, summary.filter((s) => s.electrode === e && s.electrochem).map((s) => ({ binderWtPct: s.binderWtPct, metrics: s.electrochem!.metrics })), rule)),
    unlabelled: [], failures: [], warnings,
  };
}

test('provenance is shown in report.md and index.html: published, illustrative, computed from which file', () => {
  const r = result([img(0.5, 'pristine', 3), img(1.5, 'pristine', 3.1)], [], [
    row('cathode', 0.5, { relative_active_surface_area: { value: 1, unit: '1' } }, 'published', 'electrochem/gitt.csv'),
    row('cathode', 1.5, { relative_active_surface_area: { value: 0.82, unit: '1' } }, 'published', 'electrochem/gitt.csv'),
    row('cathode', 0.5, { dcir: { value: 24, unit: 'Ω cm²' } }, 'illustrative', 'electrochem/res.tsv'),
  ]);
  const md = renderMarkdown(r, []);
  assert.match(md, /## Provenance/);
  assert.match(md, /\| Relative active surface area \(1\) \| cathode \| 0\.5, 1\.5 \| published \| table electrochem\/gitt\.csv \|/);
  assert.match(md, /\| DC-IR resistance \(Ω cm²\) \| cathode \| 0\.5 \| illustrative \| table electrochem\/res\.tsv \|/);
  assert.match(md, /\| Porosity and pore sizes \(SEM\) \| cathode \| 0\.5, 1\.5 \| computed by voidscope \| from 2 SEM images/);
  const html = renderHtml(r, [], []);
  assert.match(html, /<h2 id="provenance">Provenance<\/h2>/);
  assert.match(html, /<td>Relative active surface area \(1\)<\/td><td>cathode<\/td><td>0\.5, 1\.5<\/td><td data-key="source">published<\/td><td>table electrochem\/gitt\.csv<\/td>/);
  assert.match(html, /id="statistics-note"><strong>What the statistics stand on\.<\/strong> SEM: n counts images; the images of a group are treated as independent/);
});

test('porosity plot: n = 2 intervals cut to an axis from the data and to 0–100 %, named in the caption', () => {
  // Pristine 1.0 and 9.0 %: mean 5, sd 5.657, t(1) = 12.706 → 95 % interval [−45.8, 55.8] %.
  const r = result([img(0.5, 'pristine', 1.0), img(0.5, 'pristine', 9.0), img(1.5, 'pristine', 3.0), img(1.5, 'pristine', 3.2)], [], []);
  const spec = plotSpecs(r).find((p) => p.name === 'porosity-vs-binder.svg')!;
  const values = (spec.spec as unknown as { data: { values: Array<Record<string, number | string | null>> } }).data.values.filter((v) => v.kind === 'mean');
  const wide = values.find((v) => v.binder === 0.5)!;
  // Axis from the data: images 1.0–9.0 → pad max(0.25 × 8, 0.5) = 2 → [0 (not −1), 11].
  assert.deepEqual([wide.lo, wide.hi, wide.cutLow, wide.cutHigh], [0, 11, 0, 11]);
  assert.ok((wide.ciLow as number) < -45 && (wide.ciHigh as number) > 55, 'the full interval is kept for tooltips');
  assert.match(spec.caption, /intervals reaching past it \(or past 0–100 %\) are cut at the edge and marked ▲\/▼: cathode 0\.5 wt % pristine: \[-45\.8, 55\.8\] % \(n = 2\)/);
  const axis = JSON.stringify(spec.spec);
  assert.match(axis, /"domain":\[0,11\]/);
});

test('pore-size plots never put µm and px on one axis', () => {
  const r = result([img(0.5, 'pristine', 3, { ecds: [0.2, 0.3, 0.5] }), img(1.5, 'pristine', 3, { px: true, ecds: [4, 6, 9] })], [], []);
  const plots = plotSpecs(r).filter((p) => p.name.startsWith('pore-size'));
  assert.deepEqual(plots.map((p) => p.title), ['Pore-size distributions (µm)', 'Pore-size distributions (px)']);
  for (const p of plots) {
    const s = JSON.stringify(p.spec);
    const unit = p.title.includes('µm') ? 'µm' : 'px';
    const other = unit === 'µm' ? 'px' : 'µm';
    assert.ok(s.includes(`Equivalent diameter (${unit})`) && !s.includes(`"unit":"${other}"`), p.title);
  }
});

test('pore D50 in the summary: the unit travels with each value; summary.csv has one column per unit', () => {
  const r = result([img(0.5, 'cycled', 15), img(1.5, 'cycled', 11, { px: true })], [], []);
  const cols = summaryColumns(r);
  const d50 = cols.filter((c) => c.key.startsWith('cycled_pore_d50'));
  assert.deepEqual(d50.map((c) => c.csv), ['cycled_pore_d50_mean (µm)', 'cycled_pore_d50_mean (px)']);
  assert.equal(d50[0]!.header, 'Pore D50, after 150 cycles');
  const [s05, s15] = r.summary;
  assert.equal(d50[0]!.text(s05!), '0.30 µm (n = 1 image)');
  assert.equal(d50[0]!.text(s15!), '7.00 px (n = 1 image)');
  assert.deepEqual([d50[0]!.value(s15!), d50[1]!.value(s15!)], [null, 7]);
});

test('SIMS caption says what the bars are: counting noise for single maps, delta method only over replicate maps', () => {
  const one = result([], [map(0.5, 1), map(1.5, 1.7)], []);
  const cap1 = plotSpecs(one).find((p) => p.name === 'li-vs-binder.svg')!.caption;
  assert.match(cap1, /one map per binder content: bars are 95 % Poisson counting-noise intervals/);
  assert.doesNotMatch(cap1, /delta method/);
  const rep = result([], [map(0.5, 1), map(0.5, 1.1), map(1.5, 1.7), map(1.5, 1.8)], []);
  const cap2 = plotSpecs(rep).find((p) => p.name === 'li-vs-binder.svg')!.caption;
  assert.match(cap2, /0\.5, 1\.5 wt % \(replicate maps\): bars are 95 % intervals by the delta method over the maps/);
  assert.match(rep.summary.find((s) => s.binderWtPct === 1.5)!.sims!.relative!.method, /over replicate maps \(2 and 2 maps\).*delta method/);
});

test('n says what it counts: in the summary text and in the summary.csv headers', () => {
  const r = result([img(0.5, 'pristine', 3.0), img(0.5, 'pristine', 3.2)], [map(0.5, 1)], [
    row('cathode', 0.5, { retention_150: { value: 88, unit: '%' } }, 'illustrative', 'ec.csv'),
    row('cathode', 0.5, { retention_150: { value: 90, unit: '%' } }, 'illustrative', 'ec.csv'),
  ]);
  const cols = summaryColumns(r);
  const csv = cols.map((c) => c.csv);
  for (const h of ['pristine_porosity_n (images)', 'li_mean_counts_n (maps)', 'retention_150_n (rows)']) assert.ok(csv.includes(h), `${h} in ${csv.join(', ')}`);
  const cathode = r.summary.find((s) => s.electrode === 'cathode')!;
  // mean(3.0, 3.2) = 3.1, sd = 0.2/√2 = 0.1414…
  assert.equal(cols.find((c) => c.key === 'pristine_porosity_mean')!.text(cathode), '3.10 ± 0.14 % (n = 2 images)');
  assert.equal(cols.find((c) => c.key === 'retention_150')!.text(cathode), '89.0 ± 1.4 % (n = 2 rows)');
});

test('summary table and porosity plot: one column and one series per cycle count', () => {
  const r = result([img(0.5, 'pristine', 3.0), img(0.5, 'pristine', 3.1), img(0.5, 'cycled', 3.1, { cycles: 50 }), img(0.5, 'cycled', 3.2, { cycles: 50 }), img(0.5, 'cycled', 14.9), img(0.5, 'cycled', 15.0)], [], []);
  const cols = summaryColumns(r).filter((c) => c.header !== '');
  assert.deepEqual(
    cols.filter((c) => /^Porosity|^Increase/.test(c.header)).map((c) => [c.header, c.text(r.summary[0]!)]),
    [
      ['Porosity, pristine', '3.05 ± 0.071 % (n = 2 images)'],
      ['Porosity, after 50 cycles', '3.15 ± 0.071 % (n = 2 images)'],
      ['Porosity, after 150 cycles', '14.95 ± 0.071 % (n = 2 images)'],
      // Welch: se = √(0.005/2 + 0.005/2) = 0.0707, df = 2, t = 4.303 → ± 0.304 pp.
      ['Increase after 50 cycles (pp) [95 % CI, Welch, over images]', '0.10 pp [-0.20, 0.40]'],
      ['Increase after 150 cycles (pp) [95 % CI, Welch, over images]', '11.90 pp [11.60, 12.20]'],
    ],
  );
  assert.ok(summaryColumns(r).some((c) => c.csv === 'cycled_150_porosity_mean (%)'));
  const spec = plotSpecs(r).find((p) => p.name === 'porosity-vs-binder.svg')!;
  const states = new Set((spec.spec as unknown as { data: { values: Array<{ state: string }> } }).data.values.map((v) => v.state));
  assert.deepEqual([...states].sort(), ['after 150 cycles', 'after 50 cycles', 'pristine']);
});

test('segmentation band: its own column next to the between-image spread, or "not available" said once', () => {
  const withBand = (p: number, lo: number, hi: number) => ({ ...img(1.5, 'pristine', p), confidence: { separability: null, level: 'medium' as const, band: { low: lo, high: hi, rule: 'threshold ± 1 class width' }, warnings: [] } });
  const r = result([withBand(3.0, 0.025, 0.04), withBand(3.2, 0.027, 0.042)], [], []);
  const col = summaryColumns(r).find((c) => c.header === 'Segmentation band, pristine (%)')!;
  // Band ends averaged over images: (2.5 + 2.7)/2 = 2.6 %, (4.0 + 4.2)/2 = 4.1 %.
  assert.equal(col.text(r.summary[0]!), '[2.60, 4.10] %; confidence medium 2 of 2');
  assert.equal(summaryColumns(r).find((c) => c.key === 'pristine_porosity_mean')!.text(r.summary[0]!), '3.10 ± 0.14 % (n = 2 images)');
  const none = result([img(1.5, 'pristine', 3.0)], [], []);
  assert.equal(summaryColumns(none).find((c) => c.key === 'pristine_porosity_band')!.header, '', 'no empty column in the tables');
  assert.match(renderMarkdown(none, []), /Segmentation band: not available \(no image result carries one\)/);
  assert.match(renderHtml(r, [], []), /<th>Segmentation band, pristine \(%\)<\/th>/);
  // porosity.csv: each image's band (%) and confidence level.
  const rows = porosityRows(r);
  assert.deepEqual([rows[0]!['porosity_band_low (%)'], rows[0]!['porosity_band_high (%)'], rows[0]!.confidence], [2.5, 4, 'medium']);
  assert.deepEqual([porosityRows(none)[0]!['porosity_band_low (%)'], porosityRows(none)[0]!.confidence], [null, null]);
});
