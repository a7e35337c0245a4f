import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'sims' command.
const command: CommandModule = {
  command: 'sims',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('sims: not implemented yet');
  },
};
export default command;
