/**
 * Stage 3: analyse every SEM image and SIMS map. One task per file carrying the validated
 * AnalysisSpec (SEM) or the SIMS options; the --resume cache (same content hash and options → the
 * stored result); the worker pool (pipeline/analyze.ts); then the typed rows of the report, in file
 * order (independent of completion order and --jobs). Rows are built from the library's typed
 * results: nothing is guessed from field spellings.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VERSION } from '../../version.js';
import { runTasks, type AnalysisOutcome, type AnalysisTask, type Analyzers } from '../analyze.js';
import type { LabelledFile, ScanResult } from '../inputs.js';
import type { FileLabel, Failure, PoreStats, SemImage, SemModel, SimsMap } from '../types.js';
import { parseAnalysisSpec, type AnalysisSpec } from '../../segmentation/spec.js';
import { describeFilters } from '../../segmentation/prefilter.js';
import type { PorosityResult } from '../../segmentation/types.js';
import type { SimsMapResult } from '../../sims/index.js';
import { CACHE_FILE, relativise, safeName } from './output.js';

const CACHE_VERSION = 1;

interface CacheEntry {
  kind: 'sem' | 'sims';
  result: Record<string, unknown>;
  overlay: string | null;
}

export interface CacheFile {
  version: number;
  voidscope: string;
  entries: Record<string, CacheEntry>;
}

async function loadCache(out: string): Promise<Map<string, CacheEntry>> {
  try {
    const c = JSON.parse(await readFile(join(out, CACHE_FILE), 'utf8')) as CacheFile;
    if (c.version !== CACHE_VERSION || c.voidscope !== VERSION) return new Map();
    return new Map(Object.entries(c.entries));
  } catch {
    return new Map();
  }
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A typed result as the plain JSON the report and the cache hold (NaN → null, typed arrays → arrays). */
function plain<T>(x: T): T {
  return JSON.parse(
    JSON.stringify(x, (_k, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'bigint') return Number(v);
      return v;
    }),
  ) as T;
}

/**
 * The SEM analysis spec of a study-file group's options (validated when the study file was read,
 * so this cannot fail on them). Paths are resolved: a mask and a model relative to the study folder; `voidMask`
 * names a folder of the report, which gets one void-mask PNG per image (named like its overlay).
 */
export function semSpecOf(options: Record<string, unknown>, root: string, reportDir: string, rel: string, overlay: string | null): AnalysisSpec {
  const spec = parseAnalysisSpec(options);
  return {
    ...spec,
    area: { ...spec.area, mask: spec.area.mask !== null ? resolve(root, spec.area.mask) : null },
    segment: spec.segment.method === 'model' ? { ...spec.segment, path: resolve(root, spec.segment.path) } : spec.segment,
    outputs: { overlay, voidMask: spec.outputs.voidMask !== null ? join(resolve(reportDir, spec.outputs.voidMask), `${safeName(rel)}.png`) : null },
  };
}

export interface AnalyseStage {
  sem: SemImage[];
  sims: SimsMap[];
  /** The new --resume cache (written with the report). */
  cache: CacheFile;
}

export async function analyseFiles(args: {
  root: string;
  out: string;
  tmp: string;
  scan: ScanResult;
  hashes: Map<string, string>;
  jobs: number;
  overlays: boolean;
  resume: boolean;
  noWrite: boolean;
  analyzers?: Analyzers;
  signal?: AbortSignal;
  failures: Failure[];
  warnings: string[];
  progress: (e: { type: 'start'; total: number } | { type: 'file'; done: number; total: number; file: string; status: 'ok' | 'failed' | 'cached'; message?: string } | { type: 'stage'; stage: 'analyse'; message: string }) => void;
}): Promise<AnalyseStage> {
  const { root, out, tmp, scan, hashes, overlays, progress } = args;
  const cache = args.resume && !args.noWrite ? await loadCache(out) : new Map<string, CacheEntry>();
  const newCache: Record<string, CacheEntry> = {};
  const files: LabelledFile[] = [...scan.sem, ...scan.sims];
  // A model's files are inputs too: a retrained model (same folder) must not reuse cached results.
  const modelHashes = new Map<string, string | null>();
  const modelHashOf = async (options: Record<string, unknown>): Promise<string | null> => {
    if (typeof options.model !== 'string') return null;
    const dir = resolve(root, options.model);
    if (!modelHashes.has(dir)) {
      const h = createHash('sha256');
      try {
        for (const f of ['voidscope-model.json', 'model.json', 'weights.bin']) h.update(await readFile(join(dir.endsWith('.json') ? dirname(dir) : dir, f)));
        modelHashes.set(dir, h.digest('hex'));
      } catch {
        modelHashes.set(dir, null); // the analysis reports the missing model file
      }
    }
    return modelHashes.get(dir)!;
  };
  for (const f of scan.sem) await modelHashOf(f.options);
  const sidecarsOf = (rel: string): string[] => scan.auxiliary.filter((a) => a.role === 'sidecar' && a.owner === rel).map((a) => hashes.get(a.rel) ?? '');
  const keyOf = (f: LabelledFile): string =>
    createHash('sha256')
      .update(
        stableStringify({
          v: VERSION,
          kind: f.label.kind,
          sha: hashes.get(f.rel) ?? null,
          total: f.total ? (hashes.get(f.total) ?? null) : null,
          side: sidecarsOf(f.rel),
          options: f.options,
          model: typeof f.options.model === 'string' ? (modelHashes.get(resolve(root, f.options.model)) ?? null) : null,
          overlays,
        }),
      )
      .digest('hex');

  type Done = { outcome: { ok: true; result: Record<string, unknown> } | { ok: false; error: { code: string; message: string } }; cached: boolean; overlay: string | null };
  const outcomes: Array<Done | undefined> = new Array(files.length);
  const tasks: AnalysisTask[] = [];
  const overlayOut = new Map<number, string>();
  const total = files.length;
  let done = 0;
  progress({ type: 'start', total });
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    if (!hashes.has(f.rel)) {
      outcomes[i] = { outcome: { ok: false, error: { code: 'EIO', message: `${f.rel}: cannot read the file` } }, cached: false, overlay: null };
      continue;
    }
    const key = keyOf(f);
    const hit = cache.get(key);
    const overlayRel = f.label.kind === 'sem' && overlays ? `overlays/${safeName(f.rel)}.png` : null;
    if (hit && hit.kind === f.label.kind) {
      let overlay: string | null = null;
      if (hit.overlay && existsSync(join(out, hit.overlay))) {
        await mkdir(dirname(join(tmp, hit.overlay)), { recursive: true });
        await copyFile(join(out, hit.overlay), join(tmp, hit.overlay));
        overlay = hit.overlay;
      }
      if (!hit.overlay || overlay) {
        outcomes[i] = { outcome: { ok: true, result: hit.result }, cached: true, overlay };
        newCache[key] = hit;
        done++;
        progress({ type: 'file', done, total, file: f.rel, status: 'cached' });
        continue;
      }
    }
    if (overlayRel && !args.noWrite) await mkdir(join(tmp, 'overlays'), { recursive: true });
    const ov = overlayRel && !args.noWrite ? join(tmp, overlayRel) : null;
    if (ov) overlayOut.set(i, ov);
    if (f.label.kind === 'sem') tasks.push({ index: i, kind: 'sem', file: f.abs, spec: semSpecOf(f.options, root, tmp, f.rel, ov) });
    else {
      // A total-ion image named in the study file is relative to the study folder (checked to stay inside it).
      const options = typeof f.options.total === 'string' ? { ...f.options, total: resolve(root, f.options.total) } : f.options;
      tasks.push({ index: i, kind: 'sims', file: f.abs, options, total: f.total ? join(root, f.total) : null });
    }
  }

  progress({ type: 'stage', stage: 'analyse', message: `analysing ${tasks.length} file(s) with ${Math.min(args.jobs, Math.max(tasks.length, 1))} job(s)` });
  const finish = (t: AnalysisTask, o: AnalysisOutcome): void => {
    const f = files[t.index]!;
    // Paths into the temporary report folder become report-relative (so cached results stay valid).
    const result = o.ok ? relativise(plain(o.result) as unknown as Record<string, unknown>, tmp) : null;
    let overlay: string | null = null;
    const ov = overlayOut.get(t.index);
    if (o.ok && ov && existsSync(ov)) overlay = relative(tmp, ov).split(sep).join('/');
    outcomes[t.index] = { outcome: o.ok ? { ok: true, result: result! } : o, cached: false, overlay };
    if (o.ok) newCache[keyOf(f)] = { kind: f.label.kind, result: result!, overlay };
    done++;
    progress({ type: 'file', done, total, file: f.rel, status: o.ok ? 'ok' : 'failed', ...(o.ok ? {} : { message: o.error.message }) });
  };
  await runTasks(tasks, args.jobs, finish, { ...(args.analyzers ? { analyzers: args.analyzers } : {}), ...(args.signal ? { signal: args.signal } : {}) });

  // Typed rows, in file order.
  const sem: SemImage[] = [];
  const sims: SimsMap[] = [];
  // The same analysis warning for many files is reported once, with the files it concerns.
  const fileWarnings = new Map<string, string[]>();
  files.forEach((f, i) => {
    const o = outcomes[i]!;
    const rel = f.rel;
    if (!o.outcome.ok) {
      const err = { code: o.outcome.error.code, message: o.outcome.error.message.split(root + sep).join('') };
      args.failures.push({ file: rel, ...err });
      if (f.label.kind === 'sem') sem.push(semFailed(rel, f.label, f.options, err));
      else sims.push(simsFailed(rel, f.label, f.options, f.total, err));
      return;
    }
    const row =
      f.label.kind === 'sem'
        ? semRow(rel, f.label, f.options, o.outcome.result as unknown as PorosityResult, o.cached, o.overlay, root)
        : simsRow(rel, f.label, f.options, f.total, o.outcome.result as unknown as SimsMapResult, o.cached);
    row.raw = relativise(relativise(row.raw, tmp), root);
    if (f.label.kind === 'sem') sem.push(row as SemImage);
    else sims.push(row as SimsMap);
    for (const w of row.warnings) fileWarnings.set(w, [...(fileWarnings.get(w) ?? []), rel]);
  });
  for (const [w, list] of fileWarnings) {
    args.warnings.push(list.length === 1 ? `${list[0]}: ${w}` : `${w} (${list.length} files: ${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})`);
  }
  return { sem, sims, cache: { version: CACHE_VERSION, voidscope: VERSION, entries: newCache } };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The model of a learned segmentation as the report shows it: its folder relative to the study folder `root` when
 * inside it (with '/'), else as recorded.
 */
export function semModel(m: unknown, root?: string): SemModel | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as { sha256?: unknown; path?: unknown; backend?: unknown; classes?: unknown };
  if (typeof o.sha256 !== 'string') return null;
  let path = typeof o.path === 'string' && o.path !== '' ? o.path : null;
  if (path !== null && root !== undefined && isAbsolute(path)) {
    const rel = relative(root, path);
    if (rel === '') path = '.';
    else if (!rel.startsWith('..') && !isAbsolute(rel)) path = rel.split(sep).join('/');
  }
  return {
    path,
    sha256: o.sha256,
    ...(typeof o.backend === 'string' ? { backend: o.backend } : {}),
    ...(Array.isArray(o.classes) ? { classes: o.classes.map(String) } : {}),
  };
}

/** The report row of one analysed SEM image (a PorosityResult as plain JSON); `root`: the study folder (model paths are shown relative to it). */
export function semRow(file: string, label: FileLabel, options: Record<string, unknown>, r: PorosityResult, cached: boolean, overlay: string | null, root?: string): SemImage {
  // (Test analysers may return partial results: every field is read as optional.)
  const p = r.pores as PorosityResult['pores'] | undefined;
  const poreStats: PoreStats | null = p
    ? { unit: p.unit ?? (r.pixelSize ? 'µm' : 'px'), count: num(p.count) ?? p.list?.length ?? 0, meanEcd: num(p.meanEcd), d10: num(p.d10), d50: num(p.d50), d90: num(p.d90) }
    : null;
  const ecds = (p?.list ?? []).map((x) => num(x.ecd)).filter((x): x is number => x !== null);
  const raw: Record<string, unknown> = { ...r };
  if (p) raw.pores = { ...p, list: undefined };
  const vf = num(r.voidFraction);
  const seg = r.segmentation;
  const model = seg ? semModel(seg.model, root) : null;
  const phases = Array.isArray(r.phases)
    ? r.phases.filter((x) => typeof x?.name === 'string' && num(x.percent) !== null).map((x) => ({ name: x.name, percent: x.percent, void: x.void === true }))
    : [];
  return {
    file,
    label,
    status: 'ok',
    cached,
    error: null,
    porosityPercent: num(r.porosityPercent) ?? (vf !== null ? vf * 100 : null),
    voidFraction: vf ?? (num(r.porosityPercent) !== null ? r.porosityPercent / 100 : null),
    method: typeof r.method === 'string' ? r.method : null,
    threshold: num(r.threshold?.value),
    polarity: typeof r.polarity === 'string' ? r.polarity : null,
    roi: r.roi ? { x: r.roi.x, y: r.roi.y, width: r.roi.width, height: r.roi.height } : null,
    databar: r.databar ?? null,
    pixelSize: r.pixelSize && num(r.pixelSize.value) !== null ? { value: r.pixelSize.value, unit: r.pixelSize.unit ?? 'µm', source: r.pixelSize.source ?? 'unknown' } : null,
    pores: poreStats,
    poreEcds: ecds.map((x) => Number(x.toPrecision(5))),
    warnings: Array.isArray(r.warnings) ? r.warnings.map(String) : [],
    overlay,
    options,
    raw: plain(raw),
    ...(Array.isArray(r.filters) ? { prefilters: describeFilters(r.filters) } : {}),
    ...(seg ? { segmentation: { segmenter: seg.segmenter, method: seg.method, thresholds: seg.thresholds, ...(model ? { model } : {}) } } : {}),
    ...(phases.length ? { phases } : {}),
    ...(r.confidence ? { confidence: r.confidence } : {}),
  };
}

export function semFailed(file: string, label: FileLabel, options: Record<string, unknown>, error: { code: string; message: string }): SemImage {
  return {
    file,
    label,
    status: 'failed',
    cached: false,
    error,
    porosityPercent: null,
    voidFraction: null,
    method: null,
    threshold: null,
    polarity: null,
    roi: null,
    databar: null,
    pixelSize: null,
    pores: null,
    poreEcds: [],
    warnings: [],
    overlay: null,
    options,
    raw: null,
  };
}

function interval(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2 && num(v[0]) !== null && num(v[1]) !== null) return [v[0] as number, v[1] as number];
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const lo = num(o.lower);
    const hi = num(o.upper);
    if (lo !== null && hi !== null) return [lo, hi];
  }
  return null;
}

/** The report row of one analysed SIMS map (a SimsMapResult as plain JSON). */
export function simsRow(file: string, label: FileLabel, options: Record<string, unknown>, total: string | null, r: SimsMapResult, cached: boolean): SimsMap {
  const o = r as unknown as Record<string, unknown>;
  const hot = o.hotspot as { fraction?: unknown } | undefined;
  const px = r.pixelSize;
  return {
    file,
    label,
    status: 'ok',
    cached,
    error: null,
    totalFile: total,
    format: typeof r.format === 'string' ? r.format : null,
    channel: r.channel ?? null,
    width: num(r.width),
    height: num(r.height),
    pixelSize: px && num(px.value) !== null ? { value: px.value, unit: px.unit ?? 'µm', source: px.source ?? 'unknown' } : null,
    meanCounts: num(o.meanCounts),
    meanCountsCI95: interval(o.meanCountsCI95),
    totalCounts: num(o.totalCounts),
    zeroFraction: num(o.zeroFraction),
    ticRatio: num(o.ticRatio) ?? num((o.ticRatio as { value?: unknown } | null)?.value),
    hotspotFraction: num(o.hotspotFraction) ?? num(hot?.fraction),
    hotspotRule: o.hotspotRule ?? o.hotspot ?? null,
    relativeToReference: null,
    warnings: Array.isArray(o.warnings) ? o.warnings.map((w) => (typeof w === 'string' ? w : typeof (w as { message?: unknown })?.message === 'string' ? (w as { message: string }).message : JSON.stringify(w))) : [],
    heatmap: null,
    options,
    raw: o,
  };
}

export function simsFailed(file: string, label: FileLabel, options: Record<string, unknown>, total: string | null, error: { code: string; message: string }): SimsMap {
  return {
    file,
    label,
    status: 'failed',
    cached: false,
    error,
    totalFile: total,
    format: null,
    channel: null,
    width: null,
    height: null,
    pixelSize: null,
    meanCounts: null,
    meanCountsCI95: null,
    totalCounts: null,
    zeroFraction: null,
    ticRatio: null,
    hotspotFraction: null,
    hotspotRule: null,
    relativeToReference: null,
    warnings: [],
    heatmap: null,
    options,
    raw: null,
  };
}
