/**
 * The study report says which images used which model: the segmenter column of porosity.csv and the method
 * column of the per-image tables name the model folder (relative to the study folder) and its SHA-256's first
 * 12 hex digits; porosity.csv gains a "phases (%)" column when any image has per-phase area fractions.
 *
 * The learned result below is what `voidscope porosity samples/learned/hard-binder.png --model samples/learned/model
 * --json` printed (segmentation.model and phases, abridged), with the model folder moved under a study folder /study.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { semRow } from '../../src/pipeline/stages/analyse.js';
import { methodText, porosityRows } from '../../src/pipeline/report/tables.js';
import type { FileLabel, StudyResult } from '../../src/pipeline/types.js';
import type { PorosityResult } from '../../src/segmentation/types.js';

const SHA = '8aa04debec33c3264a9ea377d19993b455736085b3dadb6eeaafdd4c1d00036e';
const label = { kind: 'sem', electrode: 'cathode', binderWtPct: 1.5, state: 'pristine', cycles: 0, group: 'cathode 1.5' } as unknown as FileLabel;

const learned = {
  porosityPercent: 8.44879150390625,
  method: 'pixel-classifier',
  threshold: { value: NaN },
  segmentation: {
    segmenter: 'model',
    method: 'pixel-classifier',
    thresholds: [],
    model: { sha256: SHA, path: '/study/models/hard-binder', backend: 'voidscope mlp.wasm (WebAssembly SIMD) (trained on tfjs wasm)', classes: ['void', 'binder', 'electrolyte', 'active'] },
  },
  phases: [
    { id: 1, name: 'void', void: true, pixels: 16611, fraction: 0.0844879150390625, percent: 8.44879150390625 },
    { id: 2, name: 'binder', void: false, pixels: 16457, fraction: 0.08370463053385417, percent: 8.370463053385418 },
    { id: 3, name: 'electrolyte', void: false, pixels: 96272, fraction: 0.4896647135416667, percent: 48.96647135416667 },
    { id: 4, name: 'active', void: false, pixels: 67268, fraction: 0.3421427408854167, percent: 34.21427408854167 },
  ],
} as unknown as PorosityResult;

const otsu = {
  porosityPercent: 3.02,
  method: 'Otsu',
  threshold: { value: 87 },
  segmentation: { segmenter: 'threshold', method: 'Otsu', thresholds: [87] },
} as unknown as PorosityResult;

test('semRow keeps the model (folder relative to the study folder) and the per-phase area fractions', () => {
  const row = semRow('sem/a.png', label, {}, learned, false, null, '/study');
  assert.deepEqual(row.segmentation?.model, { path: 'models/hard-binder', sha256: SHA, backend: 'voidscope mlp.wasm (WebAssembly SIMD) (trained on tfjs wasm)', classes: ['void', 'binder', 'electrolyte', 'active'] });
  assert.deepEqual(row.phases?.map((p) => [p.name, p.percent, p.void]), [
    ['void', 8.44879150390625, true],
    ['binder', 8.370463053385418, false],
    ['electrolyte', 48.96647135416667, false],
    ['active', 34.21427408854167, false],
  ]);
  // A model outside the study folder keeps the path it was recorded with; no study folder: as recorded too.
  assert.equal(semRow('a.png', label, {}, learned, false, null, '/elsewhere')?.segmentation?.model?.path, '/study/models/hard-binder');
  assert.equal(semRow('a.png', label, {}, learned, false, null)?.segmentation?.model?.path, '/study/models/hard-binder');
  // A threshold segmentation: no model, no phases (fields absent, as before).
  const t = semRow('sem/b.png', label, {}, otsu, false, null, '/study');
  assert.deepEqual(t.segmentation, { segmenter: 'threshold', method: 'Otsu', thresholds: [87] });
  assert.equal('phases' in t, false);
});

test('porosity.csv names the model in the segmenter column and has a "phases (%)" column when any image has phases', () => {
  const a = semRow('sem/a.png', label, {}, learned, false, null, '/study');
  const b = semRow('sem/b.png', label, {}, otsu, false, null, '/study');
  const rows = porosityRows({ sem: [a, b] } as unknown as StudyResult);
  assert.equal(rows[0]!.segmenter, 'model models/hard-binder (SHA-256 8aa04debec33)');
  assert.equal(rows[0]!['phases (%)'], 'void 8.45; binder 8.37; electrolyte 48.97; active 34.21');
  assert.equal(rows[1]!.segmenter, 'threshold');
  assert.equal(rows[1]!['phases (%)'], null);
  // Same columns in every row, the phases right after the segmenter.
  assert.deepEqual(Object.keys(rows[0]!), Object.keys(rows[1]!));
  const keys = Object.keys(rows[0]!);
  assert.equal(keys[keys.indexOf('segmenter') + 1], 'phases (%)');
  // Without any learned image the table is as before: no phases column.
  assert.equal('phases (%)' in porosityRows({ sem: [b] } as unknown as StudyResult)[0]!, false);
  // The per-image tables of report.md / index.html: the method, then the model.
  assert.equal(methodText(a), 'pixel-classifier; model models/hard-binder (SHA-256 8aa04debec33)');
  assert.equal(methodText(b), 'Otsu');
});
