/**
 * The project's own SEM samples (samples/sem, made by the SEM engineer's scripts/samples/sem.ts):
 * every image must get its pixel size from its Tescan-style `<stem>-tif.hdr` sidecar and its
 * burnt-in data bar (uniform dark band with white text, no height in any metadata) detected from
 * the pixels, both equal to the generator's ground truth in samples/sem/ground-truth.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../src/raster/read.js';
import { readSemMetadata } from '../../src/segmentation/metadata/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const truthFile = join(root, 'samples', 'sem', 'ground-truth.json');
const absent = !existsSync(truthFile);

interface Truth {
  file: string;
  databarRows: number;
  micrographRows: number;
  pixelSizeUm: number;
}

test('samples/sem: pixel size from the .hdr sidecar and data bar detected from pixels, as generated', { skip: absent ? 'samples/sem/ground-truth.json not present' : false }, async () => {
  const truth = (JSON.parse(readFileSync(truthFile, 'utf8')) as { images: Truth[] }).images;
  assert.ok(truth.length >= 20);
  for (const t of truth) {
    const file = join(root, 'samples', 'sem', t.file);
    const image = await readImage(file);
    const meta = await readSemMetadata(file, image);
    assert.equal(meta.vendor, 'Tescan', t.file);
    assert.ok(meta.pixelSize && Math.abs(meta.pixelSize.value - t.pixelSizeUm) <= 1e-9 * t.pixelSizeUm, `${t.file}: ${JSON.stringify(meta.pixelSize)}`);
    assert.match(meta.pixelSize.source, /-tif\.hdr \[MAIN\] PixelSizeX/u);
    assert.deepEqual(meta.databar, { rows: t.databarRows, source: 'detected from pixels' }, t.file);
    assert.equal(image.raster.height - meta.databar!.rows, t.micrographRows, t.file);
  }
});
