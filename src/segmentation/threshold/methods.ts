import { VoidscopeError } from '../../errors.js';
import { defaultThreshold } from './default.js';
import { huang } from './huang.js';
import { ijIsoData } from './ij-isodata.js';
import { intermodes } from './intermodes.js';
import { isoData } from './isodata.js';
import { li } from './li.js';
import { maxEntropy } from './max-entropy.js';
import { mean } from './mean.js';
import { minError } from './min-error.js';
import { minimum } from './minimum.js';
import { moments } from './moments.js';
import { multiOtsu } from './multi-otsu.js';
import { otsu } from './otsu.js';
import { percentile } from './percentile.js';
import { renyiEntropy } from './renyi-entropy.js';
import { shanbhag } from './shanbhag.js';
import { triangle } from './triangle.js';
import { yen } from './yen.js';

/** The 17 methods of ImageJ 1.53t's ij.process.AutoThresholder, in ImageJ's own order. */
export const THRESHOLD_METHODS = [
  'Default',
  'Huang',
  'Intermodes',
  'IsoData',
  'IJ_IsoData',
  'Li',
  'MaxEntropy',
  'Mean',
  'MinError',
  'Minimum',
  'Moments',
  'Otsu',
  'Percentile',
  'RenyiEntropy',
  'Shanbhag',
  'Triangle',
  'Yen',
] as const;

/** An ImageJ AutoThresholder method name. */
export type ThresholdMethod = (typeof THRESHOLD_METHODS)[number];

/**
 * 'MultiOtsu' is scikit-image 0.19.3's `threshold_multiotsu` (3 classes by default), NOT an
 * ImageJ method. As a single threshold it gives the LOWER of its two thresholds (dark voids);
 * `computeThreshold(..., {polarity: 'bright'})` uses the upper one.
 */
export type ExtraThresholdMethod = 'MultiOtsu';
export type AnyThresholdMethod = ThresholdMethod | ExtraThresholdMethod;

/** Every accepted method name: the 17 ImageJ ones, then 'MultiOtsu'. */
export const ALL_THRESHOLD_METHODS: readonly AnyThresholdMethod[] = [...THRESHOLD_METHODS, 'MultiOtsu'];

/** Pure per-method functions: histogram (bin counts) → bin index, exactly as ImageJ's getThreshold. */
export const METHOD_FUNCTIONS: Readonly<Record<ThresholdMethod, (histogram: ArrayLike<number>) => number>> = {
  Default: defaultThreshold,
  Huang: huang,
  Intermodes: intermodes,
  IsoData: isoData,
  IJ_IsoData: ijIsoData,
  Li: li,
  MaxEntropy: maxEntropy,
  Mean: mean,
  MinError: minError,
  Minimum: minimum,
  Moments: moments,
  Otsu: otsu,
  Percentile: percentile,
  RenyiEntropy: renyiEntropy,
  Shanbhag: shanbhag,
  Triangle: triangle,
  Yen: yen,
};

/** Methods whose cost grows with bins² (limit on `bins`). */
export const QUADRATIC_METHODS: readonly AnyThresholdMethod[] = ['Huang', 'MaxEntropy', 'RenyiEntropy', 'Shanbhag', 'MultiOtsu'];
/** Largest histogram the O(bins²) methods accept. */
export const MAX_QUADRATIC_BINS = 4096;

/** True for one of the 17 ImageJ names (exact spelling). */
export function isThresholdMethod(name: unknown): name is ThresholdMethod {
  return typeof name === 'string' && (THRESHOLD_METHODS as readonly string[]).includes(name);
}

/** True for an ImageJ name or 'MultiOtsu' (exact spelling). */
export function isAnyThresholdMethod(name: unknown): name is AnyThresholdMethod {
  return isThresholdMethod(name) || name === 'MultiOtsu';
}

/**
 * Case-insensitive method lookup ('otsu', 'OTSU', 'ij_isodata', 'multiotsu' …); also accepts
 * '-' for '_' ('ij-isodata'). Throws VoidscopeError('EOPTION') listing the valid names.
 */
export function parseThresholdMethod(name: string): AnyThresholdMethod {
  const key = String(name).trim().toLowerCase().replace(/-/g, '_');
  for (const m of ALL_THRESHOLD_METHODS) if (m.toLowerCase() === key) return m;
  throw new VoidscopeError(
    'EOPTION',
    `unknown threshold method "${name}"; valid methods: ${THRESHOLD_METHODS.join(', ')} (ImageJ 1.53t AutoThresholder), ` +
      `and MultiOtsu (scikit-image 0.19.3 threshold_multiotsu, 3 classes)`,
  );
}

/**
 * `AutoThresholder.getThreshold(method, histogram)`: the bin index the method returns
 * (void = bins ≤ index). For 'MultiOtsu', the lower of the two 3-class thresholds.
 *
 * ImageJ only accepts 256 bins ("Histogram length not 256"); the ports here run the same code
 * on any length (ImageJ's constants 256/255/254 become length, length−1, length−2), which is
 * what `bins: N` uses. Only 256-bin results are verified against ImageJ. The caller's array is
 * never modified.
 */
export function autoThreshold(method: AnyThresholdMethod, histogram: ArrayLike<number>): number {
  if (method === 'MultiOtsu') return multiOtsu(histogram, 3)[0]!;
  const fn = METHOD_FUNCTIONS[method];
  if (!fn) parseThresholdMethod(method); // throws EOPTION with the list
  return fn(histogram);
}
