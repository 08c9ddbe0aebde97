import { Command, CommanderError } from 'commander';
import { adaptersCommand } from './commands/adapters.js';
import { capabilitiesCommand } from './commands/capabilities.js';
import { checkCommand } from './commands/check.js';
import { convertCommand } from './commands/convert.js';
import { metricsCommand } from './commands/metrics.js';
import { migrateCommand } from './commands/migrate.js';
import { validateCommand } from './commands/validate.js';
import { processIo, UsageError, type Io } from './io.js';

/** The CLI version, kept in step with the packages. */
export const VERSION = '0.1.0';

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit
 * code: 0 ok, 1 the input has errors, 2 a usage error.
 */
export async function main(args: readonly string[], io: Io = processIo): Promise<number> {
  let exit = 0;
  const setExit = (code: number): void => {
    exit = code;
  };
  const program = new Command('meshlingo')
    .description(
      'Translate service mesh configuration: SMI <-> Istio, Linkerd, Consul, App Mesh, Gateway API',
    )
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  validateCommand(program, io, setExit);
  convertCommand(program, io, setExit);
  migrateCommand(program, io, setExit);
  checkCommand(program, io, setExit);
  adaptersCommand(program, io);
  capabilitiesCommand(program, io);
  metricsCommand(program, io, setExit);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`meshlingo: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
