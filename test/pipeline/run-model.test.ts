/**
 * A study whose SEM group segments with a trained model (`options: {model: …}` in the study file).
 *
 * Expected values: the bundled sample model (samples/learned/model, trained by `voidscope train` on
 * samples/learned/hard-binder.png with its scribbles; its SHA-256 is in its voidscope-model.json record)
 * segments the same image into void / binder / electrolyte / active; the porosity of the study run equals
 * that of `analyzePorosity(image, {model})` on the same file; a changed model file in the same folder
 * is not served from the --resume cache.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runStudy } from '../../src/pipeline/index.js';
import { analyzePorosity } from '../../src/segmentation/analyze.js';
import { parseStudy } from '../../src/pipeline/study.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SAMPLE = join(ROOT, 'samples', 'learned');

test('study file model: every image of the group is segmented by the model, recorded with its SHA-256 and class fractions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-model-study-'));
  try {
    const study = join(dir, 'study');
    mkdirSync(join(study, 'sem', 'cathode', 'NBR1.5', 'cycled150'), { recursive: true });
    const img = join(study, 'sem', 'cathode', 'NBR1.5', 'cycled150', 'cathode_NBR1.5_cycled150_1.png');
    cpSync(join(SAMPLE, 'hard-binder.png'), img);
    cpSync(join(SAMPLE, 'model'), join(study, 'model'), { recursive: true });
    writeFileSync(
      join(study, 'voidscope.yaml'),
      'version: 1\ngroups:\n  - name: SEM cathode\n    kind: sem\n    electrode: cathode\n    files: sem/**/*.png\n    options:\n      model: model\n',
    );
    const r = await runStudy(study, { out: join(dir, 'out'), jobs: 1 });
    assert.equal(r.sem.length, 1);
    const row = r.sem[0]!;
    assert.equal(row.status, 'ok');
    const direct = await analyzePorosity(img, { model: join(study, 'model') });
    assert.equal(row.porosityPercent, direct.porosityPercent);
    const raw = row.raw as unknown as { segmentation: { segmenter: string; model: { sha256: string; classes: string[] } }; phases: { name: string; percent: number }[] };
    assert.equal(raw.segmentation.segmenter, 'model');
    assert.equal(raw.segmentation.model.sha256, direct.segmentation!.model!.sha256);
    assert.deepEqual(raw.segmentation.model.classes, ['void', 'binder', 'electrolyte', 'active']);
    const total = raw.phases.reduce((s, p) => s + p.percent, 0);
    assert.ok(Math.abs(total - 100) < 1e-9, `phases add up to ${total} %`);
    assert.equal(raw.phases.find((p) => p.name === 'void')!.percent, direct.porosityPercent);
    // --resume: the same model → cached; a changed model file in the same folder → analysed again.
    const again = await runStudy(study, { out: join(dir, 'out'), jobs: 1, resume: true });
    assert.equal(again.sem[0]!.cached, true);
    appendFileSync(join(study, 'model', 'voidscope-model.json'), '\n');
    const changed = await runStudy(study, { out: join(dir, 'out'), jobs: 1, resume: true });
    assert.equal(changed.sem[0]!.cached, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('study file model: a path outside the study folder is refused with its YAML path', () => {
  assert.throws(
    () => parseStudy('version: 1\ngroups:\n  - kind: sem\n    files: a\n    options:\n      model: ../elsewhere/model\n', 'v.yaml'),
    /options\.model.*inside the study folder|options\.model.*relative to the study folder/,
  );
});
