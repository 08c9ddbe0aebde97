import { Option, type Command } from 'commander';
import { loadAllBuiltins } from '../adapters.js';
import { capabilitiesJson, capabilitiesMarkdown, capabilitiesTable } from '../capabilities.js';
import type { Io } from '../io.js';

/** `meshlingo capabilities`: the capability matrix of every adapter. */
export function capabilitiesCommand(program: Command, io: Io): void {
  program
    .command('capabilities')
    .description('print the capability matrix of every adapter')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'markdown', 'json'])
        .default('table'),
    )
    .action(async (flags: { output: string }) => {
      const adapters = await loadAllBuiltins();
      if (flags.output === 'markdown') io.stdout(capabilitiesMarkdown(adapters));
      else if (flags.output === 'json')
        io.stdout(`${JSON.stringify(capabilitiesJson(adapters), null, 2)}\n`);
      else io.stdout(capabilitiesTable(adapters));
    });
}
