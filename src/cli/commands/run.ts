/**
 * `voidscope run <folder>`: the study pipeline (a thin layer over runStudy).
 * Progress goes to stderr: a bar on a terminal, plain lines otherwise, JSON
 * lines with --json-log, nothing with --quiet. Each failed input is reported as
 * `voidscope: <message>` and makes the exit status 1; the rest still run.
 */
import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { runStudy, type ProgressEvent } from '../../pipeline/index.js';
import { formatBinder } from '../../pipeline/labels.js';

interface RunArgs {
  folder: string;
  out?: string;
  pattern?: string;
  jobs?: number;
  resume: boolean;
  overlays: boolean;
  quiet: boolean;
  'json-log': boolean;
  json: boolean;
}

function reporter(args: RunArgs): { on: (e: ProgressEvent) => void; stop: () => void } {
  const err = process.stderr;
  if (args['json-log']) {
    return { on: (e) => err.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`), stop: () => undefined };
  }
  if (args.quiet) return { on: () => undefined, stop: () => undefined };
  if (err.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'analysing [{bar}] {value}/{total} {percentage}% | {file}', hideCursor: true, clearOnComplete: true, stream: err, etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      on: (e) => {
        if (e.type === 'start' && e.total > 0) {
          bar.start(e.total, 0, { file: '' });
          started = true;
        } else if (e.type === 'file') {
          bar.update(e.done, { file: `${e.status === 'failed' ? 'FAILED ' : e.status === 'cached' ? '(cached) ' : ''}${e.file}` });
        } else if (e.type === 'stage' && e.stage !== 'analyse' && started) {
          bar.stop();
          started = false;
          err.write(`${e.message}\n`);
        } else if (e.type === 'stage' && !started) {
          err.write(`${e.message}\n`);
        }
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  return {
    on: (e) => {
      if (e.type === 'stage') err.write(`${e.message}\n`);
      else if (e.type === 'file') err.write(`[${e.done}/${e.total}] ${e.status} ${e.file}\n`);
    },
    stop: () => undefined,
  };
}

const command: CommandModule<object, RunArgs> = {
  command: 'run <folder>',
  describe: 'Analyse a study folder (SEM porosity, TOF-SIMS Li+, electrochemistry) and write the report',
  builder: (y) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'Study folder (with voidscope.yaml, or labelled by path names)' })
      .option('out', { type: 'string', requiresArg: true, describe: 'Report folder (default <folder>/voidscope-report; elsewhere it must lie outside the input folder)' })
      .option('pattern', { type: 'string', requiresArg: true, describe: 'Label files by a path pattern when there is no study file, e.g. "{electrode}/{binder}wt/{state}/*" (default: recognise NBR1.5, 1.5wt%, cathode, pristine, cycled150 in any folder name)' })
      .option('jobs', { alias: 'j', type: 'number', requiresArg: true, describe: 'Worker threads for the image analysis (default: all cores); results do not depend on it' })
      .option('resume', { type: 'boolean', default: false, describe: 'Reuse results of images whose content and options are unchanged since the last run into --out' })
      .option('overlays', { type: 'boolean', default: true, describe: 'Write segmentation overlays and SIMS heat maps (--no-overlays to skip)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress output' })
      .option('json-log', { type: 'boolean', default: false, describe: 'Progress as JSON lines on stderr' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the full result (as in report.json) on stdout' })
      .example('$0 run samples', 'the bundled study: report in samples/voidscope-report/index.html')
      .example('$0 run study --out /tmp/report --jobs 4 --resume', '') as never,
  handler: async (args) => {
    const rep = reporter(args);
    // Ctrl-C: stop the analysis, remove the temporary report folder, keep any earlier report.
    const ac = new AbortController();
    const onSigint = (): void => ac.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await runStudy(args.folder, {
        signal: ac.signal,
        out: args.out,
        pattern: args.pattern,
        jobs: args.jobs,
        resume: args.resume,
        overlays: args.overlays,
        onProgress: rep.on,
      });
    } catch (e) {
      if (ac.signal.aborted) {
        rep.stop();
        process.stderr.write('voidscope: interrupted; no report written (an earlier report, if any, is unchanged)\n');
        process.exitCode = 130;
        return;
      }
      throw e;
    } finally {
      rep.stop();
      process.removeListener('SIGINT', onSigint);
    }
    for (const f of result.failures) process.stderr.write(`voidscope: ${f.message.startsWith(f.file) ? f.message : `${f.file}: ${f.message}`}\n`);
    if (result.failures.length > 0) process.exitCode = 1;
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    if (args.quiet || args['json-log']) return;
    const out = process.stderr;
    for (const r of result.recommendations) {
      out.write(`${r.electrode}: ${r.decided ? `${formatBinder(r.bestBinderWtPct!)} wt % NBR is best` : 'the data cannot decide'} — ${r.reasons[0]}\n`);
    }
    if (result.unlabelled.length) out.write(`${result.unlabelled.length} unlabelled file(s) listed in the report\n`);
    out.write(
      `report: ${join(result.run.out, 'index.html')} (${result.sem.length} SEM images, ${result.sims.length} SIMS maps, ${result.failures.length} failed)\n`,
    );
  },
};
export default command;
