/**
 * Stage 5: per binder content summary, SIMS comparison with the reference maps, correlations,
 * recommendation, capacity curves; and the SIMS heat maps (pictures, written with the report).
 */
import { join, relative, sep } from 'node:path';
import { capacityCurve, type CyclingCell } from '../electrochem.js';
import type { Electrode } from '../labels.js';
import type { ScanResult } from '../inputs.js';
import { recommend } from '../recommend.js';
import type { RecommendationRule } from '../study.js';
import { buildCorrelations, buildSummary, simsRelative } from '../summary.js';
import type { SemImage, SimsMap } from '../types.js';
import type { aggregateElectrochem } from '../electrochem.js';

export async function summarise(args: {
  sem: SemImage[];
  sims: SimsMap[];
  scan: ScanResult;
  cells: CyclingCell[];
  ec: ReturnType<typeof aggregateElectrochem>;
  rule: RecommendationRule;
  compare: boolean;
  warnings: string[];
}) {
  const { sem, sims, scan, cells, ec, rule, warnings } = args;
  const references = new Map<Electrode, number>();
  for (const m of sims) {
    if (m.status !== 'ok') continue;
    const g = scan.sims.find((s) => s.rel === m.file);
    const ref = g?.reference ?? null;
    const cur = references.get(m.label.electrode);
    if (ref !== null) references.set(m.label.electrode, ref);
    else if (cur === undefined || m.label.binderWtPct < cur) references.set(m.label.electrode, m.label.binderWtPct);
  }
  if (args.compare) await simsCompare(sims, references, warnings);
  simsRelative(sims, references);
  const summary = buildSummary(sem, sims, ec.byBinder, references, warnings);
  const correlations = buildCorrelations(summary, rule);
  const electrodes = [...new Set(summary.filter((s) => s.electrochem).map((s) => s.electrode))];
  const recommendations = electrodes.map((e) =>
    recommend(
      e,
      summary.filter((s) => s.electrode === e && s.electrochem).map((s) => ({ binderWtPct: s.binderWtPct, metrics: s.electrochem!.metrics })),
      rule,
    ),
  );
  const curveGroups = new Map<string, CyclingCell[]>();
  for (const c of cells) curveGroups.set(`${c.electrode}|${c.binderWtPct}`, [...(curveGroups.get(`${c.electrode}|${c.binderWtPct}`) ?? []), c]);
  const curves = [...curveGroups.values()]
    .map((l) => capacityCurve(l)!)
    .sort((a, b) => a.electrode.localeCompare(b.electrode) || a.binderWtPct - b.binderWtPct);
  return { summary, correlations, recommendations, curves };
}

/**
 * SIMS heat maps with one colour scale per electrode (renderSimsHeatmaps). The
 * rasters do not cross the worker boundary, so the (small) maps are read again
 * here. A failure costs the pictures only, with a warning.
 */
export async function renderHeatmaps(maps: SimsMap[], root: string, tmp: string, warnings: string[]): Promise<void> {
  const ok = maps.filter((m) => m.status === 'ok');
  if (ok.length === 0) return;
  try {
    const mod = (await import('../../sims/index.js')) as Record<string, unknown>;
    const analyze = mod.analyzeSimsMap as ((f: string, o: Record<string, unknown>) => Promise<unknown>) | undefined;
    const render = mod.renderSimsHeatmaps as ((m: unknown[], o: { out: string }) => Promise<{ files: string[] }>) | undefined;
    if (typeof analyze !== 'function' || typeof render !== 'function') return;
    for (const electrode of [...new Set(ok.map((m) => m.label.electrode))]) {
      const mine = ok.filter((m) => m.label.electrode === electrode);
      const results: unknown[] = [];
      for (const m of mine) {
        results.push(await analyze(join(root, m.file), { ...m.options, ...(m.totalFile ? { total: join(root, m.totalFile) } : {}) }));
      }
      const toInput = mod.heatmapInputFromResult as ((r: unknown) => unknown) | undefined;
      const inputs = typeof toInput === 'function' ? results.map((r) => toInput(r)) : results;
      const out = await render(inputs, { out: join(tmp, 'heatmaps', `${electrode}-li.png`) });
      out.files.forEach((f, i) => {
        if (mine[i]) mine[i]!.heatmap = relative(tmp, f).split(sep).join('/');
      });
    }
  } catch (e) {
    warnings.push(`TOF-SIMS heat maps not rendered: ${(e as Error).message}`);
  }
}

/**
 * Per-map Li⁺ relative to the reference map with compareSimsMaps (exact conditional
 * Poisson rate ratio, counts per µm²), where an electrode has exactly one reference
 * map; with several reference maps simsRelative() uses their mean instead.
 */
async function simsCompare(maps: SimsMap[], references: Map<Electrode, number>, warnings: string[]): Promise<void> {
  try {
    const mod = (await import('../../sims/index.js')) as Record<string, unknown>;
    const compare = mod.compareSimsMaps as ((r: unknown[], i: number) => { rows: Array<{ relativeIntensity: { value: number; lower: number; upper: number; method: string } }> }) | undefined;
    if (typeof compare !== 'function') return;
    for (const [electrode, ref] of references) {
      const mine = maps.filter((m) => m.status === 'ok' && m.raw && m.label.electrode === electrode);
      const refIdx = mine.map((m, i) => (m.label.binderWtPct === ref ? i : -1)).filter((i) => i >= 0);
      if (refIdx.length !== 1) continue;
      const c = compare(mine.map((m) => m.raw), refIdx[0]!);
      c.rows.forEach((row, i) => {
        const ri = row.relativeIntensity;
        mine[i]!.relativeToReference = {
          value: ri.value,
          ci95: [ri.lower, ri.upper],
          reference: `${mine[refIdx[0]!]!.file} (${ri.method}; counting noise only)`,
        };
      });
    }
  } catch (e) {
    warnings.push(`TOF-SIMS comparison with the reference map failed: ${(e as Error).message}`);
  }
}


