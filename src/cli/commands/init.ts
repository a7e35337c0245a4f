import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'init' command.
const command: CommandModule = {
  command: 'init',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('init: not implemented yet');
  },
};
export default command;
