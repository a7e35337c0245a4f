/**
 * The study file (`voidscope.yaml` or `voidscope.json` in the study folder):
 * which files are which (groups of globs with electrode, binder content, state,
 * kind and analysis options), where the electrochemistry lives, and the rule
 * that picks the best binder content.
 *
 * Both forms are read with the `yaml` package (JSON is YAML), which also gives
 * the line of a bad key, so a validation error reads
 * `voidscope.yaml: groups[1].binder (line 12): expected a number in wt %, got "abc"`.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { VoidscopeError } from '../errors.js';
import { parseElectrode, type CellState, type DataKind, type Electrode } from './labels.js';
import { parseRoi } from '../raster/roi.js';
import { OptionError, parseAnalysisSpec, suggestName, unknownOptionProblem } from '../segmentation/spec.js';

/** Largest maxPixels a study file may set: readImage's default limit (a study file can lower it, not raise it). */
export const STUDY_MAX_PIXELS = 400_000_000;

export const STUDY_FILE_NAMES = ['voidscope.yaml', 'voidscope.yml', 'voidscope.json'] as const;

export interface StudyGroup {
  /** Name shown in the report; defaults to "<kind> <electrode>" or "group <n>". */
  name: string;
  kind: DataKind;
  /** picomatch globs relative to the study folder. */
  files: string[];
  /** Globs of files to leave out of this group. */
  exclude: string[];
  /** Electrode; when absent it is read from each file's path. */
  electrode: Electrode | null;
  /** Binder content in wt %; when absent it is read from each file's path (NBR1.5, 1.5wt%). */
  binderWtPct: number | null;
  /** State; when absent it is read from each file's path (pristine, cycled150). */
  state: CellState | null;
  /** Cycle count of a cycled state (overrides what a path says). */
  cycles: number | null;
  /** Options passed to the analysis (analyzePorosity / analyzeSimsMap), e.g. {method: Otsu}. */
  options: Record<string, unknown>;
  /** SIMS: binder content (wt %) whose maps are the reference for relative Li⁺; default the lowest. */
  reference: number | null;
}

export interface CyclingSpec {
  files: string[];
  electrode: Electrode | null;
  binderWtPct: number | null;
  /** Provenance written next to every value computed from these files, e.g. "illustrative". */
  source: string | null;
}

export interface TableSpec {
  files: string[];
  /** Electrode of every row, when the table has no electrode column (a column wins over this). */
  electrode: Electrode | null;
  /** Binder content (wt %) of every row, when the table has no binder column. */
  binderWtPct: number | null;
  /** Provenance of rows without a source column, e.g. "published". */
  source: string | null;
}

export interface ElectrochemSpec {
  /** Tables (CSV/TSV/JSON) of per-cell or per-binder results, relative to the study folder (globs). */
  tables: string[];
  /** Tables written as mappings ({files, electrode, binder, source}); their globs are in `tables` too. */
  tableSpecs?: TableSpec[];
  /** Per-cell cycling files (cycle, charge and discharge capacity, optional C-rate). */
  cycling: CyclingSpec[];
}

/**
 * The default rule: among binder contents whose rate capability is within
 * `ratMarginPp` percentage points of the best rate capability, pick the one with
 * the highest capacity retention after `retentionCycle` cycles. The data "cannot
 * decide" when fewer than two binder contents have both numbers, or when the
 * runner-up's retention is statistically indistinguishable from the winner's
 * (Welch 95 % interval of the difference includes 0 when cell-to-cell spread is
 * known, else a difference below `tiePp`).
 */
export interface RecommendationRule {
  rule: 'retention-within-rate-margin';
  /** Cycle number for capacity retention. */
  retentionCycle: number;
  /** Rate capability = capacity at `highRate` C ÷ capacity at `lowRate` C, in %. */
  highRate: number;
  lowRate: number;
  /** Eligible when rate capability ≥ best − marginPp (percentage points). */
  marginPp: number;
  /** Without cell-to-cell spread, retentions closer than this (pp) are a tie. */
  tiePp: number;
}

export const DEFAULT_RULE: RecommendationRule = {
  rule: 'retention-within-rate-margin',
  retentionCycle: 150,
  highRate: 5,
  lowRate: 0.1,
  marginPp: 5,
  tiePp: 0.5,
};

export interface StudyConfig {
  version: 1;
  name: string | null;
  description: string | null;
  groups: StudyGroup[];
  /** Files the study leaves out on purpose (globs relative to the study folder): neither analysed nor listed as unlabelled. */
  ignore?: string[];
  electrochemistry: ElectrochemSpec;
  recommendation: RecommendationRule;
  /** The study file this came from (absolute path), or null when labels come from paths. */
  source: string | null;
}

/** Find the study file in a folder, or null. */
export function findStudyFile(folder: string): string | null {
  for (const n of STUDY_FILE_NAMES) {
    const p = join(folder, n);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Read and validate a study file. */
export async function loadStudyFile(file: string): Promise<StudyConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new VoidscopeError('ENOENT', `cannot read the study file: ${(e as Error).message}`, { file, cause: e });
  }
  return parseStudy(text, file);
}

type Path = Array<string | number>;

/** Parse and validate study-file text; `file` is used in messages. */
export function parseStudy(text: string, file: string): StudyConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? (e.pos ? lineCounter.linePos(e.pos[0]) : undefined);
    throw new VoidscopeError(
      'EPARSE',
      `${pos ? `line ${pos.line}, column ${pos.col}: ` : ''}${e.message.split('\n')[0]}`,
      { file },
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    // e.g. an alias to an anchor that is not defined (`groups: *missing`).
    throw new VoidscopeError('EPARSE', (e as Error).message.split('\n')[0]!, { file, cause: e });
  }

  const where = (path: Path): string => {
    const shown = path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
    let node: unknown = null;
    try {
      node = path.length ? doc.getIn(path, true) : doc.contents;
    } catch {
      node = null;
    }
    let line = '';
    if (isNode(node) && node.range) line = ` (line ${lineCounter.linePos(node.range[0]).line})`;
    return `${shown || '(top level)'}${line}`;
  };
  const fail = (path: Path, msg: string): never => {
    throw new VoidscopeError('EOPTION', `${where(path)}: ${msg}`, { file });
  };
  const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const checkKeys = (obj: Record<string, unknown>, path: Path, allowed: string[]): void => {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) {
        const near = allowed.find((a) => a.toLowerCase() === k.toLowerCase() || a.startsWith(k.slice(0, 3)));
        fail([...path, k], `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`);
      }
    }
  };
  const str = (v: unknown, path: Path): string => (typeof v === 'string' && v.trim() !== '' ? v : fail(path, `expected a non-empty text, got ${show(v)}`));
  const strList = (v: unknown, path: Path): string[] => {
    if (typeof v === 'string') return [str(v, path)];
    if (Array.isArray(v) && v.length > 0) return v.map((x, i) => str(x, [...path, i]));
    return fail(path, `expected a glob or a list of globs, got ${show(v)}`);
  };
  const num = (v: unknown, path: Path, what: string, check: (n: number) => boolean = () => true): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.replace(/\s*(wt\s*)?%$/i, '')) : NaN;
    if (!Number.isFinite(n) || !check(n)) return fail(path, `expected ${what}, got ${show(v)}`);
    return n;
  };

  /** A relative path that stays inside its folder (study files never reach outside it). */
  const insidePath = (v: unknown, path: Path, what: string): void => {
    if (typeof v !== 'string' || v.trim() === '') return void fail(path, `expected ${what}, got ${show(v)}`);
    const norm = posix.normalize(v.replace(/\\/g, '/'));
    if (isAbsolute(v) || posix.isAbsolute(norm) || /^[A-Za-z]:/.test(v) || norm === '..' || norm.startsWith('../')) {
      fail(path, `expected ${what} inside the ${what.includes('report') ? 'report' : 'study'} folder (a relative path without ".."), got ${show(v)}`);
    }
  };
  // SEM options: the one validator of analysis options (same checks and messages as the CLI and the library).
  const checkSemOptions = (o: Record<string, unknown>, path: Path): void => {
    try {
      parseAnalysisSpec(o, {
        refuse: { overlay: 'not an option of a study file: the run writes an overlay of every image into the report folder (voidscope run --no-overlays to skip them)' },
        maxPixelsLimit: STUDY_MAX_PIXELS,
      });
    } catch (e) {
      if (e instanceof OptionError) fail([...path, ...e.path], e.problem);
      throw e;
    }
    if (o.mask !== undefined) insidePath(o.mask, [...path, 'mask'], 'a mask image path relative to the study folder');
    if (o.voidMask !== undefined) insidePath(o.voidMask, [...path, 'voidMask'], 'a folder for the void-mask PNGs relative to the report folder');
    if (o.model !== undefined) insidePath(o.model, [...path, 'model'], 'a model folder (voidscope train --out) relative to the study folder');
  };
  const SIMS_KEYS = ['channel', 'total', 'roi', 'fovUm', 'bin', 'hotspot', 'level', 'format', 'verifyChecksum'];
  const checkSimsOptions = (o: Record<string, unknown>, path: Path): void => {
    for (const k of Object.keys(o)) {
      if (!SIMS_KEYS.includes(k)) fail([...path, k], unknownOptionProblem(k, suggestName(k, SIMS_KEYS), SIMS_KEYS));
    }
    if (o.total !== undefined && o.total !== false) insidePath(o.total, [...path, 'total'], 'a total-ion image path relative to the study folder (or false)');
    if (o.fovUm !== undefined && !(typeof o.fovUm === 'number' && Number.isFinite(o.fovUm) && o.fovUm > 0)) {
      fail([...path, 'fovUm'], `expected the field of view in µm (a number > 0), got ${show(o.fovUm)}`);
    }
  };

  if (!isObj(raw)) return fail([], 'the study file must be a mapping with at least "groups"');
  checkKeys(raw, [], ['version', 'name', 'description', 'groups', 'ignore', 'electrochemistry', 'recommendation']);
  if (raw.version !== undefined && raw.version !== 1) fail(['version'], `unsupported study-file version ${show(raw.version)} (this voidscope reads version 1)`);
  if (!Array.isArray(raw.groups) || raw.groups.length === 0) fail(['groups'], 'expected a list of groups (each with kind and files)');

  const groups: StudyGroup[] = (raw.groups as unknown[]).map((g, i) => {
    const p: Path = ['groups', i];
    if (!isObj(g)) return fail(p, 'expected a mapping with kind and files');
    checkKeys(g, p, ['name', 'kind', 'files', 'exclude', 'electrode', 'binder', 'state', 'cycles', 'options', 'reference']);
    const kindRaw = g.kind === undefined ? fail(p, 'missing key "kind" (sem or sims)') : g.kind;
    const kind = String(kindRaw).toLowerCase();
    if (kind !== 'sem' && kind !== 'sims') fail([...p, 'kind'], `expected "sem" or "sims", got ${show(kindRaw)}`);
    if (g.files === undefined) fail(p, 'missing key "files" (a glob or list of globs relative to the study folder)');
    const files = strList(g.files, [...p, 'files']);
    const exclude = g.exclude === undefined ? [] : strList(g.exclude, [...p, 'exclude']);
    let electrode: Electrode | null = null;
    if (g.electrode !== undefined) {
      electrode = parseElectrode(String(g.electrode)) ?? fail([...p, 'electrode'], `expected cathode, anode or full-cell, got ${show(g.electrode)}`);
    }
    const binderWtPct = g.binder === undefined ? null : num(g.binder, [...p, 'binder'], 'a binder content in wt % (a number ≥ 0)', (n) => n >= 0 && n <= 100);
    let state: CellState | null = null;
    let cycles: number | null = null;
    if (g.state !== undefined) {
      const s = String(g.state).toLowerCase();
      if (s === 'pristine' || s === 'cycled') state = s;
      else fail([...p, 'state'], `expected "pristine" or "cycled", got ${show(g.state)}`);
    }
    if (g.cycles !== undefined) {
      cycles = num(g.cycles, [...p, 'cycles'], 'a whole number of cycles ≥ 1', (n) => Number.isInteger(n) && n >= 1);
      if (state === 'pristine') fail([...p, 'cycles'], 'a pristine group cannot have a cycle count');
      state ??= 'cycled';
    }
    let options: Record<string, unknown> = {};
    if (g.options !== undefined) {
      if (!isObj(g.options)) fail([...p, 'options'], `expected a mapping of analysis options, got ${show(g.options)}`);
      options = { ...(g.options as Record<string, unknown>) };
      // A ROI may be written "x,y,w,h" as on the command line.
      if (typeof options.roi === 'string') {
        const roi = parseRoi(options.roi);
        if (!roi) fail([...p, 'options', 'roi'], `expected "x,y,width,height" in pixels, got ${show(options.roi)}`);
        options.roi = roi!;
      }
      if (kind === 'sem') checkSemOptions(options, [...p, 'options']);
      else checkSimsOptions(options, [...p, 'options']);
    }
    const reference = g.reference === undefined ? null : num(g.reference, [...p, 'reference'], 'the binder content (wt %) of the reference maps');
    if (reference !== null && kind !== 'sims') fail([...p, 'reference'], '"reference" applies to sims groups only');
    const name = g.name === undefined ? `${kind.toUpperCase()} ${electrode ?? `group ${i + 1}`}` : str(g.name, [...p, 'name']);
    return { name, kind: kind as DataKind, files, exclude, electrode, binderWtPct, state, cycles, options, reference };
  });

  const names = new Set<string>();
  groups.forEach((g, i) => {
    if (names.has(g.name)) fail(['groups', i, 'name'], `duplicate group name "${g.name}"`);
    names.add(g.name);
  });

  const electrochemistry: ElectrochemSpec = { tables: [], cycling: [] };
  if (raw.electrochemistry !== undefined) {
    const e = raw.electrochemistry;
    const p: Path = ['electrochemistry'];
    if (!isObj(e)) fail(p, 'expected a mapping with "tables" and/or "cycling"');
    const eo = e as Record<string, unknown>;
    checkKeys(eo, p, ['tables', 'cycling']);
    if (eo.tables !== undefined) {
      // Each entry: a glob, or a mapping {files, electrode, binder, source} for tables without those columns.
      const list = Array.isArray(eo.tables) ? eo.tables : [eo.tables];
      if (list.length === 0) fail([...p, 'tables'], 'expected a table (glob) or a list of tables');
      electrochemistry.tableSpecs = [];
      list.forEach((t, i) => {
        const tp: Path = Array.isArray(eo.tables) ? [...p, 'tables', i] : [...p, 'tables'];
        if (typeof t === 'string') {
          electrochemistry.tables.push(str(t, tp));
          return;
        }
        if (!isObj(t)) return fail(tp, `expected a glob or a mapping with "files" (and electrode, binder, source), got ${show(t)}`);
        checkKeys(t, tp, ['files', 'electrode', 'binder', 'source']);
        if (t.files === undefined) fail(tp, 'missing key "files"');
        let electrode: Electrode | null = null;
        if (t.electrode !== undefined) {
          electrode = parseElectrode(String(t.electrode)) ?? fail([...tp, 'electrode'], `expected cathode, anode or full-cell, got ${show(t.electrode)}`);
        }
        const spec: TableSpec = {
          files: strList(t.files, [...tp, 'files']),
          electrode,
          binderWtPct: t.binder === undefined ? null : num(t.binder, [...tp, 'binder'], 'a binder content in wt % (a number ≥ 0)', (n) => n >= 0 && n <= 100),
          source: t.source === undefined ? null : str(t.source, [...tp, 'source']),
        };
        electrochemistry.tables.push(...spec.files);
        electrochemistry.tableSpecs!.push(spec);
      });
    }
    if (eo.cycling !== undefined) {
      const list = Array.isArray(eo.cycling) ? eo.cycling : [eo.cycling];
      electrochemistry.cycling = list.map((c, i) => {
        const cp: Path = Array.isArray(eo.cycling) ? [...p, 'cycling', i] : [...p, 'cycling'];
        if (typeof c === 'string') return { files: [c], electrode: null, binderWtPct: null, source: null };
        if (!isObj(c)) return fail(cp, 'expected a glob or a mapping with "files"');
        checkKeys(c, cp, ['files', 'electrode', 'binder', 'source']);
        if (c.files === undefined) fail(cp, 'missing key "files"');
        let electrode: Electrode | null = null;
        if (c.electrode !== undefined) {
          electrode = parseElectrode(String(c.electrode)) ?? fail([...cp, 'electrode'], `expected cathode, anode or full-cell, got ${show(c.electrode)}`);
        }
        return {
          files: strList(c.files, [...cp, 'files']),
          electrode,
          binderWtPct: c.binder === undefined ? null : num(c.binder, [...cp, 'binder'], 'a binder content in wt %'),
          source: c.source === undefined ? null : str(c.source, [...cp, 'source']),
        };
      });
    }
  }

  const recommendation: RecommendationRule = { ...DEFAULT_RULE };
  if (raw.recommendation !== undefined) {
    const r = raw.recommendation;
    const p: Path = ['recommendation'];
    if (!isObj(r)) fail(p, 'expected a mapping (rule, retentionCycle, highRate, lowRate, margin, tie)');
    const ro = r as Record<string, unknown>;
    checkKeys(ro, p, ['rule', 'retentionCycle', 'highRate', 'lowRate', 'margin', 'tie']);
    if (ro.rule !== undefined && ro.rule !== 'retention-within-rate-margin') {
      fail([...p, 'rule'], `unknown rule ${show(ro.rule)} (available: retention-within-rate-margin)`);
    }
    const pos = (n: number): boolean => n > 0;
    if (ro.retentionCycle !== undefined) recommendation.retentionCycle = num(ro.retentionCycle, [...p, 'retentionCycle'], 'a cycle number ≥ 1', (n) => Number.isInteger(n) && n >= 1);
    if (ro.highRate !== undefined) recommendation.highRate = num(ro.highRate, [...p, 'highRate'], 'a C-rate > 0', pos);
    if (ro.lowRate !== undefined) recommendation.lowRate = num(ro.lowRate, [...p, 'lowRate'], 'a C-rate > 0', pos);
    if (ro.margin !== undefined) recommendation.marginPp = num(ro.margin, [...p, 'margin'], 'a margin in percentage points ≥ 0', (n) => n >= 0);
    if (ro.tie !== undefined) recommendation.tiePp = num(ro.tie, [...p, 'tie'], 'a tie tolerance in percentage points ≥ 0', (n) => n >= 0);
    if (recommendation.highRate <= recommendation.lowRate) fail([...p, 'highRate'], `highRate (${recommendation.highRate} C) must be above lowRate (${recommendation.lowRate} C)`);
  }

  return {
    version: 1,
    name: raw.name === undefined ? null : str(raw.name, ['name']),
    description: raw.description === undefined ? null : String(raw.description),
    groups,
    ignore: raw.ignore === undefined ? [] : strList(raw.ignore, ['ignore']),
    electrochemistry,
    recommendation,
    source: file,
  };
}
