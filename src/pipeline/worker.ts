/**
 * Piscina worker: analyses one SEM image, threshold table or SIMS map per call with the real
 * analysers. Results are the library's typed results; they cross the thread boundary by
 * structured clone.
 */
import { runTask, type AnalysisOutcome, type AnalysisTask } from './analyze.js';

export default async function analyse(task: AnalysisTask): Promise<AnalysisOutcome> {
  return runTask(task);
}
