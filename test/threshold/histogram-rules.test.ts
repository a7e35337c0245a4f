/**
 * Histogram rules (8-bit, ImageJ's 16-bit/float rule, finer `bins`), ROI and mask handling,
 * the void rule, options validation. Expected values are worked out by hand in the comments or
 * follow from ground truth of the constructed rasters; ImageJ-recorded values are in
 * imagej-images.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyThreshold,
  autoThreshold,
  binOf,
  computeThreshold,
  countVoidPixels,
  histogram,
  isThresholdMethod,
  isVoidPixel,
  manualThreshold,
  parseThresholdMethod,
  THRESHOLD_METHODS,
  tryAllThresholds,
} from '../../src/segmentation/threshold/index.js';
import { createRaster, cropRaster } from '../../src/raster/types.js';
import { VoidscopeError } from '../../src/errors.js';
import { mulberry32 } from '../../scripts/lib/random.js';
import { readFixture } from './helpers.js';

const isOption = (e: unknown): boolean => e instanceof VoidscopeError && e.code === 'EOPTION';

test('8-bit: 256 bins, bin = grey value; ROI equals the cropped image', async () => {
  const r = await readFixture('bimodal.tif');
  const h = histogram(r);
  assert.equal(h.mode, '8-bit');
  assert.equal(h.bins, 256);
  assert.equal(h.pixels, 256 * 192);
  let sum = 0;
  for (const c of h.counts) sum += c;
  assert.equal(sum, 256 * 192);
  const roi = { x: 40, y: 30, width: 150, height: 100 };
  assert.deepEqual(histogram(r, { roi }).counts, histogram(cropRaster(r, roi)).counts);
});

test('mask restricts the histogram; a rectangular mask equals the ROI; ROI ∩ mask', async () => {
  const r = await readFixture('three-phase.tif');
  const roi = { x: 10, y: 20, width: 100, height: 50 };
  const rect = new Uint8Array(r.width * r.height);
  for (let y = roi.y; y < roi.y + roi.height; y++) rect.fill(255, y * r.width + roi.x, y * r.width + roi.x + roi.width);
  assert.deepEqual(histogram(r, { mask: rect }).counts, histogram(r, { roi }).counts);
  // random mask: counts equal a direct count of the masked pixels
  const rnd = mulberry32(5);
  const mask = new Uint8Array(r.width * r.height);
  for (let i = 0; i < mask.length; i++) mask[i] = rnd() < 0.3 ? 1 : 0;
  const want = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) (want[r.data[i]!]!++, n++);
  const h = histogram(r, { mask });
  assert.deepEqual(h.counts, want);
  assert.equal(h.pixels, n);
  // ROI ∩ mask
  const both = histogram(r, { roi, mask });
  let n2 = 0;
  for (let y = roi.y; y < roi.y + roi.height; y++) for (let x = roi.x; x < roi.x + roi.width; x++) if (mask[y * r.width + x]) n2++;
  assert.equal(both.pixels, n2);
  // thresholds follow the restricted histogram
  for (const m of THRESHOLD_METHODS) {
    assert.equal(computeThreshold(r, { method: m, mask }).bin, autoThreshold(m, want), m);
  }
});

test("16-bit ImageJ rule by hand: b = (int)((v−min)·256/(max−min+1) + 0.5), clipped to 255", () => {
  // min 0, max 511 → scale = 256/512 = 0.5: v=0 → 0.5 → 0; v=1 → 1.0 → 1; v=2 → 1.5 → 1;
  // v=3 → 2.0 → 2; v=510 → 255.5 → 255; v=511 → 256.0 → 256 → clipped 255.
  const r = createRaster(6, 1, new Uint16Array([0, 1, 2, 3, 510, 511]));
  const h = histogram(r);
  assert.equal(h.mode, 'imagej-256');
  assert.equal(h.min, 0);
  assert.equal(h.max, 511);
  assert.equal(h.counts[0], 1);
  assert.equal(h.counts[1], 2);
  assert.equal(h.counts[2], 1);
  assert.equal(h.counts[255], 2);
  // mapped back: value = Math.round(min + t/255·(max−min)); t = 1 → round(2.0039) = 2
  const map = { min: 0, scale: 0.5, offset: 0.5, last: 255 };
  assert.deepEqual([0, 1, 2, 3, 510, 511].map((v) => binOf(v, map)), [0, 1, 1, 2, 255, 255]);
});

test('16-bit: min..max come from the WHOLE image even with a ROI (ImageJ resets the display range)', () => {
  // left half 100..199, right half 1000..1099; ROI = left half only
  const d = new Uint16Array(200 * 2);
  for (let i = 0; i < 200; i++) {
    d[i] = i < 100 ? 100 + i : 900 + i;
    d[200 + i] = d[i]!;
  }
  const r = createRaster(200, 2, d);
  const h = histogram(r, { roi: { x: 0, y: 0, width: 100, height: 2 } });
  assert.equal(h.min, 100);
  assert.equal(h.max, 1099);
  assert.equal(h.rangeOf, 'image');
  // the ROI's values 100..199 occupy only bins 0..25 of the whole-image scale 256/1000
  let hi = 0;
  for (let i = 0; i < 256; i++) if (h.counts[i]! > 0) hi = i;
  assert.equal(hi, Math.trunc(99 * (256 / 1000) + 0.5)); // 25
});

test('float ImageJ rule: scale 255/(max−min), value = min + t/255·(max−min) (unrounded)', () => {
  // values 0, 1, …, 10 → scale 25.5: v=1 → 26.0 → 26; v=5 → 128.0 → 128; v=10 → 255.5 → 255
  const r = createRaster(11, 1, new Float32Array(Array.from({ length: 11 }, (_, i) => i)));
  const h = histogram(r);
  assert.equal(h.counts[26], 1);
  assert.equal(h.counts[128], 1);
  assert.equal(h.counts[255], 1);
  const t = computeThreshold(r, { method: 'Mean' });
  // bins 0,26,51,77,102,128,153,179,204,230,255 (v·25.5 + 0.5 truncated) → mean 1405/11 = 127.7 → 127
  assert.equal(t.bin, 127);
  assert.equal(t.value, 0 + (127 / 255) * 10);
  assert.equal(countVoidPixels(r, t.value, 'dark'), 5); // 0..4 ≤ 4.98
});

test('bins: N — one bin per grey value when N = max−min+1, value consistent with the bins', async () => {
  const r = await readFixture('sixteen-bit.tif');
  // exact-value histogram over the region's min..max: Otsu on it must equal Otsu on a directly counted histogram
  let min = Infinity;
  let max = -Infinity;
  for (const v of r.data) (min = Math.min(min, v)), (max = Math.max(max, v));
  const n = max - min + 1;
  const direct = new Uint32Array(n);
  for (const v of r.data) direct[v - min]!++;
  const h = histogram(r, { bins: n });
  assert.equal(h.mode, 'bins');
  assert.equal(h.binWidth, 1);
  assert.deepEqual(h.counts, direct);
  const t = computeThreshold(r, { method: 'Otsu', bins: n });
  assert.equal(t.bin, autoThreshold('Otsu', direct));
  assert.equal(t.value, min + t.bin!); // one grey value per bin
  assert.equal(t.histogram!.mode, 'bins');
});

test('bins: N — pixel ≤ value ⇔ bin(pixel) ≤ t for every pixel (16-bit and float, all methods)', async () => {
  for (const [name, bins] of [
    ['sixteen-bit.tif', 1000],
    ['float32.tif', 512],
    ['bimodal.tif', 64],
  ] as const) {
    const r = await readFixture(name);
    const h = histogram(r, { bins });
    const map = { min: h.min, scale: r.sampleFormat === 'float' ? bins / (h.max - h.min) : bins / (h.max - h.min + 1), offset: 0, last: bins - 1 };
    for (const m of THRESHOLD_METHODS) {
      const t = computeThreshold(r, { method: m, bins });
      let fromBins = 0;
      for (let b = 0; b <= t.bin! && b < bins; b++) fromBins += h.counts[b]!;
      assert.equal(countVoidPixels(r, t.value, 'dark'), fromBins, `${name} ${m}`);
      for (let i = 0; i < r.data.length; i += 97) {
        assert.equal(r.data[i]! <= t.value, binOf(r.data[i]!, map) <= t.bin!, `${name} ${m} px ${i}`);
      }
    }
  }
});

test('bins option validation', async () => {
  const r = await readFixture('sixteen-bit.tif');
  for (const bad of [0, 1, 1.5, 70000, -3, 'fine' as never]) assert.throws(() => histogram(r, { bins: bad }), isOption, String(bad));
  // O(bins²) methods refuse huge histograms instead of running for minutes
  assert.throws(() => computeThreshold(r, { method: 'Huang', bins: 8192 }), isOption);
  assert.equal(computeThreshold(r, { method: 'Otsu', bins: 8192 }).histogram!.bins, 8192);
});

test('ROI and mask validation', () => {
  const r = createRaster(10, 10, new Uint8Array(100));
  for (const roi of [
    { x: -1, y: 0, width: 5, height: 5 },
    { x: 8, y: 0, width: 5, height: 5 },
    { x: 0, y: 0, width: 0, height: 5 },
    { x: 0.5, y: 0, width: 5, height: 5 },
  ]) assert.throws(() => histogram(r, { roi }), isOption, JSON.stringify(roi));
  assert.throws(() => histogram(r, { mask: new Uint8Array(99) }), isOption);
});

test('isVoidPixel / applyThreshold: dark ≤, bright >, complement inside the region, 0 outside', () => {
  assert.equal(isVoidPixel(120, 120, 'dark'), true);
  assert.equal(isVoidPixel(121, 120, 'dark'), false);
  assert.equal(isVoidPixel(120, 120, 'bright'), false);
  assert.equal(isVoidPixel(121, 120, 'bright'), true);
  assert.equal(isVoidPixel(NaN, 120, 'dark'), false);
  assert.equal(isVoidPixel(NaN, 120, 'bright'), false);
  const d = new Uint8Array(16).map((_, i) => i * 16); // 0,16,…,240
  const r = createRaster(4, 4, d);
  const roi = { x: 1, y: 1, width: 2, height: 2 }; // pixels 5,6,9,10 → 80,96,144,160
  const dark = applyThreshold(r, 100, 'dark', { roi });
  const bright = applyThreshold(r, 100, 'bright', { roi });
  assert.deepEqual([...dark], [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual([...bright], [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
  const mask = new Uint8Array(16);
  mask[5] = 1;
  mask[10] = 1;
  assert.deepEqual([...applyThreshold(r, 100, 'dark', { mask })].map((v, i) => (v ? i : -1)).filter((i) => i >= 0), [5]);
  assert.equal(countVoidPixels(r, 100, 'bright', { roi, mask }), 1);
  assert.equal(countVoidPixels(r, 100, 'dark'), 7); // 0..96
});

test('8-bit t = 255, bright voids: none (ImageJ\'s "dark" selection would clamp to [255, 255])', () => {
  const r = createRaster(2, 2, new Uint8Array([255, 255, 10, 20]));
  assert.equal(countVoidPixels(r, 255, 'bright'), 0);
  assert.equal(countVoidPixels(r, 255, 'dark'), 4);
});

test('method names: exact list, case-insensitive parse, EOPTION listing valid names', () => {
  assert.equal(THRESHOLD_METHODS.length, 17);
  assert.ok(isThresholdMethod('IJ_IsoData'));
  assert.ok(!isThresholdMethod('otsu'));
  assert.ok(!isThresholdMethod('MultiOtsu'));
  assert.equal(parseThresholdMethod('otsu'), 'Otsu');
  assert.equal(parseThresholdMethod('IJ-ISODATA'), 'IJ_IsoData');
  assert.equal(parseThresholdMethod(' renyientropy '), 'RenyiEntropy');
  assert.throws(
    () => parseThresholdMethod('Sauvola'),
    (e: unknown) => isOption(e) && /Sauvola/.test((e as Error).message) && /Default, Huang, Intermodes/.test((e as Error).message) && /MultiOtsu/.test((e as Error).message),
  );
  assert.throws(() => computeThreshold(createRaster(1, 1, new Uint8Array(1)), { method: 'nope' }), isOption);
});

test('manualThreshold validates against the raster type and notes out-of-range values', () => {
  const r8 = createRaster(2, 1, new Uint8Array([10, 200]));
  const m = manualThreshold(r8, 100);
  assert.equal(m.method, 'Manual');
  assert.equal(m.value, 100);
  assert.equal(m.rule, 'void = pixel <= 100');
  assert.equal(m.note, undefined);
  assert.match(manualThreshold(r8, 5).note!, /below the image minimum 10/);
  assert.throws(() => manualThreshold(r8, 256), isOption);
  assert.throws(() => manualThreshold(r8, -1), isOption);
  assert.throws(() => manualThreshold(r8, NaN), isOption);
  const r16 = createRaster(1, 1, new Uint16Array([5000]));
  assert.equal(manualThreshold(r16, 40000, 'bright').rule, 'void = pixel > 40000');
  assert.throws(() => manualThreshold(r16, 70000), isOption);
  const rf = createRaster(1, 1, new Float32Array([0.5]));
  assert.equal(manualThreshold(rf, -3.25).value, -3.25);
});

test('results record what produced them', async () => {
  const r = await readFixture('sixteen-bit.tif');
  const t = computeThreshold(r, { method: 'Otsu' });
  assert.equal(t.source, 'ImageJ 1.53t AutoThresholder');
  assert.deepEqual(
    { mode: t.histogram!.mode, bins: t.histogram!.bins, min: t.histogram!.min, max: t.histogram!.max, rangeOf: t.histogram!.rangeOf },
    { mode: 'imagej-256', bins: 256, min: 1000, max: 50000, rangeOf: 'image' },
  );
  assert.equal(t.histogram!.binWidth, 49001 / 256);
  assert.equal(t.polarity, 'dark');
  assert.equal(t.rule, `void = pixel <= ${t.value}`);
  // ImageJ 1.53t: Otsu t = 151 → [0, 30016] (expected-imagej-1.53t.json)
  assert.equal(t.bin, 151);
  assert.equal(t.value, 30016);
});

test('tryAllThresholds: every method once on one histogram, void fractions consistent', async () => {
  const r = await readFixture('three-phase.tif');
  const all = tryAllThresholds(r);
  assert.equal(all.methods.length, 18);
  assert.equal(all.pixels, r.width * r.height);
  for (const e of all.methods) {
    assert.equal(e.voidPixels, countVoidPixels(r, e.value, 'dark'));
    assert.equal(e.voidFraction, e.voidPixels / all.pixels);
  }
  // counts taken from the histogram ('8-bit', 'bins') and from pixel passes (16-bit ImageJ rule) agree
  const r16 = await readFixture('sixteen-bit.tif');
  const roi = { x: 20, y: 10, width: 100, height: 90 };
  for (const opts of [{ polarity: 'bright' as const, roi }, { bins: 300, polarity: 'bright' as const }, { bins: 300 }]) {
    const res = tryAllThresholds(r16, opts);
    for (const e of res.methods) {
      assert.equal(e.voidPixels, countVoidPixels(r16, e.value, opts.polarity ?? 'dark', { roi: opts.roi }), `${JSON.stringify(opts)} ${e.method}`);
    }
  }
});
