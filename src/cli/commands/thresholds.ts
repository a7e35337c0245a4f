/**
 * `voidscope thresholds`: every threshold method on one image and the void fraction each
 * gives, like ImageJ's Image ▸ Adjust ▸ Auto Threshold "Try all" (thin layer over
 * analyzeThresholds in src/segmentation/porosity.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { VoidscopeError } from '../../errors.js';
import { availableParallelism } from 'node:os';
import { THRESHOLDS_REFUSED, type ThresholdsResult } from '../../segmentation/porosity.js';
import { describeFilters } from '../../segmentation/prefilter.js';
import { specFromFlags, withAnalysisFlags } from '../analysis-flags.js';
import { analyseFiles, jobsOption } from '../parallel.js';

interface Args {
  images?: string[];
  json?: boolean;
  jobs?: number;
  [flag: string]: unknown;
}

/** The analysis flags of this command: area, pre-filters and histogram (every method runs). */
export const THRESHOLDS_FLAGS = ['roi', 'mask', 'voids', 'bins', 'background', 'background-light', 'background-paraboloid', 'background-no-smoothing', 'median', 'gaussian', 'keep-databar', 'page', 'max-pixels'];

function fmt(v: number): string {
  return String(Number(v.toPrecision(8)));
}

export function formatThresholdsText(r: ThresholdsResult): string {
  const lines: string[] = [];
  lines.push(r.file ?? '(raster)');
  const db = r.databar && r.databar.rows > 0 ? `; data bar ${r.databar.rows} rows ${r.databar.excluded ? 'excluded' : 'kept'} (${r.databar.source})` : '';
  lines.push(`  region ROI ${r.roi.x},${r.roi.y},${r.roi.width},${r.roi.height}${r.mask ? ` ∩ mask ${r.mask.source}` : ''}${db}; ${r.analysedPixels} px`);
  lines.push(`  histogram ${r.histogram.bins} bins (${r.histogram.mode}); ${r.convention}`);
  if (r.filters.length) lines.push(`  filters ${describeFilters(r.filters)}`);
  lines.push(`  ${'method'.padEnd(14)}${'threshold'.padStart(12)}${'void %'.padStart(10)}`);
  for (const m of r.methods) {
    lines.push(`  ${m.method.padEnd(14)}${fmt(m.threshold).padStart(12)}${m.porosityPercent.toFixed(2).padStart(10)}${m.note ? `   (${m.note})` : ''}`);
  }
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n');
}

const command: CommandModule<object, Args> = {
  command: 'thresholds [images..]',
  describe: 'Every threshold method (ImageJ 1.53t\'s 17 + MultiOtsu) and the void fraction it gives ("Try all")',
  builder: (y: Argv<object>) =>
    withAnalysisFlags(y, THRESHOLDS_FLAGS)
      .positional('images', { type: 'string', array: true, describe: 'SEM images' })
      .option('jobs', jobsOption)
      .option('json', { type: 'boolean', describe: 'print JSON (one object; an array for several images)' }) as unknown as Argv<Args>,
  handler: async (a) => {
    const images = a.images ?? [];
    if (images.length === 0) throw new VoidscopeError('EOPTION', 'name an image');
    const spec = specFromFlags(a, THRESHOLDS_FLAGS, THRESHOLDS_REFUSED);
    const several = images.length > 1;
    const results: ThresholdsResult[] = [];
    await analyseFiles('thresholds', images, images.map(() => spec), a.jobs ?? availableParallelism(), (r, i) => {
      if (r.ok) {
        results.push(r.result as ThresholdsResult);
        if (!a.json) process.stdout.write(formatThresholdsText(r.result as ThresholdsResult) + '\n' + (several ? '\n' : ''));
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
