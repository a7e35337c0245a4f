/**
 * `npm run bench:local` — time of the nine local thresholds (radius 15, Fiji's default) and of Subtract
 * Background (radius 50, rolling ball and sliding paraboloid) on one generated 2048×1536 SEM-like
 * image, 8-bit and 16-bit (the same image ×257). One untimed warm-up, then the best of `--reps` runs
 * (default 2) in this process, one thread.
 *
 *   node dist/bench/local-threshold-bench.js [--reps 2] [--radius 15] [--size 2048x1536]
 */
import { createRaster, type Raster } from '../src/raster/types.js';
import { LOCAL_METHODS, localThreshold, parseLocalSpec } from '../src/segmentation/local/index.js';
import { subtractBackground } from '../src/segmentation/filters/subtract-background.js';
import { mulberry32, normal } from '../scripts/lib/random.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

function image(w: number, h: number): Uint8Array {
  const rnd = mulberry32(4242);
  const d = new Uint8Array(w * h);
  const discs: [number, number, number][] = [];
  for (let k = 0; k < (w * h) / 400; k++) discs.push([rnd() * w, rnd() * h, 2 + rnd() * 8]);
  const grid = new Map<number, [number, number, number][]>();
  const cell = 16;
  for (const c of discs) {
    const key = Math.floor(c[1] / cell) * 4096 + Math.floor(c[0] / cell);
    (grid.get(key) ?? grid.set(key, []).get(key)!).push(c);
  }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let dark = false;
      const gx = Math.floor(x / cell);
      const gy = Math.floor(y / cell);
      for (let dy = -1; dy <= 1 && !dark; dy++)
        for (let dx = -1; dx <= 1 && !dark; dx++)
          for (const [cx, cy, r] of grid.get((gy + dy) * 4096 + gx + dx) ?? []) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) dark = true;
      const shade = 40 * (x / w) - 30 * (((x - w / 2) / w) ** 2 + ((y - h / 2) / h) ** 2);
      const v = (dark ? 60 : 150) + shade + 12 * normal(rnd);
      d[y * w + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  return d;
}

function best(reps: number, fn: () => void): number {
  fn(); // warm-up
  let t = Infinity;
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    fn();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
}

function main(): void {
  const reps = Number(arg('--reps', '2'));
  const radius = Number(arg('--radius', '15'));
  const [w, h] = arg('--size', '2048x1536').split('x').map(Number) as [number, number];
  const d8 = image(w, h);
  const d16 = new Uint16Array(d8.length);
  for (let i = 0; i < d8.length; i++) d16[i] = d8[i]! * 257;
  const rasters: [string, Raster][] = [
    ['8-bit', createRaster(w, h, d8)],
    ['16-bit', createRaster(w, h, d16)],
  ];
  const mp = (w * h) / 1e6;
  console.log(`local thresholds, radius ${radius}, ${w}×${h} (${mp.toFixed(2)} MP), best of ${reps}, one thread`);
  for (const [label, r] of rasters) {
    for (const method of LOCAL_METHODS) {
      const spec = parseLocalSpec({ name: method, radius });
      const ms = best(reps, () => localThreshold(r, spec));
      console.log(`  ${label} ${method.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / mp).toFixed(0).padStart(5)} ms/MP`);
    }
  }
  console.log(`subtract background, radius 50, ${w}×${h}`);
  for (const [label, r] of rasters)
    for (const paraboloid of [false, true]) {
      const ms = best(reps, () => subtractBackground(r, { radius: 50, paraboloid }));
      console.log(`  ${label} ${paraboloid ? 'paraboloid' : 'ball      '} ${ms.toFixed(0).padStart(6)} ms  ${(ms / mp).toFixed(0).padStart(5)} ms/MP`);
    }
}

main();
