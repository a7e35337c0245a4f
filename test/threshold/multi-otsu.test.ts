/**
 * MultiOtsu = scikit-image 0.19.3's threshold_multiotsu(classes=3), bit for bit.
 *
 * Expected values:
 *  - test/fixtures/threshold/histograms-skimage-0.19.3.json: 82 synthetic 8-bit histograms,
 *    recorded by scripts/fixtures/threshold-skimage-histograms.py (skimage on
 *    np.repeat(arange(256), hist) as a uint8 image);
 *  - test/fixtures/threshold/expected-skimage-0.19.3.json: the fixture images (and ROIs),
 *    recorded by scripts/fixtures/threshold-skimage.py; for 16-bit/float images skimage ran on
 *    ImageJ's 8-bit conversion, i.e. the same 256-bin histogram as our default 'imagej' mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeThreshold,
  histogram,
  multiOtsu,
  multiOtsuDetail,
  parseThresholdMethod,
  autoThreshold,
} from '../../src/segmentation/threshold/index.js';
import { dense, readFixture, readJson } from './helpers.js';

interface HCase {
  name: string;
  hist: [number, number][];
  thresholds: number[] | string;
}
const hx = readJson<{ _generator: { skimage_version: string }; cases: HCase[] }>('histograms-skimage-0.19.3.json');
const ix = readJson<{
  _generator: { skimage_version: string };
  images: Record<string, { runs: { roi: number[] | null; thresholds?: number[]; error?: string }[] }>;
}>('expected-skimage-0.19.3.json');

test('recorded with scikit-image 0.19.3', () => {
  assert.equal(hx._generator.skimage_version, '0.19.3');
  assert.equal(ix._generator.skimage_version, '0.19.3');
});

test(`multiOtsu == skimage threshold_multiotsu on ${hx.cases.length} histograms`, () => {
  const bad: string[] = [];
  let compared = 0;
  for (const c of hx.cases) {
    const d = multiOtsuDetail(dense(c.hist), 3);
    if (typeof c.thresholds === 'string') {
      // skimage raises for < 3 grey levels; we return padded thresholds and flag `degenerate`
      assert.match(c.thresholds, /^ValueError: The input image has only [12] different values/);
      if (!d.degenerate) bad.push(`${c.name}: expected degenerate`);
      continue;
    }
    compared++;
    if (d.degenerate || d.thresholds.join() !== c.thresholds.join()) {
      bad.push(`${c.name}: skimage ${c.thresholds}, ours ${d.thresholds}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.ok(compared >= 75);
});

test('multiOtsu degenerate cases (skimage raises ValueError; we pad and flag)', () => {
  const one = new Uint32Array(256);
  one[100] = 50;
  assert.deepEqual(multiOtsuDetail(one), { thresholds: [100, 100], degenerate: true });
  const two = new Uint32Array(256);
  two[60] = 3;
  two[180] = 7;
  assert.deepEqual(multiOtsuDetail(two), { thresholds: [60, 180], degenerate: true });
  assert.deepEqual(multiOtsuDetail(new Uint32Array(256)), { thresholds: [0, 0], degenerate: true });
  // exactly 3 levels: skimage returns the first two non-empty bins
  const three = new Uint32Array(256);
  three[5] = 1;
  three[50] = 1;
  three[250] = 1;
  assert.deepEqual(multiOtsuDetail(three), { thresholds: [5, 50], degenerate: false });
});

for (const [name, rec] of Object.entries(ix.images)) {
  test(`${name}: MultiOtsu equals skimage (whole image and ROI)`, async () => {
    const raster = await readFixture(name);
    for (const run of rec.runs) {
      const roi = run.roi ? { x: run.roi[0]!, y: run.roi[1]!, width: run.roi[2]!, height: run.roi[3]! } : undefined;
      const h = histogram(raster, { roi });
      if (run.error) {
        assert.match(run.error, /ValueError/);
        assert.equal(multiOtsuDetail(h.counts).degenerate, true);
        const r = computeThreshold(raster, { method: 'MultiOtsu', roi });
        assert.match(r.note ?? '', /scikit-image would raise ValueError/);
        continue;
      }
      assert.deepEqual(multiOtsu(h.counts, 3), run.thresholds, `roi ${run.roi}`);
      const dark = computeThreshold(raster, { method: 'multiotsu', roi });
      const bright = computeThreshold(raster, { method: 'MultiOtsu', roi, polarity: 'bright' });
      assert.equal(dark.bin, run.thresholds![0]);
      assert.equal(bright.bin, run.thresholds![1]);
      assert.deepEqual(dark.thresholds!.bins, run.thresholds);
      assert.equal(dark.source, 'scikit-image 0.19.3 threshold_multiotsu');
      assert.match(dark.note!, /not an ImageJ method/);
    }
  });
}

test("'MultiOtsu' parses case-insensitively and autoThreshold gives the lower threshold", () => {
  assert.equal(parseThresholdMethod('multiotsu'), 'MultiOtsu');
  const h = dense([
    [30, 100],
    [31, 120],
    [100, 300],
    [101, 280],
    [200, 150],
    [201, 160],
  ]);
  const [t0, t1] = multiOtsu(h);
  assert.equal(autoThreshold('MultiOtsu', h), t0);
  // three well separated pairs: the thresholds fall after each of the first two pairs' bins
  assert.ok(t0! >= 31 && t0! < 100, `t0 ${t0}`);
  assert.ok(t1! >= 101 && t1! < 200, `t1 ${t1}`);
});
