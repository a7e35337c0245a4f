/**
 * The analysis step of a study run: one task per SEM image or SIMS map, run
 * either in this thread or in a piscina worker (worker.ts). The analysers are
 * the public functions of src/segmentation and src/sims; tests may pass their
 * own (in-process only).
 */
import { isVoidscopeError } from '../errors.js';
import type { PorosityOptions } from '../segmentation/index.js';
import type { SimsAnalysisOptions } from '../sims/index.js';

export interface AnalysisTask {
  /** Stable index (the order of files in the run), for deterministic results. */
  index: number;
  kind: 'sem' | 'sims';
  /** Absolute path of the input. */
  file: string;
  /** Analysis options from the study file / CLI. */
  options: Record<string, unknown>;
  /** SIMS: absolute path of the total-ion image paired with this map, or null. */
  total: string | null;
  /** Absolute path where an overlay PNG should be written, or null for none. */
  overlayOut: string | null;
}

export type AnalysisOutcome =
  | { ok: true; result: Record<string, unknown>; overlayWritten: boolean }
  | { ok: false; error: { code: string; message: string } };

/** A pluggable analyser: returns the JSON-serialisable result of one file. */
export type Analyzer = (task: AnalysisTask) => Promise<{ result: Record<string, unknown>; overlayWritten: boolean }>;

export interface Analyzers {
  sem: Analyzer;
  sims: Analyzer;
}

/** Make a result JSON-plain (drops typed arrays into arrays, functions away). */
export function toPlain(x: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(x, (_k, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      if (typeof v === 'bigint') return Number(v);
      return v;
    }),
  ) as Record<string, unknown>;
}

/**
 * The real analysers: analyzePorosity and analyzeSimsMap, imported lazily from the public
 * index modules so that a run without SIMS files never loads the SIMS code and vice versa.
 * Study-file options are passed through; each analyser validates its own options.
 */
export const defaultAnalyzers: Analyzers = {
  async sem(task) {
    const { analyzePorosity } = await import('../segmentation/index.js');
    const options = { ...task.options, ...(task.overlayOut ? { overlay: task.overlayOut } : {}) } as PorosityOptions;
    return { result: toPlain(await analyzePorosity(task.file, options)), overlayWritten: task.overlayOut !== null };
  },
  async sims(task) {
    const { analyzeSimsMap } = await import('../sims/index.js');
    const options = { ...task.options, ...(task.total ? { total: task.total } : {}) } as SimsAnalysisOptions;
    return { result: toPlain(await analyzeSimsMap(task.file, options)), overlayWritten: false };
  },
};

/** Run one task, turning any failure into a reported outcome (never throws). */
export async function runTask(task: AnalysisTask, analyzers: Analyzers = defaultAnalyzers): Promise<AnalysisOutcome> {
  try {
    const { result, overlayWritten } = await analyzers[task.kind](task);
    return { ok: true, result, overlayWritten };
  } catch (e) {
    if (isVoidscopeError(e)) return { ok: false, error: { code: e.code, message: e.message } };
    const err = e as { code?: unknown; message?: string };
    const code = typeof err?.code === 'string' ? err.code : 'EINTERNAL';
    const msg = err?.message ?? String(e);
    return { ok: false, error: { code, message: msg.includes(task.file) ? msg : `${task.file}: ${msg}` } };
  }
}
