/**
 * The committed SEM samples (samples/sem, generator scripts/samples/sem.ts): analyzePorosity with the
 * DEFAULT method must recover each image's ground-truth void fraction (from the generator's void mask,
 * samples/sem/ground-truth.json) within 0.5 percentage points, with the data bar detected and excluded
 * and the Tescan sidecar calibration read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_POROSITY_METHOD } from '../../src/segmentation/porosity.js';
import { analyzePorosity } from '../../src/segmentation/analyze.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEM = join(ROOT, 'samples', 'sem');

interface Truth {
  file: string;
  trueVoidFraction: number;
  micrographRows: number;
  databarRows: number;
  pixelSizeUm: number;
}
const truth = JSON.parse(readFileSync(join(SEM, 'ground-truth.json'), 'utf8')) as { images: Truth[] };

test('ground truth lists 40 images: 2 electrodes × 5 binder contents × 2 states × 2', () => {
  assert.equal(truth.images.length, 40);
});

for (const t of truth.images) {
  test(`default method recovers ${t.file} within 0.5 pp`, async () => {
    const r = await analyzePorosity(join(SEM, t.file));
    assert.equal(r.method, DEFAULT_POROSITY_METHOD);
    assert.ok(
      Math.abs(r.voidFraction - t.trueVoidFraction) <= 0.005,
      `void fraction ${r.voidFraction} vs ground truth ${t.trueVoidFraction}`,
    );
    // The data bar (bottom rows) is excluded: the analysed region is exactly the micrograph rows.
    assert.deepEqual(r.databar, { rows: t.databarRows, source: r.databar!.source, excluded: true });
    assert.deepEqual(r.roi, { x: 0, y: 0, width: r.width, height: t.micrographRows });
    // Calibration from the Tescan sidecar (PixelSizeX in metres → µm).
    assert.ok(r.pixelSize && Math.abs(r.pixelSize.value - t.pixelSizeUm) < 1e-12, JSON.stringify(r.pixelSize));
    assert.match(r.pixelSize!.source, /Tescan/);
    assert.equal(r.pores.unit, 'µm');
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
  });
}

test('keeping the data bar (dark band) inflates the void fraction — the bar must be excluded', async () => {
  const t = truth.images[0]!;
  const r = await analyzePorosity(join(SEM, t.file), { keepDatabar: true });
  assert.ok(r.voidFraction > t.trueVoidFraction + 0.05, `${r.voidFraction}`);
});

test('committed samples are what scripts/samples/sem.ts generates (pixels and ground truth)', async () => {
  const { generateSemImage, sampleSpec } = await import('../../scripts/samples/sem.js');
  const { readImage } = await import('../../src/raster/read.js');
  for (const [electrode, binder, state, k] of [['cathode', '1.5', 'cycled150', 2], ['anode', '0.5', 'pristine', 1]] as const) {
    const gen = generateSemImage(sampleSpec(electrode, binder, state, k));
    const rel = `${electrode}/NBR${binder}/${state}/${electrode}_NBR${binder}_${state}_${k}.tif`;
    const img = await readImage(join(SEM, rel));
    assert.equal(img.raster.width, gen.width);
    assert.equal(img.raster.height, gen.height);
    assert.ok(Buffer.from(img.raster.data as Uint8Array).equals(Buffer.from(gen.pixels)), `${rel} pixels differ from a fresh run`);
    const t = truth.images.find((i) => i.file === rel)! as Truth & { voidPixels: number };
    assert.equal(t.voidPixels, gen.voidPixels);
  }
});
