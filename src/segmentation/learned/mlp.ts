/**
 * Inference of the trained pixel classifier (features → Dense+ReLU → Dense → argmax/softmax) by
 * voidscope's own code, not by TensorFlow.js.
 *
 * Why: `model.predict` costs 1.7–40 s per megapixel in TensorFlow.js on two cores (wasm / cpu
 * backends, see README.md), more than the whole scikit-image path; this kernel runs the same
 * arithmetic in WebAssembly SIMD (mlp.wat) over runs of pixels (the input standardisation folded into the first
 * layer's weights and bias), and is one function, so every image, tile and `--jobs` setting goes
 * through identical arithmetic. A test checks its labels against TensorFlow.js' own ops.
 */
import { compileWasm, instantiateWasm } from '../../wasm.js';

/** A two-layer perceptron: `inputs → hidden (ReLU) → outputs`, row-major kernels as Keras stores them. */
export interface MlpWeights {
  inputs: number;
  hidden: number;
  outputs: number;
  /** inputs × hidden, w1[f * hidden + j]. */
  w1: Float32Array;
  b1: Float32Array;
  /** hidden × outputs, w2[j * outputs + k]. */
  w2: Float32Array;
  b2: Float32Array;
}

/** The network with the input standardisation (x − mean) / std folded into layer 1. */
export function foldStandardisation(net: MlpWeights, mean: ArrayLike<number>, std: ArrayLike<number>): MlpWeights {
  const { inputs: F, hidden: H } = net;
  const w1 = new Float32Array(F * H);
  const b1 = new Float64Array(H);
  for (let j = 0; j < H; j++) b1[j] = net.b1[j]!;
  for (let f = 0; f < F; f++) {
    const s = std[f]!;
    for (let j = 0; j < H; j++) {
      const w = net.w1[f * H + j]! / s;
      w1[f * H + j] = w;
      b1[j] = b1[j]! - w * mean[f]!;
    }
  }
  return { ...net, w1, b1: Float32Array.from(b1) };
}

interface MlpModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  mlp(inAt: number, count: number, F: number, G: number, K: number, w1: number, b1: number, w2: number, b2: number, out: number): void;
  classify(out: number, stride: number, n: number, K: number, area: number, hasArea: number, labels: number, voidK: number, st: number, ds: number): void;
  expv(at: number, n: number): void;
}

/**
 * The compiled kernel, once per thread: compiling per call (as before) restarted V8's tiering each
 * time (baseline code first, optimising compile on a background thread that competes with the second
 * prediction thread). Each scratch gets its own instance (own memory).
 */
let compiled: object | null = null;
function instantiate(): MlpModule {
  compiled ??= compileWasm(new URL('./mlp.wasm', import.meta.url));
  return instantiateWasm<MlpModule>(compiled);
}

const align16 = (n: number): number => (n + 15) & ~15;

/**
 * The inference kernel for one folded network and runs of up to `maxRun` pixels: its own
 * WebAssembly instance (mlp.wat, f32x4 over four pixels at a time, four hidden units per input load)
 * holding the weights.
 */
export class MlpScratch {
  private readonly m: MlpModule;
  private readonly at: { w1: number; b1: number; w2: number; b2: number; in: number; out: number; area: number; labels: number; st: number; ds: number };
  private readonly logits: Float32Array;
  private readonly groups: number;
  constructor(
    readonly net: MlpWeights,
    readonly maxRun: number,
  ) {
    const { inputs: F, hidden: H, outputs: K } = net;
    this.m = instantiate();
    const run = align16(maxRun);
    const G = Math.ceil(H / 4);
    this.groups = G;
    // Layout (see mlp.wat): pre-splatted layer-1 weights and biases (hidden padded to 4G with zero units).
    const w1s = 0;
    const b1s = align16(w1s + 64 * G * F);
    const w2 = align16(b1s + 64 * G);
    const b2 = align16(w2 + 4 * 4 * G * K);
    const inAt = align16(b2 + 4 * K);
    const out = align16(inAt + 4 * F * run);
    const area = align16(out + 4 * K * run);
    const labels = align16(area + run);
    const st = align16(labels + run);
    const ds = align16(st + 8 * 5);
    const end = ds + 8 * K * run;
    const have = this.m.memory.buffer.byteLength;
    if (end > have) this.m.memory.grow(Math.ceil((end - have) / 65536));
    this.at = { w1: w1s, b1: b1s, w2, b2, in: inAt, out, area, labels, st, ds };
    const mem = this.m.memory.buffer;
    const W1s = new Float32Array(mem, w1s, 16 * G * F);
    const B1s = new Float32Array(mem, b1s, 16 * G);
    const W2 = new Float32Array(mem, w2, 4 * G * K);
    W1s.fill(0);
    B1s.fill(0);
    W2.fill(0);
    for (let j = 0; j < H; j++) {
      const g = j >> 2;
      const u = j & 3;
      for (let f = 0; f < F; f++) W1s.fill(net.w1[f * H + j]!, 4 * (4 * (g * F + f) + u), 4 * (4 * (g * F + f) + u) + 4);
      B1s.fill(net.b1[j]!, 4 * j, 4 * j + 4);
      for (let k = 0; k < K; k++) W2[j * K + k] = net.w2[j * K + k]!;
    }
    new Float32Array(mem, b2, K).set(net.b2);
    this.logits = new Float32Array(K * run);
  }

  /** Run the kernel on `count` pixels (planes[f][start + x]): logits in wasm memory at `out`, K planes of the returned stride (count rounded up to 8). */
  private run(planes: readonly Float32Array[], start: number, count: number): number {
    const { inputs: F, outputs: K } = this.net;
    if (count > this.maxRun) throw new RangeError(`run of ${count} pixels exceeds the kernel's ${this.maxRun}`);
    const stride = (count + 7) & ~7;
    const input = new Float32Array(this.m.memory.buffer, this.at.in, F * stride);
    for (let f = 0; f < F; f++) {
      input.set(planes[f]!.subarray(start, start + count), f * stride);
      if (stride > count) input.fill(0, f * stride + count, (f + 1) * stride);
    }
    this.m.mlp(this.at.in, stride, F, this.groups, K, this.at.w1, this.at.b1, this.at.w2, this.at.b2, this.at.out);
    return stride;
  }

  /** Logits of `count` pixels (planes[f][start + x]) as K planes of `stride` (count rounded up to 8). */
  logitsOf(planes: readonly Float32Array[], start: number, count: number): { logits: Float32Array; stride: number } {
    const K = this.net.outputs;
    const stride = this.run(planes, start, count);
    const l = this.logits.subarray(0, K * stride);
    l.set(new Float32Array(this.m.memory.buffer, this.at.out, K * stride));
    return { logits: l, stride };
  }

  /**
   * classifyRunStats' work in WebAssembly (mlp.wat `classify`): the kernel, then per pixel the argmax,
   * the label (0 outside `area`) and the confidence sums, added to `st` pixel by pixel in x order.
   */
  classifyStats(planes: readonly Float32Array[], start: number, count: number, labels: Uint8Array, at: number, area: Uint8Array | null, voidK: number, st: RunStats): void {
    const stride = this.run(planes, start, count);
    const mem = this.m.memory.buffer;
    if (area) new Uint8Array(mem, this.at.area, count).set(area.subarray(at, at + count));
    const s = new Float64Array(mem, this.at.st, 5);
    s[0] = st.analysed;
    s[1] = st.uncertain;
    s[2] = st.marginSum;
    s[3] = st.voidLow;
    s[4] = st.voidHigh;
    this.m.classify(this.at.out, stride, count, this.net.outputs, this.at.area, area ? 1 : 0, this.at.labels, voidK, this.at.st, this.at.ds);
    st.analysed = s[0]!;
    st.uncertain = s[1]!;
    st.marginSum = s[2]!;
    st.voidLow = s[3]!;
    st.voidHigh = s[4]!;
    labels.set(new Uint8Array(mem, this.at.labels, count), at);
  }

  /** Math.exp as the kernel computes it (mlp.wat expv, for x ≤ 0), for tests. */
  expOf(xs: Float64Array): Float64Array {
    // In chunks in the classify scratch (no run is in progress).
    const at = this.at.ds;
    const n = this.net.outputs * align16(this.maxRun);
    const out = new Float64Array(xs.length);
    for (let s = 0; s < xs.length; s += n) {
      const m = Math.min(n, xs.length - s);
      const v = new Float64Array(this.m.memory.buffer, at, (m + 1) & ~1);
      v.set(xs.subarray(s, s + m));
      this.m.expv(at, v.length);
      out.set(v.subarray(0, m), s);
    }
    return out;
  }
}

/** The class with the largest logit of pixel x (logits[k·stride + x]); ties go to the lower index. */
function argmaxAt(logits: Float32Array, stride: number, x: number, K: number): number {
  let best = 0;
  let bv = logits[x]!;
  for (let k = 1; k < K; k++) {
    const v = logits[k * stride + x]!;
    if (v > bv) {
      bv = v;
      best = k;
    }
  }
  return best;
}

/**
 * Classify `count` pixels: pixel x has feature f at planes[f][start + x]. Writes the class index
 * + 1 to labels[at + x]; when `probs` is given, the softmax probabilities to probs[k][at + x].
 * The net must be folded (foldStandardisation). Ties go to the lower class index.
 */
export function classifyRun(
  planes: readonly Float32Array[],
  start: number,
  count: number,
  s: MlpScratch,
  labels: Uint8Array,
  at: number,
  probs?: readonly Float32Array[],
): void {
  const K = s.net.outputs;
  const { logits, stride } = s.logitsOf(planes, start, count);
  for (let x = 0; x < count; x++) {
    const best = argmaxAt(logits, stride, x, K);
    const bv = logits[best * stride + x]!;
    labels[at + x] = best + 1;
    if (probs) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(logits[k * stride + x]! - bv);
        probs[k]![at + x] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let k = 0; k < K; k++) probs[k]![at + x] = probs[k]![at + x]! * inv;
    }
  }
}

/** Confidence sums over classified pixels (see classifyRunStats). */
export interface RunStats {
  analysed: number;
  /** Pixels whose winning probability is below 0.6. */
  uncertain: number;
  /** Σ (top − second probability). */
  marginSum: number;
  /** Pixels with P(void) ≥ 0.7 and ≥ 0.3. */
  voidLow: number;
  voidHigh: number;
}

/**
 * classifyRun for prediction: labels for the pixels of the run inside `area` (area[at + x] ≠ 0, or all
 * when null; the others get label 0 and are not counted) and the confidence sums, in one pass without
 * probability planes, in WebAssembly (mlp.wat `classify`). Labels are exactly classifyRun's (argmax of
 * the same logits, ties to the lower index). The sums are those the JS loop gave (Math.exp of
 * l_k − l_best, sums in k order, marginSum added pixel by pixel): the kernel's exp is fdlibm's, as V8's
 * Math.exp, checked bit for bit on x64 by a test; on a platform whose Math.exp rounds differently
 * (e.g. contracted into FMAs) the sums may differ from a JS softmax in the last bits, but they stay
 * the same for any thread count or tile size.
 */
export function classifyRunStats(
  planes: readonly Float32Array[],
  start: number,
  count: number,
  s: MlpScratch,
  labels: Uint8Array,
  at: number,
  area: Uint8Array | null,
  voidK: number,
  st: RunStats,
): void {
  s.classifyStats(planes, start, count, labels, at, area, voidK, st);
}
