/**
 * Electrochemistry tables and cycling files: units from headers, unknown columns
 * carried through, per-cell metrics, mean ± sd over cells, errors with file, line
 * and column. Expected values are hand calculations written out next to each assertion.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readEcTable, readCyclingFile, aggregateElectrochem, classifyColumn, splitHeader, tableDefaultsFor } from '../../src/pipeline/electrochem.js';
import { parseStudy } from '../../src/pipeline/study.js';
import { VoidscopeError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'voidscope-ec-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const rule = { retentionCycle: 6, highRate: 1, lowRate: 0.1 };

async function parseError(p: Promise<unknown>): Promise<VoidscopeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VoidscopeError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

test('headers: name and unit', () => {
  assert.deepEqual(splitHeader('retention_150 (%)'), { name: 'retention_150', unit: '%' });
  assert.deepEqual(splitHeader('capacity_5C [mAh/g]'), { name: 'capacity_5C', unit: 'mAh/g' });
  assert.deepEqual(splitHeader('notes'), { name: 'notes', unit: null });
  const r = classifyColumn('Retention after 150 cycles (%)');
  assert.ok(typeof r !== 'string' && r.role === 'metric' && r.info.key === 'retention_150');
  const c = classifyColumn('Discharge capacity at 0.5C (mAh g⁻¹)');
  assert.ok(typeof c !== 'string' && c.role === 'metric' && c.info.key === 'capacity_0.5C' && c.info.unit === 'mAh g⁻¹');
  const abs = classifyColumn('initial_capacity (mAh)');
  assert.ok(typeof abs !== 'string' && abs.role === 'metric' && abs.info.unit === 'mAh', 'absolute capacity keeps its unit');
  assert.match(String(classifyColumn('retention_150 (V)')), /column "retention_150 \(V\)": unit "V" is not a percentage/);
  assert.match(String(classifyColumn('dcir')), /no unit in the header/);
  const x = classifyColumn('loading (mg cm-2)');
  assert.ok(typeof x !== 'string' && x.role === 'extra' && x.name === 'loading' && x.unit === 'mg cm-2');
});

test('a per-cell table: unit conversion, mean ± sd over cells, unknown columns carried through', async () => {
  const p = file(
    'cells.csv',
    [
      '# per-cell results',
      'electrode,binder (wt %),cell,retention_150 (fraction),dcir (mΩ),ionic_conductivity (mS/cm),loading (mg cm-2),source',
      'cathode,1.5,a,0.88,20000,0.9,12.0,published',
      'cathode,1.5,b,0.90,21000,0.8,12.0,published',
      'anode,0.5,c,0.70,,1.0,5.5,illustrative',
      '',
    ].join('\n'),
  );
  const { rows } = await readEcTable(p, 'cells.csv');
  assert.equal(rows.length, 3);
  assert.equal(rows[0]!.line, 3);
  assert.deepEqual(rows[0]!.metrics.retention_150, { value: 88, unit: '%' }, '0.88 fraction → 88 %');
  assert.deepEqual(rows[0]!.metrics.dcir, { value: 20, unit: 'Ω' }, '20000 mΩ → 20 Ω');
  assert.equal(rows[0]!.metrics.ionic_conductivity!.value, 0.0009, '0.9 mS/cm → 0.0009 S cm⁻¹');
  assert.equal(rows[2]!.metrics.dcir, undefined, 'empty cell → no value');
  assert.deepEqual(rows[0]!.extra.loading, { value: 12, unit: 'mg cm-2' });
  const { byBinder } = aggregateElectrochem(rows, [], { highRate: 5, lowRate: 0.1 });
  const c = byBinder.get('cathode|1.5')!;
  // mean(88, 90) = 89; sd = |90 − 88| / √2 = 1.4142135623730951
  assert.equal(c.metrics.retention_150!.value, 89);
  assert.ok(Math.abs(c.metrics.retention_150!.sd! - Math.SQRT2) < 1e-12);
  assert.equal(c.metrics.retention_150!.n, 2);
  assert.equal(c.metrics.retention_150!.source, 'published');
  assert.equal(c.metrics.dcir!.value, 20.5);
  // An uninterpreted column is summarised like the metrics: mean(12.0, 12.0) = 12, sd 0, n = 2.
  assert.deepEqual(c.extra.loading, { value: 12, unit: 'mg cm-2', sd: 0, n: 2, from: 'cells.csv' });
});

test('TSV and JSON tables; binder and electrode from the file name', async () => {
  const t = await readEcTable(file('anode_NBR2.0.tsv', 'precond_capacity (mAh/g)\trelative_active_surface_area (1)\n1053\t0.67\n'), 'anode_NBR2.0.tsv');
  assert.equal(t.rows[0]!.electrode, 'anode');
  assert.equal(t.rows[0]!.binderWtPct, 2);
  assert.equal(t.rows[0]!.metrics.precond_capacity!.value, 1053);
  assert.equal(t.rows[0]!.metrics.relative_active_surface_area!.value, 0.67);
  const j = await readEcTable(file('t.json', JSON.stringify([{ electrode: 'cathode', 'binder (wt %)': 1, 'capacity_5C (mAh/g)': 150 }])), 't.json');
  assert.equal(j.rows[0]!.metrics['capacity_5C']!.value, 150);
});

test('table errors name the file, line and column', async () => {
  let e = await parseError(readEcTable(file('bad1.csv', 'electrode,binder (wt %),retention_150 (%)\ncathode,1.5,88\ncathode,2.0,eighty\n'), 'ec/bad1.csv'));
  assert.equal(e.message, 'ec/bad1.csv: line 3, column 3 ("retention_150 (%)"): "eighty" is not a number');
  assert.equal(e.code, 'EPARSE');
  e = await parseError(readEcTable(file('bad2.csv', 'electrode,binder (wt %),retention_150 (%)\ncathode,1.5,88\ncathode,2.0\n'), 'bad2.csv'));
  assert.match(e.message, /^bad2\.csv: line 3: /);
  e = await parseError(readEcTable(file('bad3.csv', 'electrode,binder (wt %),retention_150 (%)\nplutonium,1.5,88\n'), 'bad3.csv'));
  assert.equal(e.message, 'bad3.csv: line 2, column 1 ("electrode"): "plutonium" is not an electrode (cathode, anode or full-cell)');
  e = await parseError(readEcTable(file('bad4.csv', 'electrode,binder (wt %),capacity_5C (V)\ncathode,1.5,88\n'), 'bad4.csv'));
  assert.match(e.message, /^bad4\.csv: line 1, column 3: column "capacity_5C \(V\)": unit "V" is not a capacity/);
  e = await parseError(readEcTable(file('bad5.csv', 'electrode,binder (wt %),notes\ncathode,1.5,"unclosed\n'), 'bad5.csv'));
  assert.match(e.message, /^bad5\.csv: line \d+/);
  e = await parseError(readEcTable(file('bad6.json', '[{"a": 1,}]'), 'bad6.json'));
  assert.match(e.message, /^bad6\.json: line 1, column \d+: invalid JSON/);
  e = await parseError(readEcTable(file('nobinder.csv', 'electrode,retention_150 (%)\ncathode,88\n'), 'nobinder.csv'));
  assert.match(e.message, /no "binder \(wt %\)" column/);
});

const CYCLING = [
  '# a tiny hand-checkable cell',
  'cycle,c_rate (C),charge_capacity (mAh/g),discharge_capacity (mAh/g)',
  '1,0.1,200,180',
  '2,0.1,182,180',
  '3,1,150,150',
  '4,1,150,148',
  '5,0.5,170,170',
  '6,0.5,168,160',
].join('\n');

test('per-cell cycling metrics', async () => {
  const cell = await readCyclingFile(file('cathode_NBR1.5_cell1.csv', CYCLING), 'cycling/cathode_NBR1.5_cell1.csv', {}, rule);
  assert.equal(cell.electrode, 'cathode');
  assert.equal(cell.binderWtPct, 1.5);
  assert.equal(cell.cell, 'cathode_NBR1.5_cell1');
  const m = cell.metrics;
  assert.deepEqual(m.initial_capacity, { value: 180, unit: 'mAh g⁻¹' });
  assert.equal(m.initial_ce!.value, 90, '180 / 200');
  // mean CE of cycles 2–6 = (180/182 + 150/150 + 148/150 + 170/170 + 160/168) / 5 × 100
  const ce = ((180 / 182 + 1 + 148 / 150 + 1 + 160 / 168) / 5) * 100;
  assert.ok(Math.abs(m.mean_ce!.value - ce) < 1e-9);
  // Retention at cycle 6 (0.5 C) relative to the first 0.5 C cycle (5): 160 / 170
  assert.ok(Math.abs(m.retention_6!.value - (160 / 170) * 100) < 1e-9);
  assert.match(cell.notes[0]!, /cycle 6 ÷ cycle 5 \(first cycle at 0\.5 C\)/);
  assert.equal(m['capacity_0.1C']!.value, 180);
  assert.equal(m['capacity_1C']!.value, 149, 'mean of 150 and 148');
  assert.equal(m['capacity_0.5C']!.value, 165);
  assert.ok(Math.abs(m['rate_capability_1C']!.value - (149 / 180) * 100) < 1e-9);
});

test('several cells: mean ± sd; cycling errors name line and column', async () => {
  const a = await readCyclingFile(file('anode_NBR1.0_cell1.csv', CYCLING), 'anode_NBR1.0_cell1.csv', {}, rule);
  const b = await readCyclingFile(file('anode_NBR1.0_cell2.csv', CYCLING.replace('6,0.5,168,160', '6,0.5,168,150')), 'anode_NBR1.0_cell2.csv', { source: 'illustrative' }, rule);
  const { byBinder } = aggregateElectrochem([], [a, b], { highRate: 1, lowRate: 0.1 });
  const r = byBinder.get('anode|1')!.metrics.retention_6!;
  // (160/170 + 150/170)/2 × 100 = 91.17647058823529; sd = (10/170 × 100)/√2 = 4.159451654038515
  assert.ok(Math.abs(r.value - 91.17647058823529) < 1e-9);
  assert.ok(Math.abs(r.sd! - 4.159451654038515) < 1e-9);
  assert.equal(r.n, 2);
  assert.equal(r.origin, 'cycling');
  assert.equal(r.source, 'illustrative');
  let e = await parseError(readCyclingFile(file('c1.csv', 'cycle,charge (mAh/g),discharge (mAh/g)\n1,200,180\n2,x,170\n'), 'cathode_NBR1.0_c1.csv', {}, rule));
  assert.equal(e.message, 'cathode_NBR1.0_c1.csv: line 3, column 2 ("charge (mAh/g)"): "x" is not a capacity');
  e = await parseError(readCyclingFile(file('c2.csv', 'cycle,charge (mAh/g),discharge (mAh/g)\n2,200,180\n1,190,170\n'), 'cathode_NBR1.0_c2.csv', {}, rule));
  assert.match(e.message, /line 3, column 1: cycle numbers must be whole and increasing/);
  e = await parseError(readCyclingFile(file('c3.csv', 'cycle,discharge (mAh/g)\n1,180\n'), 'cathode_NBR1.0_c3.csv', {}, rule));
  assert.match(e.message, /not a cycling file: no charge column/);
  e = await parseError(readCyclingFile(file('c4.csv', 'cycle,charge (mAh/g),discharge (mAh/g)\n1,200,180\n'), 'cell4.csv', {}, rule));
  assert.match(e.message, /^cell4\.csv: cannot tell the electrode/);
});

test('an unrecognised column is aggregated (mean ± sd, n) or reported as ignored, never shown as the first row\'s value', async () => {
  const p = file(
    'extra.csv',
    [
      'electrode,binder (wt %),cell,thickness (µm),operator',
      'cathode,1.5,a,60,AB',
      'cathode,1.5,b,70,CD',
      'cathode,2.0,c,65,AB',
      'cathode,2.0,d,,AB',
    ].join('\n'),
  );
  const { rows } = await readEcTable(p, 'extra.csv');
  const { byBinder, warnings } = aggregateElectrochem(rows, [], { highRate: 1, lowRate: 0.1 });
  // 1.5 wt %: mean(60, 70) = 65, sd = 10/√2 = 7.0710678118654755, n = 2 (not 60, the first cell).
  const t = byBinder.get('cathode|1.5')!.extra['thickness']!;
  assert.equal(t.value, 65);
  assert.ok(Math.abs(t.sd! - 10 / Math.SQRT2) < 1e-12);
  assert.equal(t.n, 2);
  // 2.0 wt %: one number given (the empty cell is no value): 65, n = 1.
  assert.deepEqual(byBinder.get('cathode|2')!.extra['thickness'], { value: 65, unit: 'µm', sd: null, n: 1, from: 'extra.csv' });
  // Text: kept when the rows agree, ignored (with a warning naming the column) when they differ.
  assert.deepEqual(byBinder.get('cathode|2')!.extra['operator'], { value: 'AB', unit: null, sd: null, n: 2, from: 'extra.csv' });
  assert.equal(byBinder.get('cathode|1.5')!.extra['operator'], undefined);
  assert.ok(warnings.some((w) => /column "operator" \(extra\.csv\) for cathode 1\.5 wt %: the rows differ \("AB", "CD"\).*ignored/.test(w)), warnings.join('\n'));
});

test('the electrode and binder of a table can be set in the study file; the error says what exists', async () => {
  const study = parseStudy(
    [
      'groups: [{kind: sem, files: "*.tif"}]',
      'electrochemistry:',
      '  tables:',
      '    - electrochem/summary.csv',
      '    - files: electrochem/gitt.csv',
      '      electrode: NCM811',
      '      binder: 1.5',
      '      source: published',
    ].join('\n'),
    'voidscope.yaml',
  );
  assert.deepEqual(study.electrochemistry.tables, ['electrochem/summary.csv', 'electrochem/gitt.csv']);
  const d = tableDefaultsFor('electrochem/gitt.csv', study.electrochemistry.tableSpecs);
  assert.deepEqual(d, { electrode: 'cathode', binderWtPct: 1.5, source: 'published' });
  const p = file('gitt.csv', 'relative_active_surface_area (1)\n0.82\n');
  const { rows } = await readEcTable(p, 'electrochem/gitt.csv', d);
  assert.deepEqual([rows[0]!.electrode, rows[0]!.binderWtPct, rows[0]!.source, rows[0]!.metrics.relative_active_surface_area!.value], ['cathode', 1.5, 'published', 0.82]);
  const e = await parseError(readEcTable(p, 'electrochem/gitt.csv'));
  assert.match(e.message, /no "electrode" column.*the columns are: "relative_active_surface_area \(1\)"; .*study file: electrochemistry: \{ tables: \[ \{ files: electrochem\/gitt\.csv, electrode: cathode \} \] \}/);
  assert.throws(
    () => parseStudy('groups: [{kind: sem, files: "*.tif"}]\nelectrochemistry:\n  tables:\n    - files: x.csv\n      electrod: cathode\n', 'voidscope.yaml'),
    /electrochemistry\.tables\[0\]\.electrod \(line 5\): unknown key \(did you mean "electrode"\?\)/,
  );
});

test('retention is also computed at ⅓ and ⅔ of the rule\'s cycle (for the robustness check)', async () => {
  const lines = ['cycle,c_rate (C),charge_capacity (mAh/g),discharge_capacity (mAh/g)'];
  for (let n = 1; n <= 9; n++) lines.push(`${n},0.5,${101 - n},${100 - n}`);
  const cell = await readCyclingFile(file('cathode_NBR1.5_cell1.csv', lines.join('\n')), 'cathode_NBR1.5_cell1.csv', {}, { retentionCycle: 9, highRate: 1, lowRate: 0.1 });
  // Reference cycle 1 (99); cycle 3: 97/99, cycle 6: 94/99, cycle 9: 91/99.
  assert.equal(cell.metrics.retention_9!.value, (91 / 99) * 100);
  assert.equal(cell.metrics.retention_3!.value, (97 / 99) * 100);
  assert.equal(cell.metrics.retention_6!.value, (94 / 99) * 100);
});
