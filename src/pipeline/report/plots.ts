/**
 * The report's plots: Vega-Lite specifications compiled with vega-lite and
 * rendered to SVG by vega's View in headless mode (renderer "none"), at report
 * time, with no network. Axes, scales and legends are Vega's; nothing is drawn
 * by hand.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { View, parse } from 'vega';
import { formatBinder } from '../labels.js';
import { metricInfo } from '../electrochem.js';
import { rateCapabilityOf } from '../recommend.js';
import type { StudyResult } from '../types.js';

export interface Plot {
  /** File name in the report's plots/ folder. */
  name: string;
  title: string;
  /** What the plot shows and how intervals were computed. */
  caption: string;
  spec: TopLevelSpec;
  svg: string;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const base = { $schema: SCHEMA, background: 'white', config: { font: 'DejaVu Sans, Arial, sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 } } };

/** Compile and render one Vega-Lite spec to SVG text. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

let binderAxis: Record<string, unknown> = {};

/** What the SIMS plot's intervals are, from the methods actually used per group. */
export function simsIntervalText(r: StudyResult): string {
  const groups = r.summary.filter((s) => s.sims?.relative);
  const one = groups.filter((s) => s.sims!.meanCounts.n === 1);
  const many = groups.filter((s) => s.sims!.meanCounts.n >= 2);
  const withCi = groups.filter((s) => s.sims!.relative!.ci95);
  if (withCi.length === 0) return 'no intervals (too few maps)';
  const parts: string[] = [];
  if (one.length) parts.push(`${one.length === groups.length ? 'one map per binder content: ' : `${one.map((s) => formatBinder(s.binderWtPct)).join(', ')} wt % (one map each): `}bars are 95 % Poisson counting-noise intervals of the map's counts, with no map-to-map spread in them`);
  if (many.length) parts.push(`${many.map((s) => formatBinder(s.binderWtPct)).join(', ')} wt % (replicate maps): bars are 95 % intervals by the delta method over the maps`);
  return parts.join('; ');
}

/** The sources ("published", "illustrative", …) of some electrochemistry metrics across the summary. */
function ecSources(r: StudyResult, keys: string[]): string {
  const out = new Set<string>();
  for (const s of r.summary) for (const k of keys) {
    const m = s.electrochem?.metrics[k];
    if (m) out.add(`${m.source ?? 'not stated'} (${m.origin === 'cycling' ? 'computed from cycling files' : `table ${m.from.join(', ')}`})`);
  }
  return out.size ? [...out].join('; ') : 'not stated';
}
const ELECTRODE_ORDER = ['cathode', 'anode', 'full-cell'];

/** Build the Vega-Lite specs for a result (pure; exported for tests). */
export function plotSpecs(r: StudyResult): Array<Omit<Plot, 'svg'>> {
  const out: Array<Omit<Plot, 'svg'>> = [];
  const binders = [...new Set(r.summary.map((s) => s.binderWtPct))].sort((a, b) => a - b);
  binderAxis = {
    field: 'binder',
    type: 'quantitative',
    title: 'NBR binder content (wt %)',
    scale: { zero: false, padding: 12 },
    axis: { values: binders, format: '.1f' },
  };

  // 1. Porosity per state and cycle count vs binder content: mean with its 95 % t interval, individual images as dots.
  // Intervals are cut to the physical 0–100 % and to an axis taken from the data (means and images), so an
  // n = 2 interval (t = 12.7 with 1 df) cannot flatten the plot; a cut end is marked and named in the caption.
  const stateLabel = (state: string, cycles: number | null): string => (state === 'pristine' ? 'pristine' : cycles === null ? 'cycled (count unknown)' : `after ${cycles} cycles`);
  const porRaw = r.summary.flatMap((s) =>
    (s.sem.states ?? [s.sem.pristine, s.sem.cycled].filter((x): x is NonNullable<typeof x> => x !== null))
      .filter((v) => v.porosity.mean !== null)
      .map((v) => ({
        electrode: s.electrode,
        binder: s.binderWtPct,
        state: stateLabel(v.state, v.cycles),
        mean: v.porosity.mean!,
        lo: v.porosity.ci95?.low ?? v.porosity.mean!,
        hi: v.porosity.ci95?.high ?? v.porosity.mean!,
        n: v.porosity.n,
        // The segmentation band (mean of the images' band ends), drawn apart from the interval over images.
        bandLow: v.band?.low ?? null,
        bandHigh: v.band?.high ?? null,
      })),
  );
  const porImages = r.sem
    .filter((s) => s.status === 'ok' && s.porosityPercent !== null)
    .map((s) => ({ electrode: s.label.electrode, binder: s.label.binderWtPct, state: stateLabel(s.label.state, s.label.cycles), porosity: s.porosityPercent! }));
  const cut: string[] = [];
  const axisOf = new Map<string, [number, number]>();
  for (const e of new Set(porRaw.map((p) => p.electrode))) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of porRaw) {
      if (p.electrode !== e) continue;
      lo = Math.min(lo, p.mean, p.bandLow ?? p.mean);
      hi = Math.max(hi, p.mean, p.bandHigh ?? p.mean);
    }
    for (const p of porImages) if (p.electrode === e) (lo = Math.min(lo, p.porosity)), (hi = Math.max(hi, p.porosity));
    const pad = Math.max((hi - lo) * 0.25, 0.5);
    axisOf.set(e, [Math.max(0, lo - pad), Math.min(100, hi + pad)]);
  }
  const por = porRaw.map((p) => {
    const [a0, a1] = axisOf.get(p.electrode)!;
    const lo = Math.max(p.lo, a0);
    const hi = Math.min(p.hi, a1);
    if (lo > p.lo + 1e-9 || hi < p.hi - 1e-9) cut.push(`${p.electrode} ${formatBinder(p.binder)} wt % ${p.state}: [${p.lo.toFixed(1)}, ${p.hi.toFixed(1)}] % (n = ${p.n})`);
    return { ...p, lo, hi, ciLow: p.lo, ciHigh: p.hi, cutLow: lo > p.lo + 1e-9 ? lo : null, cutHigh: hi < p.hi - 1e-9 ? hi : null };
  });
  if (por.length) {
    const values = [...por.map((p) => ({ ...p, kind: 'mean' })), ...porImages.map((p) => ({ ...p, kind: 'image' }))];
    // Legend order: pristine, then cycle counts ascending (as the summary orders its groups).
    const stateOrder = [...new Set(porRaw.map((p) => p.state))].sort((a, b) => {
      const k = (x: string): number => (x === 'pristine' ? -1 : Number(/\d+/.exec(x)?.[0] ?? Number.MAX_SAFE_INTEGER));
      return k(a) - k(b);
    });
    const onlyMeans = [{ filter: "datum.kind === 'mean'" }];
    const electrodes = [...axisOf.keys()];
    // One chart per electrode (concatenated), each with its own y axis from its data; faceting would share one domain.
    const color = { field: 'state', type: 'nominal', title: 'State', sort: stateOrder };
    const panel = (e: string) => {
      const [d0, d1] = axisOf.get(e)!;
      const y = { type: 'quantitative', title: 'Porosity (%)', scale: { domain: [d0, d1], zero: false, nice: false } };
      const mine = [{ filter: `datum.electrode === ${JSON.stringify(e)}` }];
      return {
        title: e,
        width: 300,
        height: 230,
        layer: [
          { transform: [...mine, ...onlyMeans], mark: { type: 'line', opacity: 0.5 }, encoding: { x: binderAxis, y: { field: 'mean', ...y }, color } },
          {
            transform: [...mine, ...onlyMeans, { filter: 'datum.bandLow !== null && datum.bandHigh !== null' }],
            mark: { type: 'rule', strokeWidth: 9, opacity: 0.25 },
            encoding: { x: binderAxis, y: { field: 'bandLow', ...y }, y2: { field: 'bandHigh' }, color },
          },
          { transform: [...mine, ...onlyMeans], mark: { type: 'rule' }, encoding: { x: binderAxis, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color } },
          {
            transform: [...mine, ...onlyMeans],
            mark: { type: 'point', filled: true, size: 70 },
            encoding: {
              x: binderAxis,
              y: { field: 'mean', ...y },
              color,
              tooltip: [{ field: 'binder' }, { field: 'state' }, { field: 'mean', format: '.2f' }, { field: 'ciLow', format: '.2f' }, { field: 'ciHigh', format: '.2f' }, { field: 'n' }],
            },
          },
          { transform: [...mine, ...onlyMeans, { filter: 'datum.cutHigh !== null' }], mark: { type: 'point', shape: 'triangle-up', filled: true, size: 60 }, encoding: { x: binderAxis, y: { field: 'cutHigh', ...y }, color } },
          { transform: [...mine, ...onlyMeans, { filter: 'datum.cutLow !== null' }], mark: { type: 'point', shape: 'triangle-down', filled: true, size: 60 }, encoding: { x: binderAxis, y: { field: 'cutLow', ...y }, color } },
          { transform: [...mine, { filter: "datum.kind === 'image'" }], mark: { type: 'point', size: 14, opacity: 0.6 }, encoding: { x: binderAxis, y: { field: 'porosity', ...y }, color } },
        ],
      };
    };
    out.push({
      name: 'porosity-vs-binder.svg',
      title: 'Porosity per state and cycle count vs binder content',
      caption:
        'Mean porosity per binder content, state and cycle count (images of different cycle counts are never pooled); vertical lines are 95 % Student-t intervals over images (n counts images, treated as independent; none when n = 1); ' +
        (porRaw.some((p) => p.bandLow !== null)
          ? 'wide translucent bars are the segmentation band (the group mean with every image at its band ends: how far the porosity moves when the segmentation boundary moves within what the images cannot distinguish), kept apart from the spread between images; '
          : 'no segmentation band is available for these images; ') +
        'small dots are the individual images. ' +
        'The y axis spans the data, not the intervals' +
        (cut.length ? `; intervals reaching past it (or past 0–100 %) are cut at the edge and marked ▲/▼: ${cut.join('; ')}.` : '; no interval reaches past it.'),
      spec: {
        ...base,
        data: { values },
        hconcat: electrodes.map(panel),
        resolve: { scale: { color: 'shared' } },
      } as unknown as TopLevelSpec,
    });
  }

  // 2. Residual Li⁺ relative to the reference vs binder content.
  const li = r.summary
    .filter((s) => s.sims?.relative)
    .map((s) => ({ electrode: s.electrode, binder: s.binderWtPct, rel: s.sims!.relative!.value, lo: s.sims!.relative!.ci95?.[0] ?? s.sims!.relative!.value, hi: s.sims!.relative!.ci95?.[1] ?? s.sims!.relative!.value, n: s.sims!.meanCounts.n }));
  const liMaps = r.sims
    .filter((m) => m.relativeToReference)
    .map((m) => ({ electrode: m.label.electrode, binder: m.label.binderWtPct, rel: m.relativeToReference!.value }));
  if (li.length) {
    const ref = r.summary.find((s) => s.sims?.relative)?.sims?.relative?.reference;
    out.push({
      name: 'li-vs-binder.svg',
      title: 'Residual Li⁺ (TOF-SIMS) vs binder content',
      caption: `Mean Li⁺ counts per pixel relative to the ${ref !== undefined ? `${formatBinder(ref)} wt % ` : ''}reference (1 = reference); ${simsIntervalText(r)}; dots are individual maps.`,
      spec: {
        ...base,
        datasets: { groups: li, maps: liMaps },
        data: { name: 'groups' },
        width: 340,
        height: 230,
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, data: { values: [{ one: 1 }] }, encoding: { y: { field: 'one', type: 'quantitative' } } },
          { mark: { type: 'errorbar', ticks: true }, encoding: { x: binderAxis, y: { field: 'lo', type: 'quantitative', title: 'Li⁺ relative to reference (1)' }, y2: { field: 'hi' }, color: { field: 'electrode', type: 'nominal', title: 'Electrode' } } },
          { mark: { type: 'line', point: { filled: true, size: 70 } }, encoding: { x: binderAxis, y: { field: 'rel', type: 'quantitative' }, color: { field: 'electrode', type: 'nominal' } } },
          { data: { name: 'maps' }, mark: { type: 'point', size: 14, opacity: 0.6 }, encoding: { x: binderAxis, y: { field: 'rel', type: 'quantitative' }, color: { field: 'electrode', type: 'nominal' } } },
        ],
      } as unknown as TopLevelSpec,
    });
  }

  // 3. Retention and rate capability vs binder content.
  const retKey = metricInfo.retention(r.run.rule.retentionCycle).key;
  const ec = r.summary.flatMap((s) => {
    if (!s.electrochem) return [];
    const rows: Array<Record<string, unknown>> = [];
    const ret = s.electrochem.metrics[retKey];
    if (ret) rows.push({ electrode: s.electrode, binder: s.binderWtPct, metric: `Capacity retention after ${r.run.rule.retentionCycle} cycles`, value: ret.value, lo: ret.sd !== null ? ret.value - ret.sd : ret.value, hi: ret.sd !== null ? ret.value + ret.sd : ret.value });
    const rc = rateCapabilityOf(s.electrochem.metrics, r.run.rule);
    if (rc) rows.push({ electrode: s.electrode, binder: s.binderWtPct, metric: `Rate capability (${r.run.rule.highRate} C / ${r.run.rule.lowRate} C)`, value: rc.value, lo: rc.sd !== null ? rc.value - rc.sd : rc.value, hi: rc.sd !== null ? rc.value + rc.sd : rc.value });
    return rows;
  });
  if (ec.length) {
    out.push({
      name: 'retention-rate-vs-binder.svg',
      title: 'Capacity retention and rate capability vs binder content',
      caption: `Mean over cells; bars are ± 1 standard deviation between cells (n counts cells, where several were measured). Source of the values: ${ecSources(r, [retKey, metricInfo.rateCapability(r.run.rule.highRate, r.run.rule.lowRate).key])}.`,
      spec: {
        ...base,
        data: { values: ec },
        facet: { column: { field: 'electrode', type: 'nominal', title: null, sort: ELECTRODE_ORDER } },
        spec: {
          width: 300,
          height: 230,
          layer: [
            { mark: { type: 'errorbar', ticks: true }, encoding: { x: binderAxis, y: { field: 'lo', type: 'quantitative', title: 'Value (%)', scale: { zero: false } }, y2: { field: 'hi' }, color: { field: 'metric', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 400 } } } },
            { mark: { type: 'line', point: { filled: true, size: 60 } }, encoding: { x: binderAxis, y: { field: 'value', type: 'quantitative' }, color: { field: 'metric', type: 'nominal' } } },
          ],
        },
      } as unknown as TopLevelSpec,
    });
  }

  // 4. Capacity vs cycle per binder content.
  const curve = r.electrochem.curves.flatMap((c) =>
    c.points.map((p) => ({ electrode: c.electrode, binder: `${formatBinder(c.binderWtPct)} wt %`, cycle: p.cycle, capacity: p.mean, unit: c.unit })),
  );
  if (curve.length) {
    const unit = r.electrochem.curves[0]!.unit;
    out.push({
      name: 'capacity-vs-cycle.svg',
      title: 'Discharge capacity vs cycle per binder content',
      caption: (() => {
        const ns = [...new Set(r.electrochem.curves.map((c) => c.points[0]?.n ?? 0))];
        const srcs = [...new Set(r.summary.map((s) => s.electrochem?.metrics[retKey]).filter((m) => m?.origin === 'cycling').map((m) => m!.source ?? 'not stated'))];
        return `Mean discharge capacity over the cells of each binder content (n = ${ns.join(' / ')} cells); C-rate steps show as plateaus. Source: ${srcs.length ? srcs.join('; ') : 'not stated'} (cycling files).`;
      })(),
      spec: {
        ...base,
        data: { values: curve },
        facet: { column: { field: 'electrode', type: 'nominal', title: null, sort: ELECTRODE_ORDER } },
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 300,
          height: 230,
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'cycle', type: 'quantitative', title: 'Cycle' },
            y: { field: 'capacity', type: 'quantitative', title: `Discharge capacity (${unit})`, scale: { zero: false } },
            color: { field: 'binder', type: 'ordinal', title: 'NBR', scale: { scheme: 'viridis' } },
          },
        },
      } as unknown as TopLevelSpec,
    });
  }

  // 5. Pore-size distributions (kernel density of equivalent diameters, per binder content and state), one plot
  // per unit: µm (calibrated images) and px (uncalibrated) never share an axis.
  const pores = r.sem
    .filter((s) => s.status === 'ok' && s.poreEcds.length > 0)
    .flatMap((s) => s.poreEcds.map((d) => ({ group: `${s.label.electrode}, ${stateLabel(s.label.state, s.label.cycles)}`, binder: `${formatBinder(s.label.binderWtPct)} wt %`, ecd: d, unit: s.pores?.unit ?? 'px' })));
  const units = [...new Set(pores.map((p) => p.unit))].sort((a, b) => (a === 'µm' ? -1 : b === 'µm' ? 1 : a.localeCompare(b)));
  for (const unit of units) {
    const mine = pores.filter((p) => p.unit === unit);
    let max = 0;
    for (const p of mine) max = Math.max(max, p.ecd);
    out.push({
      name: unit === 'µm' || units.length === 1 ? 'pore-size-distributions.svg' : `pore-size-distributions-${unit.replace(/[^a-z0-9]+/gi, '_')}.svg`,
      title: `Pore-size distributions (${unit})`,
      caption:
        `Kernel density of pore equivalent circular diameters in ${unit}${unit === 'px' ? ' (uncalibrated images: no pixel size)' : ''}, all images of a binder content, state and cycle count pooled.` +
        (units.length > 1 ? ` Images in ${units.filter((u) => u !== unit).join(', ')} are in their own plot.` : ''),
      spec: {
        ...base,
        data: { values: mine },
        transform: [{ density: 'ecd', groupby: ['group', 'binder'], extent: [0, max] }],
        facet: { field: 'group', type: 'nominal', title: null },
        columns: 2,
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 280,
          height: 170,
          mark: { type: 'line' },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: `Equivalent diameter (${unit})` },
            y: { field: 'density', type: 'quantitative', title: `Density (1/${unit})` },
            color: { field: 'binder', type: 'ordinal', title: 'NBR', scale: { scheme: 'viridis' } },
          },
        },
      } as unknown as TopLevelSpec,
    });
  }
  return out;
}

/** Build and render every plot of a result. */
export async function renderPlots(r: StudyResult): Promise<Plot[]> {
  const specs = plotSpecs(r);
  const out: Plot[] = [];
  for (const s of specs) {
    try {
      out.push({ ...s, svg: await renderSvg(s.spec) });
    } catch (e) {
      r.warnings.push(`plot "${s.title}" could not be rendered: ${(e as Error).message}`);
    }
  }
  return out;
}
