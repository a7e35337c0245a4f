/**
 * The convolutional alternative of issue 11, measured: a small U-Net-like network on tiles, trained with
 * TensorFlow.js (tfjs-core ops only; tfjs-layers is not a dependency) on the same scribbles as the shipped
 * pixel classifier (ilastik-style features + MLP ensemble), on the same cases, training image and test
 * images as bench/learned-bench.ts; both are run in this process and printed side by side.
 *
 *   npm run bench:learned-cnn [-- --size 1024x768] [--steps 250] [--lr 0.003] [--tile 128] [--batch 4] [--base 8]
 *
 * Network (3 levels): [conv3×3+ReLU]×2 at base, 2·base, 4·base channels, 2×2 max-pool down, nearest
 * upsample + skip concatenation up, 1×1 conv → softmax over k classes. Input: the image's normalised
 * intensity (the MLP's normalisation: flat field + 1st/99th percentiles). Loss: class-balanced softmax
 * cross-entropy on the scribbled pixels of each random tile only (+ L2). Adam, seeded He initialisation,
 * seeded tiles and flips, a fixed number of steps (not a time budget, so the weights do not depend on the
 * machine's speed).
 *
 * The backward pass is written by hand with tf ops (as the shipped train.ts does: tfjs-core's Node bundle
 * registers no gradients, so tf.variableGrads cannot be used): convolution weights' gradients by nine shifted
 * row-slice products (im2col without the copy), inputs' gradients by tf.conv2d with the flipped,
 * transposed kernel (9× faster on wasm than tf.conv2dTranspose), max-pool by the arg-max mask, nearest upsampling by 2×2 sums. A finite-difference
 * check of a few weights' gradients runs first and is printed. Forward (training and prediction) is tf.conv2d.
 * Not a test: nothing here fails on speed or accuracy.
 */
import { bestGlobalVoidIoU, generateHardImage, HARD_KINDS, makeScribbles, scoreSegmentation as scores, type HardImage, hardRaster } from '../scripts/samples/hard.js';
import { loadTf, predictClassesParallel, trainModel } from '../src/segmentation/learned/index.js';
import { NORMALISATION } from '../src/segmentation/learned/train.js';
import { imageNormalisation } from '../src/segmentation/filters/features/index.js';
import { normalisedCrop } from '../src/segmentation/learned/tiles.js';
import { mulberry32 } from '../src/segmentation/learned/random.js';
import type * as TF from '@tensorflow/tfjs-core';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const size = (s: string): [number, number] => s.split('x').map(Number) as [number, number];
const [W, H] = size(arg('--size', '1024x768'));
const STEPS = Number(arg('--steps', '250'));
const TILE = Number(arg('--tile', '128'));
const BATCH = Number(arg('--batch', '4'));
const BASE = Number(arg('--base', '8'));
const LR = Number(arg('--lr', '0.003'));
const L2 = Number(arg('--l2', '1e-4'));
const PRED_TILE = 256;
const PRED_MARGIN = 16;
const TEST_SEEDS = [3, 5];
const SEED = 1;

const raster = hardRaster;

/** Copied from bench/learned-bench.ts (not exported there: it runs on import). */
/** The image normalised as the shipped path does it (per image, never per tile). */
function normalised(im: HardImage): Float32Array {
  const r = raster(im);
  const norm = imageNormalisation(im.grey, im.width, im.height, null, NORMALISATION.low, NORMALISATION.high, NORMALISATION.flatField);
  return normalisedCrop(r, norm, { x0: 0, y0: 0, w: im.width, h: im.height, cx0: 0, cy0: 0, cw: im.width, ch: im.height });
}

interface Conv {
  w: TF.Variable; // [9·in, out] (im2col order: dy, dx, channel) == [3, 3, in, out] row-major
  b: TF.Variable;
  cin: number;
  cout: number;
}

type Tf = typeof TF;

function makeNet(tf: Tf, k: number, base: number, seed: number): Conv[] {
  const rnd = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(Math.max(rnd(), 1e-12))) * Math.cos(2 * Math.PI * rnd());
  const conv = (cin: number, cout: number, kk = 9): Conv => {
    const n = kk * cin * cout;
    const a = new Float32Array(n);
    const sd = Math.sqrt(2 / (kk * cin));
    for (let i = 0; i < n; i++) a[i] = normal() * sd;
    return { w: tf.variable(tf.tensor2d(a, [kk * cin, cout])), b: tf.variable(tf.zeros([cout])), cin, cout };
  };
  const c1 = base, c2 = 2 * base, c3 = 4 * base;
  return [
    conv(1, c1), conv(c1, c1), // level 0
    conv(c1, c2), conv(c2, c2), // level 1
    conv(c2, c3), conv(c3, c3), // level 2 (bottom)
    conv(c3 + c2, c2), conv(c2, c2), // up to level 1
    conv(c2 + c1, c1), conv(c1, c1), // up to level 0
    conv(c1, k, 1), // 1×1 → logits
  ];
}

const ksize = (c: Conv): number => (c.w.shape[0] === c.cin ? 1 : 3);

/** Convolution ('same') + bias with tf.conv2d. x: [n, h, w, c]. */
function conv(tf: Tf, x: TF.Tensor4D, c: Conv): TF.Tensor4D {
  const kk = ksize(c);
  return tf.add(tf.conv2d(x, tf.reshape(c.w, [kk, kk, c.cin, c.cout]) as TF.Tensor4D, 1, 'same'), c.b) as TF.Tensor4D;
}

/** Gradients of conv(x) given dy: weights by shifted row products, input by a flipped-kernel conv2d. */
function convBack(tf: Tf, x: TF.Tensor4D, dy: TF.Tensor4D, c: Conv, needInput: boolean): { dw: TF.Tensor; db: TF.Tensor; dx: TF.Tensor4D | null } {
  const [n, h, w] = x.shape;
  const d2 = tf.reshape(dy, [-1, c.cout]);
  const db = tf.sum(d2, 0);
  if (ksize(c) === 1) {
    const dw = tf.transpose(tf.matMul(tf.transpose(d2), tf.reshape(x, [-1, c.cin])));
    return { dw, db, dx: needInput ? (tf.reshape(tf.matMul(d2, c.w, false, true), [n, h, w, c.cin]) as TF.Tensor4D) : null };
  }
  // dW[oy, ox] = Σ x_pad[n, y + oy, x + ox] · dy[n, y, x]: with x padded by 1 and dy padded by 2 at the bottom
  // and right, both flattened to rows of one (h + 2)·(w + 2) layout, the shift (oy, ox) is a contiguous row
  // offset oy·(w + 2) + ox (dy's padding is zero, so rows that wrap contribute nothing): nine 2-D row slices
  // and nine [cout, L]·[L, cin] products instead of im2col (tfjs-wasm's 4-D slice and concat cost ~10× more).
  const wp = w + 2;
  const xf = tf.reshape(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), [-1, c.cin]);
  const total = n * (h + 2) * wp;
  const L = total - 2 * wp - 2;
  const dyT = tf.transpose(tf.slice(tf.reshape(tf.pad(dy, [[0, 0], [0, 2], [0, 2], [0, 0]]), [-1, c.cout]), [0, 0], [L, c.cout]));
  const blocks: TF.Tensor[] = [];
  for (let oy = 0; oy < 3; oy++) for (let ox = 0; ox < 3; ox++) blocks.push(tf.transpose(tf.matMul(dyT, tf.slice(xf, [oy * wp + ox, 0], [L, c.cin]))));
  const dw = tf.concat(blocks, 0); // [9·cin, cout], rows (oy, ox, ci)
  // Input gradient = 'same' convolution of dy with the kernel flipped in space and in/out swapped
  // (tf.conv2d: ~9× faster on wasm than tf.conv2dTranspose, which computes the same).
  const wf = tf.transpose(tf.reverse(tf.reshape(c.w, [3, 3, c.cin, c.cout]), [0, 1]), [0, 1, 3, 2]) as TF.Tensor4D;
  const dx = needInput ? tf.conv2d(dy, wf, 1, 'same') : null;
  return { dw, db, dx };
}

/** U-Net forward → logits [n, h, w, k] (h, w multiples of 4) and the activations the backward pass needs. */
function forward(tf: Tf, net: Conv[], x: TF.Tensor4D): { logits: TF.Tensor4D; a: TF.Tensor4D[]; ins: TF.Tensor4D[] } {
  const ins: TF.Tensor4D[] = [];
  const a: TF.Tensor4D[] = [];
  const cv = (t: TF.Tensor4D, i: number, relu = true): TF.Tensor4D => {
    ins[i] = t;
    const y = conv(tf, t, net[i]!);
    a[i] = relu ? tf.relu(y) : y;
    return a[i]!;
  };
  const e0 = cv(cv(x, 0), 1);
  const e1 = cv(cv(tf.maxPool(e0, 2, 2, 'valid'), 2), 3);
  const e2 = cv(cv(tf.maxPool(e1, 2, 2, 'valid'), 4), 5);
  const u1 = tf.image.resizeNearestNeighbor(e2, [e1.shape[1], e1.shape[2]]);
  const d1 = cv(cv(tf.concat([u1, e1], 3), 6), 7);
  const u0 = tf.image.resizeNearestNeighbor(d1, [e0.shape[1], e0.shape[2]]);
  const d0 = cv(cv(tf.concat([u0, e0], 3), 8), 9);
  return { logits: cv(d0, 10, false), a, ins };
}

/** Loss (masked, weighted softmax cross-entropy + L2) and all gradients, by hand. */
function lossAndGrads(tf: Tf, net: Conv[], x: TF.Tensor4D, y: TF.Tensor2D, wt: TF.Tensor1D, k: number, l2: number): { loss: TF.Scalar; grads: Record<string, TF.Tensor> } {
  const { logits, a, ins } = forward(tf, net, x);
  const z = tf.reshape(logits, [-1, k]);
  const sw = tf.maximum(tf.sum(wt), 1e-6);
  let loss = tf.div(tf.sum(tf.mul(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(z)), 1)), wt)), sw) as TF.Scalar;
  for (const c of net) loss = tf.add(loss, tf.mul(0.5 * l2, tf.sum(tf.square(c.w)))) as TF.Scalar;
  const dz = tf.reshape(tf.mul(tf.sub(tf.softmax(z), y), tf.div(tf.expandDims(wt, 1), sw)), logits.shape) as TF.Tensor4D;
  const grads: Record<string, TF.Tensor> = {};
  const back = (i: number, dOut: TF.Tensor4D, relu = true): TF.Tensor4D => {
    const d = relu ? (tf.mul(dOut, tf.step(a[i]!)) as TF.Tensor4D) : dOut;
    const c = net[i]!;
    const r = convBack(tf, ins[i]!, d, c, i > 0);
    grads[c.w.name] = l2 > 0 ? tf.add(r.dw, tf.mul(c.w, l2)) : r.dw;
    grads[c.b.name] = r.db;
    return r.dx!;
  };
  const up = (t: TF.Tensor4D, h: number, w: number): TF.Tensor4D => tf.image.resizeNearestNeighbor(t, [h, w]);
  const upBack = (d: TF.Tensor4D): TF.Tensor4D => tf.mul(tf.avgPool(d, 2, 2, 'valid'), 4) as TF.Tensor4D;
  const poolBack = (xin: TF.Tensor4D, d: TF.Tensor4D): TF.Tensor4D => {
    const [, h, w] = xin.shape;
    const mask = tf.cast(tf.equal(xin, up(tf.maxPool(xin, 2, 2, 'valid'), h, w)), 'float32');
    return tf.mul(up(d, h, w), mask) as TF.Tensor4D;
  };
  const c1 = net[1]!.cout, c2 = net[3]!.cout, c3 = net[5]!.cout;
  // Decoder level 0.
  const dd0 = back(8, back(9, back(10, dz, false))); // d/d concat([u0, e0])
  const [du0, de0a] = tf.split(dd0, [c2, c1], 3) as [TF.Tensor4D, TF.Tensor4D];
  // Decoder level 1.
  const dd1 = back(6, back(7, upBack(du0))); // d/d concat([u1, e1])
  const [du1, de1a] = tf.split(dd1, [c3, c2], 3) as [TF.Tensor4D, TF.Tensor4D];
  // Bottom.
  const dp2 = back(4, back(5, upBack(du1)));
  const de1 = tf.add(de1a, poolBack(a[3]!, dp2)) as TF.Tensor4D;
  const dp1 = back(2, back(3, de1));
  const de0 = tf.add(de0a, poolBack(a[1]!, dp1)) as TF.Tensor4D;
  back(0, back(1, de0));
  return { loss, grads };
}

/** Finite-difference check of a few weights' gradients (float32: a relative error of a few % is fine). */
function gradCheck(tf: Tf, k: number): string {
  const net = makeNet(tf, k, 4, 99);
  const rnd = mulberry32(5);
  const T = 32;
  const xs = new Float32Array(2 * T * T).map(() => rnd());
  const ys = new Float32Array(2 * T * T * k);
  const ws = new Float32Array(2 * T * T);
  for (let i = 0; i < ws.length; i += 7) {
    ys[i * k + (i % k)] = 1;
    ws[i] = 1;
  }
  const out: string[] = [];
  tf.tidy(() => {
    const x = tf.tensor4d(xs, [2, T, T, 1]);
    const y = tf.tensor2d(ys, [2 * T * T, k]);
    const wt = tf.tensor1d(ws);
    const { grads } = lossAndGrads(tf, net, x, y, wt, k, 0.01);
    for (const li of [0, 3, 5, 8, 10]) {
      const c = net[li]!;
      const wv = c.w.dataSync().slice();
      const j = Math.floor(wv.length / 2);
      const g = grads[c.w.name]!.dataSync()[j]!;
      const eps = 1e-2;
      const f = (v: number): number => {
        const w2 = wv.slice();
        w2[j] = v;
        c.w.assign(tf.tensor2d(w2, c.w.shape as [number, number]));
        return lossAndGrads(tf, net, x, y, wt, k, 0.01).loss.dataSync()[0]!;
      };
      const num = (f(wv[j]! + eps) - f(wv[j]! - eps)) / (2 * eps);
      c.w.assign(tf.tensor2d(wv, c.w.shape as [number, number]));
      out.push(`conv${li} ${g.toExponential(2)} vs ${num.toExponential(2)}`);
    }
  });
  for (const c of net) {
    c.w.dispose();
    c.b.dispose();
  }
  return out.join('; ');
}

async function trainCnn(tf: Tf, img: Float32Array, w: number, h: number, scr: Uint8Array, k: number, seed: number): Promise<{ net: Conv[]; seconds: number; finalLoss: number }> {
  const t0 = performance.now();
  const net = makeNet(tf, k, BASE, seed);
  const rnd = mulberry32(seed + 1000);
  // Class-balanced weights: inverse scribble frequency, normalised to mean 1 over the labelled pixels.
  const count = new Float64Array(k + 1);
  for (let i = 0; i < scr.length; i++) count[scr[i]!]!++;
  let labelled = 0;
  for (let c = 1; c <= k; c++) labelled += count[c]!;
  const cw = new Float32Array(k + 1);
  for (let c = 1; c <= k; c++) cw[c] = count[c]! > 0 ? labelled / (k * count[c]!) : 0;
  const opt = tf.train.adam(LR);
  const T = TILE;
  const xs = new Float32Array(BATCH * T * T);
  const ys = new Float32Array(BATCH * T * T * k);
  const ws = new Float32Array(BATCH * T * T);
  let finalLoss = NaN;
  for (let step = 0; step < STEPS; step++) {
    ys.fill(0);
    ws.fill(0);
    for (let b = 0; b < BATCH; b++) {
      // A random tile holding scribbles (seeded), random flips.
      let x0 = 0, y0 = 0;
      for (let tries = 0; tries < 50; tries++) {
        x0 = Math.floor(rnd() * (w - T + 1));
        y0 = Math.floor(rnd() * (h - T + 1));
        let n = 0;
        for (let y = 0; y < T; y += 2) for (let x = 0; x < T; x += 2) if (scr[(y0 + y) * w + x0 + x]! > 0) n++;
        if (n >= 5) break;
      }
      const fx = rnd() < 0.5, fy = rnd() < 0.5;
      for (let y = 0; y < T; y++) {
        const sy = y0 + (fy ? T - 1 - y : y);
        for (let x = 0; x < T; x++) {
          const sx = x0 + (fx ? T - 1 - x : x);
          const o = (b * T + y) * T + x;
          xs[o] = img[sy * w + sx]!;
          const l = scr[sy * w + sx]!;
          if (l > 0) {
            ys[o * k + l - 1] = 1;
            ws[o] = cw[l]!;
          }
        }
      }
    }
    const lossT = tf.tidy(() => {
      const { loss, grads } = lossAndGrads(tf, net, tf.tensor4d(xs, [BATCH, T, T, 1]), tf.tensor2d(ys, [BATCH * T * T, k]), tf.tensor1d(ws), k, L2);
      opt.applyGradients(grads as Record<string, TF.Tensor> as unknown as TF.NamedTensorMap as never);
      return loss;
    });
    if (step === STEPS - 1 || step % 100 === 0) {
      finalLoss = (await lossT.data())[0]!;
      process.stdout.write(`    step ${step}: loss ${finalLoss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
    lossT.dispose();
  }
  opt.dispose();
  return { net, seconds: (performance.now() - t0) / 1000, finalLoss };
}

/** Predict the whole image tile by tile (PRED_TILE + PRED_MARGIN of context each side, kept centre). */
function predictCnn(tf: Tf, net: Conv[], img: Float32Array, w: number, h: number, k: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const M = PRED_MARGIN;
  for (let y0 = 0; y0 < h; y0 += PRED_TILE) {
    for (let x0 = 0; x0 < w; x0 += PRED_TILE) {
      const tw = Math.min(PRED_TILE, w - x0), th = Math.min(PRED_TILE, h - y0);
      // Crop with margin; outside the image: mirror (reflect), padded to a multiple of 4.
      const cw = Math.ceil((tw + 2 * M) / 4) * 4, ch = Math.ceil((th + 2 * M) / 4) * 4;
      const crop = new Float32Array(cw * ch);
      for (let y = 0; y < ch; y++) {
        let sy = y0 - M + y;
        sy = sy < 0 ? -sy : sy >= h ? 2 * h - 2 - sy : sy;
        sy = Math.min(h - 1, Math.max(0, sy));
        for (let x = 0; x < cw; x++) {
          let sx = x0 - M + x;
          sx = sx < 0 ? -sx : sx >= w ? 2 * w - 2 - sx : sx;
          sx = Math.min(w - 1, Math.max(0, sx));
          crop[y * cw + x] = img[sy * w + sx]!;
        }
      }
      const lab = tf.tidy(() => tf.argMax(forward(tf, net, tf.tensor4d(crop, [1, ch, cw, 1])).logits, 3).dataSync());
      for (let y = 0; y < th; y++) for (let x = 0; x < tw; x++) out[(y0 + y) * w + x0 + x] = lab[(y + M) * cw + x + M]! + 1;
    }
  }
  return out;
}

interface Row {
  tool: string;
  kind: string;
  iou: number[];
  porErr: number[];
  perClass: Record<string, number>[];
  trainS: number;
  predictSPerMP: number;
}

async function main(): Promise<void> {
  const { tf, backend, version } = await loadTf();
  const tfc = tf as unknown as Tf;
  process.stdout.write(`learned CNN bench: tfjs ${version} on ${backend}; train ${W}x${H} (seed ${SEED}, scribbles seed 2 ~1 %), test seeds ${TEST_SEEDS.join(', ')}\n`);
  process.stdout.write(`  U-Net: 3 levels, channels ${BASE}/${2 * BASE}/${4 * BASE}, input normalised intensity; ${STEPS} steps × ${BATCH} tiles of ${TILE}², Adam lr ${LR}, L2 ${L2}; predict tiles ${PRED_TILE} + ${PRED_MARGIN} margin\n`);
  const rows: Row[] = [];
  process.stdout.write(`  gradient check (analytic vs central difference): ${gradCheck(tfc, 4)}\n`);
  for (const kind of HARD_KINDS) {
    const tr = generateHardImage(kind, W, H, SEED);
    const scr = makeScribbles(tr, 2);
    const tests = TEST_SEEDS.map((s) => generateHardImage(kind, W, H, s));
    const k = tr.classes.length;
    const mp = (tests.length * W * H) / 1e6;
    // The shipped path (defaults), as bench/learned-bench.ts runs it, 2 threads.
    {
      const t0 = performance.now();
      const { model } = await trainModel([{ raster: raster(tr), labels: scr, sha256: '' }], { classes: tr.classes });
      const trainS = (performance.now() - t0) / 1000;
      const row: Row = { tool: `MLP (shipped, tfjs ${model.versions.backend})`, kind, iou: [], porErr: [], perClass: [], trainS, predictSPerMP: 0 };
      let s = 0;
      for (const te of tests) {
        const t1 = performance.now();
        const p = await predictClassesParallel(raster(te), null, model, { threads: 2 });
        s += (performance.now() - t1) / 1000;
        const sc = scores(p.classes, te);
        row.iou.push(sc.iou);
        row.porErr.push(sc.porErr);
        row.perClass.push(sc.perClass);
      }
      row.predictSPerMP = s / mp;
      rows.push(row);
    }
    // The CNN.
    process.stdout.write(`  ${kind}: training the CNN\n`);
    const { net, seconds } = await trainCnn(tfc, normalised(tr), W, H, scr, k, SEED);
    const row: Row = { tool: `U-Net CNN (tfjs ${backend})`, kind, iou: [], porErr: [], perClass: [], trainS: seconds, predictSPerMP: 0 };
    let s = 0;
    for (const te of tests) {
      const t1 = performance.now();
      const p = predictCnn(tfc, net, normalised(te), W, H, k);
      s += (performance.now() - t1) / 1000;
      const sc = scores(p, te);
      row.iou.push(sc.iou);
      row.porErr.push(sc.porErr);
      row.perClass.push(sc.perClass);
    }
    row.predictSPerMP = s / mp;
    rows.push(row);
    for (const c of net) {
      c.w.dispose();
      c.b.dispose();
    }
    const g = tests.map((te) => bestGlobalVoidIoU(te).iou.toFixed(2)).join('/');
    process.stdout.write(`  ${kind}: best global threshold void IoU ${g}; CNN ${row.iou.map((v) => v.toFixed(3)).join('/')} in ${seconds.toFixed(1)} s training\n`);
  }
  const f2 = (v: number[]): string => v.map((x) => x.toFixed(3)).join('/');
  const pc = (v: Record<string, number>[]): string => Object.keys(v[0] ?? {}).map((c) => `${c} ${(v.reduce((a, r) => a + r[c]!, 0) / v.length).toFixed(2)}`).join(' ');
  process.stdout.write(`\n${'kind'.padEnd(9)}${'tool'.padEnd(28)}${'void IoU'.padEnd(14)}${'porosity err (pts)'.padEnd(20)}${'train s'.padStart(8)}${'predict s/MP'.padStart(14)}  per-class accuracy\n`);
  for (const kind of HARD_KINDS) {
    for (const r of rows.filter((x) => x.kind === kind)) {
      process.stdout.write(`${kind.padEnd(9)}${r.tool.padEnd(28)}${f2(r.iou).padEnd(14)}${r.porErr.map((x) => (x >= 0 ? '+' : '') + x.toFixed(2)).join('/').padEnd(20)}${r.trainS.toFixed(2).padStart(8)}${r.predictSPerMP.toFixed(3).padStart(14)}  ${pc(r.perClass)}\n`);
    }
  }
  process.stdout.write('(MLP: 2 threads, features included; CNN: one tfjs-wasm call per 256² tile + 16 px margin)\n');
}

await main();
