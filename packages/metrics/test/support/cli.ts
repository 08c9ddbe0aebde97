/** Runs `meshlingo metrics` through a commander program wired the way the CLI's `main()` wires it. */
import { createRequire } from 'node:module';
import { metricsCommand } from '../../../cli/src/commands/metrics.js';
import { UsageError } from '../../../cli/src/io.js';
import { fakeIo } from './helpers.js';

type Program = Parameters<typeof metricsCommand>[0];

interface Commander {
  readonly Command: new (name: string) => Program;
  readonly CommanderError: abstract new (...args: never[]) => Error;
}

// commander is a dependency of the CLI package, so it is loaded from there (pnpm does not hoist it).
const commander = createRequire(new URL('../../../cli/package.json', import.meta.url))(
  'commander',
) as Commander;

/** Exit code and output of one run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Parses `args` (after `meshlingo`) with a fresh program; usage problems give code 2 as in `main()`. */
export async function runMetrics(args: readonly string[], isTTY = false): Promise<CliRun> {
  const io = fakeIo(isTTY);
  let code = 0;
  const program = new commander.Command('meshlingo')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  metricsCommand(program, io, (c) => {
    code = c;
  });
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof commander.CommanderError) code = 2;
    else if (error instanceof UsageError) {
      io.stderr(`meshlingo: ${error.message}\n`);
      code = 2;
    } else throw error;
  }
  return { code, stdout: io.out(), stderr: io.err() };
}
