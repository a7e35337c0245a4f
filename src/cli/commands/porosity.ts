import type { CommandModule } from 'yargs';

// Placeholder so the CLI compiles; replaced by the real 'porosity' command.
const command: CommandModule = {
  command: 'porosity',
  describe: '(not yet available)',
  handler: () => {
    throw new Error('porosity: not implemented yet');
  },
};
export default command;
