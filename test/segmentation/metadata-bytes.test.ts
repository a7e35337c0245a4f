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

test('the file edge finds the bytes readImage read (plain TIFF fast path) and nothing else', async () => {
  const { fileBytesOf } = await import('../../src/segmentation/analyze.js');
  const { createRaster } = await import('../../src/raster/types.js');
  const { writeFileSync, mkdtempSync, rmSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const sharp = (await import('sharp')).default;
  const dir = mkdtempSync(join(tmpdir(), 'vs-bytes-'));
  try {
    const file = join(dir, 'plain.tif');
    const px = new Uint8Array(64 * 48).map((_, i) => i % 251);
    writeFileSync(file, await sharp(px, { raw: { width: 64, height: 48, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'none' }).toBuffer());
    const image = await readImage(file);
    const b = fileBytesOf(image, statSync(file).size);
    assert.ok(b, 'plain 8-bit TIFF: the bytes are found');
    assert.deepEqual(Buffer.from(b!), readFileSync(file));
    // A raster decoded elsewhere (its own pixel buffer) gives nothing.
    assert.equal(fileBytesOf({ ...image, raster: createRaster(64, 48, new Uint8Array(64 * 48)) }, statSync(file).size), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a TIFF decoded by libvips (deflate) also hands its bytes to the metadata reader: each file is read once', async () => {
  const { fileBytesOf } = await import('../../src/segmentation/analyze.js');
  const { writeFileSync, mkdtempSync, rmSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const sharp = (await import('sharp')).default;
  const dir = mkdtempSync(join(tmpdir(), 'vs-bytes-'));
  try {
    const file = join(dir, 'deflate.tif');
    const px = new Uint8Array(64 * 48).map((_, i) => i % 251);
    writeFileSync(file, await sharp(px, { raw: { width: 64, height: 48, channels: 1 } }).toColourspace('b-w').tiff({ compression: 'deflate' }).toBuffer());
    const image = await readImage(file);
    assert.ok(image.bytes, 'the reader kept the bytes it read');
    assert.deepEqual(Buffer.from(fileBytesOf(image, statSync(file).size)!), readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
