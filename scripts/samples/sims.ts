/**
 * Deterministic generator of the synthetic TOF-SIMS sample data in samples/sims/
 * (run: `npx tsc -p . && node dist/scripts/samples/sims.js [outDir]`; default outDir samples/sims/anode).
 *
 * Model: delithiated Si-C anodes after 15 cycles, 50 × 50 µm² field of view, 128 × 128 px.
 * Si particles (discs, 1.5–4 µm radius) in a carbon/binder matrix. Expected counts per pixel:
 *   Li⁺   = residual-Li level L(b) × (1 in matrix, 3 in Si particles, 1.8 in a 0.8 µm rim around them),
 *           L(b) = 0.35 + 0.45·b for binder content b (wt % NBR): more binder, more trapped Li;
 *   Si⁺   = 2 in matrix, 14 in particles;  Na⁺ = 0.6 everywhere;  other ions = 45 per pixel;
 *   total = Li⁺ + Si⁺ + Na⁺ + other (so the Li⁺ counts are a subset of the total-ion counts).
 * Each pixel's counts are Poisson draws from a seeded PRNG (mulberry32), so every run writes
 * byte-identical files. The data are synthetic; they show the format and the analysis, not a result.
 */
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeBif6 } from '../../src/sims/readers/bif6.js';
import { encodeSurfaceLabImageText } from '../../src/sims/readers/surfacelab-text.js';
import { mulberry32 } from '../lib/random.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OUT = process.argv[2] ?? join(ROOT, 'samples', 'sims', 'anode');
const N = 128;
const FOV_UM = 50;
const BINDERS = [0.5, 1.0, 1.5, 2.0, 2.5];
/** Binder contents that also get the SurfaceLab text-export form (kept to two for size). */
const TEXT_FORM = new Set([0.5, 2.5]);


/** Poisson draw by Knuth's product method, split into chunks of mean ≤ 20 (exact, no approximation). */
function poisson(rand: () => number, lambda: number): number {
  let k = 0;
  let rest = lambda;
  while (rest > 0) {
    const l = Math.min(rest, 20);
    rest -= l;
    const L = Math.exp(-l);
    let p = 1;
    for (;;) {
      p *= rand();
      if (p <= L) break;
      k++;
    }
  }
  return k;
}

function generate(binder: number, seed: number) {
  const rand = mulberry32(seed);
  const um = FOV_UM / N;
  const particles: { x: number; y: number; r: number }[] = [];
  for (let i = 0; i < 14; i++) particles.push({ x: rand() * FOV_UM, y: rand() * FOV_UM, r: 1.5 + rand() * 2.5 });
  const li = new Uint32Array(N * N);
  const si = new Uint32Array(N * N);
  const na = new Uint32Array(N * N);
  const total = new Uint32Array(N * N);
  const level = 0.35 + 0.45 * binder;
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const cx = (x + 0.5) * um;
      const cy = (y + 0.5) * um;
      let d = Infinity;
      for (const p of particles) d = Math.min(d, Math.hypot(cx - p.x, cy - p.y) - p.r);
      const inside = d <= 0;
      const rim = !inside && d <= 0.8;
      const i = y * N + x;
      li[i] = poisson(rand, level * (inside ? 3 : rim ? 1.8 : 1));
      si[i] = poisson(rand, inside ? 14 : 2);
      na[i] = poisson(rand, 0.6);
      total[i] = li[i]! + si[i]! + na[i]! + poisson(rand, 45);
    }
  }
  return { li, si, na, total };
}

rmSync(OUT, { recursive: true, force: true });
for (const [k, b] of BINDERS.entries()) {
  const dir = join(OUT, `NBR${b.toFixed(1)}`);
  mkdirSync(dir, { recursive: true });
  const { li, si, total } = generate(b, 20261125 + 97 * k);
  const meas = `SiC-anode_NBR${b.toFixed(1)}_15cyc_pos`;
  // BIF6: id 0 = total (masses 0: no interval), then Li⁺ and Si⁺ (lower, centre, upper as tofsims reads them).
  writeFileSync(
    join(dir, `${meas}.bif6`),
    encodeBif6(N, N, [
      { id: 0, masses: [0, 0, 0], counts: total },
      { id: 2, masses: [6.99, 7.016, 7.04], counts: li },
      { id: 3, masses: [27.95, 27.977, 28.0], counts: si },
    ]),
  );
  if (TEXT_FORM.has(b)) {
    const header = [`# SurfaceLab image export (synthetic sample, voidscope scripts/samples/sims.ts)`, `# Image Size: ${N} x ${N} pixels`, `# Field of View: ${FOV_UM} um`];
    writeFileSync(join(dir, `${meas} (2) - Li+.txt`), encodeSurfaceLabImageText(N, N, li, { header, omitZeros: true }));
    writeFileSync(join(dir, `${meas} (0) - total.txt`), encodeSurfaceLabImageText(N, N, total, { header }));
  }
}
let bytes = 0;
for (const d of readdirSync(OUT)) for (const f of readdirSync(join(OUT, d))) bytes += (await import('node:fs')).statSync(join(OUT, d, f)).size;
process.stdout.write(`${OUT}: ${BINDERS.length} binder contents, ${(bytes / 1024).toFixed(0)} KiB\n`);
