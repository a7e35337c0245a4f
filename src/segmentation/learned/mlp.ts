/**
 * Inference of the trained pixel classifier (features → Dense+ReLU → Dense → argmax/softmax) by
 * voidscope's own code, not by TensorFlow.js.
 *
 * Why: `model.predict` costs 1.7–40 s per megapixel in TensorFlow.js on two cores (wasm / cpu
 * backends, see README.md), more than the whole scikit-image path; this kernel runs the same
 * arithmetic in tight loops over runs of pixels (the input standardisation folded into the first
 * layer's weights and bias), and is one function, so every image, tile and `--jobs` setting goes
 * through identical arithmetic. A test checks its labels against TensorFlow.js' own ops.
 */

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

/** Scratch buffers for runs of up to `maxRun` pixels. */
export class MlpScratch {
  readonly hid: Float32Array;
  readonly logits: Float32Array;
  constructor(
    readonly net: MlpWeights,
    readonly maxRun: number,
  ) {
    this.hid = new Float32Array(net.hidden * maxRun);
    this.logits = new Float32Array(net.outputs * maxRun);
  }
}

/**
 * Classify `count` pixels: pixel x has feature f at planes[f][start + x]. Writes the class index
 * + 1 to labels[at + x]; when `probs` is given, the softmax probabilities to probs[k][at + x].
 * The net must be folded (foldStandardisation).
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
  const { net, hid, logits } = s;
  const { inputs: F, hidden: H, outputs: K, w1, b1, w2, b2 } = net;
  if (count > s.maxRun) throw new RangeError(`run of ${count} pixels exceeds the scratch size ${s.maxRun}`);
  for (let j = 0; j < H; j++) hid.fill(b1[j]!, j * count, (j + 1) * count);
  for (let f = 0; f < F; f++) {
    const p = planes[f]!;
    for (let j = 0; j < H; j++) {
      const w = w1[f * H + j]!;
      const o = j * count - start;
      for (let x = start, e = start + count; x < e; x++) hid[o + x] = hid[o + x]! + w * p[x]!;
    }
  }
  for (let k = 0; k < K; k++) logits.fill(b2[k]!, k * count, (k + 1) * count);
  for (let j = 0; j < H; j++) {
    const o = j * count;
    for (let k = 0; k < K; k++) {
      const w = w2[j * K + k]!;
      const ok = k * count;
      for (let x = 0; x < count; x++) {
        const h = hid[o + x]!;
        if (h > 0) logits[ok + x] = logits[ok + x]! + w * h;
      }
    }
  }
  for (let x = 0; x < count; x++) {
    let best = 0;
    let bv = logits[x]!;
    for (let k = 1; k < K; k++) {
      const v = logits[k * count + x]!;
      if (v > bv) {
        bv = v;
        best = k;
      }
    }
    labels[at + x] = best + 1;
    if (probs) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(logits[k * count + x]! - bv);
      for (let k = 0; k < K; k++) probs[k]![at + x] = Math.exp(logits[k * count + x]! - bv) / sum;
    }
  }
}
