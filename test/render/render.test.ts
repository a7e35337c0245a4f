import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { niceScaleBar, formatLengthUm, createRgba, drawText, textWidth, drawScaleBar, encodePng, encodeGreyPng, greyToRgba, strokeRect } from '../../src/render/index.js';
import { createRaster } from '../../src/raster/types.js';

test('scale bars take 1-2-5 lengths near a fifth of the width', () => {
  // 1024 px at 0.0123 µm/px = 12.6 µm wide; a fifth is 2.52 µm → 2 µm = 162.6 → 163 px
  assert.deepEqual(niceScaleBar(0.0123, 1024), { lengthUm: 2, lengthPx: 163, label: '2 µm' });
  // 512 px at 1 µm/px = 512 µm; a fifth is 102 µm → 100 µm
  assert.deepEqual(niceScaleBar(1, 512), { lengthUm: 100, lengthPx: 100, label: '100 µm' });
  // 2048 px at 2.5 µm/px = 5.12 mm; a fifth is 1024 µm → 1 mm = 400 px
  assert.deepEqual(niceScaleBar(2.5, 2048), { lengthUm: 1000, lengthPx: 400, label: '1 mm' });
  // 800 px at 0.002 µm/px = 1.6 µm; a fifth is 0.32 µm; |ln(0.5/0.32)| = 0.446 < |ln(0.2/0.32)| = 0.470 → 500 nm
  assert.deepEqual(niceScaleBar(0.002, 800), { lengthUm: 0.5, lengthPx: 250, label: '500 nm' });
  assert.equal(formatLengthUm(12.5), '12.5 µm');
  assert.throws(() => niceScaleBar(0, 100));
});

test('text is drawn from the bundled bitmap font, same pixels every time', () => {
  const a = createRgba(120, 40);
  drawText(a, 2, 2, 'void 12.3 %', { size: 16 });
  const b = createRgba(120, 40);
  drawText(b, 2, 2, 'void 12.3 %', { size: 16 });
  assert.deepEqual(a.data, b.data);
  let lit = 0;
  for (let i = 0; i < a.data.length; i += 4) if (a.data[i]! > 128) lit++;
  assert.ok(lit > 50, `expected glyph pixels, got ${lit}`);
  assert.ok(textWidth('void 12.3 %', 16) > 60 && textWidth('void 12.3 %', 16) < 120);
  assert.ok(textWidth('abc', 32) > textWidth('abc', 16));
});

test('overlay primitives round-trip through PNG', async () => {
  const g = greyToRgba(createRaster(200, 100, new Uint16Array(200 * 100).fill(1000)), { min: 0, max: 2000 });
  assert.equal(g.data[0], 128); // 1000 of 0..2000 → round(127.5) = 128
  strokeRect(g, { x: 0, y: 0, width: 200, height: 100 }, [255, 0, 0, 255], 2);
  const bar = drawScaleBar(g, { value: 0.05, unit: 'µm', source: 'test' });
  assert.equal(bar.label, '2 µm'); // 200 px × 0.05 = 10 µm, a fifth = 2 µm
  const png = await encodePng(g);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 200);
  assert.deepEqual(Array.from(data.subarray(0, 3)), [255, 0, 0]);
});

test('PNG encoding: opaque pictures as RGB, translucent as RGBA, masks as one grey channel', async () => {
  const opaque = createRgba(4, 2, [10, 20, 30, 255]);
  const a = await sharp(await encodePng(opaque)).raw().toBuffer({ resolveWithObject: true });
  assert.equal(a.info.channels, 3);
  assert.deepEqual(Array.from(a.data.subarray(0, 3)), [10, 20, 30]);
  const clear = createRgba(4, 2, [10, 20, 30, 128]);
  assert.equal((await sharp(await encodePng(clear)).metadata()).channels, 4);
  const mask = Uint8Array.from([0, 255, 255, 0]);
  const png = await encodeGreyPng(mask, 2, 2);
  const m = await sharp(png).metadata();
  assert.equal(m.channels, 1);
  const px = await sharp(png).toColourspace('b-w').raw().toBuffer();
  assert.deepEqual(Array.from(px), [0, 255, 255, 0]);
});
