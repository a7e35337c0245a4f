#!/usr/bin/env node
/**
 * The `voidscope` command line: a thin layer over the library. Each command
 * lives in ./commands/<name>.ts. Errors the user can cause are VoidscopeErrors
 * and are printed as one line naming the file; anything else is a bug and is
 * printed with its stack so it can be reported.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isVoidscopeError } from '../errors.js';
import porosity from './commands/porosity.js';
import thresholds from './commands/thresholds.js';
import info from './commands/info.js';
import sims from './commands/sims.js';
import run from './commands/run.js';
import init from './commands/init.js';
import { VERSION } from '../version.js';

export async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('voidscope')
    .usage('$0 <command> [options]\n\nSEM porosity, TOF-SIMS Li+ and electrochemistry for binder studies.')
    .command(run)
    .command(porosity)
    .command(thresholds)
    .command(info)
    .command(sims)
    .command(init)
    .demandCommand(1, 'Name a command: run, porosity, thresholds, info, sims or init.')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err, y) => {
      if (err) throw err;
      void y;
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
