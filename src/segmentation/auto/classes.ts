/**
 * Choosing the number of grey-level classes from the data: Gaussian mixtures fitted to a histogram by
 * EM, k = 2…6 components, the number chosen by the Bayesian information criterion (BIC).
 *
 * EM runs on the histogram (bins weighted by their counts), so one fit costs O(iterations · k · bins),
 * independent of the image size. Initialisation is deterministic: means evenly spaced over the occupied
 * range (so that a small dark population gets its own starting component), equal weights, σ = range/2k.
 * σ is floored at 0.5 bin so that images with a few discrete grey levels (labelled volumes, binary
 * masks) do not degenerate. Iterations stop when the log-likelihood changes by < 1e-7 relative, at most
 * 300. Hand-written: no maintained JavaScript library fits weighted 1-D mixtures (ml.js has none).
 *
 * On the image sizes voidscope sees (10⁵–10⁷ pixels) BIC almost always prefers the largest k tried:
 * real grey-level populations are not Gaussian. The mixture is therefore used as a flexible density
 * model, and the segmenter reasons about its components (lowest = candidate void population, first
 * "major" component = the phase the voids sit in), not about k itself. See README.md.
 */

export interface MixtureComponent {
  /** Mixture weight (share of the pixels), 0..1. */
  weight: number;
  /** Mean, in histogram bins. */
  mean: number;
  /** Standard deviation, in histogram bins (≥ 0.5). */
  sd: number;
}

export interface MixtureFit {
  k: number;
  /** Components sorted by mean, ascending. */
  components: MixtureComponent[];
  logLikelihood: number;
  bic: number;
  iterations: number;
}

export interface ClassChoice {
  /** The fit chosen by BIC. */
  best: MixtureFit;
  /** Every fit tried, k ascending. */
  fits: MixtureFit[];
}

const SQRT2PI = Math.sqrt(2 * Math.PI);
const SD_FLOOR = 0.5;

/** Density of one weighted component at x (bins). */
export function componentDensity(c: MixtureComponent, x: number): number {
  const z = (x - c.mean) / c.sd;
  return (c.weight * Math.exp(-0.5 * z * z)) / (c.sd * SQRT2PI);
}

/** Fit a k-component Gaussian mixture to a histogram (counts per bin) by EM. */
export function fitMixture(counts: ArrayLike<number>, k: number, maxIterations = 300): MixtureFit {
  const B = counts.length;
  let n = 0;
  let lo = -1;
  let hi = -1;
  for (let b = 0; b < B; b++) {
    const c = counts[b]!;
    if (c > 0) {
      n += c;
      if (lo < 0) lo = b;
      hi = b;
    }
  }
  if (n === 0) return { k, components: [], logLikelihood: 0, bic: 0, iterations: 0 };
  const span = Math.max(1, hi - lo);
  const mu = new Float64Array(k);
  const sd = new Float64Array(k);
  const w = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    mu[j] = lo + (span * (j + 0.5)) / k;
    sd[j] = Math.max(1, span / (2 * k));
    w[j] = 1 / k;
  }
  const resp = new Float64Array(k * B);
  let ll = -Infinity;
  let it = 0;
  for (; it < maxIterations; it++) {
    let newLl = 0;
    for (let b = lo; b <= hi; b++) {
      const c = counts[b]!;
      if (c === 0) continue;
      let s = 0;
      for (let j = 0; j < k; j++) {
        const z = (b - mu[j]!) / sd[j]!;
        const p = (w[j]! * Math.exp(-0.5 * z * z)) / (sd[j]! * SQRT2PI);
        resp[j * B + b] = p;
        s += p;
      }
      if (s < 1e-300) s = 1e-300;
      for (let j = 0; j < k; j++) resp[j * B + b]! /= s;
      newLl += c * Math.log(s);
    }
    for (let j = 0; j < k; j++) {
      let s0 = 0;
      let s1 = 0;
      for (let b = lo; b <= hi; b++) {
        const r = resp[j * B + b]! * counts[b]!;
        s0 += r;
        s1 += r * b;
      }
      if (s0 < 1e-9) {
        w[j] = 1e-12;
        continue;
      }
      const m = s1 / s0;
      let s2 = 0;
      for (let b = lo; b <= hi; b++) {
        const r = resp[j * B + b]! * counts[b]!;
        s2 += r * (b - m) * (b - m);
      }
      w[j] = s0 / n;
      mu[j] = m;
      sd[j] = Math.max(SD_FLOOR, Math.sqrt(s2 / s0));
    }
    const done = Math.abs(newLl - ll) < 1e-7 * Math.abs(newLl);
    ll = newLl;
    if (done) break;
  }
  const order = Array.from({ length: k }, (_, j) => j).sort((a, b) => mu[a]! - mu[b]!);
  const components = order.filter((j) => w[j]! > 1e-9).map((j) => ({ weight: w[j]!, mean: mu[j]!, sd: sd[j]! }));
  return { k, components, logLikelihood: ll, bic: -2 * ll + (3 * k - 1) * Math.log(n), iterations: it + 1 };
}

/** Fit k = minK…maxK and keep the lowest BIC. */
export function chooseClasses(counts: ArrayLike<number>, minK = 2, maxK = 6): ClassChoice {
  const fits: MixtureFit[] = [];
  for (let k = minK; k <= maxK; k++) fits.push(fitMixture(counts, k));
  let best = fits[0]!;
  for (const f of fits) if (f.bic < best.bic) best = f;
  return { best, fits };
}
