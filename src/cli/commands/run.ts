import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'run' command.
const command: CommandModule = {
  command: 'run',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('run: not implemented yet');
  },
};
export default command;
