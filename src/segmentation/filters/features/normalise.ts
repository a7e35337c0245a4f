/**
 * Intensity normalisation before the features, so that a model trained on one acquisition's images
 * sees another's on the same scale:
 *  1. flat field: the image is divided by its own large-scale brightness, a least-squares quadratic
 *     surface through the means of 32×32-pixel blocks of the analysed pixels (the usual polynomial
 *     background of microscopy; six terms cannot follow the particles, only the shading) — removes
 *     the gradients and vignetting a detector, tilt or charging adds, which no global scale can;
 *     images under 3 × 3 blocks (96 px) get none;
 *  2. percentiles: the 1st and 99th percentiles of the flat-fielded analysed pixels map to 0 and 1
 *     (brightness and contrast).
 * Both are computed once per image (never per tile), so tiling does not change the result.
 */

export const FLAT_FIELD_BLOCK = 32;

export interface Normalisation {
  /** v ↦ (v / field(x, y) − offset) · scale; field is null when flat-fielding is off. */
  offset: number;
  scale: number;
  field: FlatField | null;
}

export interface FlatField {
  /** Quadratic surface 1, u, v, u², uv, v² (u, v = pixel centre / size − 0.5), relative to the mean. */
  coef: Float64Array;
  width: number;
  height: number;
}

/** How the flat field is fitted: least squares through block means (models written before the phase fit), or with the phases (phaseField). */
export type FlatFieldFit = 'mean' | 'phases';

/** Tukey biweight tuning constant (95 % efficiency at Gaussian residuals). */
const TUKEY_C = 4.685;

/**
 * The large-scale brightness of an image (see the module comment), or null if it has none.
 * fit 'mean': least squares through the 32-px block means (follows where the particles lie as well as
 * the shading: on the generated hard images it left the electrolyte's grey varying by 14–25 levels
 * across the image, against 3–4 with 'phases'; see learned/README.md). fit 'phases': phaseField.
 */
export function flatField(data: ArrayLike<number>, width: number, height: number, area: Uint8Array | null, block = FLAT_FIELD_BLOCK, fit: FlatFieldFit = 'mean'): FlatField | null {
  if (fit === 'phases') return phaseField(data, width, height, area);
  const gw = Math.ceil(width / block);
  const gh = Math.ceil(height / block);
  // With fewer than 3 × 3 blocks a quadratic is not determined: no flat field.
  if (gw < 3 || gh < 3) return null;
  const sum = new Float64Array(gw * gh);
  const cnt = new Float64Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / block) * gw;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (area && area[i] === 0) continue;
      const v = data[i]!;
      if (!Number.isFinite(v)) continue;
      const g = gy + Math.floor(x / block);
      sum[g] = sum[g]! + v;
      cnt[g]!++;
    }
  }
  // Least-squares quadratic surface through the block means (weighted by their pixel counts):
  // normal equations of the 6 terms 1, u, v, u², uv, v² (u, v ∈ [−0.5, 0.5]), Gaussian elimination.
  const A = Array.from({ length: 6 }, () => new Float64Array(7));
  let tot = 0;
  let tc = 0;
  for (let by = 0; by < gh; by++) {
    for (let bx = 0; bx < gw; bx++) {
      const g = by * gw + bx;
      const c = cnt[g]!;
      if (c === 0) continue;
      const m = sum[g]! / c;
      tot += sum[g]!;
      tc += c;
      const t = terms(((bx + 0.5) * block) / width - 0.5, ((by + 0.5) * block) / height - 0.5);
      for (let r = 0; r < 6; r++) {
        for (let k = 0; k < 6; k++) A[r]![k] = A[r]![k]! + c * t[r]! * t[k]!;
        A[r]![6] = A[r]![6]! + c * t[r]! * m;
      }
    }
  }
  if (tc === 0 || !(tot > 0)) return null;
  const mean = tot / tc;
  const coef = solve(A);
  if (!coef) return null;
  for (let k = 0; k < 6; k++) coef[k] = coef[k]! / mean;
  return { coef, width, height };
}

/** Side of the blocks whose means the phase-aware fit works on (small beside particles, large beside the noise). */
const PHASE_BLOCK = 8;
const PHASE_CLASSES = 3;
const PHASE_ITERATIONS = 12;
const PHASE_VARIANCE_FACTOR = 2;
/** At most this many blocks take part (a regular lattice of them on large images): six coefficients need far fewer, and the fit runs on one thread before the tiles. */
const PHASE_MAX_BLOCKS = 8192;

/**
 * Flat field fitted with the phases: block means m_b ≈ μ_c(b) · f(u_b, v_b), f a quadratic surface,
 * μ_c the grey of the phase block b belongs to (k-means on m_b / f, three phases started at the
 * 10th / 50th / 90th percentiles). Alternates the assignment with the least-squares fit of f
 * (Σ (m_b − μ_c f_b)², which weights dark phases less), blocks that straddle phases downweighted by
 * Tukey's biweight. Fitting through every phase at once, rather than through block means or medians,
 * keeps the particles' and pores' layout out of the surface. On images of more than PHASE_MAX_BLOCKS
 * blocks, every k-th block in each direction.
 */
function phaseField(data: ArrayLike<number>, width: number, height: number, area: Uint8Array | null): FlatField | null {
  const gw = Math.floor(width / PHASE_BLOCK);
  const gh = Math.floor(height / PHASE_BLOCK);
  if (gw < 3 || gh < 3) return null;
  const step = Math.max(1, Math.ceil(Math.sqrt((gw * gh) / PHASE_MAX_BLOCKS)));
  const all: { m: number; v: number; t: number[] }[] = [];
  for (let by = 0; by < gh; by += step) {
    for (let bx = 0; bx < gw; bx += step) {
      let sum = 0;
      let sq = 0;
      let n = 0;
      for (let y = by * PHASE_BLOCK; y < (by + 1) * PHASE_BLOCK; y++) {
        for (let x = bx * PHASE_BLOCK; x < (bx + 1) * PHASE_BLOCK; x++) {
          const i = y * width + x;
          if (area && area[i] === 0) continue;
          const v = data[i]!;
          if (!Number.isFinite(v)) continue;
          sum += v;
          sq += v * v;
          n++;
        }
      }
      if (n * 2 < PHASE_BLOCK * PHASE_BLOCK) continue;
      const mean = sum / n;
      all.push({ m: mean, v: Math.max(0, sq / n - mean * mean), t: terms(((bx + 0.5) * PHASE_BLOCK) / width - 0.5, ((by + 0.5) * PHASE_BLOCK) / height - 0.5) });
    }
  }
  // Blocks that straddle two phases (variance well above the typical block's, which is the noise
  // plus the shading across 8 px) belong to no phase: left out.
  const vmax = PHASE_VARIANCE_FACTOR * median(Float64Array.from(all, (b) => b.v));
  const kept = all.filter((b) => b.v <= vmax);
  const m = kept.map((b) => b.m);
  const T = kept.map((b) => b.t);
  const B = m.length;
  if (B < 9) return null;
  const sorted = Float64Array.from(m).sort();
  const mean = m.reduce((a, v) => a + v, 0) / B;
  if (!(mean > 0) || !(sorted[B - 1]! > sorted[0]!)) return null;
  const mu = Array.from({ length: PHASE_CLASSES }, (_, c) => sorted[Math.min(B - 1, Math.floor(((c + 0.5) / PHASE_CLASSES) * B))]!);
  let coef: Float64Array = Float64Array.of(1, 0, 0, 0, 0, 0);
  const cls = new Int32Array(B);
  const f = new Float64Array(B);
  const w = new Float64Array(B).fill(1);
  const res = new Float64Array(B);
  for (let it = 0; it < PHASE_ITERATIONS; it++) {
    for (let b = 0; b < B; b++) {
      let v = 0;
      for (let k = 0; k < 6; k++) v += coef[k]! * T[b]![k]!;
      f[b] = v > 0.05 ? v : 0.05;
    }
    // Assign each block to the nearest phase grey after flat-fielding, then the phases' greys.
    for (let b = 0; b < B; b++) {
      const r = m[b]! / f[b]!;
      let best = 0;
      for (let c = 1; c < PHASE_CLASSES; c++) if (Math.abs(r - mu[c]!) < Math.abs(r - mu[best]!)) best = c;
      cls[b] = best;
    }
    for (let c = 0; c < PHASE_CLASSES; c++) {
      let num = 0;
      let den = 0;
      for (let b = 0; b < B; b++) if (cls[b] === c) {
        num += w[b]! * m[b]! * f[b]!;
        den += w[b]! * f[b]! * f[b]!;
      }
      if (den > 0) mu[c] = num / den;
    }
    // Robust weights from the residuals m − μ f (scale 1.4826 × MAD), then the weighted fit of f.
    for (let b = 0; b < B; b++) res[b] = Math.abs(m[b]! - mu[cls[b]!]! * f[b]!);
    const scale = 1.4826 * median(Float64Array.from(res));
    for (let b = 0; b < B; b++) {
      const z = scale > 0 ? res[b]! / (TUKEY_C * scale) : 0;
      w[b] = z < 1 ? (1 - z * z) ** 2 : 0;
    }
    const A = Array.from({ length: 6 }, () => new Float64Array(7));
    for (let b = 0; b < B; b++) {
      const c = mu[cls[b]!]!;
      const wb = w[b]!;
      if (wb === 0) continue;
      const t = T[b]!;
      for (let r = 0; r < 6; r++) {
        for (let k = 0; k < 6; k++) A[r]![k] = A[r]![k]! + wb * c * c * t[r]! * t[k]!;
        A[r]![6] = A[r]![6]! + wb * c * t[r]! * m[b]!;
      }
    }
    const next = solve(A);
    if (!next) break;
    coef = next;
  }
  // Relative to the image's mean brightness, as the other fits: f averages 1 over the blocks.
  let fm = 0;
  for (let b = 0; b < B; b++) {
    let v = 0;
    for (let k = 0; k < 6; k++) v += coef[k]! * T[b]![k]!;
    fm += v;
  }
  fm /= B;
  if (!(fm > 0)) return null;
  for (let k = 0; k < 6; k++) coef[k] = coef[k]! / fm;
  return { coef, width, height };
}

/** Median of a non-empty array (sorts it in place; the mean of the two middle values for even lengths). */
function median(a: Float64Array): number {
  a.sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h]! : (a[h - 1]! + a[h]!) / 2;
}

function terms(u: number, v: number): number[] {
  return [1, u, v, u * u, u * v, v * v];
}

/** Solve the 6×7 augmented system in place (partial pivoting); null if singular. */
function solve(A: Float64Array[]): Float64Array | null {
  const n = A.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    if (Math.abs(A[p]![c]!) < 1e-12) return null;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= n; k++) A[r]![k] = A[r]![k]! - f * A[c]![k]!;
    }
  }
  return Float64Array.from(A, (row, i) => row[n]! / row[i]!);
}

/** The field at pixel (x, y), relative to the image's mean brightness (≈ 1; at least 0.05). */
export function fieldAt(f: FlatField, x: number, y: number): number {
  const u = (x + 0.5) / f.width - 0.5;
  const v = (y + 0.5) / f.height - 0.5;
  const c = f.coef;
  const val = c[0]! + c[1]! * u + c[2]! * v + c[3]! * u * u + c[4]! * u * v + c[5]! * v * v;
  return val > 0.05 ? val : 0.05;
}

/**
 * fieldAt for the pixels x0 … x0 + count − 1 of row y into `into` (fieldAt's operations in its order:
 * the same values bit for bit), for the loops that divide whole rows by the field.
 */
export function fieldRow(f: FlatField, y: number, x0: number, count: number, into: Float64Array): Float64Array {
  const v = (y + 0.5) / f.height - 0.5;
  const c = f.coef;
  const [c0, c1, c2, c3, c4, c5] = [c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!];
  for (let i = 0; i < count; i++) {
    const u = (x0 + i + 0.5) / f.width - 0.5;
    const val = c0 + c1 * u + c2 * v + c3 * u * u + c4 * u * v + c5 * v * v;
    into[i] = val > 0.05 ? val : 0.05;
  }
  return into;
}

/**
 * The normalisation of one image: flat field fitted as `flat` says (none when false), then the `lowP` / `highP`
 * percentiles of the flat-fielded analysed pixels (4096-bin histogram between min and max).
 */
export function imageNormalisation(data: ArrayLike<number>, width: number, height: number, area: Uint8Array | null, lowP = 0.01, highP = 0.99, flat: FlatFieldFit | false = 'mean'): Normalisation {
  const field = flat ? flatField(data, width, height, area, FLAT_FIELD_BLOCK, flat) : null;
  const n = width * height;
  const vals = new Float32Array(n);
  if (field) {
    const row = new Float64Array(width);
    for (let y = 0; y < height; y++) {
      fieldRow(field, y, 0, width, row);
      const o = y * width;
      for (let x = 0; x < width; x++) vals[o + x] = data[o + x]! / row[x]!;
    }
  } else for (let i = 0; i < n; i++) vals[i] = data[i]!;
  const p = percentileNormalisation(vals, area, lowP, highP);
  return { offset: p.offset, scale: p.scale, field };
}

/** Percentile normalisation: the lowP and highP percentiles of the analysed pixels map to 0 and 1. */
export function percentileNormalisation(data: ArrayLike<number>, area: Uint8Array | null, lowP = 0.01, highP = 0.99): { offset: number; scale: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (area && area[i] === 0) continue;
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    count++;
  }
  if (count === 0 || !(hi > lo)) return { offset: Number.isFinite(lo) ? lo : 0, scale: 1 };
  const bins = 4096;
  const hist = new Float64Array(bins);
  const k = (bins - 1) / (hi - lo);
  for (let i = 0; i < data.length; i++) {
    if (area && area[i] === 0) continue;
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    hist[Math.floor((v - lo) * k)]!++;
  }
  const at = (p: number): number => {
    const target = p * count;
    let acc = 0;
    for (let b = 0; b < bins; b++) {
      acc += hist[b]!;
      if (acc > target) return lo + b / k;
    }
    return hi;
  };
  const p1 = at(lowP);
  const p99 = at(highP);
  return { offset: p1, scale: p99 > p1 ? 1 / (p99 - p1) : 1 };
}
