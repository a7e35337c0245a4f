/**
 * `runStudy(folder, options)`: the whole study pipeline, as its stages in order (./stages/):
 * scan (study file, labelled inputs) → hash → analyse (worker pool, --resume cache, typed rows) →
 * electrochemistry → summarise → write. Everything is written into a hidden temporary folder next
 * to the target, which is renamed into place at the end, so an interrupted run never leaves a
 * half-written report.
 */
import { availableParallelism } from 'node:os';
import { mkdir, rm, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VoidscopeError, assertOption } from '../errors.js';
import { writeFileAtomic } from '../fsutil.js';
import { VERSION } from '../version.js';
import type { Analyzers } from './analyze.js';
import { SCHEMA_VERSION, type Failure, type StudyResult } from './types.js';
import { markRunFolder, removeStaleRunFolders, writeReportFiles } from './report/write.js';
import { scanStudy } from './stages/scan.js';
import { hashInputs } from './stages/hash.js';
import { analyseFiles } from './stages/analyse.js';
import { readElectrochem } from './stages/electrochem.js';
import { renderHeatmaps, summarise } from './stages/summarise.js';
import { CACHE_FILE, checkOut, swapInto, tempFolderFor } from './stages/output.js';

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
  const noWrite = options.noWrite ?? false;

  progress({ type: 'stage', stage: 'scan', message: `scanning ${root}` });
  const { studyFile, study, pattern, scan, rule } = await scanStudy(root, out, options.pattern);
  const warnings: string[] = [...scan.warnings];
  const failures: Failure[] = [];

  progress({ type: 'stage', stage: 'hash', message: 'hashing inputs' });
  const { inputs, hashes } = await hashInputs(root, studyFile, scan, failures);

  if (!noWrite) await removeStaleRunFolders(out);
  const tmp = tempFolderFor(out);
  if (!noWrite) {
    await mkdir(tmp, { recursive: true });
    await markRunFolder(tmp);
  }
  try {
    const analysed = await analyseFiles({
      root, out, tmp, scan, hashes, jobs, overlays, noWrite,
      resume: options.resume ?? false,
      ...(options.analyzers ? { analyzers: options.analyzers } : {}),
      ...(signal ? { signal } : {}),
      failures, warnings, progress,
    });
    const { sem, sims } = analysed;
    if (!noWrite && !options.analyzers && overlays) await renderHeatmaps(sims, root, tmp, warnings);

    progress({ type: 'stage', stage: 'electrochemistry', message: 'reading electrochemistry' });
    const { cells, ec } = await readElectrochem(root, scan, rule, failures, warnings, study?.electrochemistry.tableSpecs);

    progress({ type: 'stage', stage: 'summary', message: 'summarising per binder content' });
    const { summary, correlations, recommendations, curves } = await summarise({ sem, sims, scan, cells, ec, rule, compare: !options.analyzers, warnings });

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

    if (!noWrite) {
      progress({ type: 'stage', stage: 'write', message: `writing ${out}` });
      result.run.finishedAt = new Date().toISOString();
      await writeReportFiles(result, tmp, { sourceRoot: root });
      await writeFileAtomic(join(tmp, CACHE_FILE), JSON.stringify(analysed.cache));
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
