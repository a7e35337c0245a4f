/**
 * `runStudy(folder, options)`: the whole study pipeline. Finds and labels the
 * inputs, analyses every SEM image and SIMS map (in worker threads), reads the
 * electrochemistry, builds the per-binder summary, correlations and
 * recommendation, and writes the report folder atomically: everything goes into
 * a hidden temporary folder next to the target, which is renamed into place at
 * the end, so an interrupted run never leaves a half-written report.
 */
import { availableParallelism } from 'node:os';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VoidscopeError, assertOption, isVoidscopeError } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { VERSION } from '../version.js';
import { runTask, defaultAnalyzers, type AnalysisOutcome, type AnalysisTask, type Analyzers } from './analyze.js';
import { aggregateElectrochem, capacityCurve, readCyclingFile, readEcTable, tableDefaultsFor, type CyclingCell, type EcRow } from './electrochem.js';
import { semFailed, semFromResult, simsFailed, simsFromResult } from './extract.js';
import { hashFile, labelWithStudy, labelWithoutStudy, walk, type LabelledFile, type ScanResult } from './inputs.js';
import { compilePattern, type Electrode } from './labels.js';
import { recommend } from './recommend.js';
import { findStudyFile, loadStudyFile, DEFAULT_RULE, type StudyConfig } from './study.js';
import { buildCorrelations, buildSummary, simsRelative } from './summary.js';
import { SCHEMA_VERSION, type Failure, type InputFile, type SemImage, type SimsMap, type StudyResult } from './types.js';
import { writeReportFiles } from './report/write.js';

export type ProgressEvent =
  | { type: 'stage'; stage: 'scan' | 'hash' | 'analyse' | 'electrochemistry' | 'summary' | 'write'; message: string }
  | { type: 'start'; total: number }
  | { type: 'file'; done: number; total: number; file: string; status: 'ok' | 'failed' | 'cached'; message?: string }
  | { type: 'done'; out: string; failures: number };

export interface RunStudyOptions {
  /** Report folder; default `<folder>/voidscope-report`. Any other location must lie outside the input folder. */
  out?: string;
  /** Path pattern for labelling when there is no study file, e.g. "{electrode}/{binder}wt/{state}/*". */
  pattern?: string;
  /** Worker threads for the analysis; default the machine's cores. 1 = in this thread. */
  jobs?: number;
  /** Reuse results of images whose content and options are unchanged (cache in the report folder). */
  resume?: boolean;
  /** Write segmentation overlays (default true). */
  overlays?: boolean;
  /** Progress callback (the CLI draws a bar or prints lines from it). */
  onProgress?: (e: ProgressEvent) => void;
  /** Replace the analysers (tests); forces in-thread analysis. */
  analyzers?: Analyzers;
  /** Skip writing the report files (library use that only wants the object). Default false. */
  noWrite?: boolean;
  /**
   * Abort the run (e.g. on Ctrl-C): the promise rejects with the signal's reason, the
   * temporary folder is removed and an earlier report stays as it was.
   */
  signal?: AbortSignal;
}

const CACHE_FILE = '.voidscope-cache.json';
const CACHE_VERSION = 1;

interface CacheEntry {
  kind: 'sem' | 'sims';
  result: Record<string, unknown>;
  overlay: string | null;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function dependencyVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
      try {
        out[dep] = (JSON.parse(readFileSync(join(ROOT, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string }).version;
      } catch {
        out[dep] = 'unknown';
      }
    }
  } catch {
    /* a bundled install without package.json: leave empty */
  }
  return out;
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
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

/** Check the report location and decide whether an existing folder may be replaced. */
async function checkOut(folder: string, out: string, isDefault: boolean): Promise<void> {
  if (isInside(folder, out)) {
    throw new VoidscopeError('EOPTION', `--out ${out} contains the input folder ${folder}; choose a folder outside it`);
  }
  if (!isDefault && isInside(out, folder)) {
    throw new VoidscopeError(
      'EOPTION',
      `--out ${out} is inside the input folder ${folder}; write the report outside the inputs (only the default ${join(folder, 'voidscope-report')} may live there, and the scan skips it)`,
    );
  }
  if (existsSync(out)) {
    const st = await stat(out);
    if (!st.isDirectory()) throw new VoidscopeError('EOPTION', `--out ${out} exists and is not a folder`);
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes('report.json') && !entries.includes(CACHE_FILE)) {
      throw new VoidscopeError('EOPTION', `--out ${out} exists, is not empty and holds no voidscope report; refusing to replace it`);
    }
  }
}

async function loadCache(out: string): Promise<Map<string, CacheEntry>> {
  try {
    const c = JSON.parse(await readFile(join(out, CACHE_FILE), 'utf8')) as { version: number; voidscope: string; entries: Record<string, CacheEntry> };
    if (c.version !== CACHE_VERSION || c.voidscope !== VERSION) return new Map();
    return new Map(Object.entries(c.entries));
  } catch {
    return new Map();
  }
}

function safeName(rel: string): string {
  return rel.replace(/[\\/]/g, '__').replace(/[^A-Za-z0-9._+-]/g, '_');
}

/** Analyse a study folder and write its report. */
export async function runStudy(folder: string, options: RunStudyOptions = {}): Promise<StudyResult> {
  const startedAt = new Date();
  const signal = options.signal;
  const progress = (e: ProgressEvent): void => {
    signal?.throwIfAborted();
    options.onProgress?.(e);
  };
  const root = resolve(folder);
  if (!existsSync(root)) throw new VoidscopeError('ENOENT', 'no such folder', { file: folder });
  if (!(await stat(root)).isDirectory()) throw new VoidscopeError('EOPTION', `${folder} is not a folder`);
  const jobs = options.jobs ?? availableParallelism();
  assertOption(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256, `--jobs must be a whole number from 1 to 256, got ${options.jobs}`);
  const defaultOut = join(root, 'voidscope-report');
  const out = options.out !== undefined ? resolve(options.out) : defaultOut;
  await checkOut(root, out, out === defaultOut);
  const overlays = options.overlays ?? true;

  // --- study file / labelling
  progress({ type: 'stage', stage: 'scan', message: `scanning ${root}` });
  const studyFile = findStudyFile(root);
  let study: StudyConfig | null = null;
  if (studyFile) {
    if (options.pattern) throw new VoidscopeError('EOPTION', `--pattern cannot be used with a study file (${studyFile}); edit its groups instead`);
    study = await loadStudyFile(studyFile);
  }
  const pattern = !study && options.pattern ? compilePattern(options.pattern) : null;
  const all = await walk(root, [out]);
  const scan: ScanResult = study ? labelWithStudy(all, study) : labelWithoutStudy(all, pattern);
  const rule = study?.recommendation ?? DEFAULT_RULE;
  for (const f of [...scan.sem, ...scan.sims]) f.abs = join(root, f.rel);
  const warnings: string[] = [...scan.warnings];
  const failures: Failure[] = [];

  // --- hashes of every input
  progress({ type: 'stage', stage: 'hash', message: 'hashing inputs' });
  const roles = new Map<string, InputFile['role']>();
  if (studyFile) roles.set(relative(root, studyFile).split(sep).join('/'), 'study');
  for (const f of scan.sem) roles.set(f.rel, 'sem');
  for (const f of scan.sims) roles.set(f.rel, 'sims');
  for (const a of scan.auxiliary) roles.set(a.rel, a.role);
  for (const t of scan.tables) roles.set(t, 'electrochem-table');
  for (const c of scan.cycling) roles.set(c.rel, 'cycling');
  for (const u of scan.unlabelled) roles.set(u.file, 'unlabelled');
  const inputs: InputFile[] = [];
  const hashes = new Map<string, string>();
  for (const rel of [...roles.keys()].sort()) {
    try {
      const h = await hashFile(join(root, rel));
      hashes.set(rel, h.sha256);
      inputs.push({ path: rel, sizeBytes: h.sizeBytes, sha256: h.sha256, role: roles.get(rel)! });
    } catch (e) {
      failures.push({ file: rel, code: 'EIO', message: `${rel}: cannot read: ${(e as Error).message}` });
    }
  }

  // --- temporary report folder (and leftovers of runs killed more than an hour ago)
  if (!options.noWrite) await removeStale(out);
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${randomBytes(6).toString('hex')}`);
  if (!options.noWrite) await mkdir(tmp, { recursive: true });
  try {
    const cache = options.resume && !options.noWrite ? await loadCache(out) : new Map<string, CacheEntry>();
    const newCache: Record<string, CacheEntry> = {};

    // --- analysis tasks
    const files: LabelledFile[] = [...scan.sem, ...scan.sims];
    const sidecarsOf = (rel: string): string[] =>
      scan.auxiliary.filter((a) => a.role === 'sidecar' && a.owner === rel).map((a) => hashes.get(a.rel) ?? '');
    const keyOf = (f: LabelledFile): string =>
      createHash('sha256')
        .update(
          stableStringify({
            v: VERSION,
            kind: f.label.kind,
            sha: hashes.get(f.rel) ?? null,
            total: f.total ? hashes.get(f.total) ?? null : null,
            side: sidecarsOf(f.rel),
            options: f.options,
            overlays,
          }),
        )
        .digest('hex');
    const outcomes: Array<{ outcome: AnalysisOutcome; cached: boolean; overlay: string | null } | undefined> = new Array(files.length);
    const tasks: AnalysisTask[] = [];
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
          outcomes[i] = { outcome: { ok: true, result: hit.result, overlayWritten: overlay !== null }, cached: true, overlay };
          newCache[key] = hit;
          done++;
          progress({ type: 'file', done, total, file: f.rel, status: 'cached' });
          continue;
        }
      }
      if (overlayRel && !options.noWrite) await mkdir(join(tmp, 'overlays'), { recursive: true });
      tasks.push({
        index: i,
        kind: f.label.kind,
        file: f.abs,
        options: f.options,
        total: f.total ? join(root, f.total) : null,
        overlayOut: overlayRel && !options.noWrite ? join(tmp, overlayRel) : null,
      });
    }

    progress({ type: 'stage', stage: 'analyse', message: `analysing ${tasks.length} file(s) with ${Math.min(jobs, Math.max(tasks.length, 1))} job(s)` });
    const finish = (t: AnalysisTask, o: AnalysisOutcome): void => {
      const f = files[t.index]!;
      // Paths into the temporary report folder become report-relative (so cached results stay valid).
      if (o.ok) o = { ...o, result: relativise(o.result, tmp) as Record<string, unknown> };
      let overlay: string | null = null;
      if (o.ok && t.overlayOut && existsSync(t.overlayOut)) overlay = relative(tmp, t.overlayOut).split(sep).join('/');
      outcomes[t.index] = { outcome: o, cached: false, overlay };
      if (o.ok) newCache[keyOf(f)] = { kind: f.label.kind, result: o.result, overlay };
      done++;
      progress({ type: 'file', done, total, file: f.rel, status: o.ok ? 'ok' : 'failed', message: o.ok ? undefined : o.error.message });
    };
    if (tasks.length > 0) {
      if (options.analyzers || jobs === 1 || tasks.length === 1) {
        const an = options.analyzers ?? defaultAnalyzers;
        for (const t of tasks) {
          signal?.throwIfAborted();
          finish(t, await runTask(t, an));
        }
      } else {
        const { Piscina } = await import('piscina');
        const pool = new Piscina({
          filename: new URL('./worker.js', import.meta.url).href,
          minThreads: 1,
          maxThreads: Math.min(jobs, tasks.length),
          idleTimeout: 1000,
          // geotiff pulls in web-worker, whose module code destructures worker_threads.workerData
          // in any non-main thread; an empty object makes it behave as on the main thread.
          workerData: {},
        });
        // One abort listener for the whole pool (not one per task): destroying the pool rejects the pending tasks.
        const onAbort = (): void => void pool.destroy();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await Promise.all(
            tasks.map(async (t) => {
              let o: AnalysisOutcome;
              try {
                o = (await pool.run(t)) as AnalysisOutcome;
              } catch (e) {
                if (signal?.aborted) return;
                o = { ok: false, error: { code: 'EINTERNAL', message: `${t.file}: worker failed: ${(e as Error).message}` } };
              }
              finish(t, o);
            }),
          );
        } finally {
          signal?.removeEventListener('abort', onAbort);
          await pool.destroy();
        }
        signal?.throwIfAborted();
      }
    }

    // --- typed rows, in file order (independent of completion order and --jobs)
    const sem: SemImage[] = [];
    const sims: SimsMap[] = [];
    // The same analysis warning for many files is reported once, with the files it concerns.
    const fileWarnings = new Map<string, string[]>();
    files.forEach((f, i) => {
      const o = outcomes[i]!;
      const rel = f.rel;
      if (!o.outcome.ok) {
        const err = { code: o.outcome.error.code, message: o.outcome.error.message.split(root + sep).join('') };
        failures.push({ file: rel, ...err });
        if (f.label.kind === 'sem') sem.push(semFailed(rel, f.label, f.options, err));
        else sims.push(simsFailed(rel, f.label, f.options, f.total, err));
        return;
      }
      if (f.label.kind === 'sem') {
        const row = semFromResult(rel, f.label, f.options, o.outcome.result, o.cached, o.overlay);
        row.raw = relativise(relativise(row.raw, tmp), root) as Record<string, unknown>;
        sem.push(row);
        for (const w of row.warnings) fileWarnings.set(w, [...(fileWarnings.get(w) ?? []), rel]);
      } else {
        const row = simsFromResult(rel, f.label, f.options, f.total, o.outcome.result, o.cached);
        row.raw = relativise(relativise(row.raw, tmp), root) as Record<string, unknown>;
        sims.push(row);
        for (const w of row.warnings) fileWarnings.set(w, [...(fileWarnings.get(w) ?? []), rel]);
      }
    });

    for (const [w, list] of fileWarnings) {
      warnings.push(list.length === 1 ? `${list[0]}: ${w}` : `${w} (${list.length} files: ${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''})`);
    }
    if (!options.noWrite && !options.analyzers && overlays) await renderHeatmaps(sims, root, tmp, warnings);

    // --- electrochemistry
    progress({ type: 'stage', stage: 'electrochemistry', message: 'reading electrochemistry' });
    const rows: EcRow[] = [];
    const cells: CyclingCell[] = [];
    for (const t of scan.tables) {
      try {
        const r = await readEcTable(join(root, t), t, tableDefaultsFor(t, study?.electrochemistry.tableSpecs));
        rows.push(...r.rows);
        warnings.push(...r.warnings);
      } catch (e) {
        failures.push(failureOf(t, e));
      }
    }
    for (const c of scan.cycling) {
      try {
        cells.push(await readCyclingFile(join(root, c.rel), c.rel, c, rule));
      } catch (e) {
        failures.push(failureOf(c.rel, e));
      }
    }
    const ec = aggregateElectrochem(rows, cells, rule);
    warnings.push(...ec.warnings);

    // --- summary
    progress({ type: 'stage', stage: 'summary', message: 'summarising per binder content' });
    const references = new Map<Electrode, number>();
    for (const m of sims) {
      if (m.status !== 'ok') continue;
      const g = scan.sims.find((s) => s.rel === m.file);
      const ref = g?.reference ?? null;
      const cur = references.get(m.label.electrode);
      if (ref !== null) references.set(m.label.electrode, ref);
      else if (cur === undefined || m.label.binderWtPct < cur) references.set(m.label.electrode, m.label.binderWtPct);
    }
    if (!options.analyzers) await simsCompare(sims, references, warnings);
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

    failures.sort((a, b) => a.file.localeCompare(b.file));
    const result: StudyResult = {
      schemaVersion: SCHEMA_VERSION,
      study: { name: study?.name ?? basename(root), description: study?.description ?? null },
      run: {
        voidscopeVersion: VERSION,
        node: process.version,
        dependencies: dependencyVersions(),
        startedAt: startedAt.toISOString(),
        finishedAt: '',
        folder: root,
        out,
        labelling: {
          mode: study ? 'study-file' : pattern ? 'pattern' : 'names',
          studyFile: studyFile ? relative(root, studyFile).split(sep).join('/') : null,
          pattern: pattern?.source ?? null,
        },
        options: { jobs, resume: options.resume ?? false, overlays },
        inputs,
        groups: study?.groups ?? [],
        rule,
      },
      sem,
      sims,
      electrochem: {
        tables: scan.tables,
        cells: cells.map((c) => ({ file: c.file, electrode: c.electrode, binderWtPct: c.binderWtPct, cell: c.cell, metrics: c.metrics, notes: c.notes })),
        curves,
      },
      summary,
      correlations,
      recommendations,
      unlabelled: scan.unlabelled,
      failures,
      warnings,
    };

    if (!options.noWrite) {
      progress({ type: 'stage', stage: 'write', message: `writing ${out}` });
      result.run.finishedAt = new Date().toISOString();
      await writeReportFiles(result, tmp, { sourceRoot: root });
      await writeFileAtomic(join(tmp, CACHE_FILE), JSON.stringify({ version: CACHE_VERSION, voidscope: VERSION, entries: newCache }));
      signal?.throwIfAborted();
      await swapInto(tmp, out);
    } else {
      result.run.finishedAt = new Date().toISOString();
    }
    progress({ type: 'done', out, failures: failures.length });
    return result;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

/**
 * SIMS heat maps with one colour scale per electrode (renderSimsHeatmaps). The
 * rasters do not cross the worker boundary, so the (small) maps are read again
 * here. A failure costs the pictures only, with a warning.
 */
async function renderHeatmaps(maps: SimsMap[], root: string, tmp: string, warnings: string[]): Promise<void> {
  const ok = maps.filter((m) => m.status === 'ok');
  if (ok.length === 0) return;
  try {
    const mod = (await import('../sims/index.js')) as Record<string, unknown>;
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
    const mod = (await import('../sims/index.js')) as Record<string, unknown>;
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

function failureOf(file: string, e: unknown): Failure {
  if (isVoidscopeError(e)) return { file, code: e.code, message: e.message };
  return { file, code: 'EINTERNAL', message: `${file}: ${(e as Error)?.message ?? String(e)}` };
}

/** Replace absolute input paths inside a result by paths relative to the study folder. */
function relativise(v: unknown, root: string): unknown {
  if (typeof v === 'string') return v.startsWith(root + sep) ? v.slice(root.length + 1).split(sep).join('/') : v;
  if (Array.isArray(v)) return v.map((x) => relativise(x, root));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, relativise(x, root)]));
  return v;
}

/** Remove `.<out>.tmp-*` / `.<out>.old-*` folders left by runs that were killed (not those of a run in progress). */
async function removeStale(out: string): Promise<void> {
  const parent = dirname(out);
  const prefix = `.${basename(out)}.`;
  let names: string[] = [];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix) || !/\.(tmp|old)-[0-9a-f]{12}$/.test(n)) continue;
    try {
      const st = await stat(join(parent, n));
      if (Date.now() - st.mtimeMs > 3600_000) await rm(join(parent, n), { recursive: true, force: true });
    } catch {
      /* raced with another run: leave it */
    }
  }
}

/** Move the finished temporary folder to `out`, replacing an earlier report. */
async function swapInto(tmp: string, out: string): Promise<void> {
  const old = join(dirname(out), `.${basename(out)}.old-${randomBytes(6).toString('hex')}`);
  let moved = false;
  try {
    if (existsSync(out)) {
      await rename(out, old);
      moved = true;
    }
    await rename(tmp, out);
  } catch (e) {
    if (moved && !existsSync(out)) await rename(old, out).catch(() => undefined);
    throw new VoidscopeError('EIO', `cannot move the report into place: ${(e as Error).message}`, { file: out, cause: e });
  }
  if (moved) await rm(old, { recursive: true, force: true });
}
