/**
 * The file edge reads each file once: SEM metadata read from bytes already in memory must equal
 * metadata read from the file, for every committed metadata fixture (FEI, Zeiss, Fibics, Hitachi,
 * JEOL, Olympus, ImageJ, Tescan …: their expected values are asserted in test/metadata/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '../../src/raster/read.js';
import { readSemMetadata } from '../../src/segmentation/metadata/index.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/metadata/', import.meta.url));

test('readSemMetadata from in-memory bytes equals readSemMetadata from the file, for every TIFF fixture', async () => {
  const tiffs = readdirSync(DIR).filter((f) => /\.tiff?$/i.test(f));
  assert.ok(tiffs.length >= 10, `${tiffs.length} TIFF fixtures`);
  let compared = 0;
  for (const f of tiffs) {
    const file = join(DIR, f);
    let image;
    try {
      image = await readImage(file);
    } catch {
      continue; // fixtures that are meant not to decode are covered elsewhere
    }
    const fromFile = await readSemMetadata(file, image);
    const fromBytes = await readSemMetadata(file, image, { bytes: new Uint8Array(readFileSync(file)) });
    assert.deepEqual(fromBytes, fromFile, f);
    compared++;
  }
  assert.ok(compared >= 10, `${compared} fixtures compared`);
});
