/**
 * `voidscope porosity`: void fraction and pores of SEM cross-sections (thin layer over
 * analyzePorosity in src/segmentation/porosity.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { availableParallelism } from 'node:os';
import { VoidscopeError } from '../../errors.js';
import type { Roi } from '../../raster/types.js';
import { parseRoiOption } from '../../raster/roi.js';
import type { PorosityResult } from '../../segmentation/types.js';
import { parseAnalysisSpec, type AnalysisSpec } from '../../segmentation/spec.js';
import { describeFilters } from '../../segmentation/prefilter.js';
import { ANALYSIS_FLAGS, specFromFlags, withAnalysisFlags } from '../analysis-flags.js';
import { analyseFiles, jobsOption } from '../parallel.js';

export interface PorosityArgs {
  images?: string[];
  json?: boolean;
  overlay?: string;
  'void-mask'?: string;
  jobs?: number;
  [flag: string]: unknown;
}

/** The analysis flags of this command (see ../analysis-flags.ts). */
export const POROSITY_FLAGS = Object.keys(ANALYSIS_FLAGS);

/** Parse "x,y,w,h" (whole pixels). */
export function parseRoiArg(text: string, flag = '--roi'): Roi {
  return parseRoiOption(text, flag);
}

export function parseBinsArg(text: string | undefined): 'imagej' | number | undefined {
  if (text === undefined) return undefined;
  const s = parseAnalysisSpec({ bins: text }, { names: 'flag' }).segment;
  return s.method === 'global' ? s.bins : undefined;
}

/** The validated spec of a porosity command line (output paths are added per image). */
export function porositySpecFromArgs(a: PorosityArgs): AnalysisSpec {
  return specFromFlags(a, POROSITY_FLAGS);
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
  lines.push(`  filters      ${describeFilters(r.filters)}`);
  const h = r.threshold.histogram;
  const seg = r.segmentation;
  if (seg?.segmenter === 'model' && seg.model) {
    lines.push(`  segmenter    model ${seg.model.path ?? ''} (SHA-256 ${seg.model.sha256.slice(0, 12)}…; classes ${seg.model.classes.join(', ')}; ${seg.model.backend}); ${seg.source}`);
  } else if (seg && (seg.segmenter === 'local' || seg.segmenter === 'model')) {
    lines.push(`  segmenter    ${seg.segmenter} ${seg.method} (${Object.entries(seg.params).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}); ${seg.source}`);
  } else {
    const allLabel = seg?.segmenter === 'auto' ? 'seed and grow thresholds' : '3-class thresholds';
    lines.push(
      `  threshold    ${r.method} t = ${fmt(r.threshold.value, 8)}` +
        (r.threshold.allValues ? ` (${allLabel} ${r.threshold.allValues.map((x) => fmt(x, 8)).join(', ')})` : '') +
        (h ? `; ${h.bins}-bin histogram (${h.mode}${h.mode !== '8-bit' ? `, ${fmt(h.min, 8)}..${fmt(h.max, 8)}` : ''})` : '') +
        `; ${r.threshold.source}`,
    );
  }
  lines.push(`  convention   ${r.convention}`);
  lines.push(`  void         ${r.porosityPercent.toFixed(2)} % (${r.voidPixels} of ${r.analysedPixels} px)`);
  if (r.phases) lines.push(`  phases       ${r.phases.map((ph) => `${ph.name}${ph.void ? ' (void)' : ''} ${ph.percent.toFixed(2)} %`).join(', ')}`);
  const c = r.confidence;
  lines.push(
    c?.band
      ? `  band         ${(c.band.low * 100).toFixed(2)}–${(c.band.high * 100).toFixed(2)} % (segmentation sensitivity; confidence ${c.level}${c.separability !== null ? `, separability ${fmt(c.separability, 2)}` : ''})`
      : `  band         not estimated by this segmenter${c ? ` (confidence ${c.level})` : ''}`,
  );
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
    withAnalysisFlags(y, POROSITY_FLAGS)
      .positional('images', { type: 'string', array: true, describe: 'SEM images (TIFF 8/16/32-bit, PNG, JPEG, BMP)' })
      .option('jobs', jobsOption)
      .option('json', { type: 'boolean', describe: 'print JSON (one object; an array for several images)' })
      .option('overlay', { type: 'string', requiresArg: true, describe: 'write an overlay PNG (voids red, specks yellow, region outlined, scale bar); several images: out_<image>.png, or a folder' })
      .option('void-mask', {
        type: 'string',
        requiresArg: true,
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
    const base = porositySpecFromArgs(a);
    const jobs = a.jobs ?? availableParallelism();
    const several = images.length > 1;
    const used = new Set<string>();
    const unique = (p: string): string => {
      let q = p;
      for (let k = 2; used.has(q); k++) q = p.replace(/(\.[^./\\]*)?$/u, `_${k}$1`);
      used.add(q);
      return q;
    };
    const specs = images.map((img): AnalysisSpec => ({
      ...base,
      outputs: {
        overlay: a.overlay !== undefined ? unique(outputPathFor(a.overlay, img, several, '_overlay')) : null,
        voidMask: a['void-mask'] !== undefined ? unique(outputPathFor(a['void-mask'], img, several, '_voids')) : null,
      },
    }));
    const results: PorosityResult[] = [];
    // Results come back in input order whatever --jobs is; text is printed as each is ready.
    await analyseFiles('sem', images, specs, jobs, (r, i) => {
      if (r.ok) {
        results.push(r.result as PorosityResult);
        if (!a.json) process.stdout.write(formatPorosityText(r.result as PorosityResult) + '\n' + (several ? '\n' : ''));
      } else {
        if (!several) throw new VoidscopeError(r.error.code as VoidscopeError['code'], r.error.message);
        process.stderr.write(`voidscope: ${r.error.message.includes(images[i]!) ? '' : `${images[i]}: `}${r.error.message}\n`);
        process.exitCode = 1;
      }
    });
    if (a.json) process.stdout.write(JSON.stringify(several ? results : results[0], null, 2) + '\n');
  },
};
export default command;
