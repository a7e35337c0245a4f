/**
 * `voidscope sims`: quantify TOF-SIMS Li⁺ maps (thin layer over src/sims).
 *
 *   voidscope sims <file...> [--channel Li+ | --mz 7.016 --tol 0.05] [--total <file>] [--roi x,y,w,h]
 *                  [--fov µm] [--bin 2] [--hotspot otsu|sigma:2] [--reference <file>] [--json]
 *                  [--heatmap out.png] [--log] [--panel]
 *   voidscope sims --list <file>
 */
import type { Argv, CommandModule } from 'yargs';
import { VoidscopeError, isVoidscopeError } from '../../errors.js';
import {
  SIMS_FORMATS,
  analyzeSimsMap,
  compareSimsMaps,
  heatmapInputFromResult,
  listSimsChannels,
  parseChannelSelector,
  parseHotspotRule,
  renderSimsHeatmaps,
} from '../../sims/index.js';
import type { ChannelSelector, SimsAnalysisOptions, SimsComparison, SimsFormat, SimsMapResultWithRaster } from '../../sims/index.js';
import { VERSION } from '../../version.js';
import { parseRoiOption } from '../../raster/roi.js';

interface Args {
  files?: string[];
  list?: boolean;
  channel?: string;
  mz?: number;
  tol?: number;
  total?: string;
  roi?: string;
  fov?: number;
  bin?: number;
  hotspot: string;
  'hotspot-smooth'?: number;
  reference?: string;
  json?: boolean;
  heatmap?: string;
  log?: boolean;
  panel?: boolean;
  format?: string;
  'no-total'?: boolean;
  level?: number;
  'heatmap-max'?: number;
}

function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e7)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

function buildOptions(a: Args): SimsAnalysisOptions {
  if (a.channel !== undefined && a.mz !== undefined) throw new VoidscopeError('EOPTION', 'give either --channel or --mz, not both');
  if (a.tol !== undefined && a.mz === undefined) throw new VoidscopeError('EOPTION', '--tol needs --mz');
  if (a.tol !== undefined && !(a.tol >= 0)) throw new VoidscopeError('EOPTION', `--tol must be ≥ 0 u, got ${a.tol}`);
  let channel: ChannelSelector | undefined;
  if (a.mz !== undefined) {
    if (!(a.mz > 0)) throw new VoidscopeError('EOPTION', `--mz must be > 0, got ${a.mz}`);
    channel = a.tol !== undefined ? { mz: a.mz, tol: a.tol } : { mz: a.mz };
  } else if (a.channel !== undefined) channel = parseChannelSelector(a.channel);
  const hotspot = parseHotspotRule(a.hotspot, a['hotspot-smooth']);
  if (!hotspot) throw new VoidscopeError('EOPTION', `--hotspot must be "otsu" or "sigma:<k>" (e.g. sigma:2), got "${a.hotspot}"`);
  if (a['hotspot-smooth'] !== undefined && !(a['hotspot-smooth'] >= 0)) throw new VoidscopeError('EOPTION', '--hotspot-smooth must be a σ in pixels ≥ 0');
  const o: SimsAnalysisOptions = { hotspot };
  if (channel) o.channel = channel;
  if (a['no-total']) o.total = false;
  else if (a.total !== undefined) o.total = a.total;
  if (a.roi !== undefined) o.roi = parseRoiOption(a.roi, '--roi');
  if (a.fov !== undefined) o.fovUm = a.fov;
  if (a.bin !== undefined) o.bin = a.bin;
  if (a.format !== undefined) o.format = a.format as SimsFormat;
  if (a.level !== undefined) o.level = a.level;
  return o;
}

function ci(lo: number, hi: number): string {
  return `[${fmt(lo)}, ${fmt(hi)}]`;
}

function printText(results: SimsMapResultWithRaster[], cmp: SimsComparison | null, heatmaps: string[]): void {
  const out: string[] = [];
  // Notes shared by every map are printed once at the end.
  const common = results.length > 1 ? results[0]!.assumptions.filter((a) => results.every((r) => r.assumptions.includes(a))) : [];
  for (const r of results) {
    out.push(`${r.file}`);
    out.push(`  format ${r.format}; channel ${r.channel.label ?? '(unlabelled)'}${r.channel.mzRange ? ` m/z ${fmt(r.channel.mzRange[0], 5)}–${fmt(r.channel.mzRange[1], 5)}` : ''} (${r.channel.selectedBy})`);
    out.push(
      `  map ${r.width}×${r.height} px${r.roi ? ` (ROI ${r.roi.x},${r.roi.y},${r.roi.width},${r.roi.height})` : ''}${r.binning.factor > 1 ? `, ${r.binning.factor}×${r.binning.factor} binned` : ''}; ${r.pixelSize ? `${fmt(r.pixelSize.value)} µm/px (${r.pixelSize.source}), ${fmt(r.areaUm2!)} µm²` : 'uncalibrated (use --fov)'}`,
    );
    out.push(`  total counts      ${fmt(r.totalCounts, 8)}`);
    const pct = `${Math.round(r.meanCountsCI95.level * 1000) / 10}%`;
    out.push(`  mean counts/px    ${fmt(r.meanCounts)}  ${pct} CI ${ci(r.meanCountsCI95.lower, r.meanCountsCI95.upper)} (exact Poisson)`);
    out.push(`  median / max      ${fmt(r.medianCounts)} / ${fmt(r.maxCounts)};  zero pixels ${fmt(100 * r.zeroFraction, 3)} %;  dispersion (var/mean) ${r.dispersionIndex === null ? 'n/a' : fmt(r.dispersionIndex, 3)}`);
    out.push(
      r.ticRatio
        ? `  / total ion       ${fmt(r.ticRatio.value)}  ${pct} CI ${ci(r.ticRatio.lower, r.ticRatio.upper)} (Clopper–Pearson; total ${fmt(r.ticRatio.totalIonCounts, 8)} counts, ${r.total?.source})`
        : '  / total ion       n/a (no total-ion image; give --total)',
    );
    out.push(
      r.hotspot
        ? `  hot-spot area     ${fmt(100 * r.hotspot.fraction, 3)} % (${r.hotspot.rule.description}; threshold ${fmt(r.hotspot.thresholdCounts)})`
        : '  hot-spot area     n/a',
    );
    for (const a of r.assumptions) if (!common.includes(a)) out.push(`  note: ${a}`);
  }
  if (common.length) {
    out.push('');
    out.push('Notes (all maps):');
    for (const a of common) out.push(`  ${a}`);
  }
  if (cmp) {
    out.push('');
    out.push(`Relative intensity vs ${cmp.reference} (${cmp.normalisation}; ${Math.round(cmp.level * 100)} % intervals):`);
    for (const row of cmp.rows) {
      const ri = row.relativeIntensity;
      const rt = row.relativeTicRatio;
      out.push(
        `  ${row.file}: ${fmt(ri.value)} ${ci(ri.lower, ri.upper)}${rt ? `;  per total ion ${fmt(rt.value)} ${ci(rt.lower, rt.upper)}` : ''}`,
      );
    }
    out.push(`  methods: ${cmp.rows[0]!.relativeIntensity.method}${cmp.rows.some((r) => r.relativeTicRatio) ? `; per total ion: ${cmp.rows.find((r) => r.relativeTicRatio)!.relativeTicRatio!.method}` : ''}`);
    out.push(`  ${cmp.caveat}`);
  }
  for (const h of heatmaps) out.push(`heat map: ${h}`);
  process.stdout.write(out.join('\n') + '\n');
}

const command: CommandModule<object, Args> = {
  command: 'sims [files..]',
  describe: 'Quantify TOF-SIMS Li+ maps (BIF6, SurfaceLab text, imzML, count TIFF/PNG/CSV) with counting statistics',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'SIMS files (for imzML pass the .imzML; the .ibd is found next to it)' })
      .option('list', { type: 'boolean', describe: 'list the channels (ids, labels, mass ranges) of each file and exit' })
      .option('channel', { type: 'string', describe: 'channel: label (Li+, Li-, 7Li, total), id:N, index:N or mz:7.016 (default Li+)' })
      .option('mz', { type: 'number', describe: 'select by m/z (u): the interval containing it, or a window for imzML/spectra' })
      .option('tol', { type: 'number', describe: 'half-width of the m/z window in u (default 0.05)' })
      .option('total', { type: 'string', describe: 'total-ion image file (default: from the same file, or the "(0) - total" export)' })
      .option('no-total', { type: 'boolean', describe: 'do not use any total-ion image' })
      .option('roi', { type: 'string', describe: 'region of interest x,y,w,h in pixels (before binning)' })
      .option('fov', { alias: 'fov-um', type: 'number', describe: 'field of view in µm (full raster width) when the file has no pixel size (fovUm in a study file)' })
      .option('bin', { type: 'number', describe: 'sum k×k pixel blocks before statistics (2, 4, …)' })
      .option('hotspot', { type: 'string', default: 'otsu', describe: 'hot-spot rule: otsu | sigma:<k> (mean + k·SD)' })
      .option('hotspot-smooth', { type: 'number', describe: 'Gaussian σ (px) applied before the hot-spot threshold' })
      .option('reference', { type: 'string', describe: 'reference map: report every map relative to it (analysed with the same options)' })
      .option('json', { type: 'boolean', describe: 'print JSON on stdout' })
      .option('heatmap', { type: 'string', describe: 'write heat map PNG(s): out.png, or out-<name>.png per map with a shared colour scale' })
      .option('log', { type: 'boolean', describe: 'log colour scale (log10(1 + counts)) for --heatmap' })
      .option('heatmap-max', { type: 'number', describe: 'top of the colour scale in counts (default: the largest pixel over all maps)' })
      .option('level', { type: 'number', describe: 'confidence level of all intervals (default 0.95)' })
      .option('panel', { type: 'boolean', describe: 'with several maps, one side-by-side PNG instead of one per map' })
      .option('format', { type: 'string', choices: [...SIMS_FORMATS], describe: 'force a reader instead of detecting the format' })
      .example('$0 sims samples/sims/anode/NBR*/*.bif6 --fov 50 --reference samples/sims/anode/NBR0.5/SiC-anode_NBR0.5_15cyc_pos.bif6', 'Li+ of five anodes relative to 0.5 wt% NBR')
      .example('$0 sims --list map.bif6', 'show the mass intervals of a BIF6 export')
      .example('$0 sims data.imzML --mz 7.016 --tol 0.05 --heatmap li.png', 'ion image of an m/z window') as unknown as Argv<Args>,
  handler: async (a) => {
    const files = a.files ?? [];
    if (files.length === 0) throw new VoidscopeError('EOPTION', 'name at least one SIMS file');
    if (a.list) {
      const lists = [];
      for (const f of files) {
        try {
          lists.push(await listSimsChannels(f, a.format ? { format: a.format as SimsFormat } : {}));
        } catch (e) {
          if (!isVoidscopeError(e) || files.length === 1) throw e;
          process.stderr.write(`voidscope: ${e.message}\n`);
          process.exitCode = 1;
        }
      }
      if (a.json) {
        process.stdout.write(JSON.stringify({ version: VERSION, files: lists }, null, 2) + '\n');
        return;
      }
      const out: string[] = [];
      for (const l of lists) {
        out.push(`${l.file}: ${l.format}, ${l.width}×${l.height} px${l.pixelSize ? `, ${l.pixelSize.value} µm/px` : ''}`);
        for (const c of l.channels) {
          out.push(
            `  index ${c.index}${c.id !== null ? `  id ${c.id}` : ''}  ${c.kind.padEnd(7)} ${c.label ?? '(no label)'}${c.mzRange ? `  m/z ${c.mzRange[0]}–${c.mzRange[1]}` : ''}${c.mzCentre !== null ? `  centre ${c.mzCentre}` : ''}`,
          );
        }
        if (l.anyMzWindow) out.push('  any m/z window can be extracted (--mz/--tol)');
      }
      process.stdout.write(out.join('\n') + '\n');
      return;
    }
    const options = buildOptions(a);
    const all = [...files];
    let refIndex = 0;
    if (a.reference !== undefined) {
      const at = all.indexOf(a.reference);
      if (at >= 0) refIndex = at;
      else {
        all.unshift(a.reference);
        refIndex = 0;
      }
    }
    const results: SimsMapResultWithRaster[] = [];
    const okFiles: string[] = [];
    for (const f of all) {
      try {
        results.push(await analyzeSimsMap(f, options));
        okFiles.push(f);
      } catch (e) {
        if (!isVoidscopeError(e) || e.code === 'EOPTION' && !e.file) throw e;
        if (all.length === 1) throw e;
        if (a.reference !== undefined && f === a.reference) throw e;
        process.stderr.write(`voidscope: ${e.message}\n`);
        process.exitCode = 1;
      }
    }
    if (results.length === 0) return;
    const refAt = a.reference !== undefined ? okFiles.indexOf(a.reference) : 0;
    const cmp = results.length > 1 || a.reference !== undefined ? compareSimsMaps(results, Math.max(0, refAt === -1 ? refIndex : refAt), options.level ?? 0.95) : null;
    let heatmaps: string[] = [];
    let scale = null;
    if (a.heatmap !== undefined) {
      const r = await renderSimsHeatmaps(results.map(heatmapInputFromResult), { out: a.heatmap, log: a.log ?? false, layout: a.panel ? 'panel' : 'separate', ...(a['heatmap-max'] !== undefined ? { max: a['heatmap-max'] } : {}) });
      heatmaps = r.files;
      scale = r.scale;
    }
    if (a.json) {
      process.stdout.write(JSON.stringify({ version: VERSION, maps: results, comparison: cmp, heatmaps: { files: heatmaps, scale } }, null, 2) + '\n');
    } else printText(results, cmp, heatmaps);
  },
};
export default command;
