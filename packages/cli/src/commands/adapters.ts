import { smiAdapter } from '@meshlingo/core';
import { Option, type Command } from 'commander';
import { BUILTIN_ADAPTERS } from '../adapters.js';
import type { Io } from '../io.js';

/** `meshlingo adapters`: the built-in adapters, without importing them. */
export function adaptersCommand(program: Command, io: Io): void {
  program
    .command('adapters')
    .description('list the built-in adapters')
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action((flags: { output: string }) => {
      const rows = [
        {
          name: smiAdapter.name,
          package: smiAdapter.packageName,
          installed: true,
          meshVersions: smiAdapter.meshVersions,
          description: smiAdapter.description,
        },
        ...BUILTIN_ADAPTERS.map((a) => ({
          name: a.name,
          package: a.packageName,
          installed: a.load !== undefined,
          meshVersions: a.meshVersions,
          description: a.description,
        })),
      ];
      if (flags.output === 'json') {
        io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const header = ['NAME', 'PACKAGE', 'INSTALLED', 'MESH VERSIONS'];
      const table = [
        header,
        ...rows.map((r) => [r.name, r.package, r.installed ? 'yes' : 'no', r.meshVersions]),
      ];
      const widths = header.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
      io.stdout(
        table
          .map((row) =>
            row
              .map((cell, i) => cell.padEnd(widths[i] ?? 0))
              .join('  ')
              .trimEnd(),
          )
          .join('\n') + '\n',
      );
    });
}
