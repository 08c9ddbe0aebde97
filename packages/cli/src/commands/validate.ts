import { readInput } from '@meshlingo/core';
import type { Command } from 'commander';
import { exitCodeFor, printDiagnostics, type Io } from '../io.js';
import { prepareRun, resolveSources, type CommonFlags } from '../run-context.js';
import { addCommonFlags } from './common.js';

interface ValidateFlags extends CommonFlags {
  readonly from?: string[];
}

/** `meshlingo validate`: parse and validate; diagnostics on stderr; exit 0, 1 or 2. */
export function validateCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  addCommonFlags(program.command('validate'))
    .description('parse and validate SMI (and, with --from, native) manifests')
    .option('--from <adapters...>', 'also read native objects: auto, or adapter names')
    .action(async (flags: ValidateFlags) => {
      const run = await prepareRun(flags);
      const from = await resolveSources(flags.from, run.external);
      const read = readInput(run.inputs, { ...run.options, from });
      const diagnostics = [...run.diagnostics, ...read.diagnostics];
      printDiagnostics(io, diagnostics, run.diagnosticsFormat);
      setExit(exitCodeFor(diagnostics));
    });
}
