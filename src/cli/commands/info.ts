import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'info' command.
const command: CommandModule = {
  command: 'info',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('info: not implemented yet');
  },
};
export default command;
