/**
 * Generator of hard multi-phase SEM-like images with known phase maps, for the learned segmenter's
 * tests, sample and benchmark (deterministic: seeded PRNG, scripts/lib/random.ts).
 *
 *   npx tsc -p . && node dist/scripts/samples/hard.js [--out samples/learned]
 *
 * "Hard" means that no global threshold separates the void from the electrolyte: their grey levels
 * overlap through detector noise, a multiplicative shading field (gradient + vignette, as uneven
 * charging or detector geometry gives) moves the void of one corner above the electrolyte of
 * another, and FIB curtaining adds vertical stripes. The best global threshold (chosen against the
 * truth) gets void IoU below 0.5 on every kind; the phases stay separable by local context (voids
 * are 3–10 px blobs and gaps, particles 12–30 px), which is what a trained pixel classifier uses.
 *
 * Kinds:
 *  - shading: void / electrolyte / active, strong shading (±30 %), noise σ 13;
 *  - noise:   same phases, mild shading (±12 %), noise σ 20 (void and electrolyte 25 grey levels apart);
 *  - binder:  four phases (void, binder, electrolyte, active): a dark binder whose grey touches the
 *             void's, curtaining, noise σ 22, shading ±25 %.
 * Scribbles (`makeScribbles`) are short painted strokes inside each phase, away from its boundary,
 * about 1 % of the pixels, the same count per class — as a user paints them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { gaussianBlurFloat } from '../../src/segmentation/filters/gaussian.js';
import { createRaster, type Raster } from '../../src/raster/types.js';
import { mulberry32, normal } from '../lib/random.js';

export type HardKind = 'shading' | 'noise' | 'binder';
export const HARD_KINDS: readonly HardKind[] = ['shading', 'noise', 'binder'];

export interface HardImage {
  width: number;
  height: number;
  /** 8-bit grey micrograph. */
  grey: Uint8Array;
  /** True phase per pixel, 1..classes.length (index into classes + 1). */
  truth: Uint8Array;
  classes: string[];
  /** Phase id (1-based) of the void. */
  voidClass: number;
}

interface KindParams {
  classes: string[];
  means: number[];
  noise: number;
  shading: number;
  curtain: number;
}

const KINDS: Record<HardKind, KindParams> = {
  shading: { classes: ['void', 'electrolyte', 'active'], means: [70, 100, 160], noise: 13, shading: 0.3, curtain: 0 },
  noise: { classes: ['void', 'electrolyte', 'active'], means: [75, 100, 160], noise: 20, shading: 0.12, curtain: 0 },
  binder: { classes: ['void', 'binder', 'electrolyte', 'active'], means: [62, 84, 112, 168], noise: 22, shading: 0.25, curtain: 8 },
};

/** A hard image's micrograph as an 8-bit raster (no calibration). */
export function hardRaster(im: HardImage): Raster<Uint8Array> {
  return createRaster(im.width, im.height, im.grey);
}

/** One hard image of the given kind (size in pixels; the same seed gives the same bytes). */
export function generateHardImage(kind: HardKind, width: number, height: number, seed: number): HardImage {
  const p = KINDS[kind];
  const rnd = mulberry32(seed);
  const n = width * height;
  const ids = Object.fromEntries(p.classes.map((c, i) => [c, i + 1])) as Record<string, number>;
  const electrolyte = ids['electrolyte']!;
  const truth = new Uint8Array(n).fill(electrolyte);
  const scale = Math.sqrt((width * height) / (512 * 384));
  // Active particles: perturbed discs covering about 35 %.
  const disc = (cx: number, cy: number, r: number, id: number, wobble: number, only?: number): void => {
    const a1 = rnd() * 6.283;
    const a2 = rnd() * 6.283;
    const R = Math.ceil(r * (1 + wobble)) + 1;
    for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(height - 1, Math.ceil(cy + R)); y++) {
      for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(width - 1, Math.ceil(cx + R)); x++) {
        const dx = x - cx;
        const dy = y - cy;
        const th = Math.atan2(dy, dx);
        const rr = r * (1 + wobble * 0.6 * Math.sin(3 * th + a1) + wobble * 0.4 * Math.sin(5 * th + a2));
        if (dx * dx + dy * dy <= rr * rr && (only === undefined || truth[y * width + x] === only)) truth[y * width + x] = id;
      }
    }
  };
  let active = 0;
  const particles: [number, number, number][] = [];
  while (active < 0.35 * n) {
    const r = (15 + rnd() * 25) * scale;
    const cx = rnd() * width;
    const cy = rnd() * height;
    disc(cx, cy, r, ids['active']!, 0.15);
    particles.push([cx, cy, r]);
    active += Math.PI * r * r * 0.8;
  }
  // Binder: thin films (blobs) on particle surfaces, then voids in the matrix and as interfacial gaps.
  if (ids['binder'] !== undefined) {
    for (const [cx, cy, r] of particles) {
      for (let k = 0; k < 3; k++) {
        const th = rnd() * 6.283;
        disc(cx + Math.cos(th) * r, cy + Math.sin(th) * r, (4 + rnd() * 5) * scale, ids['binder']!, 0.3, electrolyte);
      }
    }
  }
  const voidId = ids['void']!;
  let voids = 0;
  const target = 0.11 * n;
  while (voids < target) {
    const r = (5 + rnd() * 11) * scale;
    if (rnd() < 0.4 && particles.length > 0) {
      const [cx, cy, pr] = particles[Math.floor(rnd() * particles.length)]!;
      const th = rnd() * 6.283;
      disc(cx + Math.cos(th) * (pr + r * 0.3), cy + Math.sin(th) * (pr + r * 0.3), r, voidId, 0.35, electrolyte);
    } else disc(rnd() * width, rnd() * height, r, voidId, 0.35, electrolyte);
    voids = 0;
    for (let i = 0; i < n; i++) if (truth[i] === voidId) voids++;
  }
  // Imaging: phase means + low-frequency matrix texture → beam blur σ 0.7 → shading → curtains → noise.
  const img = new Float32Array(n);
  const tex = new Float32Array(n);
  for (let i = 0; i < n; i++) tex[i] = normal(rnd);
  const texture = gaussianBlurFloat(tex, width, height, 6 * scale, 0.002);
  for (let i = 0; i < n; i++) {
    const id = truth[i]!;
    img[i] = p.means[id - 1]! + (id === electrolyte ? texture[i]! * 60 : 0);
  }
  const beam = gaussianBlurFloat(img, width, height, 0.7, 0.002);
  const gx = rnd() < 0.5 ? 1 : -1;
  const gy = rnd() < 0.5 ? 1 : -1;
  const curtain = new Float32Array(width);
  let c = 0;
  for (let x = 0; x < width; x++) {
    c = 0.85 * c + normal(rnd) * p.curtain * 0.5;
    curtain[x] = c;
  }
  const grey = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width - 0.5;
      const v = y / height - 0.5;
      const shade = 1 + p.shading * (gx * u + gy * v) - p.shading * 0.8 * (u * u + v * v);
      const i = y * width + x;
      const val = beam[i]! * shade + curtain[x]! + normal(rnd) * p.noise;
      grey[i] = Math.max(0, Math.min(255, Math.round(val)));
    }
  }
  return { width, height, grey, truth, classes: p.classes, voidClass: voidId };
}

/**
 * Scribbles: strokes (random walks 12–40 px long, 1 px wide, doubled to 2 px) painted inside each
 * phase at least 2 px from its boundary, about `fraction` of the pixels in all, equal per class.
 * Returns a label image: 0 = unlabelled, else the phase id.
 */
export function makeScribbles(img: HardImage, seed: number, fraction = 0.01): Uint8Array {
  const { width: w, height: h, truth } = img;
  const n = w * h;
  const rnd = mulberry32(seed);
  // Interior: the pixel and its 5×5 neighbourhood belong to one phase.
  const interior = new Uint8Array(n);
  for (let y = 2; y < h - 2; y++) {
    for (let x = 2; x < w - 2; x++) {
      const id = truth[y * w + x]!;
      let ok = true;
      for (let dy = -2; dy <= 2 && ok; dy++) for (let dx = -2; dx <= 2; dx++) if (truth[(y + dy) * w + x + dx] !== id) { ok = false; break; }
      if (ok) interior[y * w + x] = id;
    }
  }
  const out = new Uint8Array(n);
  const perClass = Math.round((fraction * n) / img.classes.length);
  for (let id = 1; id <= img.classes.length; id++) {
    const pool: number[] = [];
    for (let i = 0; i < n; i++) if (interior[i] === id) pool.push(i);
    if (pool.length === 0) continue;
    let painted = 0;
    for (let tries = 0; painted < perClass && tries < 100000; tries++) {
      let at = pool[Math.floor(rnd() * pool.length)]!;
      let th = rnd() * 6.283;
      const len = 12 + Math.floor(rnd() * 28);
      let fx = at % w;
      let fy = (at - fx) / w;
      for (let s = 0; s < len && painted < perClass; s++) {
        for (const j of [at, at + 1]) {
          if (interior[j] === id && out[j] === 0) {
            out[j] = id;
            painted++;
          }
        }
        th += (rnd() - 0.5) * 0.6;
        fx += Math.cos(th);
        fy += Math.sin(th);
        const x = Math.round(fx);
        const y = Math.round(fy);
        if (x < 0 || y < 0 || x >= w - 1 || y >= h) break;
        at = y * w + x;
        if (interior[at] !== id) break;
      }
    }
  }
  return out;
}

/** Void IoU of a predicted 1..k map against the truth (pixels where predicted[i] === voidClass). */
export function voidIoU(pred: Uint8Array, truth: Uint8Array, voidClass: number): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < truth.length; i++) {
    const a = pred[i] === voidClass;
    const b = truth[i] === voidClass;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** A predicted class map against a hard image's truth: void IoU, porosity error (points) and accuracy per class. */
export function scoreSegmentation(pred: Uint8Array, im: HardImage): { iou: number; porErr: number; perClass: Record<string, number> } {
  let pv = 0;
  let tv = 0;
  const hit = new Float64Array(im.classes.length + 1);
  const tot = new Float64Array(im.classes.length + 1);
  for (let i = 0; i < pred.length; i++) {
    if (pred[i] === im.voidClass) pv++;
    if (im.truth[i] === im.voidClass) tv++;
    tot[im.truth[i]!]!++;
    if (pred[i] === im.truth[i]) hit[im.truth[i]!]!++;
  }
  const perClass: Record<string, number> = {};
  im.classes.forEach((c, k) => (perClass[c] = hit[k + 1]! / Math.max(1, tot[k + 1]!)));
  return { iou: voidIoU(pred, im.truth, im.voidClass), porErr: (100 * (pv - tv)) / pred.length, perClass };
}

/** The best any global threshold can do on void IoU (void = grey ≤ t, t chosen against the truth). */
export function bestGlobalVoidIoU(img: HardImage): { threshold: number; iou: number } {
  const inV = new Float64Array(256);
  const all = new Float64Array(256);
  let nv = 0;
  for (let i = 0; i < img.grey.length; i++) {
    all[img.grey[i]!]!++;
    if (img.truth[i] === img.voidClass) {
      inV[img.grey[i]!]!++;
      nv++;
    }
  }
  let best = { threshold: 0, iou: 0 };
  let a = 0;
  let b = 0;
  for (let t = 0; t < 256; t++) {
    a += inV[t]!;
    b += all[t]!;
    const iou = a / (nv + b - a);
    if (iou > best.iou) best = { threshold: t, iou };
  }
  return best;
}

async function main(): Promise<void> {
  const outArg = process.argv.indexOf('--out');
  const out = resolve(outArg > 0 ? process.argv[outArg + 1]! : 'samples/learned');
  await mkdir(out, { recursive: true });
  const img = generateHardImage('binder', 512, 384, 11);
  const scr = makeScribbles(img, 12);
  await writeFile(join(out, 'hard-binder.png'), await sharp(Buffer.from(img.grey), { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
  await writeFile(join(out, 'hard-binder.scribbles.png'), await sharp(Buffer.from(scr), { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
  await writeFile(join(out, 'hard-binder.truth.png'), await sharp(Buffer.from(img.truth), { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png().toBuffer());
  process.stdout.write(`wrote ${out}: hard-binder.png (+ .scribbles.png, .truth.png); best global void IoU ${bestGlobalVoidIoU(img).iou.toFixed(3)}\n`);
}

if (process.argv[1] && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href) await main();
