/**
 * `porosity` and `thresholds` over several files: the study run's worker pool (pipeline/analyze.ts),
 * `--jobs` threads (default the machine's cores), outcomes delivered in input order so that output
 * never depends on --jobs.
 */
import type { Options } from 'yargs';
import { VoidscopeError } from '../errors.js';
import { runTasks, type AnalysisOutcome, type AnalysisTask } from '../pipeline/analyze.js';
import type { AnalysisSpec } from '../segmentation/spec.js';

export const jobsOption: Options = {
  type: 'number',
  requiresArg: true,
  describe: 'worker threads for several images (default: the machine\'s cores; 1 = in this process). Results do not depend on it',
};

export async function analyseFiles(
  kind: 'sem' | 'thresholds',
  files: readonly string[],
  specs: readonly AnalysisSpec[],
  jobs: number,
  onResult: (outcome: AnalysisOutcome, index: number) => void,
): Promise<void> {
  if (!(Number.isInteger(jobs) && jobs >= 1 && jobs <= 256)) throw new VoidscopeError('EOPTION', `--jobs: must be a whole number from 1 to 256, got ${String(jobs)}`);
  const tasks: AnalysisTask[] = files.map((file, index) => ({ index, kind, file, spec: specs[index]! }));
  const done: (AnalysisOutcome | undefined)[] = new Array(files.length);
  let next = 0;
  let failure: unknown = null;
  await runTasks(tasks, jobs, (t, o) => {
    done[t.index] = o;
    // Deliver every outcome whose predecessors are all delivered (input order).
    while (next < done.length && done[next] !== undefined) {
      const i = next++;
      if (failure === null) {
        try {
          onResult(done[i]!, i);
        } catch (e) {
          failure = e;
        }
      }
      done[i] = undefined as unknown as AnalysisOutcome;
    }
  });
  if (failure !== null) throw failure;
}
