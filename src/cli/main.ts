#!/usr/bin/env node
/**
 * The `voidscope` command line: a thin layer over the library. Each command
 * lives in ./commands/<name>.ts. Errors the user can cause are VoidscopeErrors
 * and are printed as one line naming the file; anything else is a bug and is
 * printed with its stack so it can be reported.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VoidscopeError, isVoidscopeError } from '../errors.js';
import { ANALYSIS_FLAGS, unknownArgumentMessage } from './analysis-flags.js';
import type { CommandModule } from 'yargs';
import { VERSION } from '../version.js';

/**
 * Commands are imported lazily: each pulls in its own heavy dependencies (sharp,
 * vega, fonts…), so `voidscope sims …` does not pay for the report renderer.
 * Only the named command is loaded; help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<{ default: CommandModule<any, any> }>> = {
  run: () => import('./commands/run.js'),
  porosity: () => import('./commands/porosity.js'),
  thresholds: () => import('./commands/thresholds.js'),
  info: () => import('./commands/info.js'),
  sims: () => import('./commands/sims.js'),
  init: () => import('./commands/init.js'),
  train: () => import('./commands/train.js'),
};

async function loadCommands(argv: string[]): Promise<CommandModule<any, any>[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined && argv.some((a) => a === '--version')) return [];
  const names = first !== undefined && first in COMMANDS ? [first] : Object.keys(COMMANDS);
  return Promise.all(names.map(async (n) => (await COMMANDS[n]!()).default));
}

/** Every flag of every command (for "did you mean" on an unknown flag). */
const KNOWN_FLAGS = [
  ...Object.keys(ANALYSIS_FLAGS),
  ...['json', 'jobs', 'overlay', 'void-mask', 'mask-out', 'out', 'pattern', 'resume', 'overlays', 'quiet', 'json-log', 'force', 'help', 'version'],
  ...['list', 'channel', 'mz', 'tol', 'total', 'no-total', 'fov', 'bin', 'hotspot', 'hotspot-smooth', 'reference', 'heatmap', 'log', 'heatmap-max', 'level', 'panel', 'format'],
];

export async function main(argv: string[]): Promise<void> {
  const commands = await loadCommands(argv);
  let cli = yargs(argv)
    .scriptName('voidscope')
    .usage('$0 <command> [options]\n\nSEM porosity, TOF-SIMS Li+ and electrochemistry for binder studies.');
  for (const c of commands) cli = cli.command(c);
  await cli
    .demandCommand(1, 'Name a command: run, porosity, thresholds, info, sims, init or train.')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    // yargs renders (and caches) the help text on every command run; wrapping it costs ~0.15 s of
    // CPU per invocation, so it is only wrapped when help is asked for.
    .wrap(argv.includes('--help') || argv.includes('-h') || argv.length === 0 ? Math.min(110, process.stdout.columns ?? 100) : null)
    .fail((msg, err, y) => {
      void y;
      // yargs' own usage errors (YError) are the user's: they get voidscope's one-line message.
      if (err && err.name !== 'YError') throw err;
      const text = msg ?? err?.message ?? '';
      // An unknown or misspelt flag: the same message as an unknown key in a study file or a library call.
      const unknown = unknownArgumentMessage(text, KNOWN_FLAGS);
      if (unknown) throw new VoidscopeError('EOPTION', unknown);
      const noValue = /^Not enough arguments following: (.+)$/.exec(text);
      if (noValue) throw new VoidscopeError('EOPTION', `--${noValue[1]}: needs a value`);
      process.stderr.write(`voidscope: ${msg}\nRun 'voidscope --help' for usage.\n`);
      process.exit(2);
    })
    .parseAsync();
}

main(hideBin(process.argv)).catch((e: unknown) => {
  if (isVoidscopeError(e)) {
    process.stderr.write(`voidscope: ${e.message}\n`);
    process.exitCode = e.code === 'EOPTION' ? 2 : 1;
  } else {
    process.stderr.write(`voidscope: internal error (please report): ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
});
