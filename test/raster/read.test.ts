import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { encode as encodeBmp } from 'bmp-ts';
import { readImage, sniffImageFormat, VoidscopeError } from '../../src/index.js';
import { writeTiff } from '../helpers/tiff-writer.js';

// Every expected value below is the value written into the file by the test itself.
const dir = mkdtempSync(join(tmpdir(), 'voidscope-read-'));
const W = 7, H = 5;
const ramp8 = Uint8Array.from({ length: W * H }, (_, i) => (i * 7) % 256);
const ramp16 = Uint16Array.from({ length: W * H }, (_, i) => (i * 1871 + 3) % 65536);

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof VoidscopeError, `expected VoidscopeError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

test('8-bit grey TIFF in every compression decodes to the exact pixels', async () => {
  for (const compression of ['none', 'lzw', 'deflate', 'packbits'] as const) {
    const f = join(dir, `g8-${compression}.tif`);
    await sharp(ramp8, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').tiff({ compression }).toFile(f);
    const d = await readImage(f);
    assert.equal(d.format, 'tiff');
    assert.equal(d.raster.bitDepth, 8);
    assert.ok(d.raster.data instanceof Uint8Array);
    assert.deepEqual(Array.from(d.raster.data), Array.from(ramp8), compression);
    assert.equal(d.greyConversion, null);
  }
});

test('16-bit TIFF and PNG keep all 16 bits', async () => {
  const tif = join(dir, 'g16.tif');
  writeFileSync(tif, writeTiff([{ width: W, height: H, kind: 'uint16', data: ramp16 }]));
  const png = join(dir, 'g16.png');
  // sharp infers 16-bit raw input from the Uint16Array
  await sharp(ramp16, { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toFile(png);
  for (const f of [tif, png]) {
    const d = await readImage(f);
    assert.equal(d.raster.bitDepth, 16, f);
    assert.ok(d.raster.data instanceof Uint16Array);
    assert.deepEqual(Array.from(d.raster.data), Array.from(ramp16), f);
  }
});

test('float32, uint32 and signed int16 TIFFs keep their values', async () => {
  const f32 = Float32Array.from({ length: W * H }, (_, i) => i * 0.25 - 3.5);
  const u32 = Uint32Array.from({ length: W * H }, (_, i) => 4_000_000_000 - i * 123_457);
  const i16 = Int16Array.from({ length: W * H }, (_, i) => i * 100 - 1700);
  const cases = [
    ['f32.tif', 'float32', f32, Float32Array, 'float'],
    ['u32.tif', 'uint32', u32, Uint32Array, 'uint'],
    ['i16.tif', 'int16', i16, Float32Array, 'float'],
  ] as const;
  for (const [name, kind, data, Ctor, fmt] of cases) {
    const f = join(dir, name);
    writeFileSync(f, writeTiff([{ width: W, height: H, kind, data }]));
    const d = await readImage(f);
    assert.ok(d.raster.data instanceof Ctor, name);
    assert.equal(d.raster.sampleFormat, fmt, name);
    assert.deepEqual(Array.from(d.raster.data), Array.from(data), name);
  }
});

test('multi-page TIFF: pages counted, the chosen page read, a missing page refused', async () => {
  const f = join(dir, 'pages.tif');
  writeFileSync(f, writeTiff([0, 1, 2].map((p) => ({ width: W, height: H, kind: 'uint8' as const, data: new Uint8Array(W * H).fill(10 * p + 5) }))));
  const d0 = await readImage(f);
  assert.equal(d0.pages, 3);
  assert.equal(d0.raster.data[0], 5);
  const d2 = await readImage(f, { page: 2 });
  assert.equal(d2.page, 2);
  assert.equal(d2.raster.data[W * H - 1], 25);
  await rejectsWith(readImage(f, { page: 3 }), 'EOPTION', /page 3 requested but the file has 3 pages/);
});

test('RGB becomes grey with ImageJ unweighted conversion, stated in the result', async () => {
  // pixel (R,G,B) = (10,20,40) → round(70/3) = 23 ; (255,0,0) → 85 ; (1,1,2) → round(4/3) = 1
  const rgb = Uint8Array.from([10, 20, 40, 255, 0, 0, 1, 1, 2]);
  const f = join(dir, 'rgb.png');
  await sharp(rgb, { raw: { width: 3, height: 1, channels: 3 } }).png().toFile(f);
  const d = await readImage(f);
  assert.deepEqual(Array.from(d.raster.data), [23, 85, 1]);
  assert.equal(d.channels, 3);
  assert.match(d.greyConversion ?? '', /\(R \+ G \+ B\) \/ 3/);
});

test('BMP (24-bit) decodes through bmp-ts with the same grey rule', async () => {
  const abgr = Buffer.from([0, 40, 20, 10, 0, 7, 7, 7]); // bmp-ts encode takes ABGR: (R,G,B) = (10,20,40), (7,7,7)
  const f = join(dir, 'x.bmp');
  writeFileSync(f, encodeBmp({ width: 2, height: 1, data: abgr, bitPP: 24 }).data);
  const d = await readImage(f);
  assert.equal(d.format, 'bmp');
  assert.deepEqual(Array.from(d.raster.data), [23, 7]);
});

test('format is sniffed from content, not the extension', async () => {
  const f = join(dir, 'really-a-png.tif');
  await sharp(ramp8, { raw: { width: W, height: H, channels: 1 } }).png().toFile(f);
  assert.equal((await readImage(f)).format, 'png');
  assert.equal(sniffImageFormat(new TextEncoder().encode('hello world, no image')), null);
});

test('bad inputs give one clear VoidscopeError naming the file', async () => {
  await rejectsWith(readImage(join(dir, 'nope.tif')), 'ENOENT', /nope\.tif: file not found/);
  const empty = join(dir, 'empty.tif');
  writeFileSync(empty, '');
  await rejectsWith(readImage(empty), 'EEMPTY', /empty\.tif: file is empty/);
  const text = join(dir, 'notes.tif');
  writeFileSync(text, 'these are my notes, not an image\n');
  await rejectsWith(readImage(text), 'ECORRUPT', /notes\.tif: not a recognised image/);
  const full = writeTiff([{ width: 64, height: 64, kind: 'uint8', data: new Uint8Array(4096) }]);
  const cut = join(dir, 'cut.tif');
  writeFileSync(cut, full.subarray(0, 2000)); // the IFD (after the pixels) and most pixels are gone
  await rejectsWith(readImage(cut), 'ECORRUPT', /cut\.tif: (cannot decode|corrupt) TIFF/);
  const png = join(dir, 'cut.png');
  const pngBytes = await sharp(Buffer.alloc(64 * 64, 9), { raw: { width: 64, height: 64, channels: 1 } }).png({ compressionLevel: 0 }).toBuffer();
  writeFileSync(png, pngBytes.subarray(0, pngBytes.length >> 1));
  await rejectsWith(readImage(png), 'ECORRUPT', /cut\.png: cannot decode PNG/);
  const big = join(dir, 'big.tif');
  writeFileSync(big, full);
  await rejectsWith(readImage(big, { maxPixels: 1000 }), 'ETOOLARGE', /big\.tif: image is 64x64 .* over the limit/);
  const folder = join(dir, 'folder.tif');
  mkdirSync(folder);
  await rejectsWith(readImage(folder), 'EUNSUPPORTED', /folder\.tif: is a folder/);
  await rejectsWith(readImage(big, { page: -1 }), 'EOPTION', /page must be/);
});

test('validateRoi: the one ROI rule (whole pixels, positive size, inside the image)', async () => {
  const { validateRoi } = await import('../../src/raster/types.js');
  assert.deepEqual(validateRoi({ x: 1, y: 2, width: 3, height: 4 }, 4, 6), { x: 1, y: 2, width: 3, height: 4 });
  for (const bad of [{ x: 2, y: 0, width: 3, height: 1 }, { x: 0, y: 0, width: 0, height: 1 }, { x: -1, y: 0, width: 1, height: 1 }, { x: 0.5, y: 0, width: 1, height: 1 }]) {
    assert.throws(() => validateRoi(bad, 4, 6), (e: unknown) => e instanceof VoidscopeError && e.code === 'EOPTION' && /inside the 4×6 image/.test(e.message));
  }
});
