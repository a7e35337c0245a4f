import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../src/raster/types.js';
import { labelPores, summarizePores, sortedPercentile } from '../../src/segmentation/metrics/pores.js';
import { voidFraction } from '../../src/segmentation/metrics/porosity.js';
import { measurePorosity } from '../../src/segmentation/porosity.js';
import { mulberry32 } from '../../scripts/lib/random.js';

/**
 * A 10×8 test image with four hand-placed 8-connected void components ('#' = void):
 *
 *   x 0123456789
 *   0 ..........
 *   1 .##...#...     A: 2×2 square (1,1)-(2,2)       area 4
 *   2 .##....#..     B: diagonal pair (6,1),(7,2)     area 2 (8-connected, not 4-connected)
 *   3 ..........
 *   4 ..........
 *   5 #.........     C: single pixel (0,5)            area 1, on the image border
 *   6 ........##     D: L (8,6),(9,6),(9,7)           area 3, on the image border
 *   7 .........#
 *
 * Pixels: void ~ 20, solid ~ 200, both ±5 uniform noise, so any sane threshold gives exactly these
 * voids. Total void = 10 of 80 px = 0.125.
 * Centroids (ImageJ convention: pixel centres at +0.5):
 *   A: x = (1+2+1+2)/4 + 0.5 = 2.0, y = 2.0;  B: x = 6.5 + 0.5 = 7.0, y = 1.5 + 0.5 = 2.0
 *   C: (0.5, 5.5);  D: x = (8+9+9)/3 + 0.5 = 9.1667, y = (6+6+7)/3 + 0.5 = 6.8333
 * Order (first pixel in raster order, as ImageJ's ParticleAnalyzer): A (1,1), B (6,1), C (0,5), D (8,6).
 * ECD = 2·sqrt(area/π): A 2.25676, B 1.59577, C 1.12838, D 1.95441.
 */
const VOID_PIXELS: [number, number][] = [
  [1, 1], [2, 1], [1, 2], [2, 2],
  [6, 1], [7, 2],
  [0, 5],
  [8, 6], [9, 6], [9, 7],
];
const W = 10;
const H = 8;

function testImage(seed = 1, voidLevel = 20, solidLevel = 200): Uint8Array {
  const rnd = mulberry32(seed);
  const d = new Uint8Array(W * H);
  for (let i = 0; i < d.length; i++) d[i] = solidLevel + Math.round((rnd() - 0.5) * 10);
  for (const [x, y] of VOID_PIXELS) d[y * W + x] = voidLevel + Math.round((rnd() - 0.5) * 10);
  return d;
}

const ECD = (a: number) => 2 * Math.sqrt(a / Math.PI);
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('labelPores: areas, centroids, bounding boxes, border flags and ImageJ order on the hand-worked image', () => {
  const voids = new Uint8Array(W * H);
  for (const [x, y] of VOID_PIXELS) voids[y * W + x] = 1;
  const r = labelPores(voids, W, H, { roi: { x: 0, y: 0, width: W, height: H } });
  assert.equal(r.voidPixels, 10);
  assert.deepEqual(r.pores.map((p) => p.areaPx), [4, 2, 1, 3]);
  assert.deepEqual(r.pores.map((p) => p.bbox), [
    { x: 1, y: 1, width: 2, height: 2 },
    { x: 6, y: 1, width: 2, height: 2 },
    { x: 0, y: 5, width: 1, height: 1 },
    { x: 8, y: 6, width: 2, height: 2 },
  ]);
  assert.deepEqual(r.pores.map((p) => p.touchesBorder), [false, false, true, true]);
  close(r.pores[0]!.centroidPx.x, 2.0);
  close(r.pores[0]!.centroidPx.y, 2.0);
  close(r.pores[1]!.centroidPx.x, 7.0);
  close(r.pores[1]!.centroidPx.y, 2.0);
  close(r.pores[2]!.centroidPx.x, 0.5);
  close(r.pores[2]!.centroidPx.y, 5.5);
  close(r.pores[3]!.centroidPx.x, 9 + 1 / 6);
  close(r.pores[3]!.centroidPx.y, 6 + 5 / 6);
});

test('labelPores: a U shape merges two provisional labels into one pore', () => {
  // #.#      the two arms get different labels on row 0 and are merged on row 2.
  // #.#
  // ###
  const voids = Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1, 1]);
  const r = labelPores(voids, 3, 3, { roi: { x: 0, y: 0, width: 3, height: 3 } }, { labels: true });
  assert.equal(r.pores.length, 1);
  assert.equal(r.pores[0]!.areaPx, 7);
  assert.deepEqual([...r.labels!], [1, 0, 1, 1, 0, 1, 1, 1, 1]);
});

test('measurePorosity on the hand-worked image: exact void fraction and pore list (Otsu, MultiOtsu and manual)', () => {
  // (The default automatic segmenter needs more than 80 pixels to estimate noise: on this image its
  // noise estimate is dominated by the pore edges; the global methods are exact here.)
  const raster = createRaster(W, H, testImage());
  for (const opts of [{ method: 'Otsu' }, { threshold: 100 }, { method: 'MultiOtsu' }]) {
    const r = measurePorosity(raster, opts);
    assert.equal(r.voidPixels, 10);
    assert.equal(r.analysedPixels, 80);
    assert.equal(r.voidFraction, 0.125);
    assert.equal(r.porosityPercent, 12.5);
    assert.equal(r.pores.count, 4);
    assert.equal(r.pores.unit, 'px');
    assert.deepEqual(r.pores.list.map((p) => p.area), [4, 2, 1, 3]);
    r.pores.list.forEach((p, i) => close(p.ecd, ECD([4, 2, 1, 3][i]!)));
    // ECD sorted: 1.12838 (C), 1.59577 (B), 1.95441 (D), 2.25676 (A); median = (1.59577 + 1.95441)/2;
    // D10 (numpy linear) = 1.12838 + 0.3·(1.59577 − 1.12838); D90 = 1.95441 + 0.7·(2.25676 − 1.95441).
    close(r.pores.medianEcd!, (ECD(2) + ECD(3)) / 2);
    close(r.pores.d10!, ECD(1) + 0.3 * (ECD(2) - ECD(1)));
    close(r.pores.d90!, ECD(3) + 0.7 * (ECD(4) - ECD(3)));
    close(r.pores.meanEcd!, (ECD(1) + ECD(2) + ECD(3) + ECD(4)) / 4);
    assert.equal(r.pores.largestArea, 4);
    close(r.pores.poresPerArea, 4 / 80);
    assert.equal(r.pores.touchingBorder, 2);
    assert.match(r.convention, /^void = pixel <= \d+ \(dark voids\)/);
  }
});

test('minimum pore size: specks leave the pore list but still count in voidFraction', () => {
  const r = measurePorosity(createRaster(W, H, testImage()), { method: 'Otsu', minPore: { value: 2, unit: 'px' } });
  assert.equal(r.voidFraction, 10 / 80);
  assert.equal(r.voidFractionExcludingSpecks, 9 / 80); // C (1 px) is a speck
  assert.equal(r.pores.count, 3);
  assert.equal(r.pores.specks, 1);
  assert.equal(r.pores.speckPixels, 1);
  assert.deepEqual(r.pores.list.map((p) => [p.id, p.area]), [[1, 4], [2, 2], [3, 3]]);
  const r4 = measurePorosity(createRaster(W, H, testImage()), { method: 'Otsu', minPore: { value: 3.5, unit: 'px' } });
  assert.equal(r4.minPore.pixels, 4);
  assert.deepEqual(r4.pores.list.map((p) => p.area), [4]);
  assert.equal(r4.voidFractionExcludingSpecks, 4 / 80);
});

test('ROI: histogram, void fraction and pores restricted to the rectangle, pores cut at its border', () => {
  // ROI x 1..7, y 1..6 (7×6 = 42 px) holds A (4 px, now on the ROI edge) and B (2 px, x = 7 is the
  // right edge): 6 void px; C and D are outside.
  const r = measurePorosity(createRaster(W, H, testImage()), { threshold: 100, roi: { x: 1, y: 1, width: 7, height: 6 } });
  assert.equal(r.analysedPixels, 42);
  assert.equal(r.voidPixels, 6);
  assert.equal(r.voidFraction, 6 / 42);
  assert.deepEqual(r.pores.list.map((p) => [p.area, p.touchesBorder]), [[4, true], [2, true]]);
  assert.deepEqual(r.roi, { x: 1, y: 1, width: 7, height: 6 });
  assert.throws(() => measurePorosity(createRaster(W, H, testImage()), { roi: { x: 5, y: 0, width: 6, height: 2 } }), { code: 'EOPTION' });
});

test('mask: only non-zero mask pixels are analysed; pores next to masked-out pixels touch the border', () => {
  // Mask = columns 0..4 (5×8 = 40 px): A (4 px) and C (1 px) are inside. A's pixel (2,1) has the
  // masked-out neighbour... no: column 5 is masked out, A spans x 1..2, so A is interior; C is on the image edge.
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < 5; x++) mask[y * W + x] = 255;
  const r = measurePorosity(createRaster(W, H, testImage()), { threshold: 100, mask });
  assert.equal(r.analysedPixels, 40);
  assert.equal(r.voidPixels, 5);
  assert.deepEqual(r.pores.list.map((p) => [p.area, p.touchesBorder]), [[4, false], [1, true]]);
  // Mask = columns 0..2: A touches the masked-out column 3.
  const m2 = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < 3; x++) m2[y * W + x] = 1;
  const r2 = measurePorosity(createRaster(W, H, testImage()), { threshold: 100, mask: m2 });
  assert.deepEqual(r2.pores.list.map((p) => [p.area, p.touchesBorder]), [[4, true], [1, true]]);
  assert.throws(() => measurePorosity(createRaster(W, H, testImage()), { mask: new Uint8Array(5) }), { code: 'EOPTION' });
});

test('bright voids: the inverted image with voids bright gives the same pores', () => {
  const inv = testImage().map((v) => 255 - v);
  const r = measurePorosity(createRaster(W, H, Uint8Array.from(inv)), { method: 'Otsu', voids: 'bright' });
  assert.equal(r.polarity, 'bright');
  assert.equal(r.voidPixels, 10);
  assert.deepEqual(r.pores.list.map((p) => p.area), [4, 2, 1, 3]);
  assert.match(r.convention, /^void = pixel > \d+ \(bright voids\)/);
});

test('16-bit input: same voids as 8-bit (ImageJ 256-bin rule), threshold in 16-bit units', () => {
  const d16 = Uint16Array.from(testImage(), (v) => v * 257);
  const r = measurePorosity(createRaster(W, H, d16), { method: 'Otsu' });
  assert.equal(r.bitDepth, 16);
  assert.equal(r.voidPixels, 10);
  assert.equal(r.threshold.histogram!.mode, 'imagej-256');
  assert.ok(r.threshold.value > 25 * 257 && r.threshold.value < 195 * 257);
  const rb = measurePorosity(createRaster(W, H, d16), { method: 'Otsu', bins: 4096 });
  assert.equal(rb.threshold.histogram!.mode, 'bins');
  assert.equal(rb.voidPixels, 10);
});

test('calibrated: areas in µm², ECD and centroids in µm, pores per µm²', () => {
  const r = measurePorosity(createRaster(W, H, testImage()), { threshold: 100, pixelSize: 0.5 });
  assert.deepEqual(r.pixelSize, { value: 0.5, unit: 'µm', source: 'user' });
  assert.equal(r.pores.unit, 'µm');
  assert.equal(r.pores.areaUnit, 'µm²');
  assert.deepEqual(r.pores.list.map((p) => p.area), [1, 0.5, 0.25, 0.75]); // px · 0.25 µm²
  close(r.pores.list[0]!.ecd, ECD(1)); // 2·sqrt(1/π) µm
  close(r.pores.list[3]!.centroid.x, (9 + 1 / 6) * 0.5);
  close(r.pores.poresPerArea, 4 / (80 * 0.25));
  // µm² minimum size: 0.6 µm² = 2.4 px → 3 px minimum: keeps A (4) and D (3).
  const m = measurePorosity(createRaster(W, H, testImage()), { threshold: 100, pixelSize: 0.5, minPore: { value: 0.6, unit: 'µm²' } });
  assert.equal(m.minPore.pixels, 3);
  assert.deepEqual(m.pores.list.map((p) => p.areaPx), [4, 3]);
  assert.throws(() => measurePorosity(createRaster(W, H, testImage()), { minPore: { value: 1, unit: 'µm²' } }), { code: 'EOPTION' });
});

test('data bar rows are excluded from the region unless keepDatabar', () => {
  // Bottom 2 rows (6, 7) as data bar: D (rows 6–7) disappears; region 10×6 = 60 px, voids A+B+C = 7.
  const raster = createRaster(W, H, testImage());
  const r = measurePorosity(raster, { threshold: 100, databar: { rows: 2, source: 'test' } });
  assert.deepEqual(r.roi, { x: 0, y: 0, width: 10, height: 6 });
  assert.equal(r.voidPixels, 7);
  assert.deepEqual(r.databar, { rows: 2, source: 'test', excluded: true });
  const k = measurePorosity(raster, { threshold: 100, databar: { rows: 2, source: 'test' }, keepDatabar: true });
  assert.equal(k.voidPixels, 10);
});

test('voidFraction ignores what lies outside the region; sortedPercentile matches numpy.percentile', () => {
  // 1 1 1
  // 1 0 0    ROI (1,1)-(2,2) holds 0 0 / 0 1: one void pixel of four; the 1s outside do not count.
  // 1 0 1
  const v = Uint8Array.from([1, 1, 1, 1, 0, 0, 1, 0, 1]);
  assert.deepEqual(voidFraction(v, 3, { roi: { x: 1, y: 1, width: 2, height: 2 } }), { voidPixels: 1, analysedPixels: 4, voidFraction: 0.25 });
  // numpy.percentile([1, 2, 3, 4, 10], [10, 50, 90]) = [1.4, 3.0, 7.6]
  const s = [1, 2, 3, 4, 10];
  close(sortedPercentile(s, 10), 1.4);
  close(sortedPercentile(s, 50), 3);
  close(sortedPercentile(s, 90), 7.6, 1e-12);
  const sum = summarizePores({ pores: [], specks: 0, speckPixels: 0, voidPixels: 0 }, 100, 0, null);
  assert.equal(sum.count, 0);
  assert.equal(sum.meanEcd, null);
});

test('options are validated up front with EOPTION', () => {
  const raster = createRaster(W, H, testImage());
  assert.throws(() => measurePorosity(raster, { method: 'Nope' }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { voids: 'grey' as 'dark' }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { gaussian: -1 }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { median: 0.2 }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { bins: 1 }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { minPore: { value: -1, unit: 'px' } }), { code: 'EOPTION' });
  assert.throws(() => measurePorosity(raster, { threshold: Number.NaN }), { code: 'EOPTION' });
});

/** Reference: plain BFS flood fill (8-connected) inside ROI ∩ mask; areas/bboxes/border in discovery order. */
function floodFill(voids: Uint8Array, w: number, h: number, roi: { x: number; y: number; width: number; height: number }, mask?: Uint8Array) {
  const inside = (x: number, y: number) =>
    x >= roi.x && y >= roi.y && x < roi.x + roi.width && y < roi.y + roi.height && (!mask || mask[y * w + x] !== 0);
  const seen = new Uint8Array(w * h);
  const out: { area: number; sx: number; sy: number; bbox: number[]; border: boolean }[] = [];
  for (let y = roi.y; y < roi.y + roi.height; y++) {
    for (let x = roi.x; x < roi.x + roi.width; x++) {
      const i = y * w + x;
      if (!inside(x, y) || !voids[i] || seen[i]) continue;
      const q = [i];
      seen[i] = 1;
      const c = { area: 0, sx: 0, sy: 0, bbox: [x, y, x, y], border: false };
      while (q.length) {
        const p = q.pop()!;
        const px = p % w;
        const py = (p - px) / w;
        c.area++;
        c.sx += px;
        c.sy += py;
        c.bbox = [Math.min(c.bbox[0]!, px), Math.min(c.bbox[1]!, py), Math.max(c.bbox[2]!, px), Math.max(c.bbox[3]!, py)];
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            if (!dx && !dy) continue;
            const nx = px + dx;
            const ny = py + dy;
            if (!inside(nx, ny)) {
              c.border = true;
              continue;
            }
            const n = ny * w + nx;
            if (voids[n] && !seen[n]) {
              seen[n] = 1;
              q.push(n);
            }
          }
        }
      }
      out.push(c);
    }
  }
  return out;
}

test('labelPores equals a plain flood fill on random images, with ROI and mask', () => {
  const rnd = mulberry32(42);
  for (let trial = 0; trial < 30; trial++) {
    const w = 5 + Math.floor(rnd() * 40);
    const h = 5 + Math.floor(rnd() * 30);
    const p = 0.2 + rnd() * 0.5;
    const voids = Uint8Array.from({ length: w * h }, () => (rnd() < p ? 1 : 0));
    const roi = { x: Math.floor(rnd() * 3), y: Math.floor(rnd() * 3), width: 0, height: 0 };
    roi.width = w - roi.x - Math.floor(rnd() * 3);
    roi.height = h - roi.y - Math.floor(rnd() * 3);
    const mask = trial % 2 ? Uint8Array.from({ length: w * h }, () => (rnd() < 0.85 ? 1 : 0)) : undefined;
    const ref = floodFill(voids, w, h, roi, mask);
    const got = labelPores(voids, w, h, { roi, mask: mask ?? null }, { labels: true });
    assert.equal(got.pores.length, ref.length, `trial ${trial}`);
    got.pores.forEach((g, k) => {
      const r = ref[k]!;
      assert.equal(g.areaPx, r.area);
      close(g.centroidPx.x, r.sx / r.area + 0.5, 1e-9);
      close(g.centroidPx.y, r.sy / r.area + 0.5, 1e-9);
      assert.deepEqual(g.bbox, { x: r.bbox[0], y: r.bbox[1], width: r.bbox[2]! - r.bbox[0]! + 1, height: r.bbox[3]! - r.bbox[1]! + 1 });
      assert.equal(g.touchesBorder, r.border, `trial ${trial} pore ${k}`);
    });
    let labelled = 0;
    for (const l of got.labels!) if (l > 0) labelled++;
    assert.equal(labelled, ref.reduce((s, r) => s + r.area, 0));
  }
});
