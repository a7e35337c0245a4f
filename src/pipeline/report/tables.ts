/**
 * Tabular views of a StudyResult shared by the CSV, Markdown and HTML writers:
 * one definition of each column (header with unit, value getter, display
 * format), so the three outputs always agree.
 */
import { formatBinder } from '../labels.js';
import { metricInfo } from '../electrochem.js';
import { rateCapabilityOf } from '../recommend.js';
import { imageBand, imageLevel } from '../summary.js';
import type { BinderSummary, GroupBand, SemImage, SemStateSummary, StudyResult, Stat } from '../types.js';

export type Cell = number | string | null;

export function fmt(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(2);
  if (x !== 0 && Math.abs(x) < 10 ** -digits * 10) return String(Number(x.toPrecision(2)));
  return x.toFixed(digits);
}

/** "15.02 ± 0.13 % (n = 2 images)": n says what it counts when the statistic says so. */
export function fmtStat(s: Stat | null | undefined, digits = 2): string {
  if (!s || s.mean === null) return '–';
  const u = s.unit === '1' ? '' : s.unit === '%' ? ' %' : ` ${s.unit}`;
  const what = s.counts ? ` ${s.n === 1 ? s.counts.replace(/s$/, '') : s.counts}` : '';
  return `${fmt(s.mean, digits)}${s.sd !== null ? ` ± ${fmt(s.sd, digits)}` : ''}${u} (n = ${s.n}${what})`;
}

/** A group's segmentation band as text: "[2.50, 4.50] %", or why it is not there. */
export function fmtBand(b: GroupBand | null | undefined, digits = 2): string {
  if (!b) return 'not available';
  const lv = b.levels;
  const conf = lv ? `; confidence ${(['high', 'medium', 'low'] as const).filter((k) => lv[k] > 0).map((k) => `${k} ${lv[k]}`).join(', ')} of ${b.of}` : '';
  if (b.low === null || b.high === null) return `not available (${b.n} of ${b.of} images have a band)${conf}`;
  return `[${fmt(b.low, digits)}, ${fmt(b.high, digits)}] %${conf}`;
}

/** One SEM state × cycle-count group across the summary: its key, CSV prefix and header label. */
export interface StateColumn {
  state: 'pristine' | 'cycled';
  cycles: number | null;
  /** CSV prefix: "pristine", "cycled" (one cycle count in the study), or "cycled_150" / "cycled_unknown". */
  prefix: string;
  label: string;
  get: (s: BinderSummary) => SemStateSummary | null;
}

/** The SEM groups present in a result, pristine first, then cycled by count; never merged. */
export function stateColumns(r: StudyResult): StateColumn[] {
  const statesOf = (s: BinderSummary): SemStateSummary[] => s.sem.states ?? [s.sem.pristine, s.sem.cycled].filter((x): x is SemStateSummary => x !== null);
  const counts = new Set<number | null>();
  let pristine = false;
  for (const s of r.summary) for (const g of statesOf(s)) (g.state === 'pristine' ? (pristine = true) : counts.add(g.cycles));
  const out: StateColumn[] = [];
  if (pristine) out.push({ state: 'pristine', cycles: null, prefix: 'pristine', label: 'pristine', get: (s) => statesOf(s).find((g) => g.state === 'pristine') ?? null });
  const list = [...counts].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  for (const c of list) {
    out.push({
      state: 'cycled',
      cycles: c,
      prefix: list.length === 1 ? 'cycled' : `cycled_${c ?? 'unknown'}`,
      label: c === null ? 'cycled (cycle count unknown)' : `after ${c} cycles`,
      get: (s) => statesOf(s).find((g) => g.state === 'cycled' && g.cycles === c) ?? null,
    });
  }
  return out;
}

/** "0.33 ± 0.02 µm (n = 2 images)" — the unit sits in the value, so µm and px never share a header. */
function fmtSize(st: Stat | null | undefined): string {
  if (!st || st.mean === null) return '–';
  return fmtStat(st);
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
    // The n column's header says what n counts ("pristine_porosity_n (images)").
    const counts = r.summary.map((s) => get(s)?.counts).find((c): c is string => !!c);
    cols.push({ main: true, key: `${key}_n`, csv: `${key}_n${counts ? ` (${counts})` : ''}`, header: '', value: (s) => get(s)?.n ?? null, text: () => '' });
    cols.push({ main: true, key: `${key}_ci95_low`, csv: `${key}_ci95_low (${unit})`, header: '', value: (s) => get(s)?.ci95?.low ?? null, text: () => '' });
    cols.push({ main: true, key: `${key}_ci95_high`, csv: `${key}_ci95_high (${unit})`, header: '', value: (s) => get(s)?.ci95?.high ?? null, text: () => '' });
  };
  const states = stateColumns(r);
  for (const st of states) statCols(`${st.prefix}_porosity`, `Porosity, ${st.label}`, '%', (s) => st.get(s)?.porosity);
  // The segmentation band (issue 10), kept apart from the between-image spread above. When no image has one,
  // the columns stay in summary.csv (empty) and the report says "not available" once (statisticsNote).
  const anyBand = r.summary.some((s) => states.some((st) => st.get(s)?.band));
  for (const st of states) {
    cols.push({
      main: true,
      key: `${st.prefix}_porosity_band`,
      csv: `${st.prefix}_porosity_band_low (%)`,
      header: anyBand ? `Segmentation band, ${st.label} (%)` : '',
      value: (s) => st.get(s)?.band?.low ?? null,
      text: (s) => (st.get(s) ? fmtBand(st.get(s)!.band) : '–'),
    });
    cols.push({ main: true, key: `${st.prefix}_porosity_band_high`, csv: `${st.prefix}_porosity_band_high (%)`, header: '', value: (s) => st.get(s)?.band?.high ?? null, text: () => '' });
  }
  for (const st of states.filter((x) => x.state === 'cycled')) {
    const inc = (s: BinderSummary) =>
      s.sem.increases ? s.sem.increases.find((x) => x.cycles === st.cycles) ?? null : st.get(s) && s.sem.cycled === st.get(s) ? s.sem.increase : null;
    const prefix = st.prefix === 'cycled' ? 'porosity_increase' : `porosity_increase_${st.cycles ?? 'unknown'}`;
    if (!r.summary.some((s) => inc(s))) continue;
    cols.push({
      main: true,
      key: prefix,
      csv: `${prefix} (pp)`,
      header: `Increase ${st.cycles === null ? '(cycle count unknown)' : `after ${st.cycles} cycles`} (pp) [95 % CI, Welch, over images]`,
      value: (s) => inc(s)?.value ?? null,
      text: (s) => {
        const x = inc(s);
        return x ? `${fmt(x.value)} pp ${fmtCi(x.ci95)}` : '–';
      },
    });
    cols.push({ main: true, key: `${prefix}_ci95_low`, csv: `${prefix}_ci95_low (pp)`, header: '', value: (s) => inc(s)?.ci95?.low ?? null, text: () => '' });
    cols.push({ main: true, key: `${prefix}_ci95_high`, csv: `${prefix}_ci95_high (pp)`, header: '', value: (s) => inc(s)?.ci95?.high ?? null, text: () => '' });
  }
  // Pore D50: the unit goes in the value; CSV gets one column per unit, so µm and px never share a column.
  for (const st of states) {
    const stats = r.summary.map((s) => st.get(s)?.poreD50).filter((x): x is Stat => !!x && x.mean !== null);
    if (stats.length === 0) continue;
    const main = st.state === 'cycled' && st === states.filter((x) => x.state === 'cycled').at(-1);
    [...new Set(stats.map((x) => x.unit))].forEach((unit, i) => {
      cols.push({
        // The first unit's column carries the display text (every group with its own unit); the others are CSV only.
        main: i === 0 ? main : true,
        key: `${st.prefix}_pore_d50_${unit}`,
        csv: `${st.prefix}_pore_d50_mean (${unit})`,
        header: i === 0 ? `Pore D50, ${st.label}` : '',
        value: (s) => {
          const d = st.get(s)?.poreD50;
          return d && d.unit === unit ? d.mean : null;
        },
        text: (s) => (i === 0 ? fmtSize(st.get(s)?.poreD50) : ''),
      });
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
        return `${fmt(m.value, digits)}${m.sd !== null ? ` ± ${fmt(m.sd, digits)}` : ''}${u}${m.n > 1 ? ` (n = ${m.n} ${m.origin === 'cycling' ? 'cells' : 'rows'})` : ''}`;
      },
    });
    cols.push({ main: true, key: `${k}_sd`, csv: `${k}_sd (${unit})`, header: '', value: (s) => s.electrochem?.metrics[k]?.sd ?? null, text: () => '' });
    const origins = new Set(r.summary.map((s) => s.electrochem?.metrics[k]?.origin).filter((o) => o !== undefined));
    const nOf = origins.size === 1 ? (origins.has('cycling') ? 'cells' : 'rows') : 'cells or rows';
    cols.push({ main: true, key: `${k}_n`, csv: `${k}_n (${nOf})`, header: '', value: (s) => s.electrochem?.metrics[k]?.n ?? null, text: () => '' });
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
    const numeric = r.summary.some((s) => typeof s.electrochem?.extra[name]?.value === 'number');
    cols.push({
      main: false,
      key: `extra:${name}`,
      csv: unit ? `${name} (${unit})` : name,
      header: unit ? `${name} (${unit})` : name,
      value: (s) => s.electrochem?.extra[name]?.value ?? null,
      text: (s) => {
        const v = s.electrochem?.extra[name];
        if (!v) return '–';
        const val = typeof v.value === 'number' ? fmt(v.value, 2) : v.value;
        return `${val}${v.sd != null ? ` ± ${fmt(v.sd, 2)}` : ''}${v.unit ? ` ${v.unit}` : ''}${v.n && v.n > 1 ? ` (n = ${v.n} rows)` : ''}`;
      },
    });
    if (numeric) {
      cols.push({ main: true, key: `extra:${name}_sd`, csv: `${name}_sd${unit ? ` (${unit})` : ''}`, header: '', value: (s) => s.electrochem?.extra[name]?.sd ?? null, text: () => '' });
    }
    cols.push({ main: true, key: `extra:${name}_n`, csv: `${name}_n (rows)`, header: '', value: (s) => s.electrochem?.extra[name]?.n ?? null, text: () => '' });
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

/** The model of a learned segmentation in words: its folder and SHA-256 prefix, "models/hard-binder (SHA-256 ced84bbc2f3b)" (null without a model). */
export function modelText(s: SemImage): string | null {
  const m = s.segmentation?.model;
  if (!m) return null;
  return `${m.path ?? '(path not recorded)'} (SHA-256 ${m.sha256.slice(0, 12)})`;
}

/** The segmenter of an image in words: the segmenter family, and the model for a learned segmentation ("model models/hard-binder (SHA-256 ced84bbc2f3b)"). */
export function segmenterText(s: SemImage): string | null {
  const seg = s.segmentation;
  if (!seg) return null;
  const m = modelText(s);
  return m ? `${seg.segmenter} ${m}` : seg.segmenter;
}

/** The method column of the per-image tables (report.md, index.html): the method, and the model for a learned segmentation. */
/** One image's segmentation band as "14.86–15.81" (percent), or "–" where the segmenter gives none. */
export function imageBandText(s: SemImage): string {
  const b = imageBand(s);
  return b ? `${b.low.toFixed(2)}–${b.high.toFixed(2)}` : '–';
}

export function methodText(s: SemImage): string {
  const m = modelText(s);
  return m ? `${s.method ?? ''}; model ${m}` : s.method ?? '';
}

/** Area fraction of each phase in words: "void 9.11; binder 12.41; …" (%; null when the analysis gives none). */
export function phasesText(s: SemImage): string | null {
  if (!s.phases || s.phases.length === 0) return null;
  return s.phases.map((p) => `${p.name} ${p.percent.toFixed(2)}`).join('; ');
}

/** Per-image porosity rows (a "phases (%)" column when any image has per-phase area fractions). */
export function porosityRows(r: StudyResult): Array<Record<string, Cell>> {
  const anyPhases = r.sem.some((s) => s.phases && s.phases.length > 0);
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
    // The segmentation band and confidence of each image (issue 10), empty when the analysis gives none.
    'porosity_band_low (%)': imageBand(s)?.low ?? null,
    'porosity_band_high (%)': imageBand(s)?.high ?? null,
    confidence: imageLevel(s),
    method: s.method,
    threshold: s.threshold,
    polarity: s.polarity,
    prefilters: s.prefilters ?? null,
    segmenter: segmenterText(s),
    ...(anyPhases ? { 'phases (%)': phasesText(s) } : {}),
    'void_fraction_band_low (1)': s.confidence?.band?.low ?? null,
    'void_fraction_band_high (1)': s.confidence?.band?.high ?? null,
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

/** One line of the provenance table: where a quantity of the summary comes from. */
export interface ProvenanceRow {
  quantity: string;
  electrode: string;
  /** Binder contents (wt %) the row covers. */
  binders: string;
  /** "published", "illustrative", … as the data say; "computed by voidscope" for image analysis. */
  source: string;
  /** How: the table file, or the files voidscope computed it from. */
  how: string;
}

function shortList(files: string[], max = 3): string {
  const u = [...new Set(files)].sort();
  return u.length <= max ? u.join(', ') : `${u.slice(0, max).join(', ')}, … (${u.length} files)`;
}

/**
 * Provenance of every quantity in the summary, for report.md and index.html (summary.csv and
 * report.json carry it per value): electrochemistry by metric, electrode and source; SEM and SIMS
 * as computed by voidscope from which files.
 */
export function provenanceRows(r: StudyResult): ProvenanceRow[] {
  const out: ProvenanceRow[] = [];
  const electrodes = [...new Set(r.summary.map((s) => s.electrode))];
  for (const e of electrodes) {
    const rows = r.summary.filter((s) => s.electrode === e);
    const imgs = r.sem.filter((x) => x.status === 'ok' && x.label.electrode === e);
    if (imgs.length) {
      const methods = [...new Set(imgs.map((x) => x.method).filter((m): m is string => !!m))];
      out.push({
        quantity: 'Porosity and pore sizes (SEM)',
        electrode: e,
        binders: [...new Set(imgs.map((x) => formatBinder(x.label.binderWtPct)))].join(', '),
        source: 'computed by voidscope',
        how: `from ${imgs.length} SEM images (${shortList(imgs.map((x) => x.file), 2)}); threshold ${methods.join(', ') || 'unknown'}`,
      });
    }
    const maps = r.sims.filter((x) => x.status === 'ok' && x.label.electrode === e);
    if (maps.length) {
      out.push({
        quantity: 'Li⁺ counts (TOF-SIMS)',
        electrode: e,
        binders: [...new Set(maps.map((x) => formatBinder(x.label.binderWtPct)))].join(', '),
        source: 'computed by voidscope',
        how: `from ${maps.length} map(s) (${shortList(maps.map((x) => x.file), 2)})`,
      });
    }
    const groups = new Map<string, { quantity: string; source: string; origin: 'table' | 'cycling' | 'extra'; files: string[]; b: number[] }>();
    for (const s of rows) {
      for (const [k, m] of Object.entries(s.electrochem?.metrics ?? {})) {
        const source = m.source ?? 'not stated';
        // Table values one row per metric; values computed from cycling files one row per source.
        const id = m.origin === 'cycling' ? `cycling|${source}` : `${k}|${source}|${m.from.join(',')}`;
        const g = groups.get(id) ?? { quantity: m.origin === 'cycling' ? 'Cycling metrics:' : `${m.label} (${m.unit})`, source, origin: m.origin, files: [], b: [] };
        const lower = `${m.label.charAt(0).toLowerCase()}${m.label.slice(1)}`;
        if (m.origin === 'cycling' && !g.quantity.split(/[:;] /).includes(lower)) g.quantity += `${g.quantity.endsWith(':') ? ' ' : '; '}${lower}`;
        if (!g.b.includes(s.binderWtPct)) g.b.push(s.binderWtPct);
        g.files.push(...m.from);
        groups.set(id, g);
      }
      for (const [name, v] of Object.entries(s.electrochem?.extra ?? {})) {
        const id = `extra:${name}|${v.from}`;
        const g = groups.get(id) ?? { quantity: `${name}${v.unit ? ` (${v.unit})` : ''}: a column voidscope does not interpret`, source: 'as given in the table', origin: 'extra' as const, files: [], b: [] };
        g.b.push(s.binderWtPct);
        g.files.push(v.from);
        groups.set(id, g);
      }
    }
    for (const g of groups.values()) {
      const files = [...new Set(g.files)];
      out.push({
        quantity: g.quantity,
        electrode: e,
        binders: g.b.map(formatBinder).join(', '),
        source: g.source,
        how: g.origin === 'cycling' ? `computed by voidscope from ${files.length} cycling file(s) (${shortList(files, 1)})` : `table ${files.join(', ')}`,
      });
    }
  }
  return out;
}

/** What n counts, and what the intervals stand on: one paragraph for report.md and index.html. */
export function statisticsNote(r: StudyResult): string {
  const parts: string[] = [];
  if (r.sem.length) {
    parts.push(
      'SEM: n counts images; the images of a group are treated as independent (the labels do not say which images come from the same electrode), so the intervals hold image-to-image spread only, not electrode-to-electrode spread; images of different cycle counts are separate groups, never pooled',
    );
    const anyBand = r.summary.some((s) => (s.sem.states ?? [s.sem.pristine, s.sem.cycled]).some((g) => g?.band));
    parts.push(
      anyBand
        ? 'the segmentation band is the group mean with every image at its band ends (the porosity when the threshold moves within what the image cannot distinguish), shown apart from the between-image spread'
        : 'segmentation band: not available (no image result carries one), so the between-image spread is the only uncertainty shown, and it does not include the sensitivity of the segmentation',
    );
  }
  if (r.sims.length) {
    const one = r.summary.some((s) => s.sims && s.sims.meanCounts.n === 1);
    parts.push(`TOF-SIMS: n counts maps${one ? '; with one map per binder content the interval of the relative Li⁺ is Poisson counting noise only (no map-to-map spread)' : ''}`);
  }
  if (r.electrochem.cells.length || r.electrochem.tables.length) parts.push('electrochemistry: n counts cells (cycling files) or table rows; sd is between cells');
  if (r.correlations.length) parts.push('correlations: n counts binder contents');
  return parts.length ? `${parts.map((x) => x.charAt(0).toUpperCase() + x.slice(1)).join('. ')}.` : '';
}
