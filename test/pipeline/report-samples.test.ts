/**
 * The bundled example study must be faithful to the published one (issue 12).
 *
 * Expected values come from the published statements, restated in scripts/samples/study.ts (PUBLISHED):
 * relative active surface area 1.00 / 0.94 / 0.82 / 0.67 / 0.63 measured by GITT on the NCM cathode;
 * 1.5 wt % NBR gives the best cycling (retention and rate capability together); 0.5 wt % performs poorly at
 * high rate; the rate test goes up to 1.0 C. These tests read only the sample electrochemistry (no image
 * analysis), so they take well under a second.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregateElectrochem, readCyclingFile, readEcTable, type CyclingCell, type EcRow } from '../../src/pipeline/electrochem.js';
import { loadStudyFile } from '../../src/pipeline/study.js';
import { recommend } from '../../src/pipeline/recommend.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = join(ROOT, 'samples');

async function load() {
  const study = await loadStudyFile(join(SAMPLES, 'voidscope.yaml'));
  const rule = study.recommendation;
  const rows: EcRow[] = [];
  for (const t of study.electrochemistry.tables) rows.push(...(await readEcTable(join(SAMPLES, t), t)).rows);
  const cells: CyclingCell[] = [];
  const dir = join(SAMPLES, 'electrochem', 'cycling');
  for (const f of readdirSync(dir).sort()) cells.push(await readCyclingFile(join(dir, f), `electrochem/cycling/${f}`, { source: 'illustrative' }, rule));
  const ec = aggregateElectrochem(rows, cells, rule);
  return { study, rule, rows, cells, ec };
}

test('relative active surface area: published, on the NCM cathode rows only (GITT)', async () => {
  const { rows } = await load();
  const surf = rows.filter((r) => r.metrics.relative_active_surface_area);
  assert.deepEqual(
    surf.map((r) => [r.electrode, r.binderWtPct, r.metrics.relative_active_surface_area!.value, r.source]),
    [[0.5, 1.0], [1.0, 0.94], [1.5, 0.82], [2.0, 0.67], [2.5, 0.63]].map(([b, v]) => ['cathode', b, v, 'published']),
  );
});

test('every electrochemistry value says whether it is published or illustrative', async () => {
  const { ec } = await load();
  for (const s of ec.byBinder.values()) {
    for (const [k, m] of Object.entries(s.metrics)) {
      assert.ok(m.source && /published|illustrative/.test(m.source), `${s.electrode} ${s.binderWtPct} ${k}: source ${m.source}`);
    }
  }
});

test('the rate test goes up to 1.0 C, and the study file rule uses rates that exist', async () => {
  const { cells, rule } = await load();
  let max = 0;
  for (const c of cells) for (const p of c.cycles) max = Math.max(max, p.cRate ?? 0);
  assert.equal(max, 1.0);
  assert.ok(rule.highRate <= 1.0, `highRate ${rule.highRate} C`);
});

test('published statements hold in the illustrative cells: 1.5 wt % best retention and rate capability, 0.5 wt % poor at high rate', async () => {
  const { ec, rule } = await load();
  for (const electrode of ['cathode', 'anode'] as const) {
    const per = [0.5, 1.0, 1.5, 2.0, 2.5].map((b) => ec.byBinder.get(`${electrode}|${b}`)!);
    const ret = per.map((p) => p.metrics[`retention_${rule.retentionCycle}`]!.value);
    const rate = per.map((p) => p.metrics[`rate_capability_${rule.highRate}C`]!.value);
    const best = (xs: number[]) => xs.indexOf(Math.max(...xs));
    assert.equal(best(ret), 2, `${electrode} retention ${ret}`);
    assert.equal(best(rate), 2, `${electrode} rate capability ${rate}`);
    assert.equal(rate.indexOf(Math.min(...rate)), 0, `${electrode}: 0.5 wt % has the poorest rate capability (${rate})`);
    // The recommendation follows from the data and the rule, and does not hinge on the margin.
    const inputs = per.map((p) => ({ binderWtPct: p.binderWtPct, metrics: p.metrics }));
    for (const marginPp of [0, rule.marginPp, 100]) {
      const r = recommend(electrode, inputs, { ...rule, marginPp });
      assert.equal(r.bestBinderWtPct, 1.5, `${electrode}, margin ${marginPp}: ${r.reasons.join(' ')}`);
    }
  }
});

test('samples/README.md says the images were generated with the published porosities as targets', () => {
  const readme = readFileSync(join(SAMPLES, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  assert.match(readme, /generated with the published porosities as targets/);
  assert.match(readme, /recovers? (the )?ground truth/);
  assert.doesNotMatch(readme, /relative active surface area \(1\) \| anode/);
  const yaml = readFileSync(join(SAMPLES, 'voidscope.yaml'), 'utf8').replace(/\s+/g, ' ');
  assert.match(yaml, /generated with the published porosities as targets/);
});
