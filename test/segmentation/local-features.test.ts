/**
 * Window minimum/maximum and the Kuwahara filter (filters/features/local.ts, WebAssembly) against
 * brute force written from their definitions: extremes over the (2r+1)² window clipped to the image
 * must agree exactly; the Kuwahara mean of the least-variance quadrant (edge values beyond the
 * image; sums in double precision here, float32 in the kernel) to float32 rounding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kuwaharaFilter, windowExtrema } from '../../src/segmentation/filters/features/local.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const SIZES: [number, number, number][] = [
  [37, 23, 1],
  [50, 41, 2],
  [64, 64, 4],
  [13, 9, 5],
  [7, 30, 3],
  [5, 4, 8],
  [129, 97, 16],
];

function random(w: number, h: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  return Float32Array.from({ length: w * h }, () => rnd());
}

test('windowExtrema equals the brute-force min and max over the clipped window (exact)', () => {
  for (const [k, [w, h, r]] of SIZES.entries()) {
    const a = random(w, h, 100 + k);
    const lo = new Float32Array(w * h);
    const hi = new Float32Array(w * h);
    windowExtrema(a, w, h, r, lo, hi);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let l = Infinity;
        let u = -Infinity;
        for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
            l = Math.min(l, a[yy * w + xx]!);
            u = Math.max(u, a[yy * w + xx]!);
          }
        }
        if (lo[y * w + x] !== l || hi[y * w + x] !== u) assert.fail(`${w}x${h} r${r} at (${x}, ${y}): ${lo[y * w + x]}/${hi[y * w + x]}, expected ${l}/${u}`);
      }
    }
  }
});

test('kuwaharaFilter equals the brute-force least-variance quadrant mean (float32 rounding)', () => {
  const clamp = (v: number, n: number): number => (v < 0 ? 0 : v >= n ? n - 1 : v);
  for (const [k, [w, h, r]] of SIZES.entries()) {
    const a = random(w, h, 200 + k);
    const out = new Float32Array(w * h);
    kuwaharaFilter(a, w, h, r, out);
    const n = (r + 1) ** 2;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const quads = ([[-r, -r], [0, -r], [-r, 0], [0, 0]] as const).map(([ox, oy]) => {
          let s = 0;
          let q = 0;
          for (let dy = 0; dy <= r; dy++) {
            for (let dx = 0; dx <= r; dx++) {
              const v = a[clamp(y + oy + dy, h) * w + clamp(x + ox + dx, w)]!;
              s += v;
              q += v * v;
            }
          }
          return { mean: s / n, variance: q / n - (s / n) ** 2 };
        });
        // The kernel sums in float32, so among quadrants whose variances are equal to float32
        // rounding (random data has near-ties) it may pick any; its value must be that quadrant's mean.
        const best = Math.min(...quads.map((c) => c.variance));
        const got = out[y * w + x]!;
        const ok = quads.some((c) => c.variance <= best + 1e-5 && Math.abs(c.mean - got) < 1e-5);
        if (!ok) assert.fail(`${w}x${h} r${r} at (${x}, ${y}): ${got} is no least-variance quadrant's mean (${JSON.stringify(quads)})`);
      }
    }
  }
});

test('kuwaharaFilter keeps a step edge sharp: every pixel takes the grey of its own side', () => {
  const w = 40;
  const h = 30;
  for (const r of [1, 3, 5]) {
    const a = Float32Array.from({ length: w * h }, (_, i) => (i % w < 17 ? 0.2 : 0.9));
    const out = new Float32Array(w * h);
    kuwaharaFilter(a, w, h, r, out);
    // A quadrant on the pixel's own side has variance 0; one across the edge has more.
    for (let i = 0; i < w * h; i++) if (Math.abs(out[i]! - a[i]!) > 1e-6) assert.fail(`r${r} at (${i % w}, ${Math.floor(i / w)}): ${out[i]}, expected ${a[i]}`);
  }
});
