/**
 * The ilastik-style feature stack (src/segmentation/filters/features/) against stated formulas:
 * on images whose derivatives are known in closed form (constants, linear ramps, quadratics) each
 * feature's interior value is exact up to float32 rounding, because Gaussian smoothing with a
 * symmetric normalised kernel maps a ramp to itself and a quadratic to itself plus a constant, and
 * central differences are exact on quadratics. A table-driven test fails for any FEATURES member
 * without a case. Then: crops equal the whole image beyond featureMargin (what tiling relies on),
 * validation, and the intensity normalisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeFeatures,
  DEFAULT_FEATURES,
  FEATURE_NAMES,
  featureChannels,
  featureMargin,
  fieldAt,
  flatField,
  imageNormalisation,
  percentileNormalisation,
  validateFeatureSettings,
  type FeatureName,
} from '../../src/segmentation/filters/features/index.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const W = 96;
const H = 80;
function image(f: (x: number, y: number) => number): Float32Array {
  const a = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) a[y * W + x] = f(x, y);
  return a;
}

interface Case {
  img: Float32Array;
  /** Expected channel values at interior pixels for scale σ. */
  expect: (sigma: number) => number[];
  tol: number;
  /** Scales to test (default 0.7, 1.6, 3.5; radius features take whole pixels). */
  scales?: number[];
}
const sqrt5 = Math.sqrt(5);
// Quadratic a x² + b xy + c y² centred in the image, small coefficients to keep float32 precision.
const [qa, qb, qc] = [0.01, 0.006, 0.03];
const quad = image((x, y) => qa * (x - 48) ** 2 + qb * (x - 48) * (y - 40) + qc * (y - 40) ** 2);
const hxx = 2 * qa;
const hyy = 2 * qc;
const hm = (hxx + hyy) / 2;
const hr = Math.sqrt(((hxx - hyy) / 2) ** 2 + qb * qb);
const CASES: Record<FeatureName, Case> = {
  gaussian: { img: image(() => 0.37), expect: () => [0.37], tol: 1e-5 },
  log: { img: quad, expect: (s) => [(hxx + hyy) * s * s], tol: 2e-3 },
  dog: { img: image((x, y) => 0.01 * x + 0.02 * y), expect: () => [0], tol: 1e-4 },
  'gradient-magnitude': { img: image((x, y) => 0.02 * x + 0.01 * y), expect: (s) => [0.01 * sqrt5 * s], tol: 1e-4 },
  'hessian-eigen': { img: quad, expect: (s) => [(hm + hr) * s * s, (hm - hr) * s * s], tol: 2e-3 },
  'structure-tensor-eigen': { img: image((x, y) => 0.02 * x + 0.01 * y), expect: (s) => [0.0005 * s * s, 0], tol: 1e-6 },
  // Window extremes and the Kuwahara mean of a constant are the constant (their values on other
  // images are checked against brute force in local-features.test.ts).
  extrema: { img: image(() => 0.37), expect: () => [0.37, 0.37], tol: 1e-6, scales: [1, 2, 4] },
  kuwahara: { img: image(() => 0.37), expect: () => [0.37], tol: 1e-5, scales: [1, 2, 5] },
};

test('every FEATURES member matches its closed form at interior pixels (table-driven)', () => {
  for (const name of FEATURE_NAMES) {
    const c = CASES[name];
    assert.ok(c, `feature ${name} has no test case`);
    for (const sigma of c.scales ?? [0.7, 1.6, 3.5]) {
      const settings = { selection: { [name]: [sigma] } };
      const planes = computeFeatures(c.img, W, H, settings);
      const exp = c.expect(sigma);
      assert.equal(planes.length, exp.length, name);
      const m = featureMargin(settings);
      for (const [k, p] of planes.entries()) {
        let worst = 0;
        for (let y = m; y < H - m; y++) for (let x = m; x < W - m; x++) worst = Math.max(worst, Math.abs(p[y * W + x]! - exp[k]!));
        assert.ok(worst <= c.tol, `${name} σ${sigma} channel ${k}: max |error| ${worst} > ${c.tol} (expected ${exp[k]})`);
      }
    }
  }
});

test('gaussian at σ 0 is the intensity itself', () => {
  const rnd = mulberry32(5);
  const img = image(() => rnd());
  const [p] = computeFeatures(img, W, H, { selection: { gaussian: [0] } });
  assert.deepEqual(p, img);
});

test('features of a crop equal those of the whole image beyond featureMargin (tiling is exact)', () => {
  const rnd = mulberry32(11);
  const Wb = 200;
  const Hb = 170;
  const img = new Float32Array(Wb * Hb);
  for (let i = 0; i < img.length; i++) img[i] = rnd();
  const s = DEFAULT_FEATURES;
  const full = computeFeatures(img, Wb, Hb, s);
  const m = featureMargin(s);
  // A crop touching the right/bottom edges of the image and with `m` pixels of context on the left/top.
  const x0 = 130 - m;
  const y0 = 120 - m;
  const cw = Wb - x0;
  const ch = Hb - y0;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) crop.set(img.subarray((y0 + y) * Wb + x0, (y0 + y) * Wb + x0 + cw), y * cw);
  const part = computeFeatures(crop, cw, ch, s);
  assert.equal(part.length, featureChannels(s).length);
  for (let k = 0; k < full.length; k++) {
    for (let y = m; y < ch; y++) {
      for (let x = m; x < cw; x++) {
        if (part[k]![y * cw + x] !== full[k]![(y0 + y) * Wb + x0 + x]) assert.fail(`channel ${featureChannels(s)[k]} differs at (${x0 + x}, ${y0 + y})`);
      }
    }
  }
});

test('validateFeatureSettings: names, scales, errors', () => {
  const v = validateFeatureSettings({ selection: { log: [3.5, 1] } });
  assert.deepEqual(v.selection.log, [1, 3.5]);
  assert.deepEqual(featureChannels(v), ['log σ1', 'log σ3.5']);
  assert.throws(() => validateFeatureSettings({ selection: { lgo: [1] } }), /unknown feature "lgo"/);
  assert.throws(() => validateFeatureSettings({ selection: { log: [0] } }), /0 allowed for gaussian only/);
  assert.throws(() => validateFeatureSettings({ selection: { log: [1, 1] } }), /listed twice/);
  assert.throws(() => validateFeatureSettings({ selection: {} }), /selects no feature/);
  assert.throws(() => validateFeatureSettings({ selection: { kuwahara: [1.5] } }), /radius in whole pixels/);
  assert.throws(() => validateFeatureSettings({ selection: { extrema: [17] } }), /radius in whole pixels, 1\.\.16/);
  assert.equal(featureChannels(DEFAULT_FEATURES).length, 35);
  assert.deepEqual(featureChannels({ selection: { extrema: [2], kuwahara: [3] } }), ['kuwahara r3', 'minimum r2', 'maximum r2']);
});

test('percentile normalisation: 1st/99th percentiles of 0..9999 map to 0 and 1; area respected', () => {
  const a = Float32Array.from({ length: 10000 }, (_, i) => i);
  const p = percentileNormalisation(a, null);
  // 4096 bins over 0..9999: percentile values within one bin (2.44) of 100 and 9900.
  assert.ok(Math.abs(p.offset - 100) < 2.5, String(p.offset));
  assert.ok(Math.abs(1 / p.scale - 9800) < 5, String(1 / p.scale));
  const area = new Uint8Array(10000);
  area.fill(1, 0, 5000);
  const q = percentileNormalisation(a, area);
  assert.ok(Math.abs(1 / q.scale - 4900) < 5, String(1 / q.scale));
});

test('flat field: a shaded constant image normalises to a constant (the shading is removed)', () => {
  const w = 256;
  const h = 192;
  const shade = (x: number, y: number): number => 1 + 0.3 * (x / w - 0.5) - 0.2 * (y / h - 0.5);
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = 100 * shade(x, y);
  const f = flatField(data, w, h, null)!;
  assert.ok(f);
  // The field is a least-squares quadratic through the block means: exact for a linear shading.
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x]! / fieldAt(f, x, y);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  // Without the flat field the pixels span 100 × (0.75 … 1.25); with it, float rounding only.
  assert.ok((hi - lo) / lo < 1e-4, `flat-fielded range ${lo}..${hi}`);
  const n = imageNormalisation(data, w, h, null);
  assert.ok(n.field !== null);
});

test('flat field with the phases: shading under bright particles is recovered; the block-mean fit follows the particles', () => {
  // Ground truth of a generated image: a matrix (grey 100) with bright particles (180) crowded into
  // the lower half, times a known quadratic shading. Block means rise where the particles are, so a
  // surface through them mistakes the particles' layout for shading; the phase fit separates them.
  const w = 320;
  const h = 240;
  const rnd = mulberry32(21);
  const phase = new Uint8Array(w * h);
  for (let k = 0; k < 40; k++) {
    const cx = rnd() * w;
    const cy = h * (0.55 + 0.45 * rnd());
    const r = 8 + rnd() * 10;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) phase[y * w + x] = 1;
  }
  const shade = (x: number, y: number): number => 1 + 0.2 * (x / w - 0.5) - 0.15 * (y / h - 0.5) - 0.1 * ((x / w - 0.5) ** 2 + (y / h - 0.5) ** 2);
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (phase[y * w + x] ? 180 : 100) * shade(x, y) + (rnd() - 0.5) * 10;
  const spread = (f: NonNullable<ReturnType<typeof flatField>>): number => {
    // Range of the flat-fielded matrix grey over 40-px blocks (block means of matrix pixels only).
    const means: number[] = [];
    for (let by = 0; by < h / 40; by++) {
      for (let bx = 0; bx < w / 40; bx++) {
        let s = 0;
        let n = 0;
        for (let y = by * 40; y < by * 40 + 40; y++) {
          for (let x = bx * 40; x < bx * 40 + 40; x++) {
            if (phase[y * w + x]) continue;
            s += data[y * w + x]! / fieldAt(f, x, y);
            n++;
          }
        }
        if (n > 400) means.push(s / n);
      }
    }
    return (Math.max(...means) - Math.min(...means)) / (means.reduce((a, b) => a + b, 0) / means.length);
  };
  const phases = spread(flatField(data, w, h, null, 32, 'phases')!);
  const mean = spread(flatField(data, w, h, null, 32, 'mean')!);
  // Unflattened, the matrix spans ≈ 35 % (the shading); measured: phases 1.4 %, block means 44 %.
  assert.ok(phases < 0.02, `phase fit leaves ${(phases * 100).toFixed(1)} %`);
  assert.ok(mean > 0.05, `block-mean fit leaves ${(mean * 100).toFixed(1)} % (expected to follow the particles)`);
});

test('imageNormalisation: the per-image percentiles are those of the pixels divided by fieldAt (bit for bit)', () => {
  // Reference: the definition (every pixel divided by fieldAt), then percentileNormalisation.
  const w = 300;
  const h = 170;
  const rnd = mulberry32(11);
  const data = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = Math.round((800 + 3 * x - 2 * y + 0.01 * x * y) * (0.5 + rnd()));
  const n = imageNormalisation(data, w, h, null);
  assert.ok(n.field);
  const vals = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) vals[y * w + x] = data[y * w + x]! / fieldAt(n.field, x, y);
  const p = percentileNormalisation(vals, null);
  assert.equal(n.offset, p.offset);
  assert.equal(n.scale, p.scale);
});
