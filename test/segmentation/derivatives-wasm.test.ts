/**
 * The derivative kernels in WebAssembly (features/derivatives.wat) against straightforward JavaScript
 * written here — the double-precision loops they replaced — bit for bit, on random planes of awkward
 * sizes (1×1, 1×n, n×1, 2×2, odd widths, a 584² tile), both for ordinary Float32Arrays and for planes
 * of a PlanePool (views of WebAssembly memory, where the kernels run in place), including aliasing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffX, diffY, eigen2, FeatureContext, PlanePool, smooth } from '../../src/segmentation/filters/features/index.js';
import { log } from '../../src/segmentation/filters/features/log.js';
import { gradientMagnitude } from '../../src/segmentation/filters/features/gradient-magnitude.js';
import { hessianEigen } from '../../src/segmentation/filters/features/hessian-eigen.js';
import { structureTensorEigen, STRUCTURE_OUTER_RATIO } from '../../src/segmentation/filters/features/structure-tensor-eigen.js';

function refDiffX(s: Float32Array, w: number, h: number): Float32Array {
  const o = new Float32Array(w * h);
  if (w < 2) return o;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      o[i] = x === 0 ? s[i + 1]! - s[i]! : x === w - 1 ? s[i]! - s[i - 1]! : (s[i + 1]! - s[i - 1]!) * 0.5;
    }
  }
  return o;
}

function refDiffY(s: Float32Array, w: number, h: number): Float32Array {
  const o = new Float32Array(w * h);
  if (h < 2) return o;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      o[i] = y === 0 ? s[i + w]! - s[i]! : y === h - 1 ? s[i]! - s[i - w]! : (s[i + w]! - s[i - w]!) * 0.5;
    }
  }
  return o;
}

function refEigen2(a: Float32Array, b: Float32Array, c: Float32Array, scale: number): [Float32Array, Float32Array] {
  const l1 = new Float32Array(a.length);
  const l2 = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const m = (a[i]! + c[i]!) / 2;
    const d = (a[i]! - c[i]!) / 2;
    const r = Math.sqrt(d * d + b[i]! * b[i]!);
    l1[i] = (m + r) * scale;
    l2[i] = (m - r) * scale;
  }
  return [l1, l2];
}

/** Deterministic random floats over many magnitudes (and some exact ties and zeros). */
function randomPlane(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rnd();
    p[i] = k < 0.05 ? 0 : k < 0.1 ? 1 : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6);
  }
  return p;
}

const SIZES: [number, number][] = [[1, 1], [1, 7], [7, 1], [1, 584], [584, 1], [2, 2], [2, 3], [3, 2], [5, 9], [13, 7], [31, 17], [33, 2], [584, 584]];

/** Byte equality with a readable first difference. */
function same(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** A pool whose planes are WebAssembly-resident (a pool gets its memory at the reset after first use). */
function residentPool(n: number, planes: number): PlanePool {
  const pool = new PlanePool();
  for (let i = 0; i < planes; i++) pool.take(n);
  pool.reset();
  assert.ok(pool.resident(n), 'pool planes are resident after a reset');
  pool.reset();
  return pool;
}

test('diffX / diffY / eigen2 equal the double-precision JavaScript bit for bit, ordinary arrays', () => {
  let seed = 1;
  for (const [w, h] of SIZES) {
    const n = w * h;
    const s = randomPlane(n, seed++);
    same(diffX(s, w, h), refDiffX(s, w, h), `diffX ${w}x${h}`);
    same(diffY(s, w, h), refDiffY(s, w, h), `diffY ${w}x${h}`);
    const into = new Float32Array(n).fill(7);
    same(diffX(s, w, h, into), refDiffX(s, w, h), `diffX into ${w}x${h}`);
    same(diffY(s, w, h, into), refDiffY(s, w, h), `diffY into ${w}x${h}`);
    const [a, b, c] = [randomPlane(n, seed++), randomPlane(n, seed++), randomPlane(n, seed++)];
    for (const scale of [1, 0.49, 12.25]) {
      const l1 = new Float32Array(n);
      const l2 = new Float32Array(n);
      eigen2(a, b, c, l1, l2, scale);
      const [r1, r2] = refEigen2(a, b, c, scale);
      same(l1, r1, `eigen2 l1 ${w}x${h} ×${scale}`);
      same(l2, r2, `eigen2 l2 ${w}x${h} ×${scale}`);
    }
  }
});

test('the same in place on PlanePool planes (WebAssembly memory), and with aliased input and output', () => {
  let seed = 100;
  for (const [w, h] of SIZES) {
    const n = w * h;
    const pool = residentPool(n, 8);
    const s = pool.take(n);
    s.set(randomPlane(n, seed++));
    same(diffX(s, w, h, pool.take(n)), refDiffX(s, w, h), `diffX pool ${w}x${h}`);
    same(diffY(s, w, h, pool.take(n)), refDiffY(s, w, h), `diffY pool ${w}x${h}`);
    const [a, b, c, l1, l2] = [pool.take(n), pool.take(n), pool.take(n), pool.take(n), pool.take(n)];
    a.set(randomPlane(n, seed++));
    b.set(randomPlane(n, seed++));
    c.set(randomPlane(n, seed++));
    const [r1, r2] = refEigen2(a, b, c, 2.56);
    eigen2(a, b, c, l1, l2, 2.56);
    same(l1, r1, `eigen2 pool l1 ${w}x${h}`);
    same(l2, r2, `eigen2 pool l2 ${w}x${h}`);
    // Mixed: pool inputs, ordinary outputs.
    const o1 = new Float32Array(n);
    const o2 = new Float32Array(n);
    eigen2(a, b, c, o1, o2, 2.56);
    same(o1, r1, `eigen2 mixed l1 ${w}x${h}`);
    // Output aliasing an input (the JavaScript overwrote as it went; the kernels copy instead).
    const ex = refDiffX(s, w, h);
    const ey = refDiffY(a, w, h);
    same(diffX(s, w, h, s), ex, `diffX in place ${w}x${h}`);
    same(diffY(a, w, h, a), ey, `diffY in place ${w}x${h}`);
    const [r1b, r2b] = refEigen2(b, c, l1, 1);
    eigen2(b, c, l1, l1, b, 1);
    same(l1, r1b, `eigen2 aliased l1 ${w}x${h}`);
    same(b, r2b, `eigen2 aliased l2 ${w}x${h}`);
  }
});

test('log, gradient magnitude, Hessian and structure-tensor eigenvalues equal their JavaScript formulas', () => {
  let seed = 200;
  for (const [w, h] of [[1, 1], [1, 9], [9, 1], [2, 2], [27, 19], [584, 584]] as [number, number][]) {
    const n = w * h;
    const img = randomPlane(n, seed++);
    for (const pool of [undefined, residentPool(n, 64)]) {
      for (const sigma of [0.7, 1.6, 3.5]) {
        const where = `${w}x${h} σ${sigma}${pool ? ' pool' : ''}`;
        const ctx = new FeatureContext(img, w, h, pool);
        const out = (k: number): Float32Array[] => Array.from({ length: k }, () => new Float32Array(n));
        const g = smooth(img, w, h, sigma);
        const gx = refDiffX(g, w, h);
        const gy = refDiffY(g, w, h);
        const gxx = refDiffX(gx, w, h);
        const gxy = refDiffY(gx, w, h);
        const gyy = refDiffY(gy, w, h);

        const lo = out(1);
        log.compute(ctx, sigma, lo);
        same(lo[0]!, Float32Array.from(gxx, (v, i) => (v + gyy[i]!) * (sigma * sigma)), `log ${where}`);

        const gm = out(1);
        gradientMagnitude.compute(ctx, sigma, gm);
        same(gm[0]!, Float32Array.from(gx, (a, i) => Math.sqrt(a * a + gy[i]! * gy[i]!) * sigma), `gradient magnitude ${where}`);

        const he = out(2);
        hessianEigen.compute(ctx, sigma, he);
        const [h1, h2] = refEigen2(gxx, gxy, gyy, sigma * sigma);
        same(he[0]!, h1, `hessian-eigen-1 ${where}`);
        same(he[1]!, h2, `hessian-eigen-2 ${where}`);

        const st = out(2);
        structureTensorEigen.compute(ctx, sigma, st);
        const so = sigma * STRUCTURE_OUTER_RATIO;
        const sxx = smooth(Float32Array.from(gx, (a) => a * a), w, h, so);
        const sxy = smooth(Float32Array.from(gx, (a, i) => a * gy[i]!), w, h, so);
        const syy = smooth(Float32Array.from(gy, (b) => b * b), w, h, so);
        const [s1, s2] = refEigen2(sxx, sxy, syy, sigma * sigma);
        same(st[0]!, s1, `structure-eigen-1 ${where}`);
        same(st[1]!, s2, `structure-eigen-2 ${where}`);
        pool?.reset();
      }
    }
  }
});
