/**
 * Piscina worker: analyses one SEM image or SIMS map per call with the real
 * analysers. Results are plain JSON so they cross the thread boundary as is.
 */
import { runTask, type AnalysisOutcome, type AnalysisTask } from './analyze.js';

export default async function analyse(task: AnalysisTask): Promise<AnalysisOutcome> {
  return runTask(task);
}
