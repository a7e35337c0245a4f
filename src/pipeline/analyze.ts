/**
 * The analysis step of a study run and of `porosity` / `thresholds` over several files: one task
 * per SEM image or SIMS map, run either in this thread or in a piscina worker (worker.ts). Tasks
 * carry the validated AnalysisSpec (plain JSON); outcomes carry the library's typed results
 * (PorosityResult, ThresholdsResult, SimsMapResult), which cross the thread boundary by structured
 * clone. Tests may pass their own analysers (in-process only).
 */
import { isVoidscopeError } from '../errors.js';
import type { AnalysisSpec } from '../segmentation/spec.js';
import type { PorosityResult, ThresholdsResult } from '../segmentation/types.js';
import type { SimsAnalysisOptions, SimsMapResult } from '../sims/index.js';

export type AnalysisTask =
  | {
      /** Stable index (the order of files in the run), for deterministic results. */
      index: number;
      kind: 'sem';
      /** Absolute path of the input. */
      file: string;
      /** The validated analysis spec (outputs included). */
      spec: AnalysisSpec;
    }
  | { index: number; kind: 'thresholds'; file: string; spec: AnalysisSpec }
  | {
      index: number;
      kind: 'sims';
      file: string;
      /** SIMS analysis options from the study file. */
      options: Record<string, unknown>;
      /** Absolute path of the total-ion image paired with this map, or null. */
      total: string | null;
    };

export interface ResultOf {
  sem: PorosityResult;
  thresholds: ThresholdsResult;
  sims: SimsMapResult;
}

export type AnalysisOutcome<K extends AnalysisTask['kind'] = AnalysisTask['kind']> =
  | { ok: true; kind: K; result: ResultOf[K] }
  | { ok: false; error: { code: string; message: string } };

/** A pluggable analyser. */
export type Analyzer<K extends AnalysisTask['kind']> = (task: Extract<AnalysisTask, { kind: K }>) => Promise<ResultOf[K]>;

export interface Analyzers {
  sem: Analyzer<'sem'>;
  sims: Analyzer<'sims'>;
  thresholds?: Analyzer<'thresholds'>;
}

/**
 * The real analysers, imported lazily so that a run without SIMS files never loads the SIMS code
 * and vice versa.
 */
export const defaultAnalyzers: Required<Analyzers> = {
  async sem(task) {
    const { analyzePorosity } = await import('../segmentation/analyze.js');
    return analyzePorosity(task.file, task.spec);
  },
  async thresholds(task) {
    const { analyzeThresholds } = await import('../segmentation/analyze.js');
    return analyzeThresholds(task.file, task.spec);
  },
  async sims(task) {
    const { analyzeSimsMap } = await import('../sims/index.js');
    const options = { ...task.options, ...(task.total ? { total: task.total } : {}) } as SimsAnalysisOptions;
    return analyzeSimsMap(task.file, options);
  },
};

/** Run one task, turning any failure into a reported outcome (never throws). */
export async function runTask(task: AnalysisTask, analyzers: Analyzers = defaultAnalyzers): Promise<AnalysisOutcome> {
  try {
    const an = (analyzers[task.kind] ?? defaultAnalyzers[task.kind]) as (t: AnalysisTask) => Promise<ResultOf[typeof task.kind]>;
    return { ok: true, kind: task.kind, result: await an(task) } as AnalysisOutcome;
  } catch (e) {
    if (isVoidscopeError(e)) return { ok: false, error: { code: e.code, message: e.message } };
    const err = e as { code?: unknown; message?: string };
    const code = typeof err?.code === 'string' ? err.code : 'EINTERNAL';
    const msg = err?.message ?? String(e);
    return { ok: false, error: { code, message: msg.includes(task.file) ? msg : `${task.file}: ${msg}` } };
  }
}

/**
 * Run tasks over `jobs` worker threads (in this thread when jobs = 1, one task, or custom
 * analysers). `onDone` is called once per task in completion order; results never depend on jobs.
 */
export async function runTasks(
  tasks: readonly AnalysisTask[],
  jobs: number,
  onDone: (task: AnalysisTask, outcome: AnalysisOutcome) => void,
  options: { analyzers?: Analyzers; signal?: AbortSignal } = {},
): Promise<void> {
  const { signal } = options;
  if (tasks.length === 0) return;
  if (options.analyzers || jobs === 1 || tasks.length === 1) {
    for (const t of tasks) {
      signal?.throwIfAborted();
      onDone(t, await runTask(t, options.analyzers));
    }
    return;
  }
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    filename: new URL('./worker.js', import.meta.url).href,
    minThreads: Math.min(jobs, tasks.length),
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
        onDone(t, o);
      }),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
  signal?.throwIfAborted();
}
