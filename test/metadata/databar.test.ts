/**
 * detectDatabar on generated rasters whose ground truth is known by construction: SEM-like
 * micrographs (particles, pores, noise) with and without a burnt-in data bar. False positives
 * silently cut real data, so most cases here are negatives that must return null.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import type { Raster } from '../../src/raster/types.js';
import { detectDatabar } from '../../src/segmentation/metadata/index.js';
import { micrographWithBar } from '../../scripts/fixtures/metadata.js';
import { mulberry32 as rng } from '../../scripts/lib/random.js';

/** A cross-section-like micrograph: grey matrix, bright particles, dark pores, noise. */
function micrograph(width: number, height: number, seed: number): Uint8Array {
  const r = rng(seed);
  const px = new Uint8Array(width * height);
  const n = Math.round((width * height) / 400);
  const parts = Array.from({ length: n }, () => ({ x: r() * width, y: r() * height, rad: 2 + r() * 12, v: r() < 0.25 ? 25 : 160 + r() * 80 }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 110 + 10 * Math.sin(x / 37) * Math.cos(y / 23);
      for (const p of parts) if ((x - p.x) ** 2 + (y - p.y) ** 2 < p.rad ** 2) v = p.v;
      v += (r() + r() + r() - 1.5) * 24;
      px[y * width + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return px;
}

const r8 = (w: number, h: number, d: Uint8Array): Raster => createRaster(w, h, d);

test('dark bar with white text at the bottom of a micrograph is found with its exact height', () => {
  for (const [w, imaged, bar, seed] of [
    [256, 200, 20, 1],
    [320, 240, 24, 2],
    [200, 150, 8, 3],
    [512, 384, 34, 4],
  ] as const) {
    const d = micrographWithBar(w, imaged, bar, seed);
    assert.deepEqual(detectDatabar(r8(w, imaged + bar, d)), { rows: bar, source: 'detected from pixels' }, `${w}x${imaged}+${bar}`);
  }
});

test('Zeiss-like bright data zone with black frame lines and 2 stray scan rows below it', () => {
  const w = 256;
  const imaged = 180;
  const zone = 30;
  const stray = 2;
  const h = imaged + zone + stray;
  const d = new Uint8Array(w * h);
  d.set(micrograph(w, imaged, 7));
  for (let y = imaged; y < imaged + zone; y++) {
    for (let x = 0; x < w; x++) {
      const frame = y === imaged || y === imaged + zone - 1;
      const text = y > imaged + 8 && y < imaged + 16 && x % 9 < 4 && x > 10 && x < 200;
      d[y * w + x] = frame || text ? 0 : 255;
    }
  }
  d.set(micrograph(w, stray, 8), (imaged + zone) * w);
  // Everything from the top frame line down is excluded (the stray rows are lost with it).
  assert.deepEqual(detectDatabar(r8(w, h, d)), { rows: zone + stray, source: 'detected from pixels' });
});

test('16-bit image with a bar: same answer as the 8-bit one', () => {
  const w = 256;
  const d8 = micrographWithBar(w, 200, 20, 11);
  const d16 = Uint16Array.from(d8, (v) => v * 257);
  assert.deepEqual(detectDatabar(createRaster(w, 220, d16)), { rows: 20, source: 'detected from pixels' });
});

test('ordinary micrographs without a bar: never fires (40 generated images)', () => {
  for (let seed = 100; seed < 140; seed++) {
    const w = 128 + (seed % 5) * 64;
    const h = 96 + (seed % 3) * 64;
    assert.equal(detectDatabar(r8(w, h, micrograph(w, h, seed))), null, `seed ${seed}`);
  }
});

test('a clipped-black region in the bottom right (not full width) is not a data bar', () => {
  const w = 256;
  const h = 200;
  const d = micrograph(w, h, 21);
  const r = rng(22);
  for (let y = 150; y < h; y++) {
    for (let x = 90; x < w; x++) d[y * w + x] = r() < 0.01 ? 230 : 0; // black with a few bright specks
  }
  assert.equal(detectDatabar(r8(w, h, d)), null);
});

test('a featureless uniform band at the bottom (padding, no text) is not reported', () => {
  const w = 256;
  const h = 200;
  const d = micrograph(w, h, 31);
  d.fill(0, 180 * w);
  assert.equal(detectDatabar(r8(w, h, d)), null);
});

test('a bright region with a ragged edge at the bottom is not a data bar', () => {
  const w = 256;
  const h = 200;
  const d = micrograph(w, h, 41);
  for (let x = 0; x < w; x++) {
    const edge = 160 + Math.round(12 * Math.sin(x / 9) + 8 * Math.sin(x / 3.1));
    for (let y = edge; y < h; y++) d[y * w + x] = 255;
  }
  // add some dark "ink"-like debris so only the ragged edge protects against a false positive
  for (let k = 0; k < 300; k++) d[(185 + (k % 10)) * w + ((k * 37) % w)] = 0;
  assert.equal(detectDatabar(r8(w, h, d)), null);
});

test('uniform images, labelled phase images and tiny images are not data bars', () => {
  assert.equal(detectDatabar(r8(128, 128, new Uint8Array(128 * 128))), null);
  const lab = new Uint8Array(128 * 128);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 128; x++) lab[y * 128 + x] = [0, 85, 170][(Math.floor(x / 16) + Math.floor(y / 16)) % 3]!;
  assert.equal(detectDatabar(r8(128, 128, lab)), null);
  assert.equal(detectDatabar(r8(10, 10, micrograph(10, 10, 5))), null);
});

test('a bar taller than 35 % of the image is refused (it would cut most of the data)', () => {
  const d = micrographWithBar(200, 100, 60, 51);
  assert.equal(detectDatabar(r8(200, 160, d)), null);
});

/** A micrograph with an instrument-like bar: real bitmap-font text and a scale bar, then JPEG. */
async function jpegWithBar(bright: boolean, quality: number, seed: number): Promise<{ raster: Raster; bar: number }> {
  const { createRgba, drawText, fillRect } = await import('../../src/render/index.js');
  const sharp = (await import('sharp')).default;
  const w = 640;
  const imaged = 440;
  const bar = 40;
  const img = createRgba(w, imaged + bar);
  const m = micrograph(w, imaged, seed);
  for (let i = 0; i < w * imaged; i++) img.data.fill(m[i]!, 4 * i, 4 * i + 3);
  const bg = bright ? 255 : 20;
  const ink = bright ? 'black' : 'white';
  fillRect(img, 0, imaged, w, bar, [bg, bg, bg, 255]);
  if (bright) {
    fillRect(img, 0, imaged, w, 1, [0, 0, 0, 255]); // frame lines, as the Zeiss data zone
    fillRect(img, 0, imaged + bar - 1, w, 1, [0, 0, 0, 255]);
  }
  drawText(img, 8, imaged + 12, 'EHT = 5.00 kV   WD = 4.0 mm   Mag = 10.00 K X', { size: 16, color: ink });
  fillRect(img, 520, imaged + 18, 100, 4, bright ? [0, 0, 0, 255] : [255, 255, 255, 255]);
  drawText(img, 555, imaged + 24, '1 um', { size: 16, color: ink });
  const grey = new Uint8Array(w * (imaged + bar));
  for (let i = 0; i < grey.length; i++) grey[i] = img.data[4 * i]!;
  const jpg = await sharp(Buffer.from(grey), { raw: { width: w, height: imaged + bar, channels: 1 } }).jpeg({ quality }).toBuffer();
  const { data, info } = await sharp(jpg).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { raster: createRaster(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.length)), bar };
}

test('JPEG-compressed bars (quality 85 and 75, dark and bright with frame lines) are still found', async () => {
  for (const bright of [false, true]) {
    for (const q of [85, 75]) {
      const { raster, bar } = await jpegWithBar(bright, q, 61);
      assert.deepEqual(detectDatabar(raster), { rows: bar, source: 'detected from pixels' }, `bright=${bright} q=${q}`);
    }
  }
});

test('JPEG-compressed micrographs without a bar: never fires', async () => {
  const sharp = (await import('sharp')).default;
  for (let seed = 200; seed < 210; seed++) {
    const d = micrograph(320, 240, seed);
    const jpg = await sharp(Buffer.from(d), { raw: { width: 320, height: 240, channels: 1 } }).jpeg({ quality: 70 }).toBuffer();
    const { data } = await sharp(jpg).greyscale().raw().toBuffer({ resolveWithObject: true });
    assert.equal(detectDatabar(r8(320, 240, new Uint8Array(data.buffer, data.byteOffset, data.length))), null, `seed ${seed}`);
  }
});
