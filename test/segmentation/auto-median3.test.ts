/**
 * The automatic segmenter's fast 3×3 median (src/segmentation/auto/median3.ts) equals the project's
 * ImageJ-exact median radius 1 (src/segmentation/filters/median.ts, itself checked against ImageJ),
 * pixel for pixel, on random images of awkward sizes (1-pixel rows/columns included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../scripts/lib/random.js';
import { createRaster } from '../../src/raster/types.js';
import { medianFilter } from '../../src/segmentation/filters/median.js';
import { median3x3 } from '../../src/segmentation/auto/median3.js';

test('median3x3 = ImageJ median radius 1 on random 8-bit images', () => {
  const rnd = mulberry32(31);
  for (const [w, h] of [[1, 1], [1, 7], [9, 1], [2, 2], [37, 23], [128, 96]] as const) {
    const d = new Uint8Array(w * h);
    for (let i = 0; i < d.length; i++) d[i] = rnd() < 0.3 ? (rnd() < 0.5 ? 0 : 255) : Math.floor(rnd() * 256);
    const ref = medianFilter(createRaster(w, h, d), 1).data as Uint8Array;
    const got = median3x3(d, w, h);
    assert.deepEqual(Array.from(got), Array.from(ref), `${w}×${h}`);
  }
});
