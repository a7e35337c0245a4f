/**
 * Generator of DENSE composite-electrode micrographs with a known void mask (deterministic: seeded PRNG).
 *
 *   npx tsc -p . && node dist/scripts/samples/dense.js [--out /tmp/dense] [--width 512 --height 384]
 *
 * The case the bundled samples (scripts/samples/sem.ts) do not cover and real dense cathodes show
 * (issue 10): the voids are a small dark minority (2–10 %) next to a grey electrolyte matrix whose
 * grey-level distribution has a wide noisy tail, so a global histogram split lands inside the matrix.
 *
 * Phase map (before imaging), all in pixel units:
 *  - active particles (bright, ~55 % of the area): round-ish with perturbed outlines, a per-particle
 *    brightness (grain contrast);
 *  - electrolyte matrix (grey) with a granular texture (smoothed white noise, σ `matrixTexture`);
 *  - voids (dark): matrix pores (log-normal radius), and, for `gapShare` of the void area, thin
 *    interfacial gaps along particle outlines (1.5–3 px wide) and intra-particle cracks (1.5–2.5 px).
 * Imaging model: phase grey levels → Gaussian beam blur σ `blurSigma` → multiplicative shading
 * (a smooth tilt and vignette of ± `shading`) → charging streaks (`streaks` scan lines brighter by
 * 15–35 grey levels, decaying along x) → shot noise (Poisson-like: variance = gain · signal, as a
 * normal draw) + read noise σ `readNoise` → rounded, clipped to 8 bits.
 * Ground truth: void pixels of the phase map / all pixels (before blur and noise), as for sem.ts.
 *
 * Exported `generateDenseImage` is used by test/segmentation/auto*.test.ts and
 * bench/segmentation-bench.ts (images are generated in memory; nothing is committed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mulberry32, normal } from '../lib/random.js';
import { paintCrack, paintGap, paintInside, type Outline } from './shapes.js';

export interface DenseSpec {
  seed: number;
  width: number;
  height: number;
  /** Target void fraction, 0..1 (the generator stops adding pores at this fraction). */
  targetVoid: number;
  /** Share of the void area in thin gaps and cracks, 0..1. */
  gapShare: number;
  /** Grey levels of void, matrix, particle (before shading and noise). */
  levels: { void: number; matrix: number; particle: number };
  /** σ (grey levels) of the matrix's granular texture. */
  matrixTexture: number;
  /** Shot-noise gain: noise variance = gain · signal (grey levels²); 0 = none. */
  shotGain: number;
  /** Gaussian read noise σ (grey levels). */
  readNoise: number;
  /** Multiplicative shading amplitude (0.1 = ±10 %). */
  shading: number;
  /** Number of charging streaks (bright scan lines). */
  streaks: number;
  /** Beam blur σ (px). */
  blurSigma: number;
  /** Particle radius range (px). */
  particleRadius: [number, number];
}

export interface DenseImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** 1 = void. */
  voidMask: Uint8Array;
  voidPixels: number;
  trueVoidFraction: number;
  spec: DenseSpec;
}

/** Separable Gaussian blur (float, edge-replicated); a plain reference kernel, independent of the library's filters. */
function blur(src: Float32Array, W: number, H: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return src.slice();
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(r + 1);
  let s = 0;
  for (let j = 0; j <= r; j++) {
    k[j] = Math.exp(-(j * j) / (2 * sigma * sigma));
    s += j === 0 ? k[j]! : 2 * k[j]!;
  }
  for (let j = 0; j <= r; j++) k[j]! /= s;
  const tmp = new Float32Array(W * H);
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      let a = k[0]! * src[o + x]!;
      for (let j = 1; j <= r; j++) a += k[j]! * (src[o + Math.max(0, x - j)]! + src[o + Math.min(W - 1, x + j)]!);
      tmp[o + x] = a;
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let a = k[0]! * tmp[y * W + x]!;
      for (let j = 1; j <= r; j++) a += k[j]! * (tmp[Math.max(0, y - j) * W + x]! + tmp[Math.min(H - 1, y + j) * W + x]!);
      out[y * W + x] = a;
    }
  }
  return out;
}

const MATRIX = 0;
const PARTICLE = 1;
const VOIDP = 2;

/** Generate one dense-electrode image and its exact void mask. */
export function generateDenseImage(spec: DenseSpec): DenseImage {
  const rnd = mulberry32(spec.seed);
  const W = spec.width;
  const H = spec.height;
  const N = W * H;
  const phase = new Uint8Array(N);
  const owner = new Int32Array(N).fill(-1);
  const particles: Outline[] = [];
  let particlePx = 0;
  const [rmin, rmax] = spec.particleRadius;
  for (let attempt = 0; attempt < 6000 && particlePx < 0.55 * N; attempt++) {
    const r = rmin + (rmax - rmin) * Math.pow(rnd(), 1.5);
    const cx = rnd() * W;
    const cy = rnd() * H;
    let ok = true;
    for (const q of particles) {
      if (Math.hypot(q.cx - cx, q.cy - cy) < 0.92 * (q.r + r)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const p: Outline = {
      cx,
      cy,
      r,
      harm: [
        { a: 0.05 + 0.1 * rnd(), k: 2, ph: rnd() * 6.283 },
        { a: 0.02 + 0.05 * rnd(), k: 3, ph: rnd() * 6.283 },
        { a: 0.01 + 0.03 * rnd(), k: 5, ph: rnd() * 6.283 },
      ],
    };
    const id = particles.length;
    particles.push(p);
    paintInside(p, r * 1.25, W, H, (x, y) => {
      const i = y * W + x;
      if (phase[i] !== PARTICLE) particlePx++;
      phase[i] = PARTICLE;
      owner[i] = id;
    });
  }

  let voidPx = 0;
  const setVoid = (x: number, y: number, allow: (ph: number) => boolean): void => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = y * W + x;
    if (phase[i] !== VOIDP && allow(phase[i]!)) {
      phase[i] = VOIDP;
      voidPx++;
    }
  };
  const target = spec.targetVoid * N;
  const gapTarget = target * spec.gapShare;
  // Thin gaps (crescents just outside a particle outline) and cracks (wavy lines through a particle).
  for (let guard = 0; voidPx < gapTarget && particles.length > 0 && guard < 4 * particles.length + 50; guard++) {
    const p = particles[Math.floor(rnd() * particles.length)]!;
    const R = p.r * 1.3 + 6;
    if (rnd() < 0.6) {
      const th0 = rnd() * 6.283;
      const ext = (40 + rnd() * 120) * (Math.PI / 180);
      const wmax = 1.5 + rnd() * 1.5;
      paintGap(p, R, W, H, { th0, ext, wmax, taper: (v) => Math.pow(v, 0.3) }, (x, y) => setVoid(x, y, (ph) => ph === MATRIX));
    } else {
      const th = rnd() * Math.PI;
      const off = (rnd() - 0.5) * p.r * 0.6;
      const width = 1.5 + rnd();
      const wav = rnd() * 6.283;
      paintCrack(p, R, W, H, { th, off, width, amp: 1.5, period: 5, wav, inset: 1 }, (x, y) => {
        if (phase[y * W + x] === PARTICLE) setVoid(x, y, () => true);
      });
    }
  }
  // Matrix pores (log-normal radius 1.5–10 px) until the target is reached.
  for (let attempt = 0; attempt < 200000 && voidPx < target; attempt++) {
    const r = Math.min(10, Math.max(1.5, Math.exp(Math.log(3) + 0.5 * normal(rnd))));
    const cx = rnd() * W;
    const cy = rnd() * H;
    const ci = Math.min(H - 1, Math.floor(cy)) * W + Math.min(W - 1, Math.floor(cx));
    if (phase[ci] !== MATRIX) continue;
    const p: Outline = { cx, cy, r, harm: [{ a: 0.2 * rnd(), k: 2, ph: rnd() * 6.283 }, { a: 0.1 * rnd(), k: 3, ph: rnd() * 6.283 }] };
    paintInside(p, r * 1.35, W, H, (x, y) => setVoid(x, y, (ph) => ph === MATRIX));
  }

  // Intensities: matrix texture = white noise smoothed (σ 1.2 px), rescaled to σ matrixTexture.
  const white = new Float32Array(N);
  for (let i = 0; i < N; i++) white[i] = normal(rnd);
  const grain = blur(white, W, H, 1.2);
  let gs = 0;
  for (let i = 0; i < N; i++) gs += grain[i]! * grain[i]!;
  const gScale = spec.matrixTexture / Math.sqrt(gs / N || 1);
  const pLevel = particles.map(() => normal(rnd) * 8);
  const img = new Float32Array(N);
  const L = spec.levels;
  for (let i = 0; i < N; i++) {
    const ph = phase[i]!;
    if (ph === VOIDP) img[i] = L.void;
    else if (ph === MATRIX) img[i] = L.matrix + grain[i]! * gScale;
    else img[i] = L.particle + pLevel[owner[i]!]!;
  }
  const blurred = blur(img, W, H, spec.blurSigma);
  // Shading: tilt + vignette, ± spec.shading.
  const tilt = rnd() * 6.283;
  const tx = Math.cos(tilt);
  const ty = Math.sin(tilt);
  // Charging streaks: scan line y0, +A grey levels decaying along x with length ℓ, 1–3 lines thick.
  const streaks = Array.from({ length: spec.streaks }, () => ({
    y: Math.floor(rnd() * H),
    h: 1 + Math.floor(rnd() * 3),
    x0: Math.floor(rnd() * W * 0.7),
    a: 15 + 20 * rnd(),
    len: 30 + rnd() * W * 0.5,
  }));
  const pixels = new Uint8Array(N);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const u = (x / W - 0.5) * 2;
      const v = (y / H - 0.5) * 2;
      const shade = 1 + spec.shading * (0.6 * (u * tx + v * ty) - 0.4 * (u * u + v * v - 0.66));
      let s = blurred[i]! * shade;
      for (const st of streaks) {
        if (y >= st.y && y < st.y + st.h && x >= st.x0) s += st.a * Math.exp(-(x - st.x0) / st.len);
      }
      const sd = Math.sqrt(spec.shotGain * Math.max(s, 0) + spec.readNoise * spec.readNoise);
      const val = s + sd * normal(rnd);
      pixels[i] = val < 0 ? 0 : val > 255 ? 255 : Math.round(val);
    }
  }
  const voidMask = new Uint8Array(N);
  for (let i = 0; i < N; i++) voidMask[i] = phase[i] === VOIDP ? 1 : 0;
  return { width: W, height: H, pixels, voidMask, voidPixels: voidPx, trueVoidFraction: voidPx / N, spec };
}

/** The default dense-electrode case at a given void target and seed (512×384). */
export function denseSpec(targetVoid: number, seed: number, over: Partial<DenseSpec> = {}): DenseSpec {
  return {
    seed,
    width: 512,
    height: 384,
    targetVoid,
    gapShare: 0.3,
    levels: { void: 32, matrix: 100, particle: 180 },
    matrixTexture: 9,
    shotGain: 1.5,
    readNoise: 4,
    shading: 0.08,
    streaks: 3,
    blurSigma: 0.6,
    particleRadius: [14, 40],
    ...over,
  };
}

/**
 * The benchmark/test suite of generated cases: void targets 2–10 % × conditions
 * (clean, noisy matrix, strong shot noise, shading + streaks, gap-rich). Seeds are fixed.
 */
export function denseSuite(width = 512, height = 384): { name: string; spec: DenseSpec }[] {
  const out: { name: string; spec: DenseSpec }[] = [];
  const conditions: [string, Partial<DenseSpec>][] = [
    ['mild', { matrixTexture: 5, shotGain: 0.5, readNoise: 3, shading: 0.03, streaks: 0 }],
    ['noisy-matrix', { matrixTexture: 12 }],
    ['shot-noise', { shotGain: 4, readNoise: 5 }],
    ['shading-streaks', { shading: 0.15, streaks: 8 }],
    ['gaps-cracks', { gapShare: 0.6 }],
  ];
  const targets = [0.02, 0.04, 0.07, 0.1];
  let k = 0;
  for (const [cname, over] of conditions) {
    for (const t of targets) {
      out.push({ name: `${cname} ${Math.round(t * 100)}%`, spec: denseSpec(t, 7000 + k++, { width, height, ...over }) });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (n: string): string | undefined => {
    const i = args.indexOf(n);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = resolve(get('--out') ?? 'dense-samples');
  const W = Number(get('--width') ?? 512);
  const H = Number(get('--height') ?? 384);
  const sharp = (await import('sharp')).default;
  await mkdir(out, { recursive: true });
  const truth: Record<string, unknown>[] = [];
  for (const c of denseSuite(W, H)) {
    const img = generateDenseImage(c.spec);
    const name = c.name.replace(/[^a-z0-9]+/gi, '_');
    await sharp(Buffer.from(img.pixels), { raw: { width: img.width, height: img.height, channels: 1 } }).png().toFile(join(out, `${name}.png`));
    truth.push({ file: `${name}.png`, trueVoidFraction: img.trueVoidFraction, spec: c.spec });
  }
  await writeFile(join(out, 'ground-truth.json'), JSON.stringify({ generator: 'scripts/samples/dense.ts', images: truth }, null, 2) + '\n');
  process.stdout.write(`wrote ${truth.length} images to ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(`dense samples: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
