/**
 * The prediction kernel's per-pixel work in WebAssembly (mlp.wat `classify`, `$exp2`) against the
 * JavaScript it replaced: the same labels always, the same confidence sums (its exp is fdlibm's, as
 * V8's Math.exp: bit for bit on x64).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRun, classifyRunStats, foldStandardisation, MlpScratch, type MlpWeights, type RunStats } from '../../src/segmentation/learned/mlp.js';
import { mulberry32 } from '../../scripts/lib/random.js';

const exactExp = process.arch === 'x64';

/** The former JS loop of classifyRunStats (Math.exp softmax over the kernel's logits). */
function reference(s: MlpScratch, planes: Float32Array[], start: number, count: number, labels: Uint8Array, at: number, area: Uint8Array | null, voidK: number, st: RunStats): void {
  const K = s.net.outputs;
  const { logits, stride } = s.logitsOf(planes, start, count);
  for (let x = 0; x < count; x++) {
    if (area && area[at + x] === 0) continue;
    let best = 0;
    for (let k = 1; k < K; k++) if (logits[k * stride + x]! > logits[best * stride + x]!) best = k;
    const bv = logits[best * stride + x]!;
    labels[at + x] = best + 1;
    let sum = 0;
    let second = 0;
    let ev = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[k * stride + x]! - bv);
      sum += e;
      if (k !== best && e > second) second = e;
      if (k === voidK) ev = e;
    }
    const p1 = 1 / sum;
    st.analysed++;
    if (p1 < 0.6) st.uncertain++;
    st.marginSum += p1 - second / sum;
    const pv = ev / sum;
    if (pv >= 0.7) st.voidLow++;
    if (pv >= 0.3) st.voidHigh++;
  }
}

test('mlp.wasm exp = Math.exp for x ≤ 0 (fdlibm, bit for bit on x64)', () => {
  const rnd = mulberry32(11);
  const net: MlpWeights = { inputs: 1, hidden: 1, outputs: 2, w1: new Float32Array(1), b1: new Float32Array(1), w2: new Float32Array(2), b2: new Float32Array(2) };
  const s = new MlpScratch(net, 64);
  const ln2 = Math.LN2;
  const xs = Float64Array.from({ length: 200_000 }, (_, i) => {
    const u = rnd();
    switch (i % 8) {
      case 0: return -u * 40;
      case 1: return -u * 2;
      case 2: return -u * 800;
      case 3: return -u * 1e-8;
      case 4: return -0.5 * ln2 * (1 + (u - 0.5) * 1e-7);
      case 5: return -1.5 * ln2 * (1 + (u - 0.5) * 1e-7);
      case 6: return -708 - u * 40;
      default: return Math.fround(-u * 20) - Math.fround(u * 3);
    }
  });
  xs.set([0, -0, -Infinity, NaN, -5e-324, -745.1332191019411, -745.1332191019412], 0);
  const got = s.expOf(xs);
  let off = 0;
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    const want = Math.exp(xs[i]!);
    if (Object.is(got[i], want)) continue;
    off++;
    worst = Math.max(worst, Math.abs(got[i]! - want) / want);
  }
  if (exactExp) assert.equal(off, 0);
  else assert.ok(worst < 4e-16, `relative error ${worst}`);
});

test('classifyRunStats (WebAssembly) = the JS loop: labels, area, confidence sums', () => {
  const rnd = mulberry32(5);
  for (const [F, Hn, K, voidK] of [[27, 48, 4, 0], [9, 13, 3, 2], [5, 8, 2, 1], [4, 4, 5, -1]] as const) {
    const u = (k: number, a = 1): Float32Array => Float32Array.from({ length: k }, () => (rnd() * 2 - 1) * a);
    const net: MlpWeights = { inputs: F, hidden: Hn, outputs: K, w1: u(F * Hn, 2), b1: u(Hn), w2: u(Hn * K, 3), b2: u(K) };
    const folded = foldStandardisation(net, u(F), Float32Array.from({ length: F }, () => 0.5 + rnd()));
    const n = 1000;
    const planes = Array.from({ length: F }, () => u(n, 3));
    // Ties: a few pixels with all-equal features (and so equal logits only if the weights make it so),
    // and all-zero hidden units where the inputs are very negative (logits = b2, ties possible).
    for (let x = 0; x < 8; x++) for (const p of planes) p[x] = -1e4;
    const a = new MlpScratch(folded, 300);
    const b = new MlpScratch(folded, 300);
    for (const withArea of [false, true]) {
      const area = withArea ? Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 || i < 3 ? 0 : 1)) : null;
      const la = new Uint8Array(n).fill(9);
      const lb = new Uint8Array(n).fill(9);
      const sa: RunStats = { analysed: 0, uncertain: 0, marginSum: 0, voidLow: 0, voidHigh: 0 };
      const sb: RunStats = { ...sa };
      // Runs of every length 1 … 300 (odd ones exercise the padded lanes), as rows of a tile.
      for (let s0 = 0, len = 1; s0 < n; s0 += len, len = (len * 37 + 11) % 300 || 1) {
        const c = Math.min(len, n - s0);
        classifyRunStats(planes, s0, c, a, la, s0, area, voidK, sa);
        reference(b, planes, s0, c, lb, s0, area, voidK, sb);
      }
      for (let i = 0; i < n; i++) if (area && area[i] === 0) assert.equal(la[i], 0, `pixel ${i} outside the area`);
      else assert.equal(la[i], lb[i], `label of pixel ${i}`);
      // Labels equal classifyRun's (the probability path) too.
      const lc = new Uint8Array(n);
      for (let s0 = 0; s0 < n; s0 += 300) classifyRun(planes, s0, Math.min(300, n - s0), b, lc, s0);
      for (let i = 0; i < n; i++) if (!area || area[i]) assert.equal(la[i], lc[i]);
      assert.equal(sa.analysed, sb.analysed);
      if (exactExp) assert.deepEqual(sa, sb);
      else {
        assert.ok(Math.abs(sa.marginSum - sb.marginSum) < 1e-9 * n);
        assert.ok(Math.abs(sa.uncertain - sb.uncertain) <= 1 && Math.abs(sa.voidLow - sb.voidLow) <= 1 && Math.abs(sa.voidHigh - sb.voidHigh) <= 1);
      }
    }
  }
});

test('classifyRunStats: equal logits go to the lower class index', () => {
  const F = 3;
  const net: MlpWeights = { inputs: F, hidden: 4, outputs: 4, w1: new Float32Array(12).fill(0.3), b1: new Float32Array(4), w2: new Float32Array(16), b2: Float32Array.from([0.1, 0.7, 0.7, 0.7]) };
  const s = new MlpScratch(net, 64);
  const planes = Array.from({ length: F }, (_, f) => Float32Array.from({ length: 21 }, (_, i) => i - f));
  const labels = new Uint8Array(21);
  const st: RunStats = { analysed: 0, uncertain: 0, marginSum: 0, voidLow: 0, voidHigh: 0 };
  classifyRunStats(planes, 0, 21, s, labels, 0, null, 1, st);
  assert.deepEqual(Array.from(labels), new Array(21).fill(2));
  assert.equal(st.analysed, 21);
  assert.equal(st.uncertain, 21); // p1 = e^0.7 / (e^0.1 + 3 e^0.7) ≈ 0.28
  assert.equal(st.marginSum, 0); // the second is tied with the first
  assert.equal(st.voidHigh, 0);
  assert.equal(st.voidLow, 0);
});
