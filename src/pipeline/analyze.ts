/**
 * The analysis step of a study run: one task per SEM image or SIMS map, run
 * either in this thread or in a piscina worker (worker.ts). The analysers are
 * the public functions of src/segmentation and src/sims, looked up through their
 * index modules at run time; tests may pass their own (in-process only).
 */
import { isVoidscopeError } from '../errors.js';

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

type AnyFn = (...args: unknown[]) => unknown;

async function loadModule(which: 'sem' | 'sims'): Promise<Record<string, unknown>> {
  // Only the public index modules (team rule), imported lazily so that a run
  // without SIMS files never needs the SIMS code and vice versa.
  return which === 'sem'
    ? ((await import('../segmentation/index.js')) as Record<string, unknown>)
    : ((await import('../sims/index.js')) as Record<string, unknown>);
}

function notAvailable(fn: string, where: string): Error {
  return Object.assign(new Error(`${fn} is not available in this build (${where} does not export it yet)`), { code: 'EUNSUPPORTED' });
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

/** The real analysers: analyzePorosity and analyzeSimsMap from the package's index modules. */
export const defaultAnalyzers: Analyzers = {
  async sem(task) {
    const mod = await loadModule('sem');
    const fn = mod.analyzePorosity as AnyFn | undefined;
    if (typeof fn !== 'function') throw notAvailable('analyzePorosity', 'src/segmentation/index.ts');
    const options: Record<string, unknown> = { ...task.options };
    if (task.overlayOut) options.overlay = task.overlayOut;
    const result = toPlain(await fn(task.file, options));
    // The overlay is written by analyzePorosity when it supports the option; if it
    // returned PNG bytes instead, the caller writes them.
    return { result, overlayWritten: task.overlayOut !== null };
  },
  async sims(task) {
    const mod = await loadModule('sims');
    const fn = mod.analyzeSimsMap as AnyFn | undefined;
    if (typeof fn !== 'function') throw notAvailable('analyzeSimsMap', 'src/sims/index.ts');
    const options: Record<string, unknown> = { ...task.options };
    if (task.total) options.total = task.total;
    const result = toPlain(await fn(task.file, options));
    return { result, overlayWritten: false };
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
