/** `voidscope init <folder>`: write a starting voidscope.yaml from what the folder holds. */
import type { CommandModule } from 'yargs';
import { initStudy } from '../../pipeline/index.js';

interface InitArgs {
  folder: string;
  force: boolean;
  quiet: boolean;
}

const command: CommandModule<object, InitArgs> = {
  command: 'init <folder>',
  describe: 'Write a study file (voidscope.yaml) for a folder, to edit before `voidscope run`',
  builder: (y) =>
    y
      .positional('folder', { type: 'string', demandOption: true, describe: 'Study folder' })
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing study file' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing on success' }) as never,
  handler: async (args) => {
    const r = await initStudy(args.folder, { force: args.force });
    if (args.quiet) return;
    process.stderr.write(`wrote ${r.file} (${r.groups} group(s)); edit it, then run: voidscope run ${args.folder}\n`);
    for (const u of r.unlabelled) process.stderr.write(`  unlabelled: ${u.file} (${u.reason})\n`);
  },
};
export default command;
