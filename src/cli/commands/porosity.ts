/**
 * `voidscope porosity`: void fraction and pores of SEM cross-sections (thin layer over
 * analyzePorosity in src/segmentation/porosity.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { VoidscopeError, isVoidscopeError } from '../../errors.js';
import type { Roi } from '../../raster/types.js';
import {
  analyzePorosity,
  DEFAULT_POROSITY_METHOD,
  validatePorosityOptions,
  type PorosityOptions,
  type PorosityResult,
} from '../../segmentation/porosity.js';
import { ALL_THRESHOLD_METHODS } from '../../segmentation/threshold/index.js';

export interface PorosityArgs {
  images?: string[];
  method?: string;
  threshold?: number;
  voids?: string;
  roi?: string;
  mask?: string;
  bins?: string;
  gaussian?: number;
  median?: number;
  'pixel-size'?: number;
  'min-pore'?: number;
  'min-pore-um2'?: number;
  'keep-databar'?: boolean;
  page?: number;
  'max-pixels'?: number;
  json?: boolean;
  overlay?: string;
  'void-mask'?: string;
}

/** Parse "x,y,w,h" (whole pixels). */
export function parseRoiArg(text: string, flag = '--roi'): Roi {
  const parts = String(text).split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || nums.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new VoidscopeError('EOPTION', `${flag} must be x,y,width,height in whole pixels (e.g. 0,0,1024,900), got "${text}"`);
  }
  const [x, y, width, height] = nums as [number, number, number, number];
  if (width === 0 || height === 0) throw new VoidscopeError('EOPTION', `${flag} width and height must be > 0, got "${text}"`);
  return { x, y, width, height };
}

export function parseBinsArg(text: string | undefined): 'imagej' | number | undefined {
  if (text === undefined) return undefined;
  if (String(text).toLowerCase() === 'imagej') return 'imagej';
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2 || n > 65536) {
    throw new VoidscopeError('EOPTION', `--bins must be "imagej" or a whole number 2..65536, got "${text}"`);
  }
  return n;
}

function checkNumber(name: string, v: number | undefined): void {
  if (v !== undefined && !Number.isFinite(v)) throw new VoidscopeError('EOPTION', `--${name} must be a number`);
}

export function porosityOptionsFromArgs(a: PorosityArgs): PorosityOptions {
  for (const k of ['threshold', 'gaussian', 'median', 'pixel-size', 'min-pore', 'min-pore-um2', 'page', 'max-pixels'] as const) checkNumber(k, a[k]);
  if (a['min-pore'] !== undefined && a['min-pore-um2'] !== undefined) {
    throw new VoidscopeError('EOPTION', 'give either --min-pore (px) or --min-pore-um2 (µm²), not both');
  }
  if (a.threshold !== undefined && a.method !== undefined) {
    throw new VoidscopeError('EOPTION', 'give either --method or --threshold, not both');
  }
  if (a.page !== undefined && !(Number.isInteger(a.page) && a.page >= 0)) throw new VoidscopeError('EOPTION', `--page must be a whole number >= 0 (first page = 0), got ${a.page}`);
  const o: PorosityOptions = {};
  if (a.method !== undefined) o.method = a.method;
  if (a.threshold !== undefined) o.threshold = a.threshold;
  if (a.voids !== undefined) o.voids = a.voids as 'dark' | 'bright';
  if (a.roi !== undefined) o.roi = parseRoiArg(a.roi);
  if (a.mask !== undefined) o.mask = a.mask;
  const bins = parseBinsArg(a.bins);
  if (bins !== undefined) o.bins = bins;
  if (a.gaussian !== undefined) o.gaussian = a.gaussian;
  if (a.median !== undefined) o.median = a.median;
  if (a['pixel-size'] !== undefined) {
    if (!(a['pixel-size'] > 0)) throw new VoidscopeError('EOPTION', `--pixel-size must be a positive number of µm per pixel, got ${a['pixel-size']}`);
    o.pixelSize = a['pixel-size'];
  }
  if (a['min-pore'] !== undefined) o.minPore = { value: a['min-pore'], unit: 'px' };
  if (a['min-pore-um2'] !== undefined) o.minPore = { value: a['min-pore-um2'], unit: 'µm²' };
  if (a['keep-databar']) o.keepDatabar = true;
  if (a.page !== undefined) o.page = a.page;
  if (a['max-pixels'] !== undefined) o.maxPixels = a['max-pixels'];
  validatePorosityOptions(o);
  return o;
}

/**
 * Output path for one of several inputs: a folder (existing, or ending in / ) gets
 * <stem><suffix>.png; a file name gets its stem extended with the image stem
 * (out.png → out_<image stem>.png). With a single input the path is used as given.
 */
export function outputPathFor(out: string, input: string, several: boolean, suffix: string): string {
  const stem = basename(input).replace(/\.[^.]+$/u, '');
  const isDir = /[\\/]$/u.test(out) || (existsSync(out) && statSync(out).isDirectory());
  if (isDir) return join(out, `${stem}${suffix}.png`);
  if (!several) return out;
  const m = /^(.*?)(\.[^./\\]*)?$/u.exec(out)!;
  return `${m[1]}_${stem}${m[2] ?? '.png'}`;
}

function fmt(v: number | null, digits = 4): string {
  if (v === null || !Number.isFinite(v)) return 'n/a';
  return String(Number(v.toPrecision(digits)));
}

export function formatPorosityText(r: PorosityResult): string {
  const p = r.pores;
  const L = p.unit;
  const A = p.areaUnit;
  const lines: string[] = [];
  lines.push(r.file ?? '(raster)');
  lines.push(`  image        ${r.width}×${r.height} px, ${r.bitDepth}-bit${r.page !== undefined ? `, page ${r.page}` : ''}`);
  const db = r.databar
    ? r.databar.rows > 0
      ? `; data bar ${r.databar.rows} rows ${r.databar.excluded ? 'excluded' : 'kept (--keep-databar)'} (${r.databar.source})`
      : `; no data bar (${r.databar.source})`
    : '; no data bar found';
  lines.push(`  region       ROI ${r.roi.x},${r.roi.y},${r.roi.width},${r.roi.height}${r.mask ? ` ∩ mask ${r.mask.source}` : ''}${db}`);
  lines.push(`  calibration  ${r.pixelSize ? `${fmt(r.pixelSize.value, 6)} µm/px (${r.pixelSize.source})` : 'none (results in pixels; use --pixel-size)'}`);
  lines.push(`  filters      ${r.filters.length ? r.filters.map((f) => (f.name === 'gaussian' ? `Gaussian σ ${f.sigmaPx} px` : `median r ${f.radiusPx} px (${f.kernelPixels} px kernel)`)).join(' → ') : 'none'}`);
  const h = r.threshold.histogram;
  lines.push(
    `  threshold    ${r.method} t = ${fmt(r.threshold.value, 8)}` +
      (r.threshold.allValues ? ` (3-class thresholds ${r.threshold.allValues.map((x) => fmt(x, 8)).join(', ')})` : '') +
      (h ? `; ${h.bins}-bin histogram (${h.mode}${h.mode !== '8-bit' ? `, ${fmt(h.min, 8)}..${fmt(h.max, 8)}` : ''})` : '') +
      `; ${r.threshold.source}`,
  );
  lines.push(`  convention   ${r.convention}`);
  lines.push(`  void         ${r.porosityPercent.toFixed(2)} % (${r.voidPixels} of ${r.analysedPixels} px)`);
  if (r.minPore.pixels > 0) {
    lines.push(
      `  w/o specks   ${r.porosityPercentExcludingSpecks.toFixed(2)} % (${p.specks} specks < ${r.minPore.value} ${r.minPore.unit}${r.minPore.unit === 'µm²' ? ` = ${r.minPore.pixels} px` : ''}: ${p.speckPixels} px, not in the pore list)`,
    );
  }
  lines.push(`  pores        ${p.count} (8-connected${r.minPore.pixels > 0 ? `, >= ${r.minPore.pixels} px` : ', no minimum size'}; ${p.touchingBorder} touch the region border)`);
  if (p.count > 0) {
    lines.push(`  ECD          mean ${fmt(p.meanEcd)} ${L}, median ${fmt(p.medianEcd)} ${L}; D10 ${fmt(p.d10)} / D50 ${fmt(p.d50)} / D90 ${fmt(p.d90)} ${L}`);
    lines.push(`  largest pore ${fmt(p.largestArea)} ${A}; ${fmt(p.poresPerArea)} pores per ${A === 'px' ? 'px' : 'µm²'}`);
  }
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  if (r.outputs?.overlay) lines.push(`  overlay      ${r.outputs.overlay}`);
  if (r.outputs?.voidMask) lines.push(`  void mask    ${r.outputs.voidMask}`);
  return lines.join('\n');
}

const command: CommandModule<object, PorosityArgs> = {
  command: 'porosity [images..]',
  describe: 'Void fraction (porosity) and pores of SEM cross-section images',
  builder: (y: Argv<object>) =>
    y
      .positional('images', { type: 'string', array: true, describe: 'SEM images (TIFF 8/16/32-bit, PNG, JPEG, BMP)' })
      .option('method', {
        type: 'string',
        describe: `automatic threshold: ${ALL_THRESHOLD_METHODS.join(', ')} (default ${DEFAULT_POROSITY_METHOD}: 3-class Otsu, lower threshold — ImageJ's two-class methods split particles from matrix on 3-phase electrode images)`,
      })
      .option('threshold', { type: 'number', describe: 'manual threshold (grey value, image units) instead of --method' })
      .option('voids', { type: 'string', choices: ['dark', 'bright'], describe: 'void polarity: dark (default, void = pixel <= t) or bright (void = pixel > t)' })
      .option('roi', { type: 'string', describe: 'analyse only the rectangle x,y,w,h (pixels, top-left origin)' })
      .option('mask', { type: 'string', describe: 'analysis mask INPUT image (same size; non-zero = analysed). The void mask OUTPUT is --void-mask' })
      .option('bins', { type: 'string', describe: 'histogram for 16-bit/float: "imagej" (default, 256 bins over the image min..max like ImageJ) or a bin count' })
      .option('gaussian', { type: 'number', describe: 'Gaussian pre-filter σ in pixels (ImageJ Gaussian Blur); default none' })
      .option('median', { type: 'number', describe: 'median pre-filter radius in pixels (ImageJ Median, circular); default none' })
      .option('pixel-size', { type: 'number', describe: 'µm per pixel; overrides the calibration in the file/sidecar' })
      .option('min-pore', { type: 'number', describe: 'smallest pore in px; smaller components are specks (default 0 = keep all, as ImageJ)' })
      .option('min-pore-um2', { type: 'number', describe: 'smallest pore in µm² (needs a calibration)' })
      .option('keep-databar', { type: 'boolean', describe: 'analyse the data-bar rows too (default: excluded)' })
      .option('page', { type: 'number', describe: 'page of a multi-page TIFF (first = 0)' })
      .option('max-pixels', { type: 'number', describe: 'refuse images with more pixels than this' })
      .option('json', { type: 'boolean', describe: 'print JSON (one object; an array for several images)' })
      .option('overlay', { type: 'string', describe: 'write an overlay PNG (voids red, specks yellow, region outlined, scale bar); several images: out_<image>.png, or a folder' })
      .option('void-mask', {
        type: 'string',
        alias: 'mask-out',
        describe: 'write the 0/255 void mask PNG (255 = void); several images: out_<image>.png, or a folder. (--mask is the analysis-mask INPUT)',
      })
      .example('$0 porosity samples/sem/cathode/NBR0.5/cycled150/*.tif', 'porosity with the default method')
      .example('$0 porosity img.tif --method Otsu --roi 0,0,1024,880 --gaussian 1 --overlay check.png', 'ImageJ Otsu in a rectangle, with an overlay')
      .epilog(
        'Convention: the threshold t is what the method returns for the histogram of the analysed region; ' +
          "void = pixel <= t for dark voids (ImageJ's setAutoThreshold(method) without 'dark'), void = pixel > t for bright voids. " +
          'The data bar is found from the file metadata or the pixels and excluded unless --keep-databar. ' +
          'Pores are 8-connected; specks below --min-pore still count in the void fraction, which is also given without them.',
      ) as unknown as Argv<PorosityArgs>,
  handler: async (a) => {
    const images = a.images ?? [];
    if (images.length === 0) throw new VoidscopeError('EOPTION', 'name at least one image');
    const base = porosityOptionsFromArgs(a);
    const several = images.length > 1;
    const used = new Set<string>();
    const unique = (p: string): string => {
      let q = p;
      for (let k = 2; used.has(q); k++) q = p.replace(/(\.[^./\\]*)?$/u, `_${k}$1`);
      used.add(q);
      return q;
    };
    const results: PorosityResult[] = [];
    for (const img of images) {
      const o: PorosityOptions = { ...base };
      if (a.overlay !== undefined) o.overlay = unique(outputPathFor(a.overlay, img, several, '_overlay'));
      if (a['void-mask'] !== undefined) o.voidMask = unique(outputPathFor(a['void-mask'], img, several, '_voids'));
      try {
        const r = await analyzePorosity(img, o);
        results.push(r);
        if (!a.json) process.stdout.write(formatPorosityText(r) + '\n' + (several ? '\n' : ''));
      } catch (e) {
        if (!several || !isVoidscopeError(e) || (e.code === 'EOPTION' && e.file === undefined)) throw e;
        process.stderr.write(`voidscope: ${e.message}\n`);
        process.exitCode = 1;
      }
    }
    if (a.json) process.stdout.write(JSON.stringify(several ? results : results[0], null, 2) + '\n');
  },
};
export default command;
