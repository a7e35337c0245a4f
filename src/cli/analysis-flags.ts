/**
 * The analysis flags of `porosity` and `thresholds`: each flag is one key of the flat analysis
 * options (segmentation/spec.ts) in kebab-case, and the values go through the same
 * parseAnalysisSpec as study files and library calls (same checks, same messages, option names
 * shown as flags). Flags that take a value refuse to be given without one (`--gaussian` alone).
 */
import type { Argv, Options } from 'yargs';
import { VoidscopeError } from '../errors.js';
import { ALL_THRESHOLD_METHODS } from '../segmentation/threshold/index.js';
import {
  DEFAULT_POROSITY_METHOD,
  LOCAL_METHODS,
  parseAnalysisSpec,
  suggestName,
  unknownOptionProblem,
  type AnalysisOptionKey,
  type AnalysisSpec,
  type ParseSpecOptions,
} from '../segmentation/spec.js';

type Flag = {
  key: AnalysisOptionKey | 'minPoreUm2' | 'localRadius' | 'localP1' | 'localP2' | 'backgroundLight' | 'backgroundParaboloid' | 'backgroundNoSmoothing';
  opt: Options;
};

const num = (describe: string): Options => ({ type: 'number', requiresArg: true, describe });
const str = (describe: string): Options => ({ type: 'string', requiresArg: true, describe });

/** Every analysis flag, by flag name. */
export const ANALYSIS_FLAGS: Record<string, Flag> = {
  method: {
    key: 'method',
    opt: str(
      `segmentation method: auto (default: noise-aware automatic segmenter with an uncertainty band) or a global threshold, exact: ${ALL_THRESHOLD_METHODS.join(', ')}`,
    ),
  },
  threshold: { key: 'threshold', opt: num('manual threshold (grey value, image units) instead of --method') },
  local: { key: 'local', opt: str(`local threshold (Fiji Auto Local Threshold): ${LOCAL_METHODS.join(', ')}; with --local-radius`) },
  'local-radius': { key: 'localRadius', opt: num('radius of the local threshold window in pixels') },
  'local-p1': { key: 'localP1', opt: num('parameter 1 of the local method (0 = its default)') },
  'local-p2': { key: 'localP2', opt: num('parameter 2 of the local method (0 = its default)') },
  model: { key: 'model', opt: str('segment with a trained model file instead of a threshold') },
  voids: { key: 'voids', opt: { type: 'string', requiresArg: true, choices: ['dark', 'bright'], describe: 'void polarity: dark (default, void = pixel <= t) or bright (void = pixel > t)' } },
  bins: { key: 'bins', opt: str('histogram for 16-bit/float: "imagej" (default, 256 bins over the image min..max like ImageJ) or a bin count') },
  background: { key: 'background', opt: num('subtract the background first (ImageJ Subtract Background, rolling-ball radius in pixels)') },
  'background-light': { key: 'backgroundLight', opt: { type: 'boolean', describe: 'with --background: light background (ImageJ "Light background")' } },
  'background-paraboloid': { key: 'backgroundParaboloid', opt: { type: 'boolean', describe: 'with --background: sliding paraboloid instead of the rolling ball' } },
  'background-no-smoothing': { key: 'backgroundNoSmoothing', opt: { type: 'boolean', describe: 'with --background: disable the 3×3 smoothing (ImageJ "Disable smoothing")' } },
  median: { key: 'median', opt: num('median pre-filter radius in pixels (ImageJ Median, circular); default none') },
  gaussian: { key: 'gaussian', opt: num('Gaussian pre-filter σ in pixels (ImageJ Gaussian Blur); default none') },
  roi: { key: 'roi', opt: str('analyse only the rectangle x,y,w,h (pixels, top-left origin)') },
  mask: { key: 'mask', opt: str('analysis mask INPUT image (same size; non-zero = analysed). The void mask OUTPUT is --void-mask') },
  'keep-databar': { key: 'keepDatabar', opt: { type: 'boolean', describe: 'analyse the data-bar rows too (default: excluded)' } },
  'pixel-size': { key: 'pixelSize', opt: num('µm per pixel; overrides the calibration in the file/sidecar') },
  'min-pore': { key: 'minPore', opt: num('smallest pore in px; smaller components are specks (default 0 = keep all, as ImageJ)') },
  'min-pore-um2': { key: 'minPoreUm2', opt: num('smallest pore in µm² (needs a calibration)') },
  page: { key: 'page', opt: num('page of a multi-page TIFF (first = 0)') },
  'max-pixels': { key: 'maxPixels', opt: num('refuse images with more pixels than this') },
};

/** Register these flags on a command. */
export function withAnalysisFlags<T>(y: Argv<T>, names: readonly string[]): Argv<T> {
  let out = y;
  for (const n of names) out = out.option(n, ANALYSIS_FLAGS[n]!.opt) as Argv<T>;
  return out;
}

/**
 * Turn parsed flags into the flat analysis options (only the flags in `names` that were given) and
 * validate them with parseAnalysisSpec. Output paths (overlay, void mask) are per image and are
 * added by the command.
 */
export function specFromFlags(a: Record<string, unknown>, names: readonly string[], refuse?: ParseSpecOptions['refuse']): AnalysisSpec {
  const o: Record<string, unknown> = {};
  for (const n of names) {
    const v = a[n];
    if (v === undefined || v === false && n === 'keep-databar') continue;
    if (typeof v === 'number' && Number.isNaN(v)) throw new VoidscopeError('EOPTION', `--${n}: must be a number, got "${String(process.argv.find((x, i, all) => all[i - 1] === `--${n}`) ?? '')}"`);
    const key = ANALYSIS_FLAGS[n]!.key;
    if (key === 'minPoreUm2') {
      if (a['min-pore'] !== undefined) throw new VoidscopeError('EOPTION', '--min-pore-um2: give either --min-pore (px) or --min-pore-um2 (µm²), not both');
      o.minPore = { value: v, unit: 'µm²' };
    } else if (key === 'localRadius' || key === 'localP1' || key === 'localP2') {
      if (a.local === undefined) throw new VoidscopeError('EOPTION', `--${n}: applies to --local only`);
    } else if (key === 'backgroundLight' || key === 'backgroundParaboloid' || key === 'backgroundNoSmoothing') {
      if (v === true && a.background === undefined) throw new VoidscopeError('EOPTION', `--${n}: applies to --background only`);
    } else if (key === 'background') {
      o.background = {
        radius: v,
        ...(a['background-light'] === true ? { light: true } : {}),
        ...(a['background-paraboloid'] === true ? { paraboloid: true } : {}),
        ...(a['background-no-smoothing'] === true ? { noSmoothing: true } : {}),
      };
    } else if (key === 'local') {
      o.local = {
        method: v,
        radius: a['local-radius'] ?? 15,
        ...(a['local-p1'] !== undefined ? { p1: a['local-p1'] } : {}),
        ...(a['local-p2'] !== undefined ? { p2: a['local-p2'] } : {}),
      };
    } else o[key] = v;
  }
  return parseAnalysisSpec(o, { names: 'flag', ...(refuse ? { refuse } : {}) });
}

/**
 * yargs' "Unknown argument(s): x, y" as voidscope's message for an unknown option (the same
 * wording as the library's and the study file's), with the closest known flag; null for any
 * other yargs message.
 */
export function unknownArgumentMessage(msg: string, known: readonly string[]): string | null {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return null;
  const names = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return names
    .map((n) => {
      const shown = n.length > 1 ? `--${n}` : `-${n}`;
      if (known.includes(n)) return `${shown}: does not apply to this command (see --help)`;
      const near = suggestName(n, known.filter((k) => k.length > 1 && !/[A-Z]/.test(k)));
      return `${shown}: ${unknownOptionProblem(shown, near ? `--${near}` : null, [])} (see --help)`;
    })
    .join('\n');
}
