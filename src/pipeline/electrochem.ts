/**
 * Electrochemistry: tables of per-cell or per-binder results (CSV, TSV, JSON)
 * and per-cell cycling files, turned into named metrics with units, joined later
 * on (electrode, binder content).
 *
 * Tables are read with csv-parse; the unit of each column comes from its header
 * (`retention_150 (%)`, `capacity_5C [mAh/g]`) and is converted to one canonical
 * unit per quantity. Columns voidscope does not know are carried through with the
 * unit their header gives. Errors name the file, line and column.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import picomatch from 'picomatch';
import { VoidscopeError } from '../errors.js';
import { labelFromNames, parseBinder, parseElectrode, type Electrode } from './labels.js';
import { summarize } from './stats.js';

/** One number with its unit. */
export interface Quantity {
  value: number;
  unit: string;
}

export interface MetricInfo {
  key: string;
  label: string;
  unit: string;
}

/** A metric per (electrode, binder content): mean over cells, with spread when there are several. */
export interface EcMetric extends MetricInfo {
  value: number;
  /** Standard deviation over cells (n − 1), or given in the table as `<name>_sd`; null when unknown. */
  sd: number | null;
  /** Number of cells (or rows) behind the value. */
  n: number;
  /** "published", "illustrative", … from a `source` column, when present. */
  source: string | null;
  /** Files the value came from (relative to the study folder). */
  from: string[];
  /** "table" or "cycling" (computed by voidscope from per-cell cycling data). */
  origin: 'table' | 'cycling';
}

/**
 * A column voidscope does not interpret. In a table row: the cell as read. After aggregation per
 * (electrode, binder content): numbers are summarised like the metrics (mean, sd over rows, n); a text
 * is kept only when every row agrees (n rows), otherwise the column is reported as ignored.
 */
export interface ExtraValue {
  value: number | string;
  unit: string | null;
  /** Standard deviation over rows (n − 1) for numbers of several rows; null or absent otherwise. */
  sd?: number | null;
  /** Rows behind the value. */
  n?: number;
}

export interface EcRow {
  file: string;
  /** Line in the file (1-based); for JSON the record number. */
  line: number;
  electrode: Electrode;
  binderWtPct: number;
  cell: string | null;
  source: string | null;
  metrics: Record<string, { value: number; unit: string; sd?: number }>;
  extra: Record<string, ExtraValue>;
}

export interface CyclePoint {
  cycle: number;
  cRate: number | null;
  /** mAh g⁻¹ (or the unit of the file). */
  charge: number;
  discharge: number;
  /** discharge ÷ charge × 100, %. */
  coulombicEfficiency: number | null;
}

export interface CyclingCell {
  file: string;
  /** Provenance from the study file ("illustrative", …), or null. */
  source: string | null;
  electrode: Electrode;
  binderWtPct: number;
  cell: string;
  capacityUnit: string;
  cycles: CyclePoint[];
  /** Metrics computed from this cell (keys as in MetricInfo). */
  metrics: Record<string, Quantity>;
  /** How retention was referenced, e.g. "cycle 150 ÷ cycle 11 (first cycle at 0.5 C)". */
  notes: string[];
}

/** Mean discharge capacity per cycle for one electrode × binder content. */
export interface CapacityCurve {
  electrode: Electrode;
  binderWtPct: number;
  unit: string;
  points: Array<{ cycle: number; cRate: number | null; mean: number; sd: number | null; n: number }>;
}

// ---------------------------------------------------------------- column recognition

export function rateKey(c: number): string {
  return `${String(c)}C`;
}

export const metricInfo = {
  precondCapacity: (): MetricInfo => ({ key: 'precond_capacity', label: 'Preconditioning capacity', unit: 'mAh g⁻¹' }),
  initialCapacity: (): MetricInfo => ({ key: 'initial_capacity', label: 'Initial discharge capacity', unit: 'mAh g⁻¹' }),
  initialCe: (): MetricInfo => ({ key: 'initial_ce', label: 'Initial coulombic efficiency', unit: '%' }),
  meanCe: (): MetricInfo => ({ key: 'mean_ce', label: 'Mean coulombic efficiency (cycle 2 on)', unit: '%' }),
  retention: (n: number): MetricInfo => ({ key: `retention_${n}`, label: `Capacity retention after ${n} cycles`, unit: '%' }),
  capacityAt: (c: number): MetricInfo => ({ key: `capacity_${rateKey(c)}`, label: `Discharge capacity at ${c} C`, unit: 'mAh g⁻¹' }),
  rateCapability: (hi: number | null, lo: number | null): MetricInfo =>
    hi === null
      ? { key: 'rate_capability', label: 'Rate capability', unit: '%' }
      : { key: `rate_capability_${rateKey(hi)}`, label: `Rate capability (${hi} C / ${lo ?? '?'} C)`, unit: '%' },
  dcir: (unit: string): MetricInfo => ({ key: 'dcir', label: 'DC-IR resistance', unit }),
  ionic: (): MetricInfo => ({ key: 'ionic_conductivity', label: 'Ionic conductivity', unit: 'S cm⁻¹' }),
  electronic: (): MetricInfo => ({ key: 'electronic_conductivity', label: 'Electronic conductivity', unit: 'S cm⁻¹' }),
  surface: (): MetricInfo => ({ key: 'relative_active_surface_area', label: 'Relative active surface area', unit: '1' }),
};

type ColumnRole =
  | { role: 'electrode' }
  | { role: 'binder' }
  | { role: 'cell' }
  | { role: 'source' }
  | { role: 'metric'; info: MetricInfo; factor: number; sdOf: boolean }
  | { role: 'extra'; name: string; unit: string | null };

/** Split "retention_150 (%)" into name "retention_150" and unit "%". */
export function splitHeader(h: string): { name: string; unit: string | null } {
  const m = /^(.*?)\s*[([]\s*([^)\]]*)\s*[)\]]\s*$/.exec(h.trim());
  if (m) return { name: m[1]!.trim(), unit: m[2]!.trim() };
  return { name: h.trim(), unit: null };
}

function normName(n: string): string {
  return n.toLowerCase().replace(/[\s\-./]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}

function normUnit(u: string): string {
  return u
    .toLowerCase()
    .replace(/⁻¹/g, '-1')
    .replace(/⁻²/g, '-2')
    .replace(/²/g, '2')
    .replace(/[·*\s]/g, '')
    .replace(/ohm(s)?/g, 'ω')
    .replace(/μ/g, 'µ');
}

type UnitClass = 'capacity' | 'percent' | 'resistance' | 'conductivity' | 'ratio' | 'wt';

/** Canonical unit and conversion factor for a header unit of a given class, or an error text. */
function convertUnit(cls: UnitClass, unit: string | null): { unit: string; factor: number } | string {
  if (unit === null || unit === '') {
    if (cls === 'ratio') return { unit: '1', factor: 1 };
    return 'no unit in the header';
  }
  const u = normUnit(unit);
  switch (cls) {
    case 'capacity':
      if (['mah/g', 'mahg-1', 'ah/kg', 'ahkg-1'].includes(u)) return { unit: 'mAh g⁻¹', factor: 1 };
      if (u === 'mah') return { unit: 'mAh', factor: 1 };
      if (['mah/cm2', 'mahcm-2'].includes(u)) return { unit: 'mAh cm⁻²', factor: 1 };
      return `unit "${unit}" is not a capacity (use mAh g⁻¹, mAh/g, mAh or mAh cm⁻²)`;
    case 'percent':
      if (u === '%' || u === 'pct' || u === 'percent') return { unit: '%', factor: 1 };
      if (u === 'fraction' || u === '1' || u === '-') return { unit: '%', factor: 100 };
      return `unit "${unit}" is not a percentage (use % or fraction)`;
    case 'resistance':
      if (u === 'ω') return { unit: 'Ω', factor: 1 };
      if (u === 'mω') return { unit: 'Ω', factor: 1e-3 };
      if (u === 'ωcm2') return { unit: 'Ω cm²', factor: 1 };
      if (u === 'mωcm2') return { unit: 'Ω cm²', factor: 1e-3 };
      return `unit "${unit}" is not a resistance (use Ω, mΩ or Ω cm²)`;
    case 'conductivity':
      if (u === 's/cm' || u === 'scm-1') return { unit: 'S cm⁻¹', factor: 1 };
      if (u === 'ms/cm' || u === 'mscm-1') return { unit: 'S cm⁻¹', factor: 1e-3 };
      if (u === 'µs/cm' || u === 'us/cm' || u === 'µscm-1') return { unit: 'S cm⁻¹', factor: 1e-6 };
      if (u === 's/m' || u === 'sm-1') return { unit: 'S cm⁻¹', factor: 1e-2 };
      return `unit "${unit}" is not a conductivity (use S cm⁻¹, mS cm⁻¹ or S m⁻¹)`;
    case 'ratio':
      if (['1', '-', 'rel', 'relative', 'a.u.', 'au', 's', 's/s0', 'fraction'].includes(u)) return { unit: '1', factor: 1 };
      if (u === '%') return { unit: '1', factor: 0.01 };
      return `unit "${unit}" is not dimensionless (use 1, rel. or %)`;
    case 'wt':
      if (['wt%', '%', 'wt.%', 'wt', 'pct'].includes(u)) return { unit: 'wt %', factor: 1 };
      return `unit "${unit}" is not a mass fraction (use wt %)`;
  }
}

/** Classify one table header; returns the role or an error text. */
export function classifyColumn(header: string): ColumnRole | string {
  const { name: rawName, unit } = splitHeader(header);
  let name = normName(rawName);
  let sdOf = false;
  const sdm = /^(.*?)_(sd|std|stdev|stddev)$/.exec(name);
  if (sdm) {
    name = sdm[1]!;
    sdOf = true;
  }
  const metric = (info: MetricInfo, cls: UnitClass): ColumnRole | string => {
    const c = convertUnit(cls, unit);
    if (typeof c === 'string') return `column "${header}": ${c}`;
    return { role: 'metric', info: { ...info, unit: cls === 'resistance' || cls === 'capacity' ? c.unit : info.unit }, factor: c.factor, sdOf };
  };
  if (!sdOf) {
    if (/^(electrode|electrode_type|side)$/.test(name)) return { role: 'electrode' };
    if (/^(binder|binder_content|binder_wt|nbr|nbr_content|nbr_wt|binder_wt_pct|binder_pct)$/.test(name)) {
      const c = convertUnit('wt', unit ?? 'wt%');
      if (typeof c === 'string') return `column "${header}": ${c}`;
      return { role: 'binder' };
    }
    if (/^(cell|cell_id|cell_name|sample|sample_id)$/.test(name)) return { role: 'cell' };
    if (/^(source|provenance|origin)$/.test(name)) return { role: 'source' };
  }
  let m: RegExpExecArray | null;
  if (/^(precond|preconditioning|formation)(_discharge)?_capacity$/.test(name)) return metric(metricInfo.precondCapacity(), 'capacity');
  if (/^(initial|first)(_discharge)?_capacity$/.test(name)) return metric(metricInfo.initialCapacity(), 'capacity');
  if (/^(initial|first)_(ce|coulombic_efficiency)$/.test(name)) return metric(metricInfo.initialCe(), 'percent');
  if (/^(mean|average|avg)_(ce|coulombic_efficiency)$/.test(name)) return metric(metricInfo.meanCe(), 'percent');
  if ((m = /^(?:capacity_)?retention(?:_after)?_(\d+)(?:_cycles?)?$/.exec(name))) return metric(metricInfo.retention(Number(m[1])), 'percent');
  if ((m = /^(?:discharge_)?capacity_(?:at_)?(\d+(?:_\d+)?|\d*\.\d+)_?c$/.exec(name))) {
    return metric(metricInfo.capacityAt(Number(m[1]!.replace('_', '.'))), 'capacity');
  }
  if ((m = /^rate_capability(?:_(\d+(?:_\d+)?)_?c)?$/.exec(name))) {
    return metric(metricInfo.rateCapability(m[1] ? Number(m[1].replace('_', '.')) : null, null), 'percent');
  }
  if (/^(dc_?ir|dcir_slope|dc_?ir_resistance|dc_internal_resistance)$/.test(name)) return metric(metricInfo.dcir('Ω'), 'resistance');
  if (/^ionic_conductivity$/.test(name)) return metric(metricInfo.ionic(), 'conductivity');
  if (/^electronic_conductivity$/.test(name)) return metric(metricInfo.electronic(), 'conductivity');
  if (/^(relative_)?(active_)?surface_area(_rel|_relative)?$/.test(name) && (name.includes('rel') || unit !== null)) {
    return metric(metricInfo.surface(), 'ratio');
  }
  return { role: 'extra', name: rawName.trim() + (sdOf ? `_${sdm![2]}` : ''), unit };
}

// ---------------------------------------------------------------- table reading

interface RawTable {
  header: string[];
  rows: Array<{ line: number; cells: string[] }>;
  /** For messages: "line" (CSV/TSV) or "record" (JSON). */
  lineWord: string;
}

function sniffDelimiter(text: string, file: string): string {
  const ext = extname(file).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const tabs = (first.match(/\t/g) ?? []).length;
  const commas = (first.match(/,/g) ?? []).length;
  const semis = (first.match(/;/g) ?? []).length;
  if (tabs > commas && tabs >= semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

/** Read a CSV/TSV/JSON table into a header and rows of text cells with their line numbers. */
export async function readRawTable(file: string, shown = file): Promise<RawTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new VoidscopeError('ENOENT', `cannot read: ${(e as Error).message}`, { file: shown, cause: e });
  }
  if (text.trim() === '') throw new VoidscopeError('EEMPTY', 'the table is empty', { file: shown });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (extname(file).toLowerCase() === '.json') return jsonTable(text, shown);
  const delimiter = sniffDelimiter(text, file);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, comment: '#', skip_empty_lines: true, trim: true, info: true, relax_quotes: false }) as never;
  } catch (e) {
    const ce = e as { lines?: number; column?: number | string; message: string; code?: string };
    const col = typeof ce.column === 'number' && ce.code !== 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' ? `, column ${ce.column}` : '';
    throw new VoidscopeError('EPARSE', `line ${ce.lines ?? '?'}${col}: ${ce.message.replace(/ (on|at) line \d+$/, '')}`, { file: shown, cause: e });
  }
  if (records.length === 0) throw new VoidscopeError('EEMPTY', 'the table has no header row', { file: shown });
  const header = records[0]!.record;
  return { header, rows: records.slice(1).map((r) => ({ line: r.info.lines, cells: r.record })), lineWord: 'line' };
}

function jsonTable(text: string, file: string): RawTable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // V8 messages give "at position N" (or line/column in newer versions); turn a position into line:column.
    const msg = (e as Error).message;
    const pm = /position (\d+)/.exec(msg);
    let where = '';
    if (pm) {
      const before = text.slice(0, Number(pm[1]));
      const line = before.split('\n').length;
      const col = Number(pm[1]) - before.lastIndexOf('\n');
      where = `line ${line}, column ${col}: `;
    }
    throw new VoidscopeError('EPARSE', `${where}invalid JSON (${msg})`, { file, cause: e });
  }
  const list = Array.isArray(data) ? data : (data as { rows?: unknown })?.rows;
  if (!Array.isArray(list) || !list.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new VoidscopeError('EPARSE', 'a JSON table must be an array of objects (or {"rows": [...]})', { file });
  }
  const header: string[] = [];
  for (const r of list as Array<Record<string, unknown>>) for (const k of Object.keys(r)) if (!header.includes(k)) header.push(k);
  return {
    header,
    rows: (list as Array<Record<string, unknown>>).map((r, i) => ({
      line: i + 1,
      cells: header.map((h) => (r[h] === undefined || r[h] === null ? '' : String(r[h]))),
    })),
    lineWord: 'record',
  };
}

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (t === '' || /^(na|n\/a|nan|-|—)$/i.test(t)) return null;
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t.replace(',', '.'));
}

/**
 * Read an electrochemistry table: one row per cell or per binder content, with
 * electrode and binder columns (or given by `defaults`).
 */
export async function readEcTable(
  file: string,
  shown: string,
  defaults: { electrode?: Electrode | null; binderWtPct?: number | null; source?: string | null } = {},
): Promise<{ rows: EcRow[]; warnings: string[] }> {
  const t = await readRawTable(file, shown);
  const roles = t.header.map((h, i) => {
    const r = classifyColumn(h);
    if (typeof r === 'string') throw new VoidscopeError('EPARSE', `line ${t.rows.length ? t.rows[0]!.line - 1 : 1}, column ${i + 1}: ${r}`, { file: shown });
    return r;
  });
  const warnings: string[] = [];
  const hasElectrode = roles.some((r) => r.role === 'electrode');
  const hasBinder = roles.some((r) => r.role === 'binder');
  const fromName = labelFromNames(shown);
  // Say what exists and the ways to give what is missing.
  const howTo = (key: string, example: string): string =>
    `the columns are: ${t.header.map((h) => `"${h}"`).join(', ')}; add an "${key === 'electrode' ? 'electrode' : 'binder (wt %)'}" column, ` +
    `put it in the file name (e.g. cathode_NBR1.5.csv), or set it for this table in the study file: ` +
    `electrochemistry: { tables: [ { files: ${shown}, ${key}: ${example} } ] }`;
  if (!hasElectrode && !defaults.electrode && !fromName.electrode) {
    throw new VoidscopeError('EPARSE', `no "electrode" column, and neither the study file nor the file name gives the electrode; ${howTo('electrode', 'cathode')}`, { file: shown });
  }
  if (!hasBinder && defaults.binderWtPct == null && fromName.binderWtPct === undefined) {
    throw new VoidscopeError('EPARSE', `no "binder (wt %)" column, and neither the study file nor the file name gives the binder content; ${howTo('binder', '1.5')}`, { file: shown });
  }
  const rows: EcRow[] = [];
  for (const r of t.rows) {
    if (r.cells.length !== t.header.length) {
      throw new VoidscopeError('EPARSE', `${t.lineWord} ${r.line}: expected ${t.header.length} fields, found ${r.cells.length}`, { file: shown });
    }
    const row: EcRow = {
      file: shown,
      line: r.line,
      electrode: defaults.electrode ?? fromName.electrode ?? 'cathode',
      binderWtPct: defaults.binderWtPct ?? fromName.binderWtPct ?? NaN,
      cell: null,
      source: defaults.source ?? null,
      metrics: {},
      extra: {},
    };
    const where = (i: number): string => `${t.lineWord} ${r.line}, column ${i + 1} ("${t.header[i]}")`;
    roles.forEach((role, i) => {
      const cell = r.cells[i]!;
      switch (role.role) {
        case 'electrode': {
          const e = parseElectrode(cell);
          if (!e) throw new VoidscopeError('EPARSE', `${where(i)}: "${cell}" is not an electrode (cathode, anode or full-cell)`, { file: shown });
          row.electrode = e;
          break;
        }
        case 'binder': {
          const b = parseBinder(cell, true) ?? parseNumber(cell.replace(/\s*(wt\s*)?%$/i, ''));
          if (b === null || b === undefined || !Number.isFinite(b)) {
            throw new VoidscopeError('EPARSE', `${where(i)}: "${cell}" is not a binder content in wt %`, { file: shown });
          }
          row.binderWtPct = b;
          break;
        }
        case 'cell':
          row.cell = cell || null;
          break;
        case 'source':
          row.source = cell || row.source;
          break;
        case 'metric': {
          const v = parseNumber(cell);
          if (v === null) break;
          if (Number.isNaN(v)) throw new VoidscopeError('EPARSE', `${where(i)}: "${cell}" is not a number`, { file: shown });
          // Divide by 1000 rather than multiply by 0.001, so 0.9 mS/cm gives exactly 0.0009.
          const value = role.factor < 1 ? v / Math.round(1 / role.factor) : v * role.factor;
          const m = (row.metrics[role.info.key] ??= { value: NaN, unit: role.info.unit });
          if (role.sdOf) m.sd = value;
          else m.value = value;
          break;
        }
        case 'extra': {
          const v = parseNumber(cell);
          if (cell.trim() === '') break;
          row.extra[role.name] = { value: v !== null && !Number.isNaN(v) ? v : cell, unit: role.unit };
          break;
        }
      }
    });
    if (!Number.isFinite(row.binderWtPct)) {
      throw new VoidscopeError('EPARSE', `${t.lineWord} ${r.line}: no binder content`, { file: shown });
    }
    for (const [k, m] of Object.entries(row.metrics)) if (!Number.isFinite(m.value)) delete row.metrics[k];
    rows.push(row);
  }
  if (rows.length === 0) warnings.push(`${shown}: the table has a header but no rows`);
  return { rows, warnings };
}

// ---------------------------------------------------------------- cycling files

/**
 * Read one cell's cycling data: columns for cycle number, charge and discharge
 * capacity, optionally C-rate. Coulombic efficiency is discharge ÷ charge (for
 * a half cell of an anode where lithiation is the "discharge", name the columns
 * accordingly: voidscope takes them as given).
 */
export async function readCyclingFile(
  file: string,
  shown: string,
  labels: { electrode?: Electrode | null; binderWtPct?: number | null; source?: string | null },
  rule: { retentionCycle: number; highRate: number; lowRate: number },
): Promise<CyclingCell> {
  const t = await readRawTable(file, shown);
  const idx = { cycle: -1, charge: -1, discharge: -1, rate: -1, electrode: -1, binder: -1 };
  let capacityUnit: string | null = null;
  t.header.forEach((h, i) => {
    const { name: raw, unit } = splitHeader(h);
    const n = normName(raw);
    if (/^(cycle|cycle_number|cycle_no|cycle_index|cyc)$/.test(n)) idx.cycle = i;
    else if (/^(discharge(_capacity)?|q_?dis(charge)?|dis_?cap(acity)?|specific_discharge_capacity)$/.test(n)) idx.discharge = i;
    else if (/^(charge(_capacity)?|q_?ch(arge)?|ch_?cap(acity)?|specific_charge_capacity)$/.test(n)) idx.charge = i;
    else if (/^(c_?rate|rate|current_rate)$/.test(n)) idx.rate = i;
    else if (n === 'electrode') idx.electrode = i;
    else if (/^(binder|binder_content|nbr)$/.test(n)) idx.binder = i;
    if ((i === idx.charge || i === idx.discharge)) {
      const c = convertUnit('capacity', unit);
      if (typeof c === 'string') throw new VoidscopeError('EPARSE', `line 1, column ${i + 1}: column "${h}": ${c}`, { file: shown });
      if (capacityUnit !== null && capacityUnit !== c.unit) {
        throw new VoidscopeError('EPARSE', `line 1, column ${i + 1}: charge and discharge capacities have different units`, { file: shown });
      }
      capacityUnit = c.unit;
    }
  });
  const missing = (['cycle', 'charge', 'discharge'] as const).filter((k) => idx[k] < 0);
  if (missing.length) {
    throw new VoidscopeError('EPARSE', `not a cycling file: no ${missing.join(', ')} column (headers: ${t.header.join(', ')})`, { file: shown });
  }
  const fromName = labelFromNames(shown);
  let electrode = labels.electrode ?? fromName.electrode ?? null;
  let binder = labels.binderWtPct ?? fromName.binderWtPct ?? null;
  const cycles: CyclePoint[] = [];
  let prevCycle = -Infinity;
  for (const r of t.rows) {
    if (r.cells.length !== t.header.length) {
      throw new VoidscopeError('EPARSE', `line ${r.line}: expected ${t.header.length} fields, found ${r.cells.length}`, { file: shown });
    }
    const num = (i: number, what: string): number => {
      const v = parseNumber(r.cells[i]!);
      if (v === null || Number.isNaN(v)) {
        throw new VoidscopeError('EPARSE', `line ${r.line}, column ${i + 1} ("${t.header[i]}"): "${r.cells[i]}" is not ${what}`, { file: shown });
      }
      return v;
    };
    const cycle = num(idx.cycle, 'a cycle number');
    if (!Number.isInteger(cycle) || cycle <= prevCycle) {
      throw new VoidscopeError('EPARSE', `line ${r.line}, column ${idx.cycle + 1}: cycle numbers must be whole and increasing (got ${r.cells[idx.cycle]} after ${prevCycle})`, { file: shown });
    }
    prevCycle = cycle;
    const charge = num(idx.charge, 'a capacity');
    const discharge = num(idx.discharge, 'a capacity');
    let cRate: number | null = null;
    if (idx.rate >= 0) {
      const rs = r.cells[idx.rate]!.trim().replace(/\s*c$/i, '');
      const fm = /^c\s*\/\s*(\d+(?:\.\d+)?)$/i.exec(r.cells[idx.rate]!.trim());
      cRate = fm ? 1 / Number(fm[1]) : parseNumber(rs);
      if (cRate === null || Number.isNaN(cRate)) {
        throw new VoidscopeError('EPARSE', `line ${r.line}, column ${idx.rate + 1} ("${t.header[idx.rate]}"): "${r.cells[idx.rate]}" is not a C-rate`, { file: shown });
      }
    }
    if (idx.electrode >= 0 && !labels.electrode) electrode = parseElectrode(r.cells[idx.electrode]!) ?? electrode;
    if (idx.binder >= 0 && labels.binderWtPct == null) binder = parseBinder(r.cells[idx.binder]!, true) ?? binder;
    cycles.push({ cycle, cRate, charge, discharge, coulombicEfficiency: charge > 0 ? (discharge / charge) * 100 : null });
  }
  if (cycles.length === 0) throw new VoidscopeError('EEMPTY', 'the cycling file has no data rows', { file: shown });
  if (!electrode) throw new VoidscopeError('EPARSE', 'cannot tell the electrode (no electrode column; name the file e.g. cathode_NBR1.5_cell1.csv or set it in the study file)', { file: shown });
  if (binder === null) throw new VoidscopeError('EPARSE', 'cannot tell the binder content (no binder column; name the file e.g. cathode_NBR1.5_cell1.csv or set it in the study file)', { file: shown });
  const cellName = basename(shown).replace(/\.[^.]+$/, '');
  const cell: CyclingCell = {
    file: shown,
    source: labels.source ?? null,
    electrode,
    binderWtPct: binder,
    cell: cellName,
    capacityUnit: capacityUnit ?? 'mAh g⁻¹',
    cycles,
    metrics: {},
    notes: [],
  };
  computeCellMetrics(cell, rule);
  return cell;
}

/** Cycles besides the rule's at which retention is also computed from cycling files: ⅓ and ⅔ of it, rounded. */
export function retentionCheckCycles(retentionCycle: number): number[] {
  return [...new Set([Math.round(retentionCycle / 3), Math.round((2 * retentionCycle) / 3)])].filter((n) => n >= 2 && n < retentionCycle);
}

function sameRate(a: number | null, b: number | null): boolean {
  return a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-9);
}

/**
 * Per-cell metrics: initial discharge capacity (first cycle), initial and mean
 * coulombic efficiency, retention at the requested cycle relative to the first
 * cycle run at the same C-rate (so a rate test in between does not distort it),
 * mean discharge capacity in the first block of each C-rate, and rate capability
 * = capacity at highRate ÷ capacity at lowRate.
 */
export function computeCellMetrics(cell: CyclingCell, rule: { retentionCycle: number; highRate: number; lowRate: number }): void {
  const u = cell.capacityUnit;
  const c = cell.cycles;
  const first = c[0]!;
  const m = cell.metrics;
  m[metricInfo.initialCapacity().key] = { value: first.discharge, unit: u };
  if (first.coulombicEfficiency !== null) m[metricInfo.initialCe().key] = { value: first.coulombicEfficiency, unit: '%' };
  const ces = c.slice(1).map((p) => p.coulombicEfficiency).filter((x): x is number => x !== null);
  if (ces.length) m[metricInfo.meanCe().key] = { value: ces.reduce((a, b) => a + b, 0) / ces.length, unit: '%' };
  // Retention at the rule's cycle, and at one and two thirds of it (for the recommendation's robustness check).
  const at = [rule.retentionCycle, ...retentionCheckCycles(rule.retentionCycle)];
  for (const n of at) {
    const target = c.find((p) => p.cycle === n);
    if (target) {
      const ref = c.find((p) => sameRate(p.cRate, target.cRate))!;
      if (ref.discharge > 0 && ref !== target) {
        m[metricInfo.retention(n).key] = { value: (target.discharge / ref.discharge) * 100, unit: '%' };
        if (n === rule.retentionCycle) {
          cell.notes.push(`retention: cycle ${target.cycle} ÷ cycle ${ref.cycle}${target.cRate !== null ? ` (first cycle at ${target.cRate} C)` : ''}`);
        }
      }
    } else if (n === rule.retentionCycle) {
      cell.notes.push(`no cycle ${rule.retentionCycle} (last cycle ${c[c.length - 1]!.cycle}): retention not computed`);
    }
  }
  if (c.some((p) => p.cRate !== null)) {
    const seen = new Set<number>();
    for (let i = 0; i < c.length; i++) {
      const r = c[i]!.cRate;
      if (r === null || seen.has(r)) continue;
      seen.add(r);
      let j = i;
      const block: number[] = [];
      while (j < c.length && sameRate(c[j]!.cRate, r)) block.push(c[j++]!.discharge);
      m[metricInfo.capacityAt(r).key] = { value: block.reduce((a, b) => a + b, 0) / block.length, unit: u };
    }
    const hi = m[metricInfo.capacityAt(rule.highRate).key];
    const lo = m[metricInfo.capacityAt(rule.lowRate).key];
    if (hi && lo && lo.value > 0) {
      m[metricInfo.rateCapability(rule.highRate, rule.lowRate).key] = { value: (hi.value / lo.value) * 100, unit: '%' };
    }
  }
}

/** Mean discharge-capacity curve per cycle over the cells of one electrode × binder content. */
export function capacityCurve(cells: CyclingCell[]): CapacityCurve | null {
  if (cells.length === 0) return null;
  const byCycle = new Map<number, { cRate: number | null; values: number[] }>();
  for (const cell of cells) {
    for (const p of cell.cycles) {
      const e = byCycle.get(p.cycle) ?? { cRate: p.cRate, values: [] };
      e.values.push(p.discharge);
      byCycle.set(p.cycle, e);
    }
  }
  return {
    electrode: cells[0]!.electrode,
    binderWtPct: cells[0]!.binderWtPct,
    unit: cells[0]!.capacityUnit,
    points: [...byCycle.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([cycle, e]) => {
        const s = summarize(e.values);
        return { cycle, cRate: e.cRate, mean: s.mean!, sd: s.sd, n: s.n };
      }),
  };
}

/** Info (label, unit) for a metric key, for keys produced by this module. */
export function describeMetricKey(key: string, unit: string): MetricInfo {
  let m: RegExpExecArray | null;
  if (key === 'precond_capacity') return { ...metricInfo.precondCapacity(), unit };
  if (key === 'initial_capacity') return { ...metricInfo.initialCapacity(), unit };
  if (key === 'initial_ce') return metricInfo.initialCe();
  if (key === 'mean_ce') return metricInfo.meanCe();
  if ((m = /^retention_(\d+)$/.exec(key))) return metricInfo.retention(Number(m[1]));
  if ((m = /^capacity_([\d.]+)C$/.exec(key))) return { ...metricInfo.capacityAt(Number(m[1])), unit };
  if ((m = /^rate_capability_([\d.]+)C$/.exec(key))) return { key, label: `Rate capability (${m[1]} C / low rate)`, unit: '%' };
  if (key === 'rate_capability') return metricInfo.rateCapability(null, null);
  if (key === 'dcir') return metricInfo.dcir(unit);
  if (key === 'ionic_conductivity') return metricInfo.ionic();
  if (key === 'electronic_conductivity') return metricInfo.electronic();
  if (key === 'relative_active_surface_area') return metricInfo.surface();
  return { key, label: key, unit };
}

/** Items grouped by (electrode, binder content), groups in first-seen order. */
function groupByElectrodeBinder<T extends { electrode: Electrode; binderWtPct: number }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = `${it.electrode}|${it.binderWtPct}`;
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  return [...groups.values()];
}

/**
 * Join table rows and cycling cells into one set of metrics per
 * (electrode, binder content): several rows/cells give mean ± sd (n − 1) and n;
 * a value given in a table wins over the same metric computed from cycling files
 * (with a warning naming both).
 */
export function aggregateElectrochem(
  rows: EcRow[],
  cells: CyclingCell[],
  rule: { highRate: number; lowRate: number },
): { byBinder: Map<string, { electrode: Electrode; binderWtPct: number; metrics: Record<string, EcMetric>; extra: Record<string, ExtraValue & { from: string }> }>; warnings: string[] } {
  const warnings: string[] = [];
  const byBinder = new Map<string, { electrode: Electrode; binderWtPct: number; metrics: Record<string, EcMetric>; extra: Record<string, ExtraValue & { from: string }> }>();
  const slot = (e: Electrode, b: number) => {
    const k = `${e}|${b}`;
    let s = byBinder.get(k);
    if (!s) byBinder.set(k, (s = { electrode: e, binderWtPct: b, metrics: {}, extra: {} }));
    return s;
  };
  // Tables.
  for (const list of groupByElectrodeBinder(rows)) {
    const s = slot(list[0]!.electrode, list[0]!.binderWtPct);
    const keys = new Set(list.flatMap((r) => Object.keys(r.metrics)));
    for (const key of keys) {
      const withKey = list.filter((r) => r.metrics[key]);
      const values = withKey.map((r) => r.metrics[key]!.value);
      const units = new Set(withKey.map((r) => r.metrics[key]!.unit));
      if (units.size > 1) {
        warnings.push(`${key} for ${list[0]!.electrode} ${list[0]!.binderWtPct} wt % comes in different units (${[...units].join(', ')}); not combined`);
        continue;
      }
      const st = summarize(values);
      const sources = [...new Set(withKey.map((r) => r.source).filter((x): x is string => !!x))];
      const info = describeMetricKey(key, withKey[0]!.metrics[key]!.unit);
      const givenSd = withKey.length === 1 ? withKey[0]!.metrics[key]!.sd ?? null : null;
      if (s.metrics[key]) warnings.push(`${key} for ${s.electrode} ${s.binderWtPct} wt % is given in several tables; using ${s.metrics[key]!.from.join(', ')}`);
      else {
        s.metrics[key] = {
          ...info,
          value: st.mean!,
          sd: st.sd ?? givenSd,
          n: st.n,
          source: sources.length ? sources.join('; ') : null,
          from: [...new Set(withKey.map((r) => r.file))],
          origin: 'table',
        };
      }
    }
    // Columns voidscope does not interpret: numbers summarised like the metrics (mean ± sd, n), a text kept
    // only when all rows agree; never the first row's value standing for the others.
    const names = new Set(list.flatMap((r) => Object.keys(r.extra)));
    for (const name of names) {
      if (name in s.extra) continue;
      const withName = list.filter((r) => r.extra[name] !== undefined);
      const vals = withName.map((r) => r.extra[name]!);
      const units = [...new Set(vals.map((v) => v.unit))];
      const files = [...new Set(withName.map((r) => r.file))].join(', ');
      const what = `column "${name}" (${files}) for ${list[0]!.electrode} ${list[0]!.binderWtPct} wt %`;
      if (units.length > 1) {
        warnings.push(`${what} comes in different units (${units.join(', ')}); ignored`);
        continue;
      }
      if (vals.every((v) => typeof v.value === 'number')) {
        const st = summarize(vals.map((v) => v.value as number));
        s.extra[name] = { value: st.mean!, unit: units[0] ?? null, sd: st.sd, n: st.n, from: files };
      } else {
        const texts = [...new Set(vals.map((v) => String(v.value)))];
        if (texts.length === 1) s.extra[name] = { value: texts[0]!, unit: units[0] ?? null, sd: null, n: vals.length, from: files };
        else warnings.push(`${what}: the rows differ (${texts.slice(0, 4).map((x) => `"${x}"`).join(', ')}${texts.length > 4 ? ', …' : ''}) and are not numbers; ignored`);
      }
    }
  }
  // Cycling cells.
  for (const list of groupByElectrodeBinder(cells)) {
    const s = slot(list[0]!.electrode, list[0]!.binderWtPct);
    const keys = new Set(list.flatMap((c) => Object.keys(c.metrics)));
    for (const key of keys) {
      const withKey = list.filter((c) => c.metrics[key]);
      const st = summarize(withKey.map((c) => c.metrics[key]!.value));
      const info = describeMetricKey(key, withKey[0]!.metrics[key]!.unit);
      if (key.startsWith('rate_capability_')) info.label = `Rate capability (${rule.highRate} C / ${rule.lowRate} C)`;
      if (s.metrics[key]) {
        warnings.push(
          `${info.label} for ${s.electrode} ${s.binderWtPct} wt %: the table value (${s.metrics[key]!.from.join(', ')}) is used; the value computed from ${withKey.length} cycling file(s) is ${st.mean!.toFixed(2)} ${info.unit}`,
        );
        continue;
      }
      const srcs = [...new Set(withKey.map((c) => c.source).filter((x): x is string => !!x))];
      s.metrics[key] = { ...info, value: st.mean!, sd: st.sd, n: st.n, source: srcs.length ? srcs.join('; ') : null, from: withKey.map((c) => c.file), origin: 'cycling' };
    }
  }
  return { byBinder, warnings };
}

/** What the study file sets for one electrochemistry table (see StudyConfig.electrochemistry.tableSpecs). */
export interface TableSpecLike {
  files: string[];
  electrode: Electrode | null;
  binderWtPct: number | null;
  source: string | null;
}

/**
 * Electrode, binder content and source the study file sets for the table at `rel` (the first entry whose
 * glob matches it), for readEcTable's `defaults`; {} when none does.
 */
export function tableDefaultsFor(rel: string, specs: readonly TableSpecLike[] | undefined): { electrode?: Electrode | null; binderWtPct?: number | null; source?: string | null } {
  for (const t of specs ?? []) {
    const m = picomatch(t.files, { dot: false });
    if (t.files.includes(rel) || m(rel)) return { electrode: t.electrode, binderWtPct: t.binderWtPct, source: t.source };
  }
  return {};
}
