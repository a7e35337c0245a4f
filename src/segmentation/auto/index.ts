/**
 * voidscope's automatic segmenter (`segmentAuto`): a noise-aware void segmentation that a careful
 * person would agree with on dense multi-phase electrodes and that stays exact on clean images.
 * The rule and the measurements behind it are in README.md; in short:
 *
 *  1. working plane: 8-bit rasters as they are; 16-bit/float linearly to 0…255 over the analysed
 *     area's min…max (bright voids: inverted, so voids are always dark below);
 *  2. noise σ (Immerkær, noise.ts); when σ > 1 grey level, a median of radius 1 (median3.ts, equal to
 *     ImageJ's; other radii through filters/median.ts);
 *  3. Gaussian mixture on the denoised histogram, k = 2…6 by BIC (classes.ts); v = the lowest
 *     component (candidate voids); the matrix = the mode of the rest of the mixture next above v, its
 *     dark-side spread measured at a quarter of that mode's density; separation d = Δμ/√(σv² + σm²);
 *  4. boundary: the minimum-error (Bayes) boundary tB between v and all other components when they
 *     overlap (d ≤ 2.5), the area-preserving midpoint tM = (μv + μm)/2 when they are well separated
 *     (d ≥ 4.5: under beam blur the 50 % grey level is where a void edge is), linearly in between;
 *  5. hysteresis: seeds = denoised ≤ t; grown (8-connected) into unfiltered pixels ≤ t + 0.09·w·(μm − μv)
 *     (w the same 0…1 weight), which brings back thin gaps and cracks attached to pores that the median
 *     narrowed; lone void pixels left after a median are dropped;
 *  6. band: the same segmentation with the boundary moved by ± 2 noise σ of the denoised image, and,
 *     when d < 4.5, also at tB and tM; widened by ± 0.1 × the void edge pixels (partial volume; none
 *     on noise-free images) (confidence.ts for the generic threshold band);
 *  7. level from d and the boundary band; 'low' also for a dark population holding ≥ 20 % of the pixels
 *     with d < 4.5 (a dark phase, not a void minority); at most 'medium' with uneven background.
 *
 * Pure: typed arrays in, Segmentation out; no I/O. Cost: one 3×3 median, five EM fits on a 256-bin
 * histogram, three seed-and-grow passes (≈ 0.15–0.7 s for 2048×1536 8-bit, depending on machine load).
 */
import { VoidscopeError } from '../../errors.js';
import { createRaster, type Raster } from '../../raster/types.js';
import { labelMapFromVoids, type LabelMap } from '../../raster/labels.js';
import { medianFilter } from '../filters/median.js';
import type { Polarity } from '../threshold/compute.js';
import type { Segmentation, SegmentInput, Segmenter, VoidFractionBand } from '../segmentation-types.js';
import { chooseClasses, componentDensity, type MixtureComponent } from './classes.js';
import { confidenceLevel, separabilityFromD } from './confidence.js';
import { immerkaerSigma, noiseReport } from './noise.js';
import { rememberVoidMask } from '../../raster/void-mask.js';
import { median3x3 } from './median3.js';

export { noiseReport, immerkaerSigma, speckleReport, NOISE_LEVELS, type NoiseReport } from './noise.js';
export { chooseClasses, fitMixture, componentDensity, type MixtureComponent, type MixtureFit, type ClassChoice } from './classes.js';
export {
  thresholdBand,
  bandForThreshold,
  thresholdConfidence,
  groupBands,
  noiseInBins,
  voidShareAt,
  separabilityFromD,
  confidenceLevel,
  normalCdf,
  type BandedValue,
  type ConfidenceLevel,
} from './confidence.js';

export interface AutoSpec {
  method: 'auto';
  /** Voids darker (default) or brighter than the rest. */
  voids?: Polarity;
  /** 'auto' (default): median radius 1 when the noise σ > 1 grey level; 0 = none; or an ImageJ median radius. */
  denoise?: 'auto' | number;
}

/** Unfiltered pixels this many noise σ beyond the seed boundary are void whatever the median did (seedAndGrow). */
export const STRONG_SIGMAS = 5;
/** Share of the pixels a component must hold to count as a phase ("major") rather than a side population. */
export const MAJOR_WEIGHT = 0.1;
/** Density level (share of the mode) at which the dark flank of the matrix phase is measured. */
export const FLANK_LEVEL = 0.25;
/** Separation at or below which the minimum-error boundary is used, and at or above which the midpoint. */
export const D_OVERLAP = 2.5;
export const D_SEPARATED = 4.5;
/** Below this separation the darkest population cannot be told from the matrix at all: the band reaches 0. */
export const D_NONE = 1;
/** Drop single void pixels (no void 8-neighbour) after a median: a lone pixel that survived it is noise. */
export const DROP_SPECKS = true;
/** A "void" population holding at least this share of the pixels, not well separated, is a dark PHASE: level low. */
export const MAJOR_DARK = 0.2;
/** Share of the void edge pixels added on either side of the band (partial-volume uncertainty). */
export const EDGE_SHARE = 0.1;
/** Background spread (share of the void–matrix contrast) above which shading is reported. */
export const SHADING_SHARE = 0.5;
/** Half-width of the band's boundary shift, in noise σ of the denoised image. */
export const BAND_SIGMAS = 2;
/** Growth allowance above the seed boundary, as a share of the void–matrix contrast (see README.md). */
export const GROW_SHARE = 0.09;

export const AUTO_SOURCE = 'voidscope auto segmenter 1 (Immerkær noise, ImageJ median, Gaussian mixture + BIC, hysteresis)';

interface Plane {
  data: Uint8Array;
  /** The raster-unit boundary equivalent to "plane ≤ t" (dark: void = pixel ≤ value; bright: void = pixel > value). */
  toValue: (t: number) => number;
  /** A plane grey level (e.g. a component mean) in raster units. */
  toLevel: (p: number) => number;
  step: number;
}

function plainBytes(d: Uint8Array): Uint8Array {
  return d.constructor === Uint8Array ? d : new Uint8Array(d.buffer, d.byteOffset, d.length);
}

function workingPlane(raster: Raster, area: Uint8Array | null, polarity: Polarity): Plane {
  const { data } = raster;
  const n = data.length;
  const is8 = data instanceof Uint8Array && raster.sampleFormat === 'uint';
  // A plain Uint8Array view (no copy): the decoder may hand a Node Buffer (a Uint8Array subclass), and
  // the hot loops below (median, seed and grow) run several times slower on the subclass.
  if (is8 && polarity === 'dark') return { data: plainBytes(data), toValue: (t) => t, toLevel: (p) => p, step: 1 };
  if (is8) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = 255 - data[i]!;
    return { data: out, toValue: (t) => 255 - t - 1, toLevel: (p) => 255 - p, step: 1 };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (area !== null && area[i] === 0) continue;
    const v = data[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    hi = lo === Infinity ? 1 : lo + 1;
    if (lo === Infinity) lo = 0;
  }
  const s = 255 / (hi - lo);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    let b = v !== v ? 0 : Math.round((v - lo) * s);
    b = b < 0 ? 0 : b > 255 ? 255 : b;
    out[i] = polarity === 'dark' ? b : 255 - b;
  }
  const step = (hi - lo) / 255;
  return {
    data: out,
    toValue: polarity === 'dark' ? (t) => lo + (t + 0.5) * step : (t) => hi - (t + 0.5) * step,
    toLevel: polarity === 'dark' ? (p) => lo + p * step : (p) => hi - p * step,
    step,
  };
}

/** One growth step of seedAndGrow: pixel j joins the voids (and the stack) when it is in the area, not yet void and raw ≤ tGrow. */
function grow(j: number, mask: Uint8Array, raw: Uint8Array, area: Uint8Array | null, tGrow: number, st: Int32Array, sp: number): number {
  if (mask[j] !== 0 || raw[j]! > tGrow || (area !== null && area[j] === 0)) return sp;
  mask[j] = 1;
  st[sp] = j;
  return sp + 1;
}

/**
 * Seeds (den ≤ tSeed, or raw ≤ tStrong) grown 8-connected into `raw` ≤ tGrow, inside the area. Returns the
 * void mask and its count. `tStrong`: pixels so far on the void side in the unfiltered image that noise
 * cannot explain them (STRONG_SIGMAS noise σ beyond the seed boundary) are void even where the median
 * removed them (one- and two-pixel pores of a clean image) and are never dropped as specks.
 */
export function seedAndGrow(
  den: Uint8Array,
  raw: Uint8Array,
  width: number,
  height: number,
  area: Uint8Array | null,
  tSeed: number,
  tGrow: number,
  stack?: Int32Array,
  dropSingles = false,
  tStrong = -Infinity,
): { mask: Uint8Array; voids: number } {
  const n = width * height;
  const mask = new Uint8Array(n);
  const st = stack && stack.length >= n ? stack : new Int32Array(n);
  let sp = 0;
  if (area === null) {
    for (let i = 0; i < n; i++) {
      if (den[i]! <= tSeed || raw[i]! <= tStrong) {
        mask[i] = 1;
        st[sp++] = i;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (area[i] !== 0 && (den[i]! <= tSeed || raw[i]! <= tStrong)) {
        mask[i] = 1;
        st[sp++] = i;
      }
    }
  }
  let voids = sp;
  if (tGrow > tSeed) {
    const W = width;
    const lastX = W - 1;
    const lastY = height - 1;
    while (sp > 0) {
      const i = st[--sp]!;
      const y = (i / W) | 0;
      const x = i - y * W;
      if (x > 0 && x < lastX && y > 0 && y < lastY) {
        // interior pixel: the eight neighbours without bounds checks
        const before = sp;
        sp = grow(i - W - 1, mask, raw, area, tGrow, st, sp);
        sp = grow(i - W, mask, raw, area, tGrow, st, sp);
        sp = grow(i - W + 1, mask, raw, area, tGrow, st, sp);
        sp = grow(i - 1, mask, raw, area, tGrow, st, sp);
        sp = grow(i + 1, mask, raw, area, tGrow, st, sp);
        sp = grow(i + W - 1, mask, raw, area, tGrow, st, sp);
        sp = grow(i + W, mask, raw, area, tGrow, st, sp);
        sp = grow(i + W + 1, mask, raw, area, tGrow, st, sp);
        voids += sp - before;
        continue;
      }
      const y0 = y > 0 ? -1 : 0;
      const y1 = y < lastY ? 1 : 0;
      const x0 = x > 0 ? -1 : 0;
      const x1 = x < lastX ? 1 : 0;
      for (let dy = y0; dy <= y1; dy++) {
        for (let dx = x0; dx <= x1; dx++) {
          const before = sp;
          sp = grow(i + dy * W + dx, mask, raw, area, tGrow, st, sp);
          voids += sp - before;
        }
      }
    }
  }
  if (dropSingles) {
    voids -= dropIsolated(mask, width, height);
    if (tStrong >= 0) {
      for (let i = 0; i < n; i++) {
        if (mask[i] === 0 && raw[i]! <= tStrong && (area === null || area[i] !== 0)) {
          mask[i] = 1;
          voids++;
        }
      }
    }
  }
  return { mask, voids };
}

/**
 * Uneven background: in each tile of a 4 × 4 grid, the mode (5-bin running sum) of the denoised grey
 * levels inside the matrix phase's window (lo, hi] — above the void boundary, below the matrix level
 * plus a quarter of the void–matrix contrast — with ≥ 200 such pixels and a mode not at the window's
 * edge (there it is the flank of another phase); returns max − min of the tile modes in
 * plane grey levels. Restricting to the matrix window keeps the composition of a tile (more particles,
 * more voids) out of it, so the spread measures shading (tilt, charging, depth in a FIB trench).
 */
export function backgroundSpread(den: Uint8Array, W: number, H: number, area: Uint8Array | null, lo: number, hi: number): number {
  const G = 4;
  let min = Infinity;
  let max = -Infinity;
  const h = new Uint32Array(256);
  const a = Math.max(0, Math.floor(lo) + 1);
  const b = Math.min(255, Math.floor(hi));
  if (b - a < 4) return 0;
  for (let ty = 0; ty < G; ty++) {
    for (let tx = 0; tx < G; tx++) {
      h.fill(0);
      let n = 0;
      const y0 = Math.floor((ty * H) / G);
      const y1 = Math.floor(((ty + 1) * H) / G);
      const x0 = Math.floor((tx * W) / G);
      const x1 = Math.floor(((tx + 1) * W) / G);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = y * W + x;
          const v = den[i]!;
          if (v < a || v > b || (area !== null && area[i] === 0)) continue;
          h[v]!++;
          n++;
        }
      }
      if (n < 200) continue;
      let best = -1;
      let mode = a;
      for (let v = a; v <= b; v++) {
        let s5 = 0;
        for (let k = Math.max(a, v - 2); k <= Math.min(b, v + 2); k++) s5 += h[k]!;
        if (s5 > best) {
          best = s5;
          mode = v;
        }
      }
      if (mode <= a + 1 || mode >= b - 1) continue;
      if (mode < min) min = mode;
      if (mode > max) max = mode;
    }
  }
  return max >= min ? max - min : 0;
}

/** Void pixels with at least one analysed non-void 4-neighbour (the void boundary). */
function edgePixels(mask: Uint8Array, W: number, H: number, area: Uint8Array | null): number {
  let e = 0;
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      const i = row + x;
      if (mask[i] === 0) continue;
      const nb = (j: number): boolean => mask[j] === 0 && (area === null || area[j] !== 0);
      if ((x > 0 && nb(i - 1)) || (x < W - 1 && nb(i + 1)) || (y > 0 && nb(i - W)) || (y < H - 1 && nb(i + W))) e++;
    }
  }
  return e;
}

/** Clear void pixels with no void 8-neighbour; returns how many were cleared. */
function dropIsolated(mask: Uint8Array, W: number, H: number): number {
  let cleared = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (mask[i] === 0) continue;
      let alone = true;
      for (let dy = -1; dy <= 1 && alone; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= H) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= W) continue;
          if (mask[yy * W + xx] !== 0) {
            alone = false;
            break;
          }
        }
      }
      if (alone) {
        mask[i] = 0;
        cleared++;
      }
    }
  }
  return cleared;
}

/** The mixture's decision rule for the void population. Exposed for tests and the README's tables. */
export interface VoidRule {
  void: MixtureComponent;
  matrix: MixtureComponent;
  /** Separation (μm − μv)/√(σv² + σm²). */
  d: number;
  /** Minimum-error boundary between the void component and all others (bins). */
  bayes: number;
  /** Midpoint (μv + μm)/2 (bins). */
  midpoint: number;
  /** Weight of the midpoint, 0 (overlapping) … 1 (separated). */
  w: number;
  seed: number;
  grow: number;
}

export function voidRule(components: readonly MixtureComponent[]): VoidRule | null {
  if (components.length < 2) return null;
  const v = components[0]!;
  const rest = components.slice(1);
  const restDensity = (x: number): number => {
    let s = 0;
    for (const c of rest) s += componentDensity(c, x);
    return s;
  };
  // The phase the voids sit in: the mode of the rest of the mixture nearest above the void component
  // (first local maximum of its density holding a major share), and its spread on the dark side: the
  // distance from that mode down to where the rest density falls to a quarter of the mode, divided by
  // 1.665 (the σ of a Gaussian flank with that quarter-height point). Broad, low catch-all components
  // (partial-volume edge pixels) then do not count as spread; a heavy dark flank of the phase does.
  let m = rest.find((c) => c.weight >= MAJOR_WEIGHT);
  if (!m) {
    m = rest[0]!;
    for (const c of rest) if (c.weight > m.weight) m = c;
  }
  let mode = m.mean;
  let best = restDensity(mode);
  for (let x = Math.floor(m.mean - 2 * m.sd); x <= m.mean + 2 * m.sd; x += 0.25) {
    const dn = restDensity(x);
    if (dn > best) {
      best = dn;
      mode = x;
    }
  }
  let flank = mode;
  while (flank > v.mean && restDensity(flank) > best * FLANK_LEVEL) flank -= 0.25;
  const sdLeft = Math.max(0.5, (mode - flank) / Math.sqrt(-2 * Math.log(FLANK_LEVEL)));
  const matrix: MixtureComponent = { weight: m.weight, mean: mode, sd: sdLeft };
  const d = (mode - v.mean) / Math.sqrt(v.sd * v.sd + sdLeft * sdLeft);
  const midpoint = (v.mean + mode) / 2;
  let bayes = midpoint;
  for (let x = Math.ceil(v.mean); x <= mode; x++) {
    if (componentDensity(v, x) < restDensity(x)) {
      bayes = x - 1;
      break;
    }
  }
  bayes = Math.min(bayes, midpoint);
  const w = Math.min(1, Math.max(0, (d - D_OVERLAP) / (D_SEPARATED - D_OVERLAP)));
  const seed = Math.floor(bayes + w * (midpoint - bayes));
  const grow = Math.floor(seed + GROW_SHARE * w * (mode - v.mean));
  return { void: v, matrix, d, bayes, midpoint, w, seed, grow };
}

/** The automatic segmenter. See the module header and README.md. */
export function segmentAuto(input: SegmentInput, spec: AutoSpec = { method: 'auto' }): Segmentation {
  const { raster } = input;
  let { area } = input;
  const { width: W, height: H } = raster;
  const n = W * H;
  if (raster.data.length !== n) throw new VoidscopeError('EOPTION', `raster has ${raster.data.length} pixels, expected ${W}×${H}`);
  if (area !== null && (!(area instanceof Uint8Array) || area.length !== n)) {
    throw new VoidscopeError('EOPTION', `area must be a Uint8Array of ${W}×${H} = ${n} values or null`);
  }
  const polarity: Polarity = spec.voids ?? 'dark';
  if (polarity !== 'dark' && polarity !== 'bright') throw new VoidscopeError('EOPTION', `voids must be 'dark' or 'bright' (got ${String(polarity)})`);
  const denoise = spec.denoise ?? 'auto';
  if (denoise !== 'auto' && !(typeof denoise === 'number' && (denoise === 0 || (Number.isFinite(denoise) && denoise >= 0.5 && denoise <= 10)))) {
    throw new VoidscopeError('EOPTION', `auto denoise must be 'auto', 0 or a median radius 0.5…10 (got ${String(denoise)})`);
  }
  // NaN pixels (float rasters) are never void and not analysed (ImageJ: NaN is never inside a threshold)
  let nanPixels = 0;
  if (raster.sampleFormat === 'float') {
    const d = raster.data;
    for (let i = 0; i < n; i++) if (d[i] !== d[i] && (area === null || area[i] !== 0)) nanPixels++;
    if (nanPixels > 0) {
      const a = area === null ? new Uint8Array(n).fill(1) : area.slice();
      for (let i = 0; i < n; i++) if (d[i] !== d[i]) a[i] = 0;
      area = a;
    }
  }
  let pixels = 0;
  if (area === null) pixels = n;
  else for (let i = 0; i < n; i++) if (area[i] !== 0) pixels++;
  if (pixels === 0) throw new VoidscopeError('EEMPTY', 'the analysed region contains no pixels; nothing to segment');

  const plane = workingPlane(raster, area, polarity);
  const raw = plane.data;
  // The noise statistic on every k-th row beyond 256 rows (a median over ≥ 256 rows of residuals).
  const noiseRows = Math.max(1, Math.floor(H / 256));
  const sigmaRaw = immerkaerSigma(raw, W, H, area, 8, noiseRows).sigma;
  const radius = denoise === 'auto' ? (sigmaRaw > 1 ? 1 : 0) : denoise;
  const den = radius === 1 ? median3x3(raw, W, H) : radius > 0 ? (medianFilter(createRaster(W, H, raw), radius).data as Uint8Array) : raw;
  const sigmaDen = radius > 0 ? immerkaerSigma(den, W, H, area, 8, noiseRows).sigma : sigmaRaw;

  const hist = new Float64Array(256);
  if (area === null) for (let i = 0; i < n; i++) hist[den[i]!]!++;
  else for (let i = 0; i < n; i++) if (area[i] !== 0) hist[den[i]!]!++;
  const choice = chooseClasses(hist);
  // A flat image (one grey level in the analysed area, e.g. a zeroed micrograph) has no void class.
  let levels = 0;
  for (let b = 0; b < 256 && levels < 2; b++) if (hist[b]! > 0) levels++;
  const rule = levels < 2 ? null : voidRule(choice.best.components);
  const notes: string[] = [];
  const warnings: string[] = [];
  const noise = noiseReport(raster, area, plane.step === 1 && polarity === 'dark' ? sigmaRaw : undefined);
  if (nanPixels > 0) notes.push(`${nanPixels} NaN pixels: not analysed (label 0), never void`);
  notes.push(`noise σ ≈ ${sigmaRaw.toFixed(1)} grey levels of the working 8-bit plane (Immerkær); ${radius > 0 ? `median radius ${radius} before the split` : 'no denoising'}`);

  const stack = new Int32Array(n);
  const params: Record<string, unknown> = { voids: polarity, denoise: radius > 0 ? { median: radius } : 'none', classes: choice.best.k };
  const comps = choice.best.components.map((c) => ({ weight: round(c.weight, 5), mean: round(plane.toLevel(c.mean), 3), sd: round(c.sd * plane.step, 3) }));
  params.components = comps;

  if (rule === null) {
    const labels = labelMapFromVoids(new Uint8Array(n), W, H, area);
    warnings.push('the analysed area has a single grey-level population: no void class can be told apart; check the image, the ROI or the polarity');
    return {
      labels,
      record: { segmenter: 'auto', method: 'auto', params, thresholds: [], source: AUTO_SOURCE, notes },
      confidence: { separability: 0, level: 'low', band: { low: 0, high: 1, rule: 'no void population found: the void fraction is undetermined' }, warnings },
    };
  }
  const specks = radius > 0 && DROP_SPECKS;
  const strong = Math.floor(rule.seed - STRONG_SIGMAS * sigmaRaw);
  const main = seedAndGrow(den, raw, W, H, area, rule.seed, rule.grow, stack, specks, strong);
  const value = main.voids / pixels;

  // band: boundary ± σ of the denoised plane; with overlapping classes also the two defensible rules
  const delta = Math.max(1, Math.round(BAND_SIGMAS * sigmaDen));
  const fr = (s: number, g: number): number => seedAndGrow(den, raw, W, H, area, s, g, stack, specks, strong - (rule.seed - s)).voids / pixels;
  let low = Math.min(value, fr(rule.seed - delta, rule.grow - delta));
  let high = Math.max(value, fr(rule.seed + delta, rule.grow + delta));
  let bandRule = `void fraction with the seed and growth boundaries moved by ± ${delta} grey levels (${BAND_SIGMAS} × the denoised image's noise σ, at least 1)`;
  if (rule.d < D_SEPARATED) {
    const fb = fr(Math.floor(rule.bayes), Math.floor(rule.bayes));
    const fm = fr(Math.floor(rule.midpoint), Math.floor(rule.midpoint + GROW_SHARE * (rule.matrix.mean - rule.void.mean)));
    low = Math.min(low, fb, fm);
    high = Math.max(high, fb, fm);
    bandRule += `, and at the minimum-error and the area-preserving boundaries (classes overlap: d = ${rule.d.toFixed(1)} < ${D_SEPARATED})`;
  }
  // no distinct dark population at all (the lowest component is a piece of the matrix): "no voids" is
  // as consistent with the data as any boundary
  if (rule.d < D_NONE) {
    low = 0;
    bandRule += `; down to 0 because the darkest population is not separated from the next (d = ${rule.d.toFixed(1)} < ${D_NONE}): the image may have no voids`;
  }
  // partial-volume term: a void edge pixel is a mixture of void and matrix, so its all-or-nothing
  // assignment is uncertain; 0.1 of the edge pixels covers the sub-pixel bias measured (README.md)
  // (none on a noise-free image such as a label volume: no mixed pixels)
  const edge = sigmaRaw < 0.5 ? 0 : edgePixels(main.mask, W, H, area) / pixels;
  const boundaryBand: VoidFractionBand = { low, high, rule: bandRule };
  low = Math.max(0, low - EDGE_SHARE * edge);
  high = Math.min(1, high + EDGE_SHARE * edge);
  bandRule += `, widened by ± ${EDGE_SHARE} × the void edge pixels (${(edge * 100).toFixed(2)} % of the area: partial-volume pixels at void boundaries)`;
  const band: VoidFractionBand = { low, high, rule: bandRule };
  const separability = separabilityFromD(rule.d);
  let level = confidenceLevel(rule.d, value, boundaryBand);
  if (rule.void.weight < 0.0005 && value < 0.001) {
    notes.push('no distinct dark population: void fraction ≈ 0');
  }
  const majorDark = rule.void.weight >= MAJOR_DARK && rule.d < D_SEPARATED;
  if (majorDark) level = 'low';
  const pp = (x: number): string => (x * 100).toFixed(1);
  if (majorDark) {
    warnings.push(
      `the darkest grey-level population holds ${pp(rule.void.weight)} % of the pixels and is not well separated (d = ${rule.d.toFixed(1)}): ` +
        'it may be a dark phase (resin, binder, a shadowed region) rather than voids, or hold voids and that phase together; ' +
        'what counts as void has to be decided from the material (ROI, manual threshold from a known void, or a trained model)',
    );
  } else if (level === 'low') {
    warnings.push(
      `the void class is not a distinct dark population (separation d = ${rule.d.toFixed(1)}, band ${pp(band.low)}–${pp(band.high)} %): ` +
        'no automatic rule can place the boundary reliably; check the overlay, restrict the analysis to a ROI of one material, ' +
        'set a manual threshold from a region you know, or train a model',
    );
  } else if (level === 'medium') {
    warnings.push(`the void boundary is only moderately defined (d = ${rule.d.toFixed(1)}): the void fraction may lie anywhere in ${pp(band.low)}–${pp(band.high)} %`);
  }
  const contrast = rule.matrix.mean - rule.void.mean;
  const spread = backgroundSpread(den, W, H, area, rule.grow, rule.matrix.mean + contrast / 4);
  params.backgroundSpread = spread;
  if (spread > SHADING_SHARE * contrast) {
    if (level === 'high') level = 'medium';
    warnings.push(
      `uneven background: the matrix grey level varies by ${spread} grey levels across the image ` +
        `(${Math.round((100 * spread) / contrast)} % of the void–matrix contrast); voids may follow the shading — ` +
        'subtract the background (rolling ball) or analyse a ROI of even brightness',
    );
  }
  if (noise.level === 'high') {
    warnings.push(
      `high image noise (σ ≈ ${noise.sigma.toPrecision(3)}, ${(noise.relative * 100).toFixed(1)} % of the contrast)` +
        (radius > 0 ? `: median radius ${radius} applied before the split` : ': no denoising was requested; median 2 suggested'),
    );
  }
  notes.push(
    `${choice.best.k} grey-level classes (BIC over 2–6); void population at ${comps[0]!.mean} ± ${comps[0]!.sd} (${pp(rule.void.weight)} % of pixels), ` +
      `phase above it at ${round(plane.toLevel(rule.matrix.mean), 3)}; separation d = ${rule.d.toFixed(2)}`,
    `seeds: denoised ≤ ${round(plane.toValue(rule.seed), 4)}; grown 8-connected into unfiltered pixels ≤ ${round(plane.toValue(rule.grow), 4)}`,
  );
  params.seedThreshold = round(plane.toValue(rule.seed), 6);
  params.growThreshold = round(plane.toValue(rule.grow), 6);
  params.separation = round(rule.d, 4);
  const t1 = plane.toValue(rule.seed);
  const t2 = plane.toValue(rule.grow);
  return {
    labels: voidLabels(main.mask, W, H, area),
    record: { segmenter: 'auto', method: 'auto', params, thresholds: t1 <= t2 ? [t1, t2] : [t2, t1], source: AUTO_SOURCE, notes },
    confidence: { separability, level, band, warnings },
  };
}

/** The label map of a void mask, which also keeps the mask itself for the measurements (raster/void-mask.ts). */
function voidLabels(mask: Uint8Array, W: number, H: number, area: Uint8Array | null): LabelMap {
  const map = labelMapFromVoids(mask, W, H, area);
  rememberVoidMask(map, mask);
  return map;
}

/** `segmentAuto` typed as a registry entry (segment.ts: SEGMENTERS.auto). */
export const autoSegmenter: Segmenter<AutoSpec> = segmentAuto;

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
