/**
 * The model folder: `voidscope-model.json` (everything voidscope needs and records) plus the network
 * in TensorFlow.js' layers format (`model.json`, a Keras Sequential of two Dense layers, and
 * `weights.bin`, little-endian float32 in the manifest's order).
 *
 * The model's SHA-256 is computed over the three files (model.json, weights.bin,
 * voidscope-model.json, in that order) when the model is loaded; it is what outputs quote and what
 * the pipeline caches a loaded model by. The file holds no timestamps or timings, so the same
 * scribbles and seed give byte-identical files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VoidscopeError } from '../../errors.js';
import { writeFileAtomic } from '../../fsutil.js';
import { featureChannels, validateFeatureSettings, type FeatureSettings, type FlatFieldFit } from '../filters/features/index.js';
import type { MlpWeights } from './mlp.js';

export const MODEL_FILE = 'voidscope-model.json';
export const TFJS_TOPOLOGY_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';
export const MODEL_FORMAT_VERSION = 1;

export interface HeldOutAccuracy {
  /** How the held-out pixels were chosen. */
  rule: string;
  pixels: number;
  /** Fraction of held-out pixels classified correctly. */
  accuracy: number;
  /** Mean of the per-class accuracies (recall). */
  balancedAccuracy: number;
  /** Per class: fraction of its held-out pixels classified as it (recall). */
  perClass: Record<string, number>;
  /** confusion[true][predicted] pixel counts, class order. */
  confusion: number[][];
}

export interface TrainingRecord {
  images: { file: string | null; sha256: string; width: number; height: number; labelledPixels: number }[];
  labels: { file: string | null; sha256: string | null; kind: string }[];
  seed: number;
  /** Networks averaged (hidden = ensemble × units per network). */
  ensemble: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  steps: number;
  trainPixels: number;
  /** Labelled pixels per class used for training (after the per-class cap). */
  trainPixelsPerClass: Record<string, number>;
  heldOut: HeldOutAccuracy;
  /** Class proportions the output bias is set to (see train.ts). */
  proportions: { rule: string; scribbled: Record<string, number>; estimated: Record<string, number> };
}

/** A trained model in memory. */
export interface LearnedModel {
  classes: string[];
  /** The class measured as void (one of `classes`). */
  voidClass: string;
  features: FeatureSettings;
  /**
   * Per-image normalisation applied before the features: flat field (how it is fitted; false = none;
   * model files before the phase fit say `true`, read as 'mean'), then percentiles.
   */
  normalisation: { method: 'percentile'; low: number; high: number; flatField: FlatFieldFit | false };
  /** Feature standardisation learnt on the training pixels: input = (feature − mean) / std. */
  standardise: { mean: Float32Array; std: Float32Array };
  network: MlpWeights;
  training: TrainingRecord;
  versions: { voidscope: string; tfjs: string; backend: string; node: string };
  /** SHA-256 of the model files (set by loadModel / writeModel). */
  sha256?: string;
  /** The folder it was loaded from. */
  path?: string;
}

function topology(m: LearnedModel): object {
  const { inputs, hidden, outputs } = m.network;
  return {
    format: 'layers-model',
    generatedBy: `voidscope ${m.versions.voidscope}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'voidscope_pixel_classifier',
        layers: [
          { class_name: 'Dense', config: { name: 'hidden', units: hidden, activation: 'relu', use_bias: true, batch_input_shape: [null, inputs], dtype: 'float32', trainable: true } },
          { class_name: 'Dense', config: { name: 'output', units: outputs, activation: 'softmax', use_bias: true, dtype: 'float32', trainable: true } },
        ],
      },
      keras_version: `tfjs-layers ${m.versions.tfjs}`,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: [TFJS_WEIGHTS_FILE],
        weights: [
          { name: 'hidden/kernel', shape: [inputs, hidden], dtype: 'float32' },
          { name: 'hidden/bias', shape: [hidden], dtype: 'float32' },
          { name: 'output/kernel', shape: [hidden, outputs], dtype: 'float32' },
          { name: 'output/bias', shape: [outputs], dtype: 'float32' },
        ],
      },
    ],
  };
}

function weightsBytes(net: MlpWeights): Uint8Array {
  const all = new Float32Array(net.w1.length + net.b1.length + net.w2.length + net.b2.length);
  let o = 0;
  for (const a of [net.w1, net.b1, net.w2, net.b2]) {
    all.set(a, o);
    o += a.length;
  }
  const bytes = new Uint8Array(all.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < all.length; i++) dv.setFloat32(4 * i, all[i]!, true);
  return bytes;
}

function descriptor(m: LearnedModel): object {
  return {
    format: 'voidscope-model',
    version: MODEL_FORMAT_VERSION,
    classes: m.classes,
    voidClass: m.voidClass,
    features: m.features,
    featureChannels: featureChannels(m.features),
    normalisation: m.normalisation,
    standardise: { mean: Array.from(m.standardise.mean), std: Array.from(m.standardise.std) },
    network: { kind: 'mlp', inputs: m.network.inputs, hidden: m.network.hidden, outputs: m.network.outputs, activation: 'relu', files: [TFJS_TOPOLOGY_FILE, TFJS_WEIGHTS_FILE] },
    training: m.training,
    versions: m.versions,
  };
}

function modelHash(parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Write a model folder (atomically per file); returns the model's SHA-256. */
export async function writeModel(dir: string, m: LearnedModel): Promise<string> {
  const topo = Buffer.from(JSON.stringify(topology(m), null, 1) + '\n');
  const weights = weightsBytes(m.network);
  const desc = Buffer.from(JSON.stringify(descriptor(m), null, 2) + '\n');
  await writeFileAtomic(join(dir, TFJS_TOPOLOGY_FILE), topo);
  await writeFileAtomic(join(dir, TFJS_WEIGHTS_FILE), weights);
  await writeFileAtomic(join(dir, MODEL_FILE), desc);
  const sha = modelHash([topo, weights, desc]);
  m.sha256 = sha;
  m.path = resolve(dir);
  return sha;
}

const bad = (file: string, msg: string): VoidscopeError => new VoidscopeError('ECORRUPT', `not a valid voidscope model: ${msg}`, { file });

/** normalisation.flatField of a model file: 'phases', 'mean' (or true, as written before the phase fit), false or absent = none. */
function readFlatField(v: unknown, file: string): FlatFieldFit | false {
  if (v === true || v === 'mean') return 'mean';
  if (v === 'phases') return 'phases';
  if (v === false || v === undefined) return false;
  throw bad(file, `normalisation.flatField must be "phases", "mean" or false, got ${JSON.stringify(v)}`);
}

function numArray(v: unknown, n: number, file: string, what: string): Float32Array {
  if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw bad(file, `${what} must be ${n} finite numbers`);
  return Float32Array.from(v as number[]);
}

async function readOrFail(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VoidscopeError('ENOENT', 'model file not found (a model folder holds voidscope-model.json, model.json and weights.bin: make one with voidscope train)', { file });
    throw new VoidscopeError('EIO', `cannot read model file: ${(e as Error).message}`, { file, cause: e });
  }
}

/** Read and validate a model folder (or the path of its voidscope-model.json). */
export async function loadModel(path: string): Promise<LearnedModel> {
  const dir = path.endsWith('.json') ? resolve(path, '..') : resolve(path);
  const descFile = join(dir, MODEL_FILE);
  const [descBuf, topo, weights] = [await readOrFail(descFile), await readOrFail(join(dir, TFJS_TOPOLOGY_FILE)), await readOrFail(join(dir, TFJS_WEIGHTS_FILE))];
  if (descBuf.length > 16 << 20) throw bad(descFile, 'larger than 16 MB');
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(descBuf.toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw bad(descFile, `JSON: ${(e as Error).message}`);
  }
  if (d['format'] !== 'voidscope-model') throw bad(descFile, 'format is not "voidscope-model"');
  if (d['version'] !== MODEL_FORMAT_VERSION) throw new VoidscopeError('EUNSUPPORTED', `model format version ${String(d['version'])}; this voidscope reads version ${MODEL_FORMAT_VERSION}`, { file: descFile });
  const classes = d['classes'];
  if (!Array.isArray(classes) || classes.length < 2 || classes.length > 255 || !classes.every((c) => typeof c === 'string' && c.length > 0)) throw bad(descFile, 'classes must be 2..255 names');
  if (new Set(classes).size !== classes.length) throw bad(descFile, 'class names must be distinct');
  const voidClass = d['voidClass'];
  if (typeof voidClass !== 'string' || !classes.includes(voidClass)) throw bad(descFile, 'voidClass must be one of the classes');
  let features: FeatureSettings;
  try {
    features = validateFeatureSettings(d['features'], 'features');
  } catch (e) {
    throw bad(descFile, (e as Error).message);
  }
  const F = featureChannels(features).length;
  const net = d['network'] as Record<string, unknown> | undefined;
  if (!net || net['kind'] !== 'mlp') throw bad(descFile, 'network.kind must be "mlp"');
  const H = net['hidden'];
  if (net['inputs'] !== F) throw bad(descFile, `network.inputs (${String(net['inputs'])}) does not match the ${F} feature channels`);
  if (net['outputs'] !== classes.length) throw bad(descFile, 'network.outputs does not match the classes');
  if (typeof H !== 'number' || !Number.isInteger(H) || H < 1 || H > 4096) throw bad(descFile, 'network.hidden must be a whole number 1..4096');
  const K = classes.length;
  const expected = 4 * (F * H + H + H * K + K);
  if (weights.length !== expected) throw bad(join(dir, TFJS_WEIGHTS_FILE), `${weights.length} bytes, expected ${expected} for ${F}→${H}→${K}`);
  const dv = new DataView(weights.buffer, weights.byteOffset, weights.length);
  const all = new Float32Array(expected / 4);
  for (let i = 0; i < all.length; i++) all[i] = dv.getFloat32(4 * i, true);
  if (!all.every(Number.isFinite)) throw bad(join(dir, TFJS_WEIGHTS_FILE), 'non-finite weights');
  let o = 0;
  const take = (n: number): Float32Array => all.slice(o, (o += n));
  const network: MlpWeights = { inputs: F, hidden: H, outputs: K, w1: take(F * H), b1: take(H), w2: take(H * K), b2: take(K) };
  const st = d['standardise'] as Record<string, unknown> | undefined;
  const mean = numArray(st?.['mean'], F, descFile, 'standardise.mean');
  const std = numArray(st?.['std'], F, descFile, 'standardise.std');
  if (!std.every((s) => s > 0)) throw bad(descFile, 'standardise.std must be > 0');
  const nm = d['normalisation'] as Record<string, unknown> | undefined;
  const low = nm?.['low'];
  const high = nm?.['high'];
  if (nm?.['method'] !== 'percentile' || typeof low !== 'number' || typeof high !== 'number' || !(low >= 0 && low < high && high <= 1)) throw bad(descFile, 'normalisation must be {method:"percentile", low, high} with 0 ≤ low < high ≤ 1');
  const versions = d['versions'] as LearnedModel['versions'] | undefined;
  if (!versions || typeof versions.voidscope !== 'string') throw bad(descFile, 'versions missing');
  return {
    classes: classes as string[],
    voidClass,
    features,
    normalisation: { method: 'percentile', low, high, flatField: readFlatField(nm['flatField'], descFile) },
    standardise: { mean, std },
    network,
    training: d['training'] as TrainingRecord,
    versions,
    sha256: modelHash([topo, weights, descBuf]),
    path: dir,
  };
}
