import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import { measurePorosityDetailed } from '../../src/segmentation/porosity.js';
import { drawOverlay, voidMaskPng } from '../../src/render/overlay.js';
import sharp from 'sharp';

// 200×120 image: solid grey 150, a 6×6 void (grey 20) at (120,70)-(125,75), a 1-px speck (grey 20) at
// (150,50), and a 10-row "data bar" (grey 5) at the bottom. Calibrated 0.1 µm/px so a scale bar is drawn
// (bottom right, above the bar); the caption sits at the top left.
const W = 200;
function image() {
  const w = W;
  const h = 120;
  const d = new Uint8Array(w * h).fill(150);
  for (let y = 70; y < 76; y++) for (let x = 120; x < 126; x++) d[y * w + x] = 20;
  d[50 * w + 150] = 20;
  for (let y = 110; y < 120; y++) for (let x = 0; x < w; x++) d[y * w + x] = 5;
  return createRaster(w, h, d, { pixelSize: { value: 0.1, unit: 'µm', source: 'test' } });
}

test('overlay: pores red, specks yellow, data bar dimmed, grey kept elsewhere', () => {
  const r = image();
  const det = measurePorosityDetailed(r, { threshold: 100, minPore: { value: 2, unit: 'px' }, databar: { rows: 10, source: 'test' } });
  assert.equal(det.result.voidPixels, 37);
  assert.equal(det.result.pores.count, 1);
  const img = drawOverlay(r, det);
  const px = (x: number, y: number) => [...img.data.subarray(4 * (y * W + x), 4 * (y * W + x) + 3)];
  // Pore pixel: grey 20 blended with (255, 32, 32) at alpha 150/255 → red dominates.
  const [pr, pg, pb] = px(122, 72);
  assert.ok(pr! > 140 && pg! < 40 && pb! < 40, `pore ${px(122, 72)}`);
  // Speck: yellow (R and G high, B low).
  const [sr, sg, sb] = px(150, 50);
  assert.ok(sr! > 120 && sg! > 100 && sb! < 30, `speck ${px(150, 50)}`);
  // Data bar (excluded): grey 5 darkened further, never tinted.
  assert.deepEqual(px(20, 115).map((v) => v <= 5), [true, true, true]);
  // Solid pixel away from caption, outline and scale bar: unchanged grey.
  assert.deepEqual(px(20, 90), [150, 150, 150]);
});

test('void mask PNG: 0/255, one channel, void pixels only', async () => {
  const r = image();
  const det = measurePorosityDetailed(r, { threshold: 100, databar: { rows: 10, source: 'test' } });
  const png = await voidMaskPng(W, 120, det.voids);
  const m = await sharp(png).metadata();
  assert.equal(m.channels, 1);
  const raw = await sharp(png).extractChannel(0).raw().toBuffer();
  assert.equal(raw.filter((v) => v === 255).length, 37);
  assert.equal(raw.filter((v) => v === 0).length, W * 120 - 37);
});
