import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'thresholds' command.
const command: CommandModule = {
  command: 'thresholds',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('thresholds: not implemented yet');
  },
};
export default command;
