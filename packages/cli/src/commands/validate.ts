import { loadCrdDirectory, validateManifest } from '@meshlingo/conformance';
import { readInput, type Diagnostic, type Manifest } from '@meshlingo/core';
import type { Command } from 'commander';
import { exitCodeFor, printDiagnostics, type Io } from '../io.js';
import { prepareRun, resolveSources, type CommonFlags } from '../run-context.js';
import { addCommonFlags } from './common.js';

interface ValidateFlags extends CommonFlags {
  readonly from?: string[];
  readonly crds?: string[];
}

/** `meshlingo validate`: parse and validate; diagnostics on stderr; exit 0, 1 or 2. */
export function validateCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  addCommonFlags(program.command('validate'))
    .description('parse and validate SMI (and, with --from, native) manifests')
    .option('--from <adapters...>', 'also read native objects: auto, or adapter names')
    .option(
      '--crds <path...>',
      'also validate every object against these CRDs (files or directories), as an API server would',
    )
    .action(async (flags: ValidateFlags) => {
      const run = await prepareRun(flags);
      const from = await resolveSources(flags.from, run.external);
      const read = readInput(run.inputs, { ...run.options, from });
      const diagnostics = [...run.diagnostics, ...read.diagnostics];
      if (flags.crds !== undefined)
        diagnostics.push(...(await validateAgainstCrds(flags.crds, read.manifests)));
      printDiagnostics(io, diagnostics, run.diagnosticsFormat);
      setExit(exitCodeFor(diagnostics));
    });
}

/**
 * Validates manifests against CRDs the way an API server would (schema, pruning, CEL rules).
 * Objects of kinds no CRD serves are not reported: they are core kinds or not for these CRDs.
 */
async function validateAgainstCrds(
  paths: readonly string[],
  manifests: readonly Manifest[],
): Promise<Diagnostic[]> {
  const { crds, diagnostics } = await loadCrdDirectory(paths);
  for (const manifest of manifests) {
    const result = validateManifest(manifest, crds);
    if (result.known) diagnostics.push(...result.diagnostics);
  }
  return diagnostics;
}
