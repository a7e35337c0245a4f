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

  // 1. Porosity before / after cycling vs binder content, mean with 95 % t interval, individual images as dots.
  const por = r.summary.flatMap((s) =>
    (['pristine', 'cycled'] as const)
      .map((st) => ({ st, v: s.sem[st] }))
      .filter((x) => x.v && x.v.porosity.mean !== null)
      .map(({ st, v }) => ({
        electrode: s.electrode,
        binder: s.binderWtPct,
        state: st === 'cycled' ? `cycled${v!.cycles ? ` (${v!.cycles} cycles)` : ''}` : 'pristine',
        mean: v!.porosity.mean,
        lo: v!.porosity.ci95?.low ?? v!.porosity.mean,
        hi: v!.porosity.ci95?.high ?? v!.porosity.mean,
        n: v!.porosity.n,
      })),
  );
  const porImages = r.sem
    .filter((s) => s.status === 'ok' && s.porosityPercent !== null)
    .map((s) => ({ electrode: s.label.electrode, binder: s.label.binderWtPct, state: s.label.state === 'cycled' ? `cycled${s.label.cycles ? ` (${s.label.cycles} cycles)` : ''}` : 'pristine', porosity: s.porosityPercent }));
  if (por.length) {
    // One dataset (means and images tagged by `kind`), filtered per layer: layers with their own
    // data inside a facet would not be split by electrode.
    const values = [...por.map((p) => ({ ...p, kind: 'mean' })), ...porImages.map((p) => ({ ...p, kind: 'image' }))];
    const onlyMeans = [{ filter: "datum.kind === 'mean'" }];
    out.push({
      name: 'porosity-vs-binder.svg',
      title: 'Porosity before and after cycling vs binder content',
      caption: 'Mean porosity per binder content and state; bars are 95 % Student-t intervals over images (none when n = 1); small dots are the individual images.',
      spec: {
        ...base,
        data: { values },
        facet: { column: { field: 'electrode', type: 'nominal', title: null, sort: ELECTRODE_ORDER } },
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 300,
          height: 230,
          layer: [
            { transform: onlyMeans, mark: { type: 'line', opacity: 0.5 }, encoding: { x: binderAxis, y: { field: 'mean', type: 'quantitative', title: 'Porosity (%)' }, color: { field: 'state', type: 'nominal', title: 'State' } } },
            { transform: onlyMeans, mark: { type: 'errorbar', ticks: true }, encoding: { x: binderAxis, y: { field: 'lo', type: 'quantitative', title: 'Porosity (%)' }, y2: { field: 'hi' }, color: { field: 'state', type: 'nominal' } } },
            {
              transform: onlyMeans,
              mark: { type: 'point', filled: true, size: 70 },
              encoding: {
                x: binderAxis,
                y: { field: 'mean', type: 'quantitative' },
                color: { field: 'state', type: 'nominal' },
                tooltip: [{ field: 'binder' }, { field: 'state' }, { field: 'mean', format: '.2f' }, { field: 'n' }],
              },
            },
            { transform: [{ filter: "datum.kind === 'image'" }], mark: { type: 'point', size: 14, opacity: 0.6 }, encoding: { x: binderAxis, y: { field: 'porosity', type: 'quantitative' }, color: { field: 'state', type: 'nominal' } } },
          ],
        },
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
      caption: `Mean Li⁺ counts per pixel relative to the ${ref !== undefined ? `${formatBinder(ref)} wt % ` : ''}reference (1 = reference); bars are 95 % intervals (delta method over maps); dots are individual maps.`,
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
      caption: 'Mean over cells; bars are ± 1 standard deviation between cells (where several cells were measured).',
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
      caption: 'Mean discharge capacity over the cells of each binder content; C-rate steps show as plateaus.',
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

  // 5. Pore-size distributions (kernel density of equivalent diameters, per binder content and state).
  const pores = r.sem
    .filter((s) => s.status === 'ok' && s.poreEcds.length > 0)
    .flatMap((s) => s.poreEcds.map((d) => ({ group: `${s.label.electrode}, ${s.label.state}`, binder: `${formatBinder(s.label.binderWtPct)} wt %`, ecd: d, unit: s.pores?.unit ?? 'px' })));
  if (pores.length) {
    const units = [...new Set(pores.map((p) => p.unit))];
    out.push({
      name: 'pore-size-distributions.svg',
      title: 'Pore-size distributions',
      caption: `Kernel density of pore equivalent circular diameters (${units.join(' / ')}), all images of a binder content and state pooled.`,
      spec: {
        ...base,
        data: { values: pores },
        transform: [{ density: 'ecd', groupby: ['group', 'binder'], extent: [0, pores.reduce((m, p) => (p.ecd > m ? p.ecd : m), -Infinity)] }],
        facet: { field: 'group', type: 'nominal', title: null },
        columns: 2,
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 280,
          height: 170,
          mark: { type: 'line' },
          encoding: {
            x: { field: 'value', type: 'quantitative', title: `Equivalent diameter (${units.join(' / ')})` },
            y: { field: 'density', type: 'quantitative', title: 'Density' },
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
