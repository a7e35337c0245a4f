import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readImage, VoidscopeError } from '../../src/index.js';
import { checkTiffStructure } from '../../src/raster/tiff-structure.js';
import { MIN_IS_WHITE_NOTE, ASSOCIATED_ALPHA_NOTE, PALETTE_NOTE } from '../../src/raster/read.js';
import { associatedAlphaCases, corruptTiffCases, rgbaSamples, rgbLayoutCases } from '../../scripts/fixtures/corrupt.js';
import { buildTiff, greyPage } from '../../scripts/fixtures/tiff-build.js';

const dir = mkdtempSync(join(tmpdir(), 'voidscope-tiffstruct-'));

// Expected codes are those stated by each generated case (scripts/fixtures/corrupt.ts): loops and
// impossible layouts are ECORRUPT, valid layouts voidscope does not decode are EUNSUPPORTED.
test('hostile and unsupported TIFFs end in their VoidscopeError code, quickly', async () => {
  for (const c of corruptTiffCases()) {
    const f = join(dir, c.name);
    writeFileSync(f, c.bytes);
    const t0 = Date.now();
    if (c.expect === 'ok') {
      const d = await readImage(f);
      assert.equal(d.raster.width, 8, c.name);
    } else {
      await assert.rejects(readImage(f), (e: unknown) => {
        assert.ok(e instanceof VoidscopeError, `${c.name}: ${String(e)}`);
        assert.equal(e.code, c.expect, `${c.name}: ${e.message}`);
        assert.ok(e.message.includes(c.name), e.message);
        return true;
      });
    }
    assert.ok(Date.now() - t0 < 5000, `${c.name} took ${Date.now() - t0} ms`);
  }
});

test('checkTiffStructure is a pure check of the bytes: loops, limits and page layout', () => {
  const cases = corruptTiffCases();
  const self = cases.find((c) => c.name === 'ifd-loop-to-self.tif')!;
  assert.throws(() => checkTiffStructure(self.bytes, 'x.tif'), (e: unknown) => e instanceof VoidscopeError && e.code === 'ECORRUPT' && /loops/.test(e.message));
  const three = buildTiff([greyPage(4, 2, () => 1), greyPage(4, 2, () => 2), greyPage(4, 2, () => 3)]).bytes;
  const s = checkTiffStructure(three, 'x.tif');
  assert.equal(s.pages.length, 3);
  assert.deepEqual([s.pages[0]!.width, s.pages[0]!.height, s.pages[0]!.samplesPerPixel, s.pages[0]!.chunks], [4, 2, 1, 1]);
  assert.throws(() => checkTiffStructure(three, 'x.tif', { maxPages: 2 }), /more than 2 pages/);
});

test('associated alpha: stored values, identical in strip, tiled and planar layouts (ImageJ ignores alpha)', async () => {
  const w = 20, h = 18;
  const px = rgbaSamples(w, h);
  // Expected: ImageJ's unweighted grey of the stored (premultiplied) R, G, B; alpha never used.
  const want = new Uint16Array(w * h);
  for (let i = 0; i < w * h; i++) want[i] = Math.floor((px[4 * i]! + px[4 * i + 1]! + px[4 * i + 2]!) / 3 + 0.5);
  for (const c of associatedAlphaCases(w, h)) {
    const f = join(dir, c.name);
    writeFileSync(f, c.bytes);
    const d = await readImage(f);
    assert.ok(d.raster.data instanceof Uint16Array, c.name);
    assert.deepEqual(Array.from(d.raster.data), Array.from(want), c.name);
    assert.deepEqual(d.notes, [ASSOCIATED_ALPHA_NOTE]);
  }
});

test('16-bit RGB without alpha, with unassociated and with unspecified extra samples: the same grey in every layout', async () => {
  const w = 20, h = 18;
  const px = rgbaSamples(w, h);
  const want = Array.from({ length: w * h }, (_, i) => Math.floor((px[4 * i]! + px[4 * i + 1]! + px[4 * i + 2]!) / 3 + 0.5));
  for (const [extra, prefix] of [[[], 'rgb16'], [[2], 'unassoc-alpha'], [[0], 'unspecified-extra']] as const) {
    for (const c of rgbLayoutCases(w, h, [...extra], prefix)) {
      const f = join(dir, c.name); // distinct names: libvips caches by path
      writeFileSync(f, c.bytes);
      const d = await readImage(f);
      assert.deepEqual(Array.from(d.raster.data), want, c.name);
      assert.equal(d.notes, undefined, c.name);
    }
  }
});

test('min-is-white keeps stored values with a note, as ImageJ does (ij.jar 1.53t: getf(0) = stored value, inverting LUT)', async () => {
  for (const bits of [8, 16] as const) {
    const w = 6, h = 3;
    const vals = Array.from({ length: w * h }, (_, i) => (bits === 8 ? (i * 37 + 5) & 255 : (i * 3001 + 7) & 0xffff));
    const data = bits === 8 ? Uint8Array.from(vals) : new Uint8Array(Uint16Array.from(vals).buffer);
    const f = join(dir, `miniswhite${bits}.tif`);
    writeFileSync(f, buildTiff([{ width: w, height: h, bits: [bits], photometric: 0, chunks: [data] }]).bytes);
    const d = await readImage(f);
    assert.deepEqual(Array.from(d.raster.data), vals, `${bits}-bit`);
    assert.deepEqual(d.notes, [MIN_IS_WHITE_NOTE]);
  }
});

test('an embedded ICC profile is not applied: the stored RGB values are averaged', async () => {
  const W = 16, H = 8;
  const raw = Buffer.alloc(W * H * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + 11) % 256;
  const f = join(dir, 'icc.png');
  // withIccProfile converts to Display P3 on write; the stored values are then read back without a profile.
  await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).withIccProfile('p3').png().toFile(f);
  const stored = await sharp(f, { ignoreIcc: true }).raw().toBuffer();
  const meta = await sharp(f).metadata();
  assert.ok(meta.icc, 'the file carries a profile');
  const d = await readImage(f);
  for (let i = 0; i < W * H; i++) {
    assert.equal(d.raster.data[i], Math.floor((stored[3 * i]! + stored[3 * i + 1]! + stored[3 * i + 2]!) / 3 + 0.5));
  }
  // And applying the profile would have moved values (so the test can fail).
  const applied = await sharp(f).toColourspace('srgb').raw().toBuffer();
  assert.ok(applied.some((v, i) => v !== stored[i]));
});

test('CMYK JPEG is refused (EUNSUPPORTED), as CMYK and CIELab TIFFs are', async () => {
  const f = join(dir, 'cmyk.jpg');
  const rgb = Buffer.alloc(8 * 8 * 3, 90);
  await sharp(rgb, { raw: { width: 8, height: 8, channels: 3 } }).toColourspace('cmyk').jpeg().toFile(f);
  assert.equal((await sharp(f).metadata()).space, 'cmyk');
  await assert.rejects(readImage(f), (e: unknown) => e instanceof VoidscopeError && e.code === 'EUNSUPPORTED' && /CMYK/.test(e.message));
});

test('a geotiff failure (signed 16-bit, broken LZW) is one ECORRUPT; the next file still reads (info bad.tif good.tif)', async () => {
  const bad = join(dir, 's16-bad-lzw.tif');
  writeFileSync(bad, buildTiff([{ width: 64, height: 64, bits: [16], sampleFormat: 2, compression: 5, chunks: [Uint8Array.from([0x80, 0x00, 0x40, 0x20, 0x10, 0x08, 0xff, 0xff, 0x00, 0x12])] }]).bytes);
  const good = join(dir, 's16-good.tif');
  const vals = [-5, 0, 7, -32768, 32767, 1, 2, 3];
  writeFileSync(good, buildTiff([{ width: 4, height: 2, bits: [16], sampleFormat: 2, chunks: [new Uint8Array(new Int16Array(vals).buffer)] }]).bytes);
  await assert.rejects(readImage(bad), (e: unknown) => e instanceof VoidscopeError && e.code === 'ECORRUPT' && e.message.includes('s16-bad-lzw.tif'));
  await new Promise((r) => setTimeout(r, 200)); // a stray rejection would surface here and fail the test file
  const d = await readImage(good);
  assert.deepEqual(Array.from(d.raster.data), vals); // signed values as written, read through geotiff
});

test('palette TIFF gives its index values with a note, as ImageJ does (ij.jar 1.53t on libtiff palette-1c-8b.tiff: getf = index)', async () => {
  const w = 8, h = 4;
  const idx = Array.from({ length: w * h }, (_, i) => (i * 11) % 256);
  // A colour map far from grey: index i → (65535 − 257 i, 257 i, 0).
  const map = [...Array.from({ length: 256 }, (_, i) => 65535 - 257 * i), ...Array.from({ length: 256 }, (_, i) => 257 * i), ...Array<number>(256).fill(0)];
  const f = join(dir, 'palette8.tif');
  writeFileSync(f, buildTiff([{ width: w, height: h, photometric: 3, chunks: [Uint8Array.from(idx)], tags: [{ tag: 320, type: 3, values: map }] }]).bytes);
  const d = await readImage(f);
  assert.deepEqual(Array.from(d.raster.data), idx);
  assert.equal(d.greyConversion, null);
  assert.deepEqual(d.notes, [PALETTE_NOTE]);
});
