/**
 * `voidscope thresholds`: every threshold method on one image and the void fraction each
 * gives, like ImageJ's Image ▸ Adjust ▸ Auto Threshold "Try all" (thin layer over
 * analyzeThresholds in src/segmentation/porosity.ts).
 */
import type { Argv, CommandModule } from 'yargs';
import { VoidscopeError } from '../../errors.js';
import type { ThresholdsOptions, ThresholdsResult } from '../../segmentation/porosity.js';
import { analyzeThresholds } from '../../segmentation/analyze.js';
import { parseBinsArg, parseRoiArg } from './porosity.js';

interface Args {
  image?: string;
  roi?: string;
  mask?: string;
  voids?: string;
  bins?: string;
  gaussian?: number;
  median?: number;
  'keep-databar'?: boolean;
  page?: number;
  json?: boolean;
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(8)));
}

export function formatThresholdsText(r: ThresholdsResult): string {
  const lines: string[] = [];
  lines.push(r.file ?? '(raster)');
  const db = r.databar && r.databar.rows > 0 ? `; data bar ${r.databar.rows} rows ${r.databar.excluded ? 'excluded' : 'kept'} (${r.databar.source})` : '';
  lines.push(`  region ROI ${r.roi.x},${r.roi.y},${r.roi.width},${r.roi.height}${r.mask ? ` ∩ mask ${r.mask.source}` : ''}${db}; ${r.analysedPixels} px`);
  lines.push(`  histogram ${r.histogram.bins} bins (${r.histogram.mode}); ${r.convention}`);
  if (r.filters.length) lines.push(`  filters ${r.filters.map((f) => (f.name === 'gaussian' ? `Gaussian σ ${f.sigmaPx}` : `median r ${f.radiusPx}`)).join(' → ')}`);
  lines.push(`  ${'method'.padEnd(14)}${'threshold'.padStart(12)}${'void %'.padStart(10)}`);
  for (const m of r.methods) {
    lines.push(`  ${m.method.padEnd(14)}${fmt(m.threshold).padStart(12)}${m.porosityPercent.toFixed(2).padStart(10)}${m.note ? `   (${m.note})` : ''}`);
  }
  for (const w of r.warnings) lines.push(`  note: ${w}`);
  return lines.join('\n');
}

const command: CommandModule<object, Args> = {
  command: 'thresholds <image>',
  describe: 'Every threshold method (ImageJ 1.53t\'s 17 + MultiOtsu) and the void fraction it gives ("Try all")',
  builder: (y: Argv<object>) =>
    y
      .positional('image', { type: 'string', describe: 'SEM image' })
      .option('roi', { type: 'string', describe: 'analyse only the rectangle x,y,w,h (pixels)' })
      .option('mask', { type: 'string', describe: 'analysis mask image (same size; non-zero = analysed)' })
      .option('voids', { type: 'string', choices: ['dark', 'bright'], describe: 'void polarity (default dark: void = pixel <= t)' })
      .option('bins', { type: 'string', describe: '16-bit/float histogram: "imagej" (default) or a bin count' })
      .option('gaussian', { type: 'number', describe: 'Gaussian pre-filter σ in pixels' })
      .option('median', { type: 'number', describe: 'median pre-filter radius in pixels' })
      .option('keep-databar', { type: 'boolean', describe: 'include the data-bar rows (default: excluded)' })
      .option('page', { type: 'number', describe: 'page of a multi-page TIFF (first = 0)' })
      .option('json', { type: 'boolean', describe: 'print JSON' }) as unknown as Argv<Args>,
  handler: async (a) => {
    if (!a.image) throw new VoidscopeError('EOPTION', 'name an image');
    const o: ThresholdsOptions = {};
    if (a.roi !== undefined) o.roi = parseRoiArg(a.roi);
    if (a.mask !== undefined) o.mask = a.mask;
    if (a.voids !== undefined) o.voids = a.voids as 'dark' | 'bright';
    const bins = parseBinsArg(a.bins);
    if (bins !== undefined) o.bins = bins;
    if (a.gaussian !== undefined) o.gaussian = a.gaussian;
    if (a.median !== undefined) o.median = a.median;
    if (a['keep-databar']) o.keepDatabar = true;
    if (a.page !== undefined) o.page = a.page;
    const r = await analyzeThresholds(a.image, o);
    process.stdout.write(a.json ? JSON.stringify(r, null, 2) + '\n' : formatThresholdsText(r) + '\n');
  },
};
export default command;
