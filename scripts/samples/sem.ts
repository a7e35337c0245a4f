/**
 * Generator of the SEM sample images in samples/sem/ (deterministic: seeded PRNG).
 *
 *   npx tsc -p . && node dist/scripts/samples/sem.js [--out samples/sem]
 *
 * Each image is an SEM-like (secondary/back-scattered electron) cross-section of a
 * composite solid-state electrode, 8-bit, with a burnt-in data bar at the bottom and a
 * Tescan-style `.hdr` sidecar carrying the pixel size:
 *  - cathode: bright NCM particles (round-ish, perturbed outlines, brighter rims, some
 *    cracked), grey sulfide-electrolyte matrix with low-frequency texture, dark voids
 *    (matrix pores; after cycling also particle/electrolyte interfacial gaps and
 *    intra-particle cracks);
 *  - anode: mid-bright Si–C composite particles with brighter Si domains, grey sulfide
 *    matrix, dark voids.
 * Imaging model: phase map → Gaussian beam blur (σ = 0.5 px) → detector noise
 * (Gaussian, σ = 4.0 grey levels, slightly correlated along the scan line) → 8-bit.
 * The ground-truth void fraction is computed from the generator's void mask over the
 * micrograph rows (data bar excluded) and written to samples/sem/ground-truth.json.
 *
 * Exported pieces (`generateSemImage`) are used by tests and the benchmark.
 */
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { gaussianKernel } from '../../src/segmentation/filters/gaussian.js';
import { drawText, type RgbaImage } from '../../src/render/index.js';
import { mulberry32, normal as gaussRand } from '../lib/random.js';
import { forEachNear, paintCrack, paintGap, paintInside, radiusAt, type Outline } from './shapes.js';



/**
 * The generator's beam blur: ImageJ's kernel (accuracy 0.0002), rows then columns, summed in double with
 * out-of-image pixels replicated, float32 between and after the passes. Deliberately not voidscope's own
 * Gaussian (which follows ImageJ's float arithmetic): the committed samples must stay byte-identical
 * whatever happens to the library's filter.
 */
function beamBlur(src: Float32Array, W: number, H: number, sigma: number, accuracy: number): Float32Array {
  const kx = gaussianKernel(sigma, accuracy, W).kernel;
  const ky = gaussianKernel(sigma, accuracy, H).kernel;
  const rows = new Float32Array(W * H);
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const o = y * W;
    for (let x = 0; x < W; x++) {
      let s = kx[0]! * src[o + x]!;
      for (let j = 1; j < kx.length; j++) s += kx[j]! * (src[o + Math.max(0, x - j)]! + src[o + Math.min(W - 1, x + j)]!);
      rows[o + x] = s;
    }
  }
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = ky[0]! * rows[y * W + x]!;
      for (let j = 1; j < ky.length; j++) s += ky[j]! * (rows[Math.max(0, y - j) * W + x]! + rows[Math.min(H - 1, y + j) * W + x]!);
      out[y * W + x] = s;
    }
  }
  return out;
}

export type Electrode = 'cathode' | 'anode';
export type State = 'pristine' | 'cycled150';

export interface SemImageSpec {
  electrode: Electrode;
  /** Target void fraction over the micrograph (0..1). */
  targetVoid: number;
  /** Share of the void in interfacial gaps + cracks (cycling damage), 0..1. */
  damageShare: number;
  seed: number;
  width: number;
  /** Micrograph rows (above the data bar). */
  height: number;
  /** Data-bar rows at the bottom (0 = none). */
  databarRows: number;
  /** Particle radius range in px. */
  particleRadius: [number, number];
  /** Beam blur σ (px) and noise σ (grey levels). */
  blurSigma: number;
  noiseSigma: number;
  databarText?: string;
}

export interface SemImage {
  width: number;
  /** Total rows including the data bar. */
  height: number;
  pixels: Uint8Array;
  /** 1 = void, over the micrograph rows only (width × spec.height). */
  voidMask: Uint8Array;
  voidPixels: number;
  micrographPixels: number;
  trueVoidFraction: number;
}

const MATRIX = 0;
const PARTICLE = 1;
const VOID = 2;
const SI = 3;

/** Generate one SEM-like image (8-bit) and its exact void mask. */
export function generateSemImage(spec: SemImageSpec): SemImage {
  const rnd = mulberry32(spec.seed);
  const W = spec.width;
  const H = spec.height;
  const N = W * H;
  const phase = new Uint8Array(N); // MATRIX everywhere
  const rim = new Float32Array(N); // distance-to-edge brightening of particles
  const particles: Outline[] = [];

  // 1. Particles: random sequential placement, small overlaps allowed (particles touch in real electrodes).
  const particleTarget = spec.electrode === 'cathode' ? 0.58 : 0.5;
  let particlePx = 0;
  for (let attempt = 0; attempt < 4000 && particlePx < particleTarget * N; attempt++) {
    const [rmin, rmax] = spec.particleRadius;
    const r = rmin + (rmax - rmin) * Math.pow(rnd(), 1.3);
    const cx = -r * 0.3 + rnd() * (W + r * 0.6);
    const cy = -r * 0.3 + rnd() * (H + r * 0.6);
    let ok = true;
    for (const q of particles) {
      const d = Math.hypot(q.cx - cx, q.cy - cy);
      if (d < 0.88 * (q.r + r)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const harm = [
      { a: 0.04 + 0.08 * rnd(), k: 2, ph: rnd() * 6.283 },
      { a: 0.02 + 0.04 * rnd(), k: 3, ph: rnd() * 6.283 },
      { a: 0.01 + 0.02 * rnd(), k: 5, ph: rnd() * 6.283 },
    ];
    const p: Outline = { cx, cy, r, harm };
    particles.push(p);
    forEachNear(cx, cy, r * 1.2, W, H, (x, y, dx, dy) => {
      const d = Math.hypot(dx, dy);
      const rr = radiusAt(p, Math.atan2(dy, dx));
      if (d > rr) return;
      const i = y * W + x;
      if (phase[i] !== PARTICLE) particlePx++;
      phase[i] = PARTICLE;
      const depth = rr - d;
      if (depth < 4) rim[i] = Math.max(rim[i]!, (4 - depth) / 4);
    });
  }

  // Anode: bright Si domains inside the Si–C particles.
  if (spec.electrode === 'anode') {
    for (const p of particles) {
      const n = Math.round((p.r * p.r) / 60);
      for (let j = 0; j < n; j++) {
        const a = rnd() * 6.283;
        const rr = Math.sqrt(rnd()) * p.r * 0.85;
        const sx = p.cx + rr * Math.cos(a);
        const sy = p.cy + rr * Math.sin(a);
        const sr = 1.5 + rnd() * 3;
        forEachNear(sx, sy, sr, W, H, (x, y, dx, dy) => {
          const i = y * W + x;
          if (phase[i] === PARTICLE && Math.hypot(dx, dy) <= sr) phase[i] = SI;
        });
      }
    }
  }

  let voidPx = 0;
  const setVoid = (x: number, y: number, allowed: (ph: number) => boolean): void => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = y * W + x;
    if (phase[i] !== VOID && allowed(phase[i]!)) {
      phase[i] = VOID;
      voidPx++;
    }
  };
  const target = spec.targetVoid * N;
  const damageTarget = target * spec.damageShare;

  // 2. Cycling damage: interfacial gaps (crescents just outside a particle) and cracks.
  const shuffled = particles.slice().sort(() => rnd() - 0.5);
  let pi = 0;
  while (voidPx < damageTarget && shuffled.length > 0 && pi < shuffled.length * 3) {
    const p = shuffled[pi % shuffled.length]!;
    pi++;
    const R = p.r * 1.35 + 10;
    if (rnd() < 0.7) {
      // Interfacial gap: matrix pixels whose centre lies within w(θ) outside the particle outline, over an
      // arc of 50–160°; max width 4–8 px (180–360 nm), tapering to 0 at the ends.
      const th0 = rnd() * 6.283;
      const ext = (50 + rnd() * 110) * (Math.PI / 180);
      const wmax = 4 + rnd() * 4;
      paintGap(p, R, W, H, { th0, ext, wmax, taper: Math.sqrt }, (x, y) => setVoid(x, y, (ph) => ph === MATRIX));
    } else {
      // Intra-particle crack: pixels whose centre is within width/2 of a wavy line across the particle
      // (3–4.5 px wide), kept 1.5 px inside the particle outline.
      const th = rnd() * Math.PI;
      const off = (rnd() - 0.5) * p.r * 0.6;
      const width = 3 + 1.5 * rnd();
      const wav = rnd() * 6.283;
      paintCrack(p, R, W, H, { th, off, width, amp: 2, period: 6, wav, inset: 1.5 }, (x, y) => {
        if (phase[y * W + x] !== MATRIX) setVoid(x, y, () => true);
      });
    }
  }

  // 3. Matrix pores: perturbed round pores (log-normal radius) in the electrolyte until the target is reached.
  for (let attempt = 0; attempt < 200000 && voidPx < target; attempt++) {
    const r = Math.min(14, Math.max(1.5, Math.exp(Math.log(3.2) + 0.55 * gaussRand(rnd))));
    const cx = rnd() * W;
    const cy = rnd() * H;
    const ci = Math.min(H - 1, Math.floor(cy)) * W + Math.min(W - 1, Math.floor(cx));
    if (phase[ci] !== MATRIX) continue;
    const p: Outline = {
      cx,
      cy,
      r,
      harm: [
        { a: 0.15 * rnd(), k: 2, ph: rnd() * 6.283 },
        { a: 0.08 * rnd(), k: 3, ph: rnd() * 6.283 },
      ],
    };
    paintInside(p, r * 1.3, W, H, (x, y) => setVoid(x, y, (ph) => ph === MATRIX));
  }

  // 4. Intensities.
  const img = new Float32Array(N);
  // Low-frequency texture of the matrix (sum of a few random waves).
  const waves = Array.from({ length: 6 }, () => ({
    kx: (rnd() - 0.5) * 0.08,
    ky: (rnd() - 0.5) * 0.08,
    ph: rnd() * 6.283,
    a: 1 + rnd() * 2,
  }));
  const pLevel = new Float32Array(particles.length);
  for (let j = 0; j < particles.length; j++) pLevel[j] = gaussRand(rnd) * 6;
  const levels =
    spec.electrode === 'cathode'
      ? { matrix: 108, particle: 192, void: 34, si: 0, rimGain: 18 }
      : { matrix: 112, particle: 160, void: 30, si: 212, rimGain: 12 };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      let tex = 0;
      for (const w of waves) tex += w.a * Math.sin(w.kx * x + w.ky * y + w.ph);
      const ph = phase[i]!;
      let v: number;
      if (ph === VOID) v = levels.void + 0.6 * tex;
      else if (ph === MATRIX) v = levels.matrix + tex;
      else if (ph === SI) v = levels.si + tex;
      else v = levels.particle + rim[i]! * levels.rimGain + 0.5 * tex;
      img[i] = v;
    }
  }
  // Per-particle brightness (grain orientation contrast).
  for (let j = 0; j < particles.length; j++) {
    const p = particles[j]!;
    paintInside(p, p.r * 1.2, W, H, (x, y) => {
      const i = y * W + x;
      if (phase[i] === PARTICLE) img[i]! += pLevel[j]!;
    });
  }
  // Beam blur.
  const blurred = beamBlur(img, W, H, spec.blurSigma, 0.0002);
  // Detector noise, correlated along the scan line (one-pole low-pass), re-normalised to noiseSigma.
  const alpha = 0.35;
  const norm = Math.sqrt((1 - alpha * alpha));
  const totalH = H + spec.databarRows;
  const pixels = new Uint8Array(W * totalH);
  for (let y = 0; y < H; y++) {
    let n = gaussRand(rnd);
    for (let x = 0; x < W; x++) {
      n = alpha * n + norm * gaussRand(rnd);
      const v = blurred[y * W + x]! + spec.noiseSigma * n;
      pixels[y * W + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
    }
  }
  // 5. Data bar: uniform dark band with white text.
  if (spec.databarRows > 0) {
    pixels.fill(12, H * W);
    const rgba: RgbaImage = { width: W, height: totalH, data: new Uint8Array(W * totalH * 4) };
    for (let i = 0; i < W * totalH; i++) {
      const g = pixels[i]!;
      rgba.data[4 * i] = g;
      rgba.data[4 * i + 1] = g;
      rgba.data[4 * i + 2] = g;
      rgba.data[4 * i + 3] = 255;
    }
    drawText(rgba, 6, H + Math.max(0, Math.floor((spec.databarRows - 16) / 2)), spec.databarText ?? '', { size: 16, color: 'white' });
    for (let i = H * W; i < W * totalH; i++) pixels[i] = rgba.data[4 * i]!;
  }
  const voidMask = new Uint8Array(N);
  for (let i = 0; i < N; i++) voidMask[i] = phase[i] === VOID ? 1 : 0;
  return {
    width: W,
    height: totalH,
    pixels,
    voidMask,
    voidPixels: voidPx,
    micrographPixels: N,
    trueVoidFraction: voidPx / N,
  };
}

/** Targets (void fraction) of the committed samples. */
export const CATHODE_TARGETS: Record<string, { pristine: number; cycled150: number }> = {
  '0.5': { pristine: 0.03, cycled150: 0.15 },
  '1.0': { pristine: 0.03, cycled150: 0.13 }, // interpolated between the measured 0.5 and 1.5 values
  '1.5': { pristine: 0.03, cycled150: 0.112 },
  '2.0': { pristine: 0.03, cycled150: 0.1 }, // interpolated between the measured 1.5 and 2.5 values
  '2.5': { pristine: 0.03, cycled150: 0.09 },
};
/** Anode targets: illustrative values (not measured), same trend: more binder → less cycling damage. */
export const ANODE_TARGETS: Record<string, { pristine: number; cycled150: number }> = {
  '0.5': { pristine: 0.04, cycled150: 0.18 },
  '1.0': { pristine: 0.04, cycled150: 0.155 },
  '1.5': { pristine: 0.04, cycled150: 0.135 },
  '2.0': { pristine: 0.04, cycled150: 0.12 },
  '2.5': { pristine: 0.04, cycled150: 0.11 },
};

export const SAMPLE_WIDTH = 352;
export const SAMPLE_MICROGRAPH_ROWS = 244;
export const SAMPLE_DATABAR_ROWS = 28;

/** Pixel size (m) written to the Tescan sidecar. */
const PIXEL_SIZE_M = { cathode: 4.5e-8, anode: 3.5e-8 } as const;
const MAG = { cathode: 5000, anode: 6500 } as const;

function tescanHdr(electrode: Electrode, file: string, index: number): string {
  const ps = PIXEL_SIZE_M[electrode];
  const day = String(3 + index).padStart(2, '0');
  return [
    '[MAIN]',
    `Date=2026-03-${day}`,
    'Description=voidscope synthetic sample (not a real micrograph)',
    'Device=TESCAN CLARA',
    'DeviceModel=S8252G',
    `ImageStripSize=0`,
    `Magnification=${MAG[electrode]}`,
    `PixelSizeX=${ps.toExponential(6)}`,
    `PixelSizeY=${ps.toExponential(6)}`,
    'SerialNumber=000000',
    'SoftwareVersion=4.2.27.0',
    `Time=10:${String(10 + index).padStart(2, '0')}:00`,
    `UserName=voidscope`,
    '[SEM]',
    'AcceleratorVoltage=1.500000e+004',
    'Detector=SE',
    'HV=1.500000e+004',
    'ScanMode=RESOLUTION',
    'WD=8.100000e-003',
    `ImageFile=${file}`,
    '',
  ].join('\r\n');
}

export const BINDERS = ['0.5', '1.0', '1.5', '2.0', '2.5'] as const;
export const STATES: State[] = ['pristine', 'cycled150'];
export const ELECTRODES: Electrode[] = ['cathode', 'anode'];

export function sampleSpec(electrode: Electrode, binder: string, state: State, k: number): SemImageSpec {
  const targets = electrode === 'cathode' ? CATHODE_TARGETS : ANODE_TARGETS;
  const t = targets[binder]![state];
  const seed =
    1000 * (ELECTRODES.indexOf(electrode) + 1) + 100 * BINDERS.indexOf(binder as (typeof BINDERS)[number]) + 10 * STATES.indexOf(state) + k;
  return {
    electrode,
    targetVoid: t,
    damageShare: state === 'cycled150' ? 0.3 : 0.05,
    seed,
    width: SAMPLE_WIDTH,
    height: SAMPLE_MICROGRAPH_ROWS,
    databarRows: SAMPLE_DATABAR_ROWS,
    particleRadius: electrode === 'cathode' ? [20, 48] : [16, 42],
    blurSigma: 0.5,
    noiseSigma: 4.0,
    databarText: `HV 15.0 kV | WD 8.1 mm | mag ${electrode === 'cathode' ? '5 000' : '6 500'} x | 20 µm`,
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const out = resolve(outIdx >= 0 ? args[outIdx + 1]! : 'samples/sem');
  const truth: Record<string, unknown>[] = [];
  for (const electrode of ELECTRODES) {
    await rm(join(out, electrode), { recursive: true, force: true });
    for (const binder of BINDERS) {
      for (const state of STATES) {
        const dir = join(out, electrode, `NBR${binder}`, state);
        await mkdir(dir, { recursive: true });
        for (let k = 1; k <= 2; k++) {
          const spec = sampleSpec(electrode, binder, state, k);
          const img = generateSemImage(spec);
          const name = `${electrode}_NBR${binder}_${state}_${k}`;
          const tif = `${name}.tif`;
          await sharp(Buffer.from(img.pixels), { raw: { width: img.width, height: img.height, channels: 1 } })
            .toColourspace('b-w')
            .tiff({ compression: 'deflate', predictor: 'none' }) // ImageJ 1.53t misreads libvips' deflate+horizontal-predictor TIFFs
            .toFile(join(dir, tif));
          await writeFile(join(dir, `${name}-tif.hdr`), tescanHdr(electrode, tif, truth.length % 20));
          truth.push({
            file: `${electrode}/NBR${binder}/${state}/${tif}`,
            electrode,
            binderWtPercent: Number(binder),
            state,
            targetVoidFraction: spec.targetVoid,
            trueVoidFraction: Number(img.trueVoidFraction.toFixed(6)),
            voidPixels: img.voidPixels,
            micrographPixels: img.micrographPixels,
            micrographRows: spec.height,
            databarRows: spec.databarRows,
            pixelSizeUm: PIXEL_SIZE_M[electrode] * 1e6,
            seed: spec.seed,
          });
        }
      }
    }
  }
  const doc = {
    description:
      'Ground truth of the synthetic SEM samples: the void fraction is the number of pixels the generator labelled void ' +
      '(matrix pores, interfacial gaps, particle cracks) divided by the micrograph pixels (all rows above the data bar), ' +
      'computed from the generator phase map before blur and noise. Generator: scripts/samples/sem.ts (seeded, deterministic).',
    generator: 'scripts/samples/sem.ts',
    imageModel: 'phase map -> Gaussian beam blur sigma 0.5 px -> Gaussian detector noise sigma 4.0 grey levels (scan-line correlated) -> 8-bit; data bar: 28 rows of grey 12 with white text',
    images: truth,
  };
  await writeFile(join(out, 'ground-truth.json'), JSON.stringify(doc, null, 2) + '\n');
  process.stdout.write(`wrote ${truth.length} images to ${out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(`sem samples: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
