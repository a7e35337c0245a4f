/**
 * Tabular views of a StudyResult shared by the CSV, Markdown and HTML writers:
 * one definition of each column (header with unit, value getter, display
 * format), so the three outputs always agree.
 */
import { formatBinder } from '../labels.js';
import { metricInfo } from '../electrochem.js';
import { rateCapabilityOf } from '../recommend.js';
import type { BinderSummary, StudyResult, Stat } from '../types.js';

export type Cell = number | string | null;

export function fmt(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  if (x !== 0 && Math.abs(x) < 10 ** -digits * 10) return String(Number(x.toPrecision(2)));
  return x.toFixed(digits);
}

/** "15.02 ± 0.13 % (n = 2)" */
export function fmtStat(s: Stat | null | undefined, digits = 2): string {
  if (!s || s.mean === null) return '–';
  const u = s.unit === '1' ? '' : s.unit === '%' ? ' %' : ` ${s.unit}`;
  return `${fmt(s.mean, digits)}${s.sd !== null ? ` ± ${fmt(s.sd, digits)}` : ''}${u} (n = ${s.n})`;
}

export function fmtCi(ci: { low: number; high: number } | [number, number] | null | undefined, digits = 2): string {
  if (!ci) return '';
  const [lo, hi] = Array.isArray(ci) ? ci : [ci.low, ci.high];
  return `[${fmt(lo, digits)}, ${fmt(hi, digits)}]`;
}

/** A summary column: CSV header, display header, value for CSV, text for MD/HTML. */
export interface SummaryColumn {
  key: string;
  csv: string;
  header: string;
  /** Shown in the main summary table (false: the electrochemistry details table). */
  main: boolean;
  value: (s: BinderSummary) => Cell;
  text: (s: BinderSummary) => string;
}

/** Columns of the per-binder summary (which electrochem metrics appear depends on the data). */
export function summaryColumns(r: StudyResult): SummaryColumn[] {
  const cols: SummaryColumn[] = [
    { main: true, key: 'electrode', csv: 'electrode', header: 'Electrode', value: (s) => s.electrode, text: (s) => s.electrode },
    { main: true, key: 'binder', csv: 'binder (wt %)', header: 'NBR (wt %)', value: (s) => s.binderWtPct, text: (s) => formatBinder(s.binderWtPct) },
  ];
  const statCols = (key: string, label: string, unit: string, get: (s: BinderSummary) => Stat | null | undefined, digits = 2): void => {
    cols.push({ main: true, key: `${key}_mean`, csv: `${key}_mean (${unit})`, header: `${label}`, value: (s) => get(s)?.mean ?? null, text: (s) => fmtStat(get(s), digits) });
    cols.push({ main: true, key: `${key}_sd`, csv: `${key}_sd (${unit})`, header: '', value: (s) => get(s)?.sd ?? null, text: () => '' });
    cols.push({ main: true, key: `${key}_n`, csv: `${key}_n`, header: '', value: (s) => get(s)?.n ?? null, text: () => '' });
    cols.push({ main: true, key: `${key}_ci95_low`, csv: `${key}_ci95_low (${unit})`, header: '', value: (s) => get(s)?.ci95?.low ?? null, text: () => '' });
    cols.push({ main: true, key: `${key}_ci95_high`, csv: `${key}_ci95_high (${unit})`, header: '', value: (s) => get(s)?.ci95?.high ?? null, text: () => '' });
  };
  if (r.summary.some((s) => s.sem.pristine)) statCols('pristine_porosity', 'Porosity, pristine', '%', (s) => s.sem.pristine?.porosity);
  if (r.summary.some((s) => s.sem.cycled)) statCols('cycled_porosity', 'Porosity, cycled', '%', (s) => s.sem.cycled?.porosity);
  if (r.summary.some((s) => s.sem.increase)) {
    cols.push({
      main: true,
      key: 'porosity_increase',
      csv: 'porosity_increase (pp)',
      header: 'Increase (pp) [95 % CI, Welch]',
      value: (s) => s.sem.increase?.value ?? null,
      text: (s) => (s.sem.increase ? `${fmt(s.sem.increase.value)} pp ${fmtCi(s.sem.increase.ci95)}` : '–'),
    });
    cols.push({ main: true, key: 'porosity_increase_ci95_low', csv: 'porosity_increase_ci95_low (pp)', header: '', value: (s) => s.sem.increase?.ci95?.low ?? null, text: () => '' });
    cols.push({ main: true, key: 'porosity_increase_ci95_high', csv: 'porosity_increase_ci95_high (pp)', header: '', value: (s) => s.sem.increase?.ci95?.high ?? null, text: () => '' });
  }
  if (r.summary.some((s) => s.sem.cycled?.poreD50.mean != null)) {
    const unit = r.summary.find((s) => s.sem.cycled?.poreD50.mean != null)!.sem.cycled!.poreD50.unit;
    cols.push({
      main: true,
      key: 'cycled_pore_d50',
      csv: `cycled_pore_d50_mean (${unit})`,
      header: `Pore D50, cycled (${unit})`,
      value: (s) => s.sem.cycled?.poreD50.mean ?? null,
      text: (s) => (s.sem.cycled?.poreD50.mean != null ? `${fmt(s.sem.cycled.poreD50.mean)}${s.sem.cycled.poreD50.sd !== null ? ` ± ${fmt(s.sem.cycled.poreD50.sd)}` : ''}` : '–'),
    });
  }
  if (r.summary.some((s) => s.sims)) {
    statCols('li_mean_counts', 'Li⁺ mean counts / pixel', 'counts per pixel', (s) => s.sims?.meanCounts, 2);
    cols.push({
      main: true,
      key: 'li_relative',
      csv: 'li_relative (1)',
      header: 'Li⁺ relative to reference [95 % CI]',
      value: (s) => s.sims?.relative?.value ?? null,
      text: (s) => (s.sims?.relative ? `${fmt(s.sims.relative.value, 3)} ${fmtCi(s.sims.relative.ci95, 3)}` : '–'),
    });
    cols.push({ main: true, key: 'li_relative_ci95_low', csv: 'li_relative_ci95_low (1)', header: '', value: (s) => s.sims?.relative?.ci95?.[0] ?? null, text: () => '' });
    cols.push({ main: true, key: 'li_relative_ci95_high', csv: 'li_relative_ci95_high (1)', header: '', value: (s) => s.sims?.relative?.ci95?.[1] ?? null, text: () => '' });
    if (r.summary.some((s) => s.sims?.ticRatio.mean != null)) {
      cols.push({ main: true, key: 'li_tic_ratio', csv: 'li_tic_ratio_mean (1)', header: 'Li⁺ / total ions', value: (s) => s.sims?.ticRatio.mean ?? null, text: (s) => fmt(s.sims?.ticRatio.mean ?? null, 4) });
    }
  }
  // Electrochemistry: every metric key present, in a stable order.
  const order = (k: string): number => {
    const pri = ['precond_capacity', 'initial_capacity', 'initial_ce', 'mean_ce', 'retention_', 'rate_capability', 'capacity_', 'dcir', 'ionic_conductivity', 'electronic_conductivity', 'relative_active_surface_area'];
    const i = pri.findIndex((p) => k.startsWith(p));
    return i < 0 ? pri.length : i;
  };
  const metricKeys = new Map<string, { label: string; unit: string }>();
  for (const s of r.summary) for (const [k, m] of Object.entries(s.electrochem?.metrics ?? {})) if (!metricKeys.has(k)) metricKeys.set(k, { label: m.label, unit: m.unit });
  const keys = [...metricKeys.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }));
  const mainKeys = new Set([
    'precond_capacity',
    metricInfo.retention(r.run.rule.retentionCycle).key,
    metricInfo.rateCapability(r.run.rule.highRate, r.run.rule.lowRate).key,
    metricInfo.capacityAt(r.run.rule.highRate).key,
    'dcir',
    'relative_active_surface_area',
  ]);
  for (const k of keys) {
    const { label, unit } = metricKeys.get(k)!;
    const digits = unit === 'S cm⁻¹' ? 6 : unit === '1' ? 2 : 1;
    const u = unit === '1' ? '' : unit === '%' ? ' %' : ` ${unit}`;
    cols.push({
      main: mainKeys.has(k),
      key: k,
      csv: `${k} (${unit})`,
      header: `${label} (${unit})`,
      value: (s) => s.electrochem?.metrics[k]?.value ?? null,
      text: (s) => {
        const m = s.electrochem?.metrics[k];
        if (!m) return '–';
        return `${fmt(m.value, digits)}${m.sd !== null ? ` ± ${fmt(m.sd, digits)}` : ''}${u}${m.n > 1 ? ` (n = ${m.n})` : ''}`;
      },
    });
    cols.push({ main: true, key: `${k}_sd`, csv: `${k}_sd (${unit})`, header: '', value: (s) => s.electrochem?.metrics[k]?.sd ?? null, text: () => '' });
    cols.push({ main: true, key: `${k}_n`, csv: `${k}_n`, header: '', value: (s) => s.electrochem?.metrics[k]?.n ?? null, text: () => '' });
    cols.push({ main: true, key: `${k}_source`, csv: `${k}_source`, header: '', value: (s) => s.electrochem?.metrics[k]?.source ?? null, text: () => '' });
  }
  if (r.summary.some((s) => s.electrochem && rateCapabilityOf(s.electrochem.metrics, r.run.rule)) && !keys.includes(metricInfo.rateCapability(r.run.rule.highRate, r.run.rule.lowRate).key)) {
    cols.push({
      main: true,
      key: 'rate_capability_rule',
      csv: `rate_capability_${r.run.rule.highRate}C_${r.run.rule.lowRate}C (%)`,
      header: `Rate capability ${r.run.rule.highRate} C / ${r.run.rule.lowRate} C (%)`,
      value: (s) => (s.electrochem ? rateCapabilityOf(s.electrochem.metrics, r.run.rule)?.value ?? null : null),
      text: (s) => fmt(s.electrochem ? rateCapabilityOf(s.electrochem.metrics, r.run.rule)?.value ?? null : null, 1),
    });
  }
  // Columns of the electrochemistry tables voidscope does not interpret, carried through.
  const extras = new Map<string, string | null>();
  for (const s of r.summary) for (const [k, v] of Object.entries(s.electrochem?.extra ?? {})) if (!extras.has(k)) extras.set(k, v.unit);
  for (const [name, unit] of extras) {
    cols.push({
      main: false,
      key: `extra:${name}`,
      csv: unit ? `${name} (${unit})` : name,
      header: unit ? `${name} (${unit})` : name,
      value: (s) => s.electrochem?.extra[name]?.value ?? null,
      text: (s) => {
        const v = s.electrochem?.extra[name];
        return v ? `${v.value}${v.unit ? ` ${v.unit}` : ''}` : '–';
      },
    });
  }
  if (r.summary.some((s) => s.sem.pristine?.poreD50.mean != null)) {
    const unit = r.summary.find((s) => s.sem.pristine?.poreD50.mean != null)!.sem.pristine!.poreD50.unit;
    cols.push({
      main: false,
      key: 'pristine_pore_d50',
      csv: `pristine_pore_d50_mean (${unit})`,
      header: `Pore D50, pristine (${unit})`,
      value: (s) => s.sem.pristine?.poreD50.mean ?? null,
      text: (s) => (s.sem.pristine?.poreD50.mean != null ? fmt(s.sem.pristine.poreD50.mean) : '–'),
    });
  }
  cols.push({
    main: true,
    key: 'recommended',
    csv: 'recommended',
    header: 'Recommended',
    value: (s) => (r.recommendations.find((x) => x.electrode === s.electrode)?.bestBinderWtPct === s.binderWtPct ? 'yes' : ''),
    text: (s) => (r.recommendations.find((x) => x.electrode === s.electrode)?.bestBinderWtPct === s.binderWtPct ? '★ best' : ''),
  });
  return cols;
}

/** Per-image porosity rows. */
export function porosityRows(r: StudyResult): Array<Record<string, Cell>> {
  return r.sem.map((s) => ({
    file: s.file,
    electrode: s.label.electrode,
    'binder (wt %)': s.label.binderWtPct,
    state: s.label.state,
    cycles: s.label.cycles,
    group: s.label.group,
    status: s.status,
    cached: s.cached ? 'yes' : 'no',
    'porosity (%)': s.porosityPercent,
    'void_fraction (1)': s.voidFraction,
    method: s.method,
    threshold: s.threshold,
    polarity: s.polarity,
    'roi_x (px)': s.roi?.x ?? null,
    'roi_y (px)': s.roi?.y ?? null,
    'roi_width (px)': s.roi?.width ?? null,
    'roi_height (px)': s.roi?.height ?? null,
    'pixel_size (µm)': s.pixelSize?.value ?? null,
    pixel_size_source: s.pixelSize?.source ?? null,
    pore_count: s.pores?.count ?? null,
    pore_size_unit: s.pores?.unit ?? null,
    pore_mean_ecd: s.pores?.meanEcd ?? null,
    pore_d10: s.pores?.d10 ?? null,
    pore_d50: s.pores?.d50 ?? null,
    pore_d90: s.pores?.d90 ?? null,
    overlay: s.overlay,
    error: s.error?.message ?? null,
  }));
}

/**
 * A SIMS channel as text: "Li+ (m/z 6.990–7.040, id 2)". The analysis returns the channel as an object
 * (label, id, index, mzRange); a CSV cell shows it as words, never as JSON. When the file stores no label,
 * the channel the user asked for (options.channel) names it.
 */
export function channelText(ch: unknown, options: Record<string, unknown> = {}): string | null {
  if (ch === null || ch === undefined) return null;
  if (typeof ch === 'string' || typeof ch === 'number') return String(ch);
  if (typeof ch !== 'object') return String(ch);
  const c = ch as { label?: unknown; id?: unknown; index?: unknown; mzRange?: unknown; mass?: unknown };
  const asked = typeof options.channel === 'string' ? options.channel : null;
  const name = typeof c.label === 'string' && c.label !== '' ? c.label : asked;
  const parts: string[] = [];
  if (Array.isArray(c.mzRange) && c.mzRange.length === 2 && c.mzRange.every((x) => typeof x === 'number')) {
    parts.push(`m/z ${(c.mzRange[0] as number).toFixed(3)}–${(c.mzRange[1] as number).toFixed(3)}`);
  } else if (typeof c.mass === 'number') parts.push(`m/z ${c.mass}`);
  if (typeof c.id === 'number' || typeof c.id === 'string') parts.push(`id ${c.id}`);
  else if (typeof c.index === 'number') parts.push(`index ${c.index}`);
  if (!name && parts.length === 0) return null;
  return `${name ?? 'channel'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Per-map SIMS rows. */
export function simsRows(r: StudyResult): Array<Record<string, Cell>> {
  return r.sims.map((m) => ({
    file: m.file,
    electrode: m.label.electrode,
    'binder (wt %)': m.label.binderWtPct,
    state: m.label.state,
    cycles: m.label.cycles,
    status: m.status,
    cached: m.cached ? 'yes' : 'no',
    format: m.format,
    channel: channelText(m.channel, m.options),
    'width (px)': m.width,
    'height (px)': m.height,
    'pixel_size (µm)': m.pixelSize?.value ?? null,
    'total_counts (counts)': m.totalCounts,
    'mean_counts (counts per pixel)': m.meanCounts,
    'mean_counts_ci95_low (counts per pixel)': m.meanCountsCI95?.[0] ?? null,
    'mean_counts_ci95_high (counts per pixel)': m.meanCountsCI95?.[1] ?? null,
    'zero_fraction (1)': m.zeroFraction,
    'tic_ratio (1)': m.ticRatio,
    'hotspot_fraction (1)': m.hotspotFraction,
    'relative_to_reference (1)': m.relativeToReference?.value ?? null,
    'relative_ci95_low (1)': m.relativeToReference?.ci95?.[0] ?? null,
    'relative_ci95_high (1)': m.relativeToReference?.ci95?.[1] ?? null,
    total_ion_file: m.totalFile,
    error: m.error?.message ?? null,
  }));
}
