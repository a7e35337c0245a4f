/**
 * The SIMS analysis used by the CLI and the pipeline:
 *   read → select channel → ROI → binning → counting statistics (+ total-ion ratio, hot spots).
 * `compareSimsMaps` turns several results into intensities relative to a reference map.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VoidscopeError } from '../errors.js';
import { cropRaster } from '../raster/types.js';
import type { PixelSize, Roi } from '../raster/types.js';
import { findTotalChannel, parseChannelSelector, selectChannel } from './channels.js';
import { readSimsFile } from './read.js';
import type { ReadSimsOptions } from './read.js';
import { parseExportName } from './readers/surfacelab-text.js';
import { binCounts } from './stats/binning.js';
import { clopperPearson } from './stats/clopper-pearson.js';
import { hotspotFraction } from './stats/hotspot.js';
import type { HotspotResult, HotspotRule } from './stats/hotspot.js';
import { meanCountsInterval } from './stats/poisson-interval.js';
import { poissonRateRatio, proportionRatioKatz } from './stats/rate-ratio.js';
import type { RatioWithInterval } from './stats/rate-ratio.js';
import { summarizeCounts } from './stats/summary.js';
import type { ChannelSelector, CountRaster, SimsDataset, SimsFormat } from './types.js';

export interface SimsAnalysisOptions extends ReadSimsOptions {
  /** Channel to quantify (selector or CLI-style string "Li+", "id:2", "index:1", "mz:7.016"). Default: Li⁺. */
  channel?: ChannelSelector | string;
  /**
   * Total-ion image: a file path, `false` for none, or undefined = from the same file when it has a
   * total channel (BIF6 id 0, imzML TIC, summed spectrum) or, for a SurfaceLab image text export,
   * the sibling `<measurement> (0) - total.txt`.
   */
  total?: string | false;
  /** Region of interest in source pixels (before binning). */
  roi?: Roi;
  /** Field of view (µm, full raster width) used when the file carries no pixel size. */
  fovUm?: number;
  /** Sum k×k pixel blocks before statistics (1 = none). */
  bin?: number;
  /** Hot-spot rule (default Otsu, no smoothing). */
  hotspot?: HotspotRule;
  /** Confidence level of all intervals (default 0.95). */
  level?: number;
}

export interface SimsInterval {
  lower: number;
  upper: number;
  level: number;
  method: string;
}

export interface SimsMapResult {
  file: string;
  format: SimsFormat;
  channel: { label: string | null; id: number | null; index: number | null; mzRange: [number, number] | null; selectedBy: string };
  total: { file: string; label: string | null; source: string } | null;
  /** Size of the analysed map (after ROI and binning), pixels. */
  width: number;
  height: number;
  /** Size of the raster in the file, pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** µm per analysed pixel (after binning), or null when uncalibrated. */
  pixelSize: PixelSize | null;
  /** Analysed area in µm², or null when uncalibrated. */
  areaUm2: number | null;
  roi: Roi | null;
  binning: { factor: number; droppedColumns: number; droppedRows: number; droppedCounts: number; effect: string };
  pixels: number;
  /** Sum of the channel's counts over the analysed pixels. */
  totalCounts: number;
  /** Mean counts per analysed pixel. */
  meanCounts: number;
  /** Exact Poisson (Garwood) interval of meanCounts. */
  meanCountsCI95: SimsInterval;
  /** Counts per µm² (null when uncalibrated). */
  countsPerUm2: number | null;
  medianCounts: number;
  maxCounts: number;
  sdCounts: number;
  zeroFraction: number;
  /** Variance/mean of pixel counts (1 for spatially uniform Poisson counts). */
  dispersionIndex: number | null;
  integerCounts: boolean;
  /** Channel counts / total-ion counts over the same pixels, with a Clopper–Pearson interval; null without a total-ion image. */
  ticRatio: (SimsInterval & { value: number; totalIonCounts: number }) | null;
  hotspotFraction: number | null;
  hotspot: HotspotResult | null;
  assumptions: string[];
}

/** Result plus the analysed raster (kept off the JSON: non-enumerable `raster`). */
export type SimsMapResultWithRaster = SimsMapResult & { readonly raster: CountRaster };

const GARWOOD = 'exact Poisson (Garwood): χ² quantiles on the total count, divided by the pixel count; counting noise only';
const CP = 'Clopper–Pearson exact binomial on channel counts out of total-ion counts (conditional on the total); counting noise only';

function validateOptions(o: SimsAnalysisOptions): void {
  if (o.bin !== undefined && !(Number.isInteger(o.bin) && o.bin >= 1 && o.bin <= 64)) {
    throw new VoidscopeError('EOPTION', `--bin must be an integer from 1 to 64 (e.g. 2 or 4), got ${o.bin}`);
  }
  if (o.fovUm !== undefined && !(Number.isFinite(o.fovUm) && o.fovUm > 0)) {
    throw new VoidscopeError('EOPTION', `--fov must be a field of view in µm > 0, got ${o.fovUm}`);
  }
  if (o.level !== undefined && !(o.level > 0 && o.level < 1)) throw new VoidscopeError('EOPTION', `confidence level must be in (0, 1), got ${o.level}`);
  if (o.roi) {
    const r = o.roi;
    if (![r.x, r.y, r.width, r.height].every((v) => Number.isInteger(v)) || r.x < 0 || r.y < 0 || r.width < 1 || r.height < 1) {
      throw new VoidscopeError('EOPTION', `--roi must be x,y,w,h with non-negative integers and w, h ≥ 1, got ${r.x},${r.y},${r.width},${r.height}`);
    }
  }
  if (o.hotspot) {
    if (o.hotspot.method === 'sigma' && !(o.hotspot.k >= 0)) throw new VoidscopeError('EOPTION', `hot-spot k must be ≥ 0, got ${o.hotspot.k}`);
    if (o.hotspot.smoothSigmaPx !== undefined && !(o.hotspot.smoothSigmaPx >= 0)) throw new VoidscopeError('EOPTION', `hot-spot smoothing σ must be ≥ 0`);
  }
}

/** Parse "x,y,w,h". */
export function parseRoi(text: string): Roi {
  const p = text.split(',').map((s) => Number(s.trim()));
  if (p.length !== 4 || p.some((v) => !Number.isInteger(v))) throw new VoidscopeError('EOPTION', `--roi must be x,y,w,h in pixels, got "${text}"`);
  return { x: p[0]!, y: p[1]!, width: p[2]!, height: p[3]! };
}

/** SurfaceLab image export `<meas> (<id>) - <label>.txt` → sibling `<meas> (0) - total.txt`, if present. */
async function siblingTotal(file: string): Promise<string | null> {
  const name = parseExportName(file);
  if (!name || name.id === 0) return null;
  let entries: string[];
  try {
    entries = await readdir(dirname(file));
  } catch {
    return null;
  }
  const hit = entries.find((e) => {
    const n = parseExportName(e);
    return n !== null && n.measurement === name.measurement && (n.id === 0 || /^total$/i.test(n.label.trim())) && e !== basename(file);
  });
  return hit ? join(dirname(file), hit) : null;
}

async function loadTotal(
  ds: SimsDataset,
  opt: SimsAnalysisOptions,
): Promise<{ raster: CountRaster; file: string; label: string | null; source: string } | null> {
  if (opt.total === false) return null;
  if (typeof opt.total === 'string') {
    const tds = await readSimsFile(opt.total);
    const ch = findTotalChannel(tds) ?? (tds.channels.length === 1 ? tds.channels[0]! : null);
    if (!ch) throw new VoidscopeError('EOPTION', 'the --total file has several channels and none is marked as total-ion', { file: opt.total });
    const raster = await ch.load();
    return { raster, file: opt.total, label: ch.label ?? null, source: `--total file (${tds.format}${ch.label ? `, channel "${ch.label}"` : ''})` };
  }
  const own = findTotalChannel(ds);
  if (own && !(ds.format === 'surfacelab-image-text' && ds.channels.length === 1)) {
    return { raster: await own.load(), file: ds.file, label: own.label ?? null, source: `same file, channel ${own.index}${own.id !== undefined ? ` (id ${own.id})` : ''}` };
  }
  const sib = await siblingTotal(ds.file);
  if (sib) {
    const tds = await readSimsFile(sib);
    return { raster: await tds.channels[0]!.load(), file: sib, label: tds.channels[0]!.label ?? null, source: 'sibling SurfaceLab export "(0) - total"' };
  }
  return null;
}

/**
 * Analyse one SIMS map. Stable API for the pipeline:
 * `analyzeSimsMap(file, options) → Promise<SimsMapResult>` (the returned object also carries a
 * non-enumerable `raster` with the analysed map, for `renderSimsHeatmaps`).
 */
export async function analyzeSimsMap(file: string, options: SimsAnalysisOptions = {}): Promise<SimsMapResultWithRaster> {
  validateOptions(options);
  const level = options.level ?? 0.95;
  const ds = await readSimsFile(file, options);
  const selector = typeof options.channel === 'string' ? parseChannelSelector(options.channel) : options.channel;
  const sel = await selectChannel(ds, selector);
  const assumptions = [...ds.assumptions];
  let map = sel.raster;
  if (sel.index !== null && ds.channels[sel.index]?.kind === 'total') assumptions.push('the selected channel is the total-ion image itself');

  // Calibration: file first, else field of view / width.
  let pixelSize: PixelSize | null = ds.pixelSize ?? map.pixelSize;
  if (pixelSize && options.fovUm !== undefined) {
    assumptions.push(`--fov ${options.fovUm} µm ignored: the file states the pixel size (${pixelSize.value} µm, ${pixelSize.source})`);
  } else if (!pixelSize && options.fovUm !== undefined) {
    pixelSize = { value: options.fovUm / ds.width, unit: 'µm', source: `--fov ${options.fovUm} µm / ${ds.width} px` };
    if (ds.height !== ds.width) assumptions.push(`--fov taken as the field of view along x (${ds.width} px); square pixels assumed`);
  }
  map = { ...map, pixelSize };

  let total = await loadTotal(ds, options);
  if (total && (total.raster.width !== map.width || total.raster.height !== map.height)) {
    throw new VoidscopeError('EOPTION', `total-ion image is ${total.raster.width}×${total.raster.height} but the map is ${map.width}×${map.height}`, { file: total.file });
  }
  let totalMap = total?.raster ?? null;

  // ROI.
  let roi: Roi | null = null;
  if (options.roi) {
    const r = options.roi;
    if (r.x + r.width > map.width || r.y + r.height > map.height) {
      throw new VoidscopeError('EOPTION', `ROI ${r.x},${r.y},${r.width},${r.height} extends past the ${map.width}×${map.height} map`, { file });
    }
    roi = { ...r };
    map = cropRaster(map, r);
    if (totalMap) totalMap = cropRaster(totalMap, r);
  }

  // Binning.
  const factor = options.bin ?? 1;
  let binning: SimsMapResult['binning'] = { factor: 1, droppedColumns: 0, droppedRows: 0, droppedCounts: 0, effect: 'no binning' };
  if (factor > 1) {
    let b;
    try {
      b = binCounts(map, factor);
    } catch (e) {
      throw new VoidscopeError('EOPTION', (e as Error).message, { file });
    }
    map = b.raster;
    if (totalMap) totalMap = binCounts(totalMap, factor).raster;
    binning = {
      factor,
      droppedColumns: b.droppedColumns,
      droppedRows: b.droppedRows,
      droppedCounts: b.droppedCounts,
      effect: `${factor}×${factor} blocks summed: counts conserved, mean and median per pixel refer to ${factor}×${factor}-pixel blocks (×${factor * factor} the per-pixel mean), zero fraction and hot spots computed on blocks${b.droppedColumns || b.droppedRows ? `; ${b.droppedColumns} edge column(s) and ${b.droppedRows} edge row(s) that do not fill a block were dropped (${b.droppedCounts} counts)` : ''}`,
    };
  }

  const s = summarizeCounts(map.data);
  if (!s.integerCounts) assumptions.push('the map holds non-integer values: Poisson intervals treat them as counts and are indicative only');
  const ci = meanCountsInterval(s.totalCounts, s.pixels, level);
  const px = map.pixelSize;
  const pxArea = px ? px.value * (px.valueY ?? px.value) : null;
  const areaUm2 = pxArea !== null ? pxArea * s.pixels : null;

  let ticRatio: SimsMapResult['ticRatio'] = null;
  if (totalMap) {
    let n = 0;
    for (let i = 0; i < totalMap.data.length; i++) n += totalMap.data[i]!;
    if (n <= 0) {
      assumptions.push('total-ion image holds no counts: ratio not computed');
    } else if (s.totalCounts > n) {
      assumptions.push(`channel counts (${s.totalCounts}) exceed total-ion counts (${n}): the total-ion image cannot include this channel; ratio not computed`);
    } else {
      const cp = clopperPearson(s.totalCounts, n, level);
      ticRatio = { value: s.totalCounts / n, totalIonCounts: n, lower: cp.lower, upper: cp.upper, level, method: CP };
    }
  }
  if (!total) total = null;

  let hotspot: HotspotResult | null = null;
  if (map.width >= 2 && map.height >= 2) {
    hotspot = hotspotFraction(map.data, map.width, map.height, options.hotspot ?? { method: 'otsu' });
  } else {
    assumptions.push('map is not two-dimensional: no hot-spot fraction');
  }

  const result: SimsMapResult = {
    file,
    format: ds.format,
    channel: { label: sel.label, id: sel.id, index: sel.index, mzRange: sel.mzRange, selectedBy: sel.selectedBy },
    total: total ? { file: total.file, label: total.label, source: total.source } : null,
    width: map.width,
    height: map.height,
    sourceWidth: ds.width,
    sourceHeight: ds.height,
    pixelSize: px,
    areaUm2,
    roi,
    binning,
    pixels: s.pixels,
    totalCounts: s.totalCounts,
    meanCounts: s.meanCounts,
    meanCountsCI95: { lower: ci.lower, upper: ci.upper, level, method: GARWOOD },
    countsPerUm2: areaUm2 ? s.totalCounts / areaUm2 : null,
    medianCounts: s.medianCounts,
    maxCounts: s.maxCounts,
    sdCounts: s.sdCounts,
    zeroFraction: s.zeroFraction,
    dispersionIndex: s.dispersionIndex,
    integerCounts: s.integerCounts,
    ticRatio,
    hotspotFraction: hotspot?.fraction ?? null,
    hotspot,
    assumptions,
  };
  Object.defineProperty(result, 'raster', { value: map, enumerable: false });
  return result as SimsMapResultWithRaster;
}

export interface SimsComparisonRow {
  file: string;
  channel: string | null;
  totalCounts: number;
  /** Exposure used for the rate (µm² when every map is calibrated, else source pixels). */
  exposure: { value: number; unit: 'µm²' | 'source px' };
  meanCounts: number;
  /** Mean intensity relative to the reference map, with an exact conditional interval. */
  relativeIntensity: RatioWithInterval;
  /** (channel/total-ion) relative to the reference's, when both have a total-ion image. */
  relativeTicRatio: RatioWithInterval | null;
}

export interface SimsComparison {
  reference: string;
  level: number;
  normalisation: string;
  rows: SimsComparisonRow[];
  caveat: string;
}

/**
 * Each map's intensity relative to `results[referenceIndex]`:
 * rate ratio (counts per µm², or per source pixel when not all maps are calibrated) with the
 * exact conditional binomial interval, and — when total-ion images exist — the ratio of
 * channel/total-ion fractions with a Katz log interval.
 */
export function compareSimsMaps(results: SimsMapResult[], referenceIndex = 0, level = 0.95): SimsComparison {
  const ref = results[referenceIndex];
  if (!ref) throw new VoidscopeError('EOPTION', `reference index ${referenceIndex} is out of range (0–${results.length - 1})`);
  const calibrated = results.every((r) => r.areaUm2 !== null);
  const exposure = (r: SimsMapResult) => (calibrated ? r.areaUm2! : r.pixels * r.binning.factor * r.binning.factor);
  const unit = calibrated ? 'µm²' : 'source px';
  const rows = results.map((r) => ({
    file: r.file,
    channel: r.channel.label,
    totalCounts: r.totalCounts,
    exposure: { value: exposure(r), unit } as SimsComparisonRow['exposure'],
    meanCounts: r.meanCounts,
    relativeIntensity: poissonRateRatio(r.totalCounts, exposure(r), ref.totalCounts, exposure(ref), level),
    relativeTicRatio:
      r.ticRatio && ref.ticRatio ? proportionRatioKatz(r.totalCounts, r.ticRatio.totalIonCounts, ref.totalCounts, ref.ticRatio.totalIonCounts, level) : null,
  }));
  return {
    reference: ref.file,
    level,
    normalisation: calibrated ? 'counts per µm² of analysed area' : 'counts per source pixel (not all maps are calibrated)',
    rows,
    caveat:
      'Intervals reflect Poisson counting noise of each map only; they do not include variation between samples, spots or sessions (repeat measurements are needed for that).',
  };
}
