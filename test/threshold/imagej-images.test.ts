/**
 * Image-level parity with ImageJ 1.53t on the generated fixtures (test/fixtures/threshold/*.tif,
 * written by scripts/fixtures/threshold.ts): for every image, every recorded ROI, and all 17
 * methods, our histogram + method gives ImageJ's threshold, our value gives ImageJ's selection
 * limits, and our void-pixel count equals the number of pixels ImageJ's selection contains.
 *
 * Expected values: test/fixtures/threshold/expected-imagej-1.53t.json, recorded with
 * scripts/fixtures/threshold-record.ts, which runs the headless ImageJ 1.53t driver
 *   ij-porosity IMAGE all [x,y,w,h] dark|light --no-particles
 * per image (threshold = AutoThresholder.getThreshold on the ROI's 256-bin histogram,
 * void_selection = ImageJ's setAutoThreshold limits, void_pixels = ROI pixels inside them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autoThreshold,
  computeThreshold,
  countVoidPixels,
  histogram,
  THRESHOLD_METHODS,
  type ThresholdMethod,
} from '../../src/segmentation/threshold/index.js';
import type { Roi } from '../../src/raster/types.js';
import { readFixture, readJson, type IjExpected } from './helpers.js';

const expected = readJson<IjExpected>('expected-imagej-1.53t.json');

test('expected values were recorded with ImageJ 1.53t', () => {
  assert.match(expected._generator.imagej_version, /^1\.53t/);
  assert.ok(Object.keys(expected.images).length >= 13);
});

function roiOf(run: { roi: number[]; width: number; height: number }): Roi | undefined {
  const [x, y, width, height] = run.roi as [number, number, number, number];
  return x === 0 && y === 0 && width === run.width && height === run.height ? undefined : { x, y, width, height };
}

for (const [name, { runs }] of Object.entries(expected.images)) {
  for (const run of runs) {
    const roi = roiOf(run);
    const label = `${name} roi=${run.roi.join(',')} ${run.polarity}`;

    test(`${label}: all 17 thresholds equal ImageJ's`, async () => {
      const raster = await readFixture(name);
      assert.equal(raster.bitDepth, run.bitDepth);
      const h = histogram(raster, { roi });
      assert.equal(h.pixels, run.roi_pixels);
      if (run.bitDepth === 16) {
        assert.equal(h.min, run.image_min);
        assert.equal(h.max, run.image_max);
      }
      const bad: string[] = [];
      for (const m of THRESHOLD_METHODS) {
        const t = autoThreshold(m as ThresholdMethod, h.counts);
        if (t !== run.methods[m]!.threshold) bad.push(`${m}: ImageJ ${run.methods[m]!.threshold}, ours ${t}`);
        const r = computeThreshold(raster, { method: m, roi });
        if (r.bin !== t) bad.push(`${m}: computeThreshold bin ${r.bin} != ${t}`);
      }
      assert.deepEqual(bad, []);
    });

    if (run.polarity === 'dark') {
      test(`${label}: void selection = ImageJ's setAutoThreshold(method) pixel for pixel`, async () => {
        const raster = await readFixture(name);
        const bad: string[] = [];
        for (const m of THRESHOLD_METHODS) {
          const rec = run.methods[m]!;
          const r = computeThreshold(raster, { method: m, roi });
          // ImageJ's upper limit: t (8-bit), Math.round(min + t/255*(max-min)) (16-bit), the double (float);
          // at t = 255 ImageJ stores 65535 / 1e30, we the image maximum (same pixels).
          const upper = rec.void_selection[1];
          const sameLimit = r.value === upper || (rec.threshold === 255 && run.bitDepth !== 8 && upper >= r.value);
          if (!sameLimit) bad.push(`${m}: ImageJ upper ${upper}, our value ${r.value}`);
          const n = countVoidPixels(raster, r.value, 'dark', { roi });
          if (n !== rec.void_pixels) bad.push(`${m}: ImageJ ${rec.void_pixels} void px, ours ${n}`);
        }
        assert.deepEqual(bad, []);
      });
    } else {
      test(`${label}: bright voids = complement of the dark selection; difference to ImageJ's "dark" selection shown`, async () => {
        const raster = await readFixture(name);
        const dark = runs.find((r) => r.polarity === 'dark' && r.roi.join() === run.roi.join())!;
        const bad: string[] = [];
        for (const m of THRESHOLD_METHODS) {
          const rec = run.methods[m]!;
          const r = computeThreshold(raster, { method: m, roi, polarity: 'bright' });
          const ours = countVoidPixels(raster, r.value, 'bright', { roi });
          // ours is exactly the complement of ImageJ's dark selection
          if (ours !== run.roi_pixels - dark.methods[m]!.void_pixels) bad.push(`${m}: not the complement`);
          // ImageJ's own light selection [lo, hi]: count it on our raster to show the documented difference
          const [lo, hi] = rec.void_selection;
          let ij = 0;
          let between = 0;
          const W = raster.width;
          const [x0, y0, w, hgt] = run.roi;
          for (let y = y0; y < y0 + hgt; y++)
            for (let x = x0; x < x0 + w; x++) {
              const v = raster.data[y * W + x]!;
              if (v >= lo && v <= hi) ij++;
              if (v > r.value && v < lo) between++; // in neither of ImageJ's selections
              if (v >= lo && v <= r.value) between--; // in both (narrow 16-bit ranges: the rounded levels overlap)
            }
          if (ij !== rec.void_pixels) bad.push(`${m}: recount of ImageJ's selection ${ij} != recorded ${rec.void_pixels}`);
          if (run.bitDepth === 8 && rec.threshold < 255) {
            // 8-bit, t < 255: ImageJ's [t+1, 255] is exactly pixel > t
            if (ours !== rec.void_pixels) bad.push(`${m}: 8-bit ours ${ours} != ImageJ ${rec.void_pixels}`);
          } else if (run.bitDepth === 8) {
            // t = 255: ImageJ clamps t+1 to 255 and selects the pixels == 255; pixel > 255 selects none
            if (ours !== 0) bad.push(`${m}: t=255 should give 0 bright voids`);
          } else if (ours - rec.void_pixels !== between) {
            // 16-bit/float: ImageJ's light selection starts at min+(t+1)/255*(max-min) (rounded for 16-bit);
            // pixels between the two scaled levels are in neither of ImageJ's selections but void for us,
            // and when max-min < 255 the rounded levels can overlap (pixels in both; not void for us)
            bad.push(`${m}: difference ${ours - rec.void_pixels} != pixels between minus overlap ${between}`);
          }
        }
        assert.deepEqual(bad, []);
      });
    }
  }
}
