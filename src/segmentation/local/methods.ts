/**
 * The local-threshold registry (LOCAL_METHODS, as threshold/methods.ts), the validated options
 * (LocalSpec, parseLocalSpec) and the void mask (localThreshold). index.ts re-exports all of it.
 */
import { VoidscopeError } from '../../errors.js';
import type { Raster } from '../../raster/types.js';
import type { Polarity } from '../threshold/compute.js';
import { bernsen, BERNSEN_PARAMS } from './bernsen.js';
import type { LocalMethodFunction, LocalParamInfo, LocalRaster } from './common.js';
import { contrast, CONTRAST_PARAMS } from './contrast.js';
import { localMean, MEAN_PARAMS } from './mean.js';
import { localMedian, MEDIAN_PARAMS } from './median.js';
import { midGrey, MID_GREY_PARAMS } from './mid-grey.js';
import { niblack, NIBLACK_PARAMS } from './niblack.js';
import { localOtsu, OTSU_PARAMS } from './otsu.js';
import { phansalkar, PHANSALKAR_PARAMS } from './phansalkar.js';
import { sauvola, SAUVOLA_PARAMS } from './sauvola.js';

export type { LocalMethodFunction, LocalParamInfo, LocalRaster } from './common.js';
export { bernsen, contrast, localMean, localMedian, midGrey, niblack, localOtsu, phansalkar, sauvola };
export { rankMinMax, rankMeanVariance, rankMedian16 } from './rank.js';
export { ovalRoiSpans } from './otsu.js';

/** Fiji's Auto Local Threshold methods, in the plugin's own order. */
export const LOCAL_METHODS = ['Bernsen', 'Contrast', 'Mean', 'Median', 'MidGrey', 'Niblack', 'Otsu', 'Phansalkar', 'Sauvola'] as const;

/** A Fiji Auto Local Threshold method name. */
export type LocalMethod = (typeof LOCAL_METHODS)[number];

/** What every local result records as its source. */
export const LOCAL_THRESHOLD_SOURCE = 'Fiji Auto_Local_Threshold 1.11.0';

/** Pure per-method functions: (raster, radius, param1, param2, whiteObjects) → 1 where Fiji writes 255. */
export const LOCAL_METHOD_FUNCTIONS: Readonly<Record<LocalMethod, LocalMethodFunction>> = {
  Bernsen: bernsen,
  Contrast: contrast,
  Mean: localMean,
  Median: localMedian,
  MidGrey: midGrey,
  Niblack: niblack,
  Otsu: localOtsu,
  Phansalkar: phansalkar,
  Sauvola: sauvola,
};

/** Parameter names, integer-ness and Fiji defaults per method. */
export const LOCAL_METHOD_PARAMS: Readonly<Record<LocalMethod, LocalParamInfo>> = {
  Bernsen: BERNSEN_PARAMS,
  Contrast: CONTRAST_PARAMS,
  Mean: MEAN_PARAMS,
  Median: MEDIAN_PARAMS,
  MidGrey: MID_GREY_PARAMS,
  Niblack: NIBLACK_PARAMS,
  Otsu: OTSU_PARAMS,
  Phansalkar: PHANSALKAR_PARAMS,
  Sauvola: SAUVOLA_PARAMS,
};

/** Fiji's default radius (its dialog's 15). */
export const DEFAULT_LOCAL_RADIUS = 15;
/** Largest accepted radius (pixels); cost grows with the radius (Otsu: with its square). */
export const MAX_LOCAL_RADIUS = 1000;

/**
 * The validated options of a local threshold: plain JSON. `param1`/`param2` are Fiji's "Parameter 1/2"
 * (0 = the method's default, as in Fiji); `voids` says which side of the local threshold the voids are:
 * 'dark' (default) = Fiji with "White objects on black background" unchecked, 'bright' = checked.
 */
export interface LocalSpec {
  /** The Fiji method (as `name` of the house's SegmentSpec `{method: 'local', name, …}`). */
  name: LocalMethod;
  radius: number;
  param1: number;
  param2: number;
  voids: Polarity;
}

/** Case-insensitive method lookup ('sauvola', 'MIDGREY', 'mid-grey', 'mid_grey'); EOPTION listing the names. */
export function parseLocalMethod(name: string): LocalMethod {
  const key = String(name).trim().toLowerCase().replace(/[-_ ]/g, '');
  for (const m of LOCAL_METHODS) if (m.toLowerCase() === key) return m;
  throw new VoidscopeError('EOPTION', `unknown local threshold method "${name}"; valid methods: ${LOCAL_METHODS.join(', ')} (Fiji Auto Local Threshold)`);
}

export function isLocalMethod(name: unknown): name is LocalMethod {
  return typeof name === 'string' && (LOCAL_METHODS as readonly string[]).includes(name);
}

const SPEC_KEYS = ['name', 'radius', 'param1', 'param2', 'voids'] as const;

/**
 * Validate local-threshold options once, where they enter (CLI, study file, library). Accepts
 * `{name, radius?, param1?, param2?, voids?}`, and also the whole segment object
 * `{method: 'local', name, …}` (the `method` key must then be 'local'); unknown keys, non-integer or out-of-range radius,
 * non-finite parameters and fractional values for Fiji's integer parameters (Bernsen's contrast
 * threshold, the C of Mean/Median/MidGrey/Niblack) are VoidscopeError('EOPTION') naming `at.key`.
 */
export function parseLocalSpec(input: unknown, at = 'local'): LocalSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new VoidscopeError('EOPTION', `${at}: local threshold options must be an object {name, radius, param1, param2, voids}`);
  }
  const o = input as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k === 'method' && o.method === 'local') continue;
    if (!(SPEC_KEYS as readonly string[]).includes(k)) {
      throw new VoidscopeError('EOPTION', `${at}.${k}: unknown key; allowed: ${SPEC_KEYS.join(', ')}`);
    }
  }
  if (typeof o.name !== 'string') throw new VoidscopeError('EOPTION', `${at}.name: required, one of ${LOCAL_METHODS.join(', ')}`);
  const method = parseLocalMethod(o.name);
  const radius = o.radius === undefined ? DEFAULT_LOCAL_RADIUS : o.radius;
  if (typeof radius !== 'number' || !Number.isInteger(radius) || radius < 1 || radius > MAX_LOCAL_RADIUS) {
    throw new VoidscopeError('EOPTION', `${at}.radius: must be a whole number of pixels from 1 to ${MAX_LOCAL_RADIUS} (Fiji's radius), got ${String(radius)}`);
  }
  const info = LOCAL_METHOD_PARAMS[method];
  const params: number[] = [];
  for (const [j, key] of (['param1', 'param2'] as const).entries()) {
    const v = o[key] === undefined ? 0 : o[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new VoidscopeError('EOPTION', `${at}.${key}: must be a finite number (0 = the method's default), got ${String(v)}`);
    if (info.integer[j] && !Number.isInteger(v)) {
      throw new VoidscopeError('EOPTION', `${at}.${key}: ${method}'s ${info.names[j]} is a whole number of grey levels (Fiji casts it to int), got ${v}`);
    }
    params.push(v);
  }
  const voids = o.voids === undefined ? 'dark' : o.voids;
  if (voids !== 'dark' && voids !== 'bright') throw new VoidscopeError('EOPTION', `${at}.voids: must be 'dark' or 'bright', got ${String(voids)}`);
  return { name: method, radius, param1: params[0]!, param2: params[1]!, voids };
}

/** The parameters a spec runs with on an image of this depth: Fiji's "0 = default" rule applied. */
export function resolveLocalParams(
  spec: LocalSpec,
  bitDepth: 8 | 16,
): { param1: number; param2: number; named: Record<string, number> } {
  const info = LOCAL_METHOD_PARAMS[spec.name];
  const white = spec.voids === 'bright';
  const d = info.defaults(bitDepth, white);
  const param1 = spec.param1 !== 0 ? spec.param1 : d[0];
  const param2 = spec.param2 !== 0 ? spec.param2 : d[1];
  const named: Record<string, number> = {};
  if (info.names[0]) named[info.names[0]] = param1;
  if (info.names[1]) named[info.names[1]] = param2;
  return { param1, param2, named };
}

/** Check the raster is 8- or 16-bit unsigned (Fiji: 8-bit only; 16-bit is voidscope's extension). */
export function asLocalRaster(raster: Raster): LocalRaster {
  if (raster.sampleFormat === 'uint' && (raster.data instanceof Uint8Array || raster.data instanceof Uint16Array)) return raster as LocalRaster;
  throw new VoidscopeError(
    'EUNSUPPORTED',
    `local thresholds need an 8- or 16-bit image (Fiji's Auto Local Threshold is 8-bit only); this one is ${raster.bitDepth}-bit ${raster.sampleFormat}: convert it first`,
  );
}

/**
 * The void mask (1 = void) of a local threshold: Fiji's objects with "White objects on black
 * background" = (voids === 'bright'). The spec must come from parseLocalSpec.
 */
export function localThreshold(raster: Raster, spec: LocalSpec): Uint8Array {
  const r = asLocalRaster(raster);
  const depth = r.data instanceof Uint8Array ? 8 : 16;
  const { param1, param2 } = resolveLocalParams(spec, depth);
  return LOCAL_METHOD_FUNCTIONS[spec.name](r, spec.radius, param1, param2, spec.voids === 'bright');
}


