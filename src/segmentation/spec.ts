/**
 * The analysis spec: what to analyse and how, parsed and validated ONCE at whichever edge it
 * enters (CLI flags, study-file options, library calls) by `parseAnalysisSpec`, with the same
 * messages everywhere. It is plain JSON, so it crosses the worker boundary unchanged.
 *
 * Users write flat options (the words of the CLI and of voidscope.yaml):
 *
 *   method | threshold | local | model    how to segment (one of them; default method auto)
 *   voids, bins                           void polarity, histogram of automatic methods
 *   background, median, gaussian          pre-filters, applied in that order
 *   roi, mask, keepDatabar                the analysed area
 *   pixelSize, minPore                    calibration (µm/px) and smallest pore (a number = px, or {value, unit})
 *   page, maxPixels                       reading
 *   overlay, voidMask                     outputs (file edge only)
 *
 * Unknown keys are refused with a suggestion ("gausian" → did you mean "gaussian"?). One spelling
 * per option: the CLI's kebab-case flags map to these camelCase keys and nothing else.
 */
import { VoidscopeError } from '../errors.js';
import { parseRoi, ROI_FORMAT } from '../raster/roi.js';
import type { Roi } from '../raster/types.js';
import { ALL_THRESHOLD_METHODS, THRESHOLD_METHODS, type AnyThresholdMethod, type Polarity } from './threshold/index.js';

/**
 * The default segmentation: the noise-aware automatic segmenter (auto/README.md), which denoises,
 * chooses the number of grey-level classes from the data, takes the void class only where it is a
 * distinct dark population and says how sure it is. Every global method (ImageJ's 17 and MultiOtsu)
 * stays available by name and exact.
 */
export const DEFAULT_POROSITY_METHOD = 'auto' as const;

export interface MinPoreSize {
  value: number;
  unit: 'px' | 'µm²';
}

/** Fiji Auto Local Threshold methods (segmentation/local/). */
export const LOCAL_METHODS = ['Bernsen', 'Contrast', 'Mean', 'Median', 'MidGrey', 'Niblack', 'Otsu', 'Phansalkar', 'Sauvola'] as const;
export type LocalMethod = (typeof LOCAL_METHODS)[number];

/** Pre-filters, in the order applied. */
export type Prefilter =
  | { kind: 'median'; radius: number }
  | { kind: 'gaussian'; sigma: number }
  | { kind: 'background'; radius: number; light: boolean; paraboloid: boolean; noSmoothing: boolean };

/** How to segment: one slot per segmenter family (see segment.ts). */
export type SegmentSpec =
  | { method: 'global'; name: AnyThresholdMethod; bins: 'imagej' | number; voids: Polarity }
  | { method: 'manual'; value: number; voids: Polarity }
  | { method: 'auto'; voids: Polarity }
  | { method: 'local'; name: LocalMethod; radius: number; p1: number | null; p2: number | null; voids: Polarity }
  | { method: 'model'; path: string };

/** The spec of each segmenter family (what its registry entry receives). */
export type GlobalSpec = Extract<SegmentSpec, { method: 'global' }>;
export type ManualSpec = Extract<SegmentSpec, { method: 'manual' }>;
export type AutoSpec = Extract<SegmentSpec, { method: 'auto' }>;
export type LocalSpec = Extract<SegmentSpec, { method: 'local' }>;
export type ModelSpec = Extract<SegmentSpec, { method: 'model' }>;

export const METRIC_NAMES = ['porosity', 'pores'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface AnalysisSpec {
  area: { roi: Roi | null; mask: string | null; keepDatabar: boolean };
  prefilters: Prefilter[];
  segment: SegmentSpec;
  measure: MetricName[];
  minPore: MinPoreSize;
  /** µm per pixel given by the user (wins over metadata), or null. */
  pixelSize: number | null;
  read: { page: number | null; maxPixels: number | null };
  outputs: { overlay: string | null; voidMask: string | null };
}

/** Every key a user may write, in the order they are documented. */
export const ANALYSIS_OPTION_KEYS = [
  'method',
  'threshold',
  'local',
  'model',
  'voids',
  'bins',
  'background',
  'median',
  'gaussian',
  'roi',
  'mask',
  'keepDatabar',
  'pixelSize',
  'minPore',
  'page',
  'maxPixels',
  'overlay',
  'voidMask',
] as const;
export type AnalysisOptionKey = (typeof ANALYSIS_OPTION_KEYS)[number];

/** The flat options users write (CLI flags become these; study files and library calls use them as is). */
export interface AnalysisOptions {
  method?: string;
  threshold?: number;
  local?: { method: string; radius: number; p1?: number; p2?: number };
  model?: string;
  voids?: Polarity | string;
  bins?: 'imagej' | number | string;
  background?: number | { radius: number; light?: boolean; paraboloid?: boolean; noSmoothing?: boolean };
  median?: number;
  gaussian?: number;
  roi?: Roi | string;
  mask?: string;
  keepDatabar?: boolean;
  pixelSize?: number;
  minPore?: number | MinPoreSize;
  page?: number;
  maxPixels?: number;
  overlay?: string;
  voidMask?: string;
}

/** Largest image a spec may allow (maxPixels): 2^31 − 1 pixels, the typed-array limit of one raster. */
export const MAX_PIXELS_LIMIT = 2 ** 31 - 1;

/**
 * An option error: the message names the option in the edge's words (set by `name`), and
 * `path` is the key path inside the options (for the study file's YAML path).
 */
export class OptionError extends VoidscopeError {
  readonly path: readonly (string | number)[];
  readonly problem: string;
  constructor(path: readonly (string | number)[], problem: string, name: (path: readonly (string | number)[]) => string) {
    super('EOPTION', `${name(path)}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

export interface ParseSpecOptions {
  /** How option names are shown: 'key' (library, study file: gaussian, minPore) or 'flag' (CLI: --gaussian, --min-pore). */
  names?: 'key' | 'flag';
  /** Keys that are not allowed at this edge (e.g. overlay in a study file), with the reason. */
  refuse?: Partial<Record<AnalysisOptionKey, string>>;
  /** Largest maxPixels allowed at this edge (default MAX_PIXELS_LIMIT). */
  maxPixelsLimit?: number;
}

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Damerau-free Levenshtein distance (short option names only). */
function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The known name closest to `name` (case-insensitive, within a third of its length), or null. */
export function suggestName(name: string, known: readonly string[]): string | null {
  const lower = name.toLowerCase().replace(/[-_]/g, '');
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase().replace(/[-_]/g, '');
    const d = kl === lower ? 0 : distance(lower, kl);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best !== null && bestD <= Math.max(1, Math.floor(Math.max(name.length, 3) / 3))) return best;
  // A known name that begins with what was written ("fov" → "fovUm").
  return lower.length >= 3 ? (known.find((k) => k.toLowerCase().startsWith(lower)) ?? null) : null;
}

/** The message for an unknown option, the same at every edge. */
export function unknownOptionProblem(shown: string, suggestion: string | null, allowed: readonly string[]): string {
  return `unknown option "${shown}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}${allowed.length ? `; known options: ${allowed.join(', ')}` : ''}`;
}

const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v)));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validate flat analysis options and turn them into an AnalysisSpec. Throws OptionError (EOPTION)
 * naming the option, with the same problem text at every edge.
 */
export function parseAnalysisSpec(input: unknown, opts: ParseSpecOptions = {}): AnalysisSpec {
  const flags = opts.names === 'flag';
  const nameOf = (k: string): string => (flags ? `--${kebab(k)}` : k);
  const pathName = (path: readonly (string | number)[]): string => {
    if (path.length === 0) return flags ? 'options' : 'options';
    const [head, ...rest] = path;
    return nameOf(String(head)) + rest.map((r) => (typeof r === 'number' ? `[${r}]` : `.${r}`)).join('');
  };
  const fail = (path: (string | number)[], problem: string): never => {
    throw new OptionError(path, problem, pathName);
  };
  if (input === undefined || input === null) input = {};
  if (!isObj(input)) return fail([], `expected a mapping of analysis options, got ${show(input)}`);
  const o = input;
  const allowedKeys = ANALYSIS_OPTION_KEYS.filter((k) => !(opts.refuse && k in opts.refuse));
  for (const k of Object.keys(o)) {
    if (o[k] === undefined) continue;
    const reason = opts.refuse?.[k as AnalysisOptionKey];
    if (reason) fail([k], reason);
    if (!(ANALYSIS_OPTION_KEYS as readonly string[]).includes(k)) {
      const shownAllowed = allowedKeys.map(nameOf);
      fail([k], unknownOptionProblem(nameOf(k), ((s) => (s ? nameOf(s) : null))(suggestName(k, allowedKeys)), shownAllowed));
    }
  }
  const has = (k: AnalysisOptionKey): boolean => o[k] !== undefined;
  const number = (k: string, v: unknown, what: string, ok: (n: number) => boolean, path: (string | number)[] = [k]): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(path, `must be ${what}, got ${show(v)}`);
    return v as number;
  };
  const bool = (v: unknown, path: (string | number)[]): boolean => {
    if (typeof v !== 'boolean') fail(path, `must be true or false, got ${show(v)}`);
    return v as boolean;
  };
  const text = (v: unknown, path: (string | number)[], what: string): string => {
    if (typeof v !== 'string' || v.trim() === '') fail(path, `must be ${what}, got ${show(v)}`);
    return v as string;
  };

  // Polarity and histogram (shared by the threshold segmenters).
  let voids: Polarity = 'dark';
  if (has('voids')) {
    const v = String(o.voids).toLowerCase();
    if (v !== 'dark' && v !== 'bright') fail(['voids'], `must be dark (void = pixel <= t) or bright (void = pixel > t), got ${show(o.voids)}`);
    voids = v as Polarity;
  }
  let bins: 'imagej' | number = 'imagej';
  if (has('bins')) {
    const b = o.bins;
    if (typeof b === 'string' && b.toLowerCase() === 'imagej') bins = 'imagej';
    else {
      const n = typeof b === 'string' && /^\d+$/.test(b.trim()) ? Number(b) : b;
      bins = number('bins', n, '"imagej" or a whole number of bins from 2 to 65536', (x) => Number.isInteger(x) && x >= 2 && x <= 65536);
    }
  }

  // Segmentation: one of method / threshold / local / model.
  const given = (['method', 'threshold', 'local', 'model'] as const).filter(has);
  if (given.length > 1) fail([given[1]!], `give only one of ${given.map(nameOf).join(' and ')}`);
  let segment: SegmentSpec;
  if (has('threshold')) {
    const value = number('threshold', o.threshold, "a grey value in the image's own units", () => true);
    segment = { method: 'manual', value, voids };
  } else if (has('local')) {
    const l = o.local;
    if (!isObj(l)) return fail(['local'], `must be a mapping {method, radius, p1, p2} (Fiji Auto Local Threshold), got ${show(l)}`);
    for (const k of Object.keys(l)) {
      if (!['method', 'radius', 'p1', 'p2'].includes(k)) {
        fail(['local', k], unknownOptionProblem(k, suggestName(k, ['method', 'radius', 'p1', 'p2']), ['method', 'radius', 'p1', 'p2']));
      }
    }
    const m = LOCAL_METHODS.find((x) => x.toLowerCase() === String(l.method ?? '').toLowerCase());
    if (!m) fail(['local', 'method'], `must be one of ${LOCAL_METHODS.join(', ')}, got ${show(l.method)}`);
    const radius = number('local', l.radius, 'a whole number of pixels >= 1', (x) => Number.isInteger(x) && x >= 1 && x <= 10000, ['local', 'radius']);
    const p = (k: 'p1' | 'p2'): number | null => (l[k] === undefined ? null : number('local', l[k], 'a number (0 = the method default)', () => true, ['local', k]));
    segment = { method: 'local', name: m!, radius, p1: p('p1'), p2: p('p2'), voids };
  } else if (has('model')) {
    segment = { method: 'model', path: text(o.model, ['model'], 'the path of a voidscope model file') };
  } else if (!has('method') || String(o.method).trim().toLowerCase() === 'auto') {
    segment = { method: 'auto', voids };
  } else {
    let name: AnyThresholdMethod;
    {
      const key = String(o.method).trim().toLowerCase().replace(/-/g, '_');
      const found = ALL_THRESHOLD_METHODS.find((m) => m.toLowerCase() === key);
      if (!found) {
        const near = suggestName(String(o.method), [...ALL_THRESHOLD_METHODS, 'auto']);
        fail(
          ['method'],
          `unknown threshold method ${show(o.method)}${near ? ` (did you mean "${near}"?)` : ''}; valid methods: ${THRESHOLD_METHODS.join(', ')} ` +
            `(ImageJ 1.53t AutoThresholder), MultiOtsu (scikit-image 0.19.3 threshold_multiotsu, 3 classes) and auto`,
        );
      }
      name = found!;
    }
    segment = { method: 'global', name, bins, voids };
  }

  // Pre-filters (fixed order: background, median, Gaussian).
  const prefilters: Prefilter[] = [];
  if (has('background')) {
    const b = o.background;
    const bo: Record<string, unknown> = typeof b === 'number' ? { radius: b } : isObj(b) ? b : {};
    if (typeof b !== 'number' && !isObj(b)) fail(['background'], `must be a rolling-ball radius in pixels or a mapping {radius, light, paraboloid, noSmoothing}, got ${show(b)}`);
    const keys = ['radius', 'light', 'paraboloid', 'noSmoothing'];
    for (const k of Object.keys(bo)) if (!keys.includes(k)) fail(['background', k], unknownOptionProblem(k, suggestName(k, keys), keys));
    prefilters.push({
      kind: 'background',
      radius: number('background', bo.radius, 'a rolling-ball radius in pixels > 0', (x) => x > 0 && x <= 10000, typeof b === 'number' ? ['background'] : ['background', 'radius']),
      light: bo.light === undefined ? false : bool(bo.light, ['background', 'light']),
      paraboloid: bo.paraboloid === undefined ? false : bool(bo.paraboloid, ['background', 'paraboloid']),
      noSmoothing: bo.noSmoothing === undefined ? false : bool(bo.noSmoothing, ['background', 'noSmoothing']),
    });
  }
  if (has('median')) prefilters.push({ kind: 'median', radius: number('median', o.median, 'a radius in pixels >= 0.5', (x) => x >= 0.5 && x <= 1000) });
  if (has('gaussian')) prefilters.push({ kind: 'gaussian', sigma: number('gaussian', o.gaussian, 'a Gaussian sigma in pixels > 0', (x) => x > 0 && x <= 1000) });

  // Area.
  let roi: Roi | null = null;
  if (has('roi')) roi = parseRoi(o.roi) ?? fail(['roi'], `must be ${ROI_FORMAT}, got ${show(o.roi)}`);
  const mask = has('mask') ? text(o.mask, ['mask'], 'the path of a mask image (same size; non-zero = analysed)') : null;
  const keepDatabar = has('keepDatabar') ? bool(o.keepDatabar, ['keepDatabar']) : false;

  // Calibration and pores.
  const pixelSize = has('pixelSize') ? number('pixelSize', o.pixelSize, 'a positive number of µm per pixel', (x) => x > 0) : null;
  let minPore: MinPoreSize = { value: 0, unit: 'px' };
  if (has('minPore')) {
    const mp = o.minPore;
    if (typeof mp === 'number') minPore = { value: number('minPore', mp, 'a number of pixels >= 0', (x) => x >= 0), unit: 'px' };
    else if (isObj(mp) && Object.keys(mp).every((k) => k === 'value' || k === 'unit')) {
      const unit = mp.unit === undefined ? 'px' : mp.unit === 'um2' || mp.unit === 'µm2' ? 'µm²' : mp.unit;
      if (unit !== 'px' && unit !== 'µm²') fail(['minPore', 'unit'], `must be px or µm², got ${show(mp.unit)}`);
      minPore = { value: number('minPore', mp.value, 'a size >= 0', (x) => x >= 0, ['minPore', 'value']), unit: unit as MinPoreSize['unit'] };
    } else fail(['minPore'], `must be a number of pixels or a mapping {value, unit: px or µm²}, got ${show(mp)}`);
  }

  // Reading and outputs.
  const page = has('page') ? number('page', o.page, 'a whole number >= 0 (first page = 0)', (x) => Number.isInteger(x) && x >= 0) : null;
  const limit = opts.maxPixelsLimit ?? MAX_PIXELS_LIMIT;
  const maxPixels = has('maxPixels') ? number('maxPixels', o.maxPixels, `a whole number of pixels from 1 to ${limit}`, (x) => Number.isInteger(x) && x >= 1 && x <= limit) : null;
  const overlay = has('overlay') ? text(o.overlay, ['overlay'], 'the path of the overlay PNG to write') : null;
  const voidMask = has('voidMask') ? text(o.voidMask, ['voidMask'], 'the path of the void-mask PNG to write') : null;

  return {
    area: { roi, mask, keepDatabar },
    prefilters,
    segment,
    measure: ['porosity', 'pores'],
    minPore,
    pixelSize,
    read: { page, maxPixels },
    outputs: { overlay, voidMask },
  };
}

/** Is this already a parsed spec (e.g. one that crossed the worker boundary)? */
export function isAnalysisSpec(x: unknown): x is AnalysisSpec {
  return isObj(x) && isObj(x.segment) && Array.isArray(x.prefilters) && isObj(x.area) && Array.isArray(x.measure);
}

/** Polarity of a segment spec (model: dark, its void class is named by the model). */
export function specVoids(s: SegmentSpec): Polarity {
  return s.method === 'model' ? 'dark' : s.voids;
}
