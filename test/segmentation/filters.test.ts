import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import { gaussianKernel, imagejGaussianBlur, imagejGaussianAccuracy } from '../../src/segmentation/filters/gaussian.js';
import { circularKernel, medianFilter } from '../../src/segmentation/filters/median.js';
import { mulberry32 } from '../../scripts/lib/random.js';

test('Gaussian kernel is ImageJ\'s for sigma 1, accuracy 0.002 (8-bit)', () => {
  // Worked by hand from ImageJ 1.53t GaussianBlur.makeGaussianKernel: kRadius = ceil(1·sqrt(−2 ln 0.002)) + 1
  // = ceil(3.5255) + 1 = 5; taps exp(−i²/2) = 1, 0.60653, 0.13534, 0.011109, 0.00033546; the edge
  // correction stops at r = 3 (sqrt(k3)/2 = 0.0527 > sqrt(k4)/1 = 0.0183), so no tap changes;
  // sum = 1 + 2·(0.60653 + 0.13534 + 0.011109 + 0.00033546) = 2.506628; k0 = 0.398943.
  // Running sums (ImageJ's kernSum, the weight of the taps beyond i): 0.5 − k0/2 − k1 − … − ki.
  const { kernel: k, kernSum } = gaussianKernel(1, 0.002, 1000);
  assert.equal(k.length, 5);
  const expected = [0.398943, 0.241971, 0.053991, 0.0044318, 0.00013383];
  expected.forEach((v, i) => assert.ok(Math.abs(k[i]! - v) < 2e-6, `tap ${i}: ${k[i]} vs ${v}`));
  const sums = [0.300529, 0.058558, 0.0045670, 0.00013383, 0];
  sums.forEach((v, i) => assert.ok(Math.abs(kernSum[i]! - v) < 2e-6, `sum ${i}: ${kernSum[i]} vs ${v}`));
  assert.equal(imagejGaussianAccuracy(8, 'uint'), 0.002);
  assert.equal(imagejGaussianAccuracy(16, 'uint'), 0.0002);
});

test('Gaussian kernel applies ImageJ\'s edge correction for sigma 3', () => {
  // sigma 3, accuracy 0.002: kRadius = ceil(3·3.5255) + 1 = 12. Taps 7..11 are replaced by the parabola
  // (12 − r)²·slope² (slope from r = 10/11), so the last tap is tiny and the kernel still sums to 1.
  const k = gaussianKernel(3, 0.002, 1000).kernel;
  assert.equal(k.length, 12);
  let sum = k[0]!;
  for (let i = 1; i < k.length; i++) sum += 2 * k[i]!;
  assert.ok(Math.abs(sum - 1) < 1e-6);
  assert.ok(k[11]! < k[10]! && k[10]! < k[9]!);
  assert.ok(k[11]! < 0.2 * Math.exp(-0.5 * 121 / 9) / (3 * Math.sqrt(2 * Math.PI)) + 1e-9 || k[11]! < 1e-3);
});

test('Gaussian blur: a constant image stays constant, edges are replicated, 8-bit is rounded', () => {
  const r = createRaster(9, 7, new Uint8Array(63).fill(100));
  const b = imagejGaussianBlur(r, 2);
  assert.ok(b.data instanceof Uint8Array);
  assert.deepEqual([...new Set(b.data)], [100]);
  // A single bright pixel: total intensity is conserved up to rounding and the peak is k0² · 255.
  const d = new Uint8Array(21 * 21);
  d[10 * 21 + 10] = 255;
  const imp = imagejGaussianBlur(createRaster(21, 21, d), 1);
  // k0² · 255 = 0.398943² · 255 = 40.585 → 41 after ImageJ's (int)(v + 0.5)
  assert.equal(imp.data[10 * 21 + 10], 41);
  // k0·k1·255 = 0.398943·0.241971·255 = 24.616 → 25
  assert.equal(imp.data[10 * 21 + 11], 25);
  assert.equal(imp.data[9 * 21 + 10], 25);
});

test('Gaussian blur rejects a bad sigma with EOPTION', () => {
  const r = createRaster(3, 3, new Uint8Array(9));
  assert.throws(() => imagejGaussianBlur(r, 0), { code: 'EOPTION' });
  assert.throws(() => imagejGaussianBlur(r, Number.NaN), { code: 'EOPTION' });
});

test('median kernel sizes follow ImageJ RankFilters (circular radius)', () => {
  // r2 = (int)(r²) + 1; row half-widths (int)sqrt(r2 − dy²); 1.5 → 1.75 and 2.5 → 2.85 like ImageJ.
  assert.equal(circularKernel(0.5).nPoints, 5); // cross
  assert.equal(circularKernel(1).nPoints, 9); // 3×3
  assert.equal(circularKernel(1.5).nPoints, 13); // r → 1.75: r2 = 4, kRadius 2 → rows 1,3,5,3,1
  assert.equal(circularKernel(2).nPoints, 21); // r2 = 5: rows 3,5,5,5,3
  assert.equal(circularKernel(3).nPoints, 37); // r2 = 10: rows 3,5,7,7,7,5,3
  assert.deepEqual([...circularKernel(3).halfWidths], [1, 2, 3, 3, 3, 2, 1]);
});

test('median radius 1 on a hand-worked 4×4 image (edge pixels replicated)', () => {
  // Image:            median (3×3, out-of-image pixels = nearest edge pixel):
  //  10 10 10 10      corner (0,0): window 10 10 10 / 10 10 10 / 10 10 90 → 10
  //  10 90 10 10      (1,1): 10 10 10 10 90 10 10 10 10 → 10 (isolated spike removed)
  //  10 10 50 50      (2,2): 90 10 10 / 10 50 50 / 50 50 50 → 50
  //  10 10 50 50      (3,3): 50 50 50 50 50 50 50 50 50 → 50
  const d = Uint8Array.from([10, 10, 10, 10, 10, 90, 10, 10, 10, 10, 50, 50, 10, 10, 50, 50]);
  const m = medianFilter(createRaster(4, 4, d), 1).data;
  assert.deepEqual([...m], [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 50, 50, 10, 10, 50, 50]);
});

test('median: 8-bit histogram path equals the generic (16-bit) path on random data', () => {
  const rnd = mulberry32(7);
  const w = 37;
  const h = 23;
  const d8 = new Uint8Array(w * h);
  for (let i = 0; i < d8.length; i++) d8[i] = Math.floor(rnd() * 256);
  for (const r of [0.5, 1, 2, 3.5]) {
    const a = medianFilter(createRaster(w, h, d8), r).data;
    const b = medianFilter(createRaster(w, h, Uint16Array.from(d8)), r).data;
    assert.deepEqual([...a], [...b], `radius ${r}`);
  }
});

test('8-bit Gaussian equals the float blur rounded like ImageJ ((int)(v + 0.5f)), odd and even sizes', async () => {
  const { gaussianBlurFloat } = await import('../../src/segmentation/filters/gaussian.js');
  const rnd = mulberry32(3);
  for (const [w, h] of [[31, 17], [16, 20], [9, 1], [40, 2]] as const) {
    const d = Uint8Array.from({ length: w * h }, () => Math.floor(rnd() * 256));
    const fast = imagejGaussianBlur(createRaster(w, h, d), 1).data;
    const ref = gaussianBlurFloat(Float32Array.from(d), w, h, 1, 0.002);
    for (let i = 0; i < d.length; i++) assert.equal(fast[i], Math.floor(ref[i]! + 0.5), `${w}x${h} pixel ${i}`);
  }
});

test('imagejGaussianBlur `into`: a view of the input\'s own buffer is used when it does not overlap the input, ignored when it does', () => {
  // Expected values: the same blur into a fresh array (the arithmetic does not depend on where it writes).
  const w = 37;
  const h = 23;
  const n = w * h;
  const rnd = mulberry32(9);
  const buf = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) buf[i] = rnd();
  const src = buf.subarray(0, n);
  const want = imagejGaussianBlur(createRaster(w, h, Float32Array.from(src)), 1.6, { accuracy: 0.002 }).data;
  const apart = buf.subarray(2 * n, 3 * n);
  const got = imagejGaussianBlur(createRaster(w, h, src), 1.6, { accuracy: 0.002, into: apart }).data;
  assert.equal(got, apart);
  assert.deepEqual(got, want);
  const overlapping = buf.subarray(Math.floor(n / 2), Math.floor(n / 2) + n);
  const other = imagejGaussianBlur(createRaster(w, h, src), 1.6, { accuracy: 0.002, into: overlapping }).data;
  assert.notEqual(other.buffer, buf.buffer);
  assert.deepEqual(other, want);
});
