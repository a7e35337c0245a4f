/**
 * Training a pixel classifier from scribbles (ilastik's / Trainable Weka's workflow): features of the
 * labelled pixels → a small perceptron (features → hidden ReLU → classes) trained with TensorFlow.js
 * (Adam, class-balanced softmax cross-entropy), seeded: the same images, labels, settings and seed
 * give the same weights on a given backend.
 *
 * Held-out accuracy: the labelled pixels of a seeded fifth of 16×16-pixel blocks are kept back from
 * training (whole blocks, so held-out pixels are not neighbours of training pixels on the same
 * stroke) and classified by the trained model; the model file records the confusion matrix.
 */
import { VoidscopeError } from '../../errors.js';
import type { Raster } from '../../raster/types.js';
import { VERSION } from '../../version.js';
import { DEFAULT_FEATURES, featureChannels, featureMargin, imageNormalisation, validateFeatureSettings, type FeatureSettings } from '../filters/features/index.js';
import { loadTf, type TfPreference } from './backend.js';
import { classifyRun, foldStandardisation, MlpScratch, type MlpWeights } from './mlp.js';
import type { HeldOutAccuracy, LearnedModel } from './model-file.js';
import { hashUniform, mulberry32 } from './random.js';
import { DEFAULT_TILE, forEachFeatureTile } from './tiles.js';

export interface TrainingImage {
  raster: Raster;
  /** 0 = unlabelled, 1..k = class index (same size as the raster). */
  labels: Uint8Array;
  /** For the record. */
  file?: string;
  sha256: string;
  labelsFile?: string;
  labelsSha256?: string;
  /** 'scribbles' (index PNG), 'scribbles-rgb' (colour key) or 'mask' (fully labelled). */
  labelsKind?: string;
  /** Analysed area (non-zero = use); null = all pixels. Normalisation percentiles come from it. */
  area?: Uint8Array | null;
}

export interface TrainOptions {
  classes: string[];
  /** Name of the void class (default: 'void' if present, else an error). */
  voidClass?: string;
  features?: FeatureSettings;
  /** Hidden units per network (default 16). */
  hidden?: number;
  /**
   * Networks trained from successive seeds and averaged (their logits; stored as one network with
   * ensemble × hidden units). Default 2: single networks' void IoU moved by up to ±0.05 with the seed
   * (README.md); with the 35-channel stack an average of two was as accurate as three across training
   * seeds 1–2 and test seeds 3–9 (±0.01), for two thirds of the kernel's and the fitting's time.
   */
  ensemble?: number;
  seed?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /**
   * Pixels sampled from the training images to estimate their class proportions by EM (Saerens et al.
   * 2002); the network's output bias is then set for those proportions instead of the scribbles'.
   * Default 20000; 0 keeps the class-balanced loss's equal proportions (see README.md, measured).
   */
  priorSample?: number;
  /**
   * How far the output bias moves towards the EM proportions, 0..1: the bias shift is
   * priorWeight × log(estimated × k). Default 0.5: the network's posteriors are over-confident
   * (interior scribbles), so EM under-estimates the minority phases (void 0.097 for 0.113 on the
   * generated images) and the full shift under-called the void by up to 2.7 points at 512×384;
   * half the shift was measured better than none or all at both image sizes (README.md).
   */
  priorWeight?: number;
  /** L2 weight decay on the two kernels (added to their gradients; default 0.03). */
  l2?: number;
  /** Cap on optimisation steps (epochs are reduced for large label sets). Default 4000. */
  maxSteps?: number;
  /** Training pixels kept per class at most (seeded subsample; for fully labelled masks). Default 60000. */
  maxPerClass?: number;
  /** Fraction of 16×16 blocks held out (default 0.2). */
  heldOut?: number;
  backend?: TfPreference;
}

export interface TrainResult {
  model: LearnedModel;
  /** Wall-clock seconds: features, optimisation. Not stored in the model (it must not change between runs). */
  seconds: { features: number; fit: number };
}

export const DEFAULT_TRAIN = { hidden: 16, ensemble: 2, seed: 1, epochs: 200, batchSize: 512, learningRate: 0.01, maxSteps: 4000, maxPerClass: 60000, heldOut: 0.2, l2: 0.03, priorSample: 20000, priorWeight: 0.5 } as const;
const BLOCK = 16;
export const NORMALISATION = { method: 'percentile', low: 0.01, high: 0.99, flatField: 'phases' } as const;

function posInt(v: number, name: string, max: number): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new VoidscopeError('EOPTION', `${name} must be a whole number 1..${max}, got ${String(v)}`);
  return v;
}

/** Validate class names: 2..255 distinct, non-empty, no commas. */
export function validateClasses(classes: unknown): string[] {
  if (!Array.isArray(classes) || classes.length < 2 || classes.length > 255) throw new VoidscopeError('EOPTION', 'classes: name 2 to 255 classes, e.g. void,electrolyte,active');
  const out: string[] = [];
  for (const c of classes) {
    if (typeof c !== 'string' || !/^[\p{L}\p{N}_.-]+$/u.test(c)) throw new VoidscopeError('EOPTION', `classes: "${String(c)}" is not a valid class name (letters, digits, _ . -)`);
    if (out.includes(c)) throw new VoidscopeError('EOPTION', `classes: "${c}" named twice`);
    out.push(c);
  }
  return out;
}

/** Train a model from labelled images (all pixels with a label ≠ 0 are examples). */
export async function trainModel(images: TrainingImage[], options: TrainOptions): Promise<TrainResult> {
  const classes = validateClasses(options.classes);
  const K = classes.length;
  const voidClass = options.voidClass ?? (classes.includes('void') ? 'void' : undefined);
  if (voidClass === undefined || !classes.includes(voidClass)) throw new VoidscopeError('EOPTION', `name the void class (one of ${classes.join(', ')})`);
  const features = validateFeatureSettings(options.features ?? DEFAULT_FEATURES);
  const hidden = posInt(options.hidden ?? DEFAULT_TRAIN.hidden, 'hidden', 1024);
  const ensemble = posInt(options.ensemble ?? DEFAULT_TRAIN.ensemble, 'ensemble', 16);
  const seed = options.seed ?? DEFAULT_TRAIN.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new VoidscopeError('EOPTION', `seed must be a whole number 0..4294967295, got ${seed}`);
  const epochs = posInt(options.epochs ?? DEFAULT_TRAIN.epochs, 'epochs', 10000);
  const batchSize = posInt(options.batchSize ?? DEFAULT_TRAIN.batchSize, 'batch size', 1 << 20);
  const maxSteps = posInt(options.maxSteps ?? DEFAULT_TRAIN.maxSteps, 'max steps', 1e7);
  const maxPerClass = posInt(options.maxPerClass ?? DEFAULT_TRAIN.maxPerClass, 'max pixels per class', 1e8);
  const lr = options.learningRate ?? DEFAULT_TRAIN.learningRate;
  const l2 = options.l2 ?? DEFAULT_TRAIN.l2;
  if (!(l2 >= 0 && l2 < 1)) throw new VoidscopeError('EOPTION', `l2 must be in [0, 1), got ${l2}`);
  if (!(lr > 0 && lr < 1)) throw new VoidscopeError('EOPTION', `learning rate must be in (0, 1), got ${lr}`);
  const heldOutFraction = options.heldOut ?? DEFAULT_TRAIN.heldOut;
  if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new VoidscopeError('EOPTION', `held-out fraction must be in [0, 1), got ${heldOutFraction}`);
  if (images.length === 0) throw new VoidscopeError('EOPTION', 'no training images');

  // Count labels per class; check sizes and label values.
  const counts = new Float64Array(K + 1);
  for (const im of images) {
    const where = im.labelsFile ?? im.file;
    if (im.labels.length !== im.raster.width * im.raster.height) throw new VoidscopeError('EOPTION', `labels are not the size of the image ${im.raster.width}x${im.raster.height}`, where ? { file: where } : {});
    for (let i = 0; i < im.labels.length; i++) {
      const v = im.labels[i]!;
      if (v > K) throw new VoidscopeError('EOPTION', `label value ${v} at pixel (${i % im.raster.width}, ${Math.floor(i / im.raster.width)}) but only ${K} classes are named (${classes.join(', ')})`, where ? { file: where } : {});
      counts[v]!++;
    }
  }
  for (let k = 1; k <= K; k++) if (counts[k] === 0) throw new VoidscopeError('EOPTION', `no pixel is labelled "${classes[k - 1]}" (label ${k}): paint at least a few strokes of every class`);
  const keepP = new Float64Array(K + 1);
  for (let k = 1; k <= K; k++) keepP[k] = Math.min(1, maxPerClass / counts[k]!);

  const channels = featureChannels(features);
  const F = channels.length;
  const margin = featureMargin(features);
  // Gather features of kept labelled pixels, feature-major, split into train / held-out.
  const t0 = performance.now();
  const trainCols: number[][] = Array.from({ length: F }, () => []);
  const heldCols: number[][] = Array.from({ length: F }, () => []);
  const trainY: number[] = [];
  const heldY: number[] = [];
  const poolCols: number[][] = Array.from({ length: F }, () => []);
  const priorSample = options.priorSample ?? DEFAULT_TRAIN.priorSample;
  if (!Number.isInteger(priorSample) || priorSample < 0) throw new VoidscopeError('EOPTION', `prior sample must be a whole number ≥ 0, got ${priorSample}`);
  const priorWeight = options.priorWeight ?? DEFAULT_TRAIN.priorWeight;
  if (!(typeof priorWeight === 'number' && priorWeight >= 0 && priorWeight <= 1)) throw new VoidscopeError('EOPTION', `prior weight must be a number 0..1, got ${String(priorWeight)}`);
  let totalPixels = 0;
  for (const im of images) totalPixels += im.raster.width * im.raster.height;
  const poolP = Math.min(1, priorSample / Math.max(1, totalPixels));
  const perImage: LearnedModel['training']['images'] = [];
  images.forEach((im, imgIndex) => {
    const { raster, labels } = im;
    const W = raster.width;
    const norm = imageNormalisation(raster.data, raster.width, raster.height, im.area ?? null, NORMALISATION.low, NORMALISATION.high, NORMALISATION.flatField);
    let labelled = 0;
    forEachFeatureTile(raster, norm, features, margin, DEFAULT_TILE, (planes, t) => {
      for (let y = t.y0; y < t.y0 + t.h; y++) {
        for (let x = t.x0; x < t.x0 + t.w; x++) {
          const i = y * W + x;
          if (im.area && im.area[i] === 0) continue;
          if (poolP > 0 && hashUniform(seed, imgIndex, i, 11) < poolP) {
            const j = (y - t.cy0) * t.cw + (x - t.cx0);
            for (let f = 0; f < F; f++) poolCols[f]!.push(planes[f]![j]!);
          }
          const k = labels[i]!;
          if (k === 0) continue;
          labelled++;
          if (keepP[k]! < 1 && hashUniform(seed, imgIndex, i, 7) >= keepP[k]!) continue;
          const held = heldOutFraction > 0 && hashUniform(seed, imgIndex, Math.floor(x / BLOCK), Math.floor(y / BLOCK)) < heldOutFraction;
          const j = (y - t.cy0) * t.cw + (x - t.cx0);
          const cols = held ? heldCols : trainCols;
          for (let f = 0; f < F; f++) cols[f]!.push(planes[f]![j]!);
          (held ? heldY : trainY).push(k - 1);
        }
      }
    });
    perImage.push({ file: im.file ?? null, sha256: im.sha256, width: raster.width, height: raster.height, labelledPixels: labelled });
  });
  const tFeatures = (performance.now() - t0) / 1000;
  const m = trainY.length;
  const perClass = new Float64Array(K);
  for (const y of trainY) perClass[y]!++;
  for (let k = 0; k < K; k++) if (perClass[k] === 0) throw new VoidscopeError('EOPTION', `every "${classes[k]}" scribble fell in the held-out blocks: paint more strokes of it or lower the held-out fraction`);

  // Standardisation (double sums), then the row-major training matrix.
  const mean = new Float32Array(F);
  const std = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    const c = trainCols[f]!;
    let s = 0;
    for (const v of c) s += v;
    const mu = s / m;
    let ss = 0;
    for (const v of c) ss += (v - mu) * (v - mu);
    mean[f] = mu;
    std[f] = Math.max(Math.sqrt(ss / m), 1e-6);
  }
  const X = new Float32Array(m * F);
  for (let f = 0; f < F; f++) {
    const c = trainCols[f]!;
    const mu = mean[f]!;
    const sd = std[f]!;
    for (let i = 0; i < m; i++) X[i * F + f] = (c[i]! - mu) / sd;
  }
  // Class-balanced sample weights (each class weighs the same in the loss).
  const Y = new Float32Array(m * K);
  const Wt = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const k = trainY[i]!;
    Y[i * K + k] = 1;
    Wt[i] = m / (K * perClass[k]!);
  }

  // Seeded initialisation (He-uniform for the ReLU layer, Glorot-uniform for the output).
  const rnd = mulberry32(seed);
  const init = (n: number, fanIn: number, fanOut: number, he: boolean): Float32Array => {
    const lim = he ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rnd() * 2 - 1) * lim;
    return a;
  };
  const { tf, backend, version } = await loadTf(options.backend);
  const t1 = performance.now();
  const stepsPerEpoch = Math.ceil(m / batchSize);
  const runEpochs = Math.max(1, Math.min(epochs, Math.floor(maxSteps / stepsPerEpoch)));
  let steps = 0;
  const members: Float32Array[][] = [];
  for (let member = 0; member < ensemble; member++) {
  members.push(tf.tidy(() => {
    const w1 = tf.variable(tf.tensor2d(init(F * hidden, F, hidden, true), [F, hidden]));
    const b1 = tf.variable(tf.zeros([hidden]));
    const w2 = tf.variable(tf.tensor2d(init(hidden * K, hidden, K, false), [hidden, K]));
    const b2 = tf.variable(tf.zeros([K]));
    const xs = tf.tensor2d(X, [m, F]);
    const ys = tf.tensor2d(Y, [m, K]);
    const ws = tf.tensor1d(Wt);
    const opt = tf.train.adam(lr);
    const perm = new Int32Array(m);
    for (let i = 0; i < m; i++) perm[i] = i;
    for (let e = 0; e < runEpochs; e++) {
      for (let i = m - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
      }
      for (let b = 0; b < m; b += batchSize) {
        tf.tidy(() => {
          const idx = tf.tensor1d(perm.subarray(b, Math.min(m, b + batchSize)), 'int32');
          const xb = tf.gather(xs, idx);
          const yb = tf.gather(ys, idx);
          const wb = tf.gather(ws, idx);
          // Forward and backward of the two layers written out (tfjs-core's node bundle registers no
          // gradients, and the network is small): loss = Σ w·CE / Σ w, softmax cross-entropy.
          const z1 = tf.add(tf.matMul(xb, w1), b1);
          const h = tf.relu(z1);
          const p = tf.softmax(tf.add(tf.matMul(h, w2), b2));
          const dz2 = tf.mul(tf.sub(p, yb), tf.div(tf.expandDims(wb, 1), tf.sum(wb)));
          const dh = tf.matMul(dz2, w2, false, true);
          const dz1 = tf.mul(dh, tf.step(z1));
          opt.applyGradients({
            [w1.name]: l2 > 0 ? tf.add(tf.matMul(xb, dz1, true, false), tf.mul(w1, l2)) : tf.matMul(xb, dz1, true, false),
            [b1.name]: tf.sum(dz1, 0),
            [w2.name]: l2 > 0 ? tf.add(tf.matMul(h, dz2, true, false), tf.mul(w2, l2)) : tf.matMul(h, dz2, true, false),
            [b2.name]: tf.sum(dz2, 0),
          });
        });
        steps++;
      }
    }
    opt.dispose();
    const out = [w1, b1, w2, b2].map((v) => v.dataSync().slice() as Float32Array);
    for (const v of [w1, b1, w2, b2]) v.dispose();
    return out;
  }));
  }
  const tFit = (performance.now() - t1) / 1000;
  // The members' logits averaged = one network with their hidden units side by side, the output
  // kernel divided by their number and the output biases averaged.
  const HT = hidden * ensemble;
  const network: MlpWeights = { inputs: F, hidden: HT, outputs: K, w1: new Float32Array(F * HT), b1: new Float32Array(HT), w2: new Float32Array(HT * K), b2: new Float32Array(K) };
  const b2sum = new Float64Array(K);
  members.forEach((w, e) => {
    for (let f = 0; f < F; f++) for (let j = 0; j < hidden; j++) network.w1[f * HT + e * hidden + j] = w[0]![f * hidden + j]!;
    for (let j = 0; j < hidden; j++) {
      network.b1[e * hidden + j] = w[1]![j]!;
      for (let k = 0; k < K; k++) network.w2[(e * hidden + j) * K + k] = w[2]![j * K + k]! / ensemble;
    }
    for (let k = 0; k < K; k++) b2sum[k] = b2sum[k]! + w[3]![k]!;
  });
  for (let k = 0; k < K; k++) network.b2[k] = b2sum[k]! / ensemble;

  // Class proportions: with the class-balanced loss the network's outputs assume equal proportions
  // (whatever the user happened to paint); the proportions of the training images are estimated by
  // EM on a seeded pixel sample (Saerens, Latinne & Decaestecker 2002, Neural Computation 14:21) and
  // the output bias is moved by log(estimated · k), so ambiguous pixels go by the images' composition.
  const scribbled = Array.from(perClass, (v) => v / m);
  let estimated = new Array<number>(K).fill(1 / K);
  const np = poolCols[0]?.length ?? 0;
  if (np > 0) {
    const folded = foldStandardisation(network, mean, std);
    const planes = poolCols.map((c) => Float32Array.from(c));
    const run = 4096;
    const scratch = new MlpScratch(folded, run);
    const probs = Array.from({ length: K }, () => new Float32Array(np));
    const lab = new Uint8Array(np);
    for (let s0 = 0; s0 < np; s0 += run) classifyRun(planes, s0, Math.min(run, np - s0), scratch, lab, s0, probs);
    for (let it = 0; it < 100; it++) {
      const acc = new Float64Array(K);
      const q = new Float64Array(K);
      for (let i = 0; i < np; i++) {
        let z = 0;
        for (let k = 0; k < K; k++) {
          q[k] = probs[k]![i]! * estimated[k]! * K;
          z += q[k]!;
        }
        for (let k = 0; k < K; k++) acc[k] = acc[k]! + q[k]! / z;
      }
      let change = 0;
      const next = Array.from(acc, (v) => Math.max(v / np, 1e-4));
      for (let k = 0; k < K; k++) change = Math.max(change, Math.abs(next[k]! - estimated[k]!));
      estimated = next;
      if (change < 1e-6) break;
    }
    for (let k = 0; k < K; k++) network.b2[k] = network.b2[k]! + priorWeight * Math.log(estimated[k]! * K);
  }

  // Held-out accuracy with the inference kernel predict.ts uses.
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const nh = heldY.length;
  if (nh > 0) {
    const folded = foldStandardisation(network, mean, std);
    const planes = heldCols.map((c) => Float32Array.from(c));
    const run = 4096;
    const scratch = new MlpScratch(folded, run);
    const pred = new Uint8Array(nh);
    for (let s = 0; s < nh; s += run) classifyRun(planes, s, Math.min(run, nh - s), scratch, pred, s);
    for (let i = 0; i < nh; i++) confusion[heldY[i]!]![pred[i]! - 1]!++;
  }
  let correct = 0;
  const perClassAcc: Record<string, number> = {};
  let balanced = 0;
  let present = 0;
  for (let k = 0; k < K; k++) {
    const row = confusion[k]!;
    const tot = row.reduce((a, b) => a + b, 0);
    correct += row[k]!;
    if (tot > 0) {
      perClassAcc[classes[k]!] = row[k]! / tot;
      balanced += row[k]! / tot;
      present++;
    }
  }
  const heldOut: HeldOutAccuracy = {
    rule: `labelled pixels in a seeded ${Math.round(heldOutFraction * 100)} % of ${BLOCK}×${BLOCK}-pixel blocks, kept out of training`,
    pixels: nh,
    accuracy: nh > 0 ? correct / nh : NaN,
    balancedAccuracy: present > 0 ? balanced / present : NaN,
    perClass: perClassAcc,
    confusion,
  };
  const trainPixelsPerClass: Record<string, number> = {};
  classes.forEach((c, k) => (trainPixelsPerClass[c] = perClass[k]!));
  const model: LearnedModel = {
    classes,
    voidClass,
    features,
    normalisation: { ...NORMALISATION },
    standardise: { mean, std },
    network,
    training: {
      images: perImage,
      labels: images.map((im) => ({ file: im.labelsFile ?? null, sha256: im.labelsSha256 ?? null, kind: im.labelsKind ?? 'scribbles' })),
      seed,
      ensemble,
      epochs: runEpochs,
      batchSize,
      learningRate: lr,
      l2,
      steps,
      trainPixels: m,
      trainPixelsPerClass,
      heldOut,
      proportions: {
        rule: np > 0 && priorWeight > 0 ? `EM on ${np} sampled pixels of the training images; output bias shifted by ${priorWeight} × log(estimated × k) from the class-balanced loss's equal proportions` : 'equal proportions (class-balanced loss; no correction)',
        scribbled: Object.fromEntries(classes.map((c, k) => [c, scribbled[k]!])),
        estimated: Object.fromEntries(classes.map((c, k) => [c, estimated[k]!])),
      },
    },
    versions: { voidscope: VERSION, tfjs: version, backend, node: process.versions.node },
  };
  return { model, seconds: { features: tFeatures, fit: tFit } };
}
