/**
 * ilastik-style pixel features: a stack of filter responses at several scales, one Float32 plane
 * per channel, computed in plain TypeScript (Gaussians in WebAssembly) with no TensorFlow.js.
 *
 * As ilastik's OpFeatureSelection, the choice is a (feature × scale) selection: `selection` maps each
 * feature name to the scales (σ in pixels) it is computed at. The learned segmenter stores these
 * settings in its model file, so a model always sees the features it was trained on.
 *
 * Pixel values first go through the model's intensity normalisation (see normaliseIntensity): the
 * features of images from different acquisitions are then comparable.
 */
import { VoidscopeError } from '../../../errors.js';
import { FeatureContext, PlanePool } from './context.js';
import { gaussian } from './gaussian.js';
import { log } from './log.js';
import { dog, DOG_RATIO } from './dog.js';
import { gradientMagnitude } from './gradient-magnitude.js';
import { hessianEigen } from './hessian-eigen.js';
import { structureTensorEigen } from './structure-tensor-eigen.js';
import { kuwahara } from './kuwahara.js';
import { extrema } from './extrema.js';

export { FeatureContext, PlanePool, gaussianRadius, diffX, diffY, eigen2, smooth, FEATURE_GAUSSIAN_ACCURACY } from './context.js';
export { DOG_RATIO };

interface Feature {
  readonly channels: readonly string[];
  /** Pixels of context needed on each side at this scale (kernel support plus difference stencils). */
  margin(sigma: number): number;
  /** Scales this feature accepts beyond (0, 64] (e.g. whole radii); a message when `sigma` is not one. */
  checkScale?(sigma: number): string | null;
  /** How channel names show the scale: 'σ' (a Gaussian's, the default) or 'r' (a radius in pixels). */
  readonly scaleLabel?: string;
  compute(ctx: FeatureContext, sigma: number, out: Float32Array[]): void;
}

/** Every feature, by name (order = channel order in a stack). */
export const FEATURES = {
  gaussian,
  log,
  dog,
  'gradient-magnitude': gradientMagnitude,
  'hessian-eigen': hessianEigen,
  'structure-tensor-eigen': structureTensorEigen,
  kuwahara,
  extrema,
} as const satisfies Record<string, Feature>;
export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];

/** ilastik's default scale list (σ in pixels); 0 means "no smoothing" and is allowed for gaussian only. */
export const ILASTIK_SCALES = [0.3, 0.7, 1.0, 1.6, 3.5, 5.0, 10.0] as const;

export interface FeatureSettings {
  /** feature → scales (σ, pixels), ascending. Absent feature = not used. */
  selection: Partial<Record<FeatureName, number[]>>;
}

/**
 * voidscope's default selection, chosen by measurement on the hard generated cases (see
 * learned/README.md): intensity, Gaussian, LoG, gradient magnitude, Hessian and structure-tensor
 * eigenvalues at 0.7–10 px, window minimum/maximum at radius 2 and 4, Kuwahara at radius 1–5
 * (35 channels); DoG added nothing there (it is a difference of the Gaussian channels, which the
 * network can form itself).
 */
export const DEFAULT_FEATURES: FeatureSettings = Object.freeze({
  selection: {
    gaussian: [0, 0.7, 1.6, 3.5, 5, 10],
    log: [0.7, 1.6, 3.5, 5],
    'gradient-magnitude': [0.7, 1.6, 3.5],
    'hessian-eigen': [0.7, 1.6, 3.5, 5],
    'structure-tensor-eigen': [0.7, 1.6, 3.5],
    extrema: [2, 4],
    kuwahara: [1, 2, 3, 5],
  },
});

/** Validate feature settings (from a model file or a caller); throws EOPTION naming `at`. */
export function validateFeatureSettings(input: unknown, at = 'features'): FeatureSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new VoidscopeError('EOPTION', `${at} must be an object`);
  const sel = (input as { selection?: unknown }).selection;
  if (typeof sel !== 'object' || sel === null || Array.isArray(sel)) throw new VoidscopeError('EOPTION', `${at}.selection must be an object of feature → scales`);
  const out: Partial<Record<FeatureName, number[]>> = {};
  let channels = 0;
  for (const [name, scales] of Object.entries(sel)) {
    if (!(name in FEATURES)) throw new VoidscopeError('EOPTION', `${at}.selection: unknown feature "${name}" (known: ${FEATURE_NAMES.join(', ')})`);
    if (!Array.isArray(scales) || scales.length === 0) throw new VoidscopeError('EOPTION', `${at}.selection.${name} must be a non-empty list of scales`);
    const list: number[] = [];
    for (const s of scales) {
      const ok = typeof s === 'number' && Number.isFinite(s) && (s > 0 || (s === 0 && name === 'gaussian')) && s <= 64;
      if (!ok) throw new VoidscopeError('EOPTION', `${at}.selection.${name}: scale ${String(s)} must be a number in (0, 64] (0 allowed for gaussian only)`);
      const why = (FEATURES[name as FeatureName] as Feature).checkScale?.(s);
      if (why) throw new VoidscopeError('EOPTION', `${at}.selection.${name}: scale ${s}: ${why}`);
      if (list.includes(s)) throw new VoidscopeError('EOPTION', `${at}.selection.${name}: scale ${s} listed twice`);
      list.push(s);
    }
    list.sort((a, b) => a - b);
    out[name as FeatureName] = list;
    channels += list.length * FEATURES[name as FeatureName].channels.length;
  }
  if (channels === 0) throw new VoidscopeError('EOPTION', `${at}.selection selects no feature`);
  return { selection: out };
}

/** The channels of a stack in order, e.g. "gaussian σ1.6", "hessian-eigen-2 σ3.5", "kuwahara r3". */
export function featureChannels(settings: FeatureSettings): string[] {
  const names: string[] = [];
  for (const f of FEATURE_NAMES) {
    for (const s of settings.selection[f] ?? []) for (const c of FEATURES[f].channels) names.push(s === 0 ? 'intensity' : `${c} ${(FEATURES[f] as Feature).scaleLabel ?? 'σ'}${s}`);
  }
  return names;
}

/**
 * Pixels of context a stack needs on each side so that a pixel's features computed on a crop equal
 * those computed on the whole image (the largest kernel support plus the difference stencils).
 */
export function featureMargin(settings: FeatureSettings): number {
  let m = 0;
  for (const f of FEATURE_NAMES) {
    for (const s of settings.selection[f] ?? []) m = Math.max(m, FEATURES[f].margin(s));
  }
  return m;
}

/**
 * The feature stack of one normalised plane (w×h): one Float32Array(w×h) per channel, in
 * featureChannels order. Writes into `out` when given (arrays of at least w×h, reused between
 * tiles; the planes returned are then views of their first w×h elements); intermediate planes come
 * from `pool` when given (reset at the start: the previous call's intermediates are overwritten).
 */
export function computeFeatures(image: Float32Array, width: number, height: number, settings: FeatureSettings, out?: Float32Array[], pool?: PlanePool): Float32Array[] {
  const n = width * height;
  if (image.length !== n) throw new RangeError(`feature input has ${image.length} pixels, expected ${width}x${height}`);
  pool?.reset();
  const ctx = new FeatureContext(image, width, height, pool);
  const planes: Float32Array[] = [];
  let k = 0;
  for (const f of FEATURE_NAMES) {
    const feat: Feature = FEATURES[f];
    for (const s of settings.selection[f] ?? []) {
      const chans: Float32Array[] = [];
      for (let c = 0; c < feat.channels.length; c++) {
        const reuse = out?.[k];
        chans.push(reuse && reuse.length >= n ? reuse.subarray(0, n) : new Float32Array(n));
        k++;
      }
      feat.compute(ctx, s, chans);
      planes.push(...chans);
    }
  }
  return planes;
}

export { imageNormalisation, percentileNormalisation, flatField, fieldAt, fieldRow, type Normalisation, type FlatField, type FlatFieldFit } from './normalise.js';
