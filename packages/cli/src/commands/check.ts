import { Option, type Command } from 'commander';
import { BUILTIN_ADAPTERS, loadAllBuiltins } from '../adapters.js';
import { checkPortability, renderCheck } from '../check.js';
import { exitCodeFor, printDiagnostics, UsageError, type Io } from '../io.js';
import { commaList } from '../options.js';
import { prepareRun, resolveAdapters, type CommonFlags } from '../run-context.js';
import { addCommonFlags } from './common.js';

interface CheckFlags extends CommonFlags {
  readonly mesh?: string[];
  readonly output: 'text' | 'json';
}

/** `meshlingo check`: the portability report of SMI input across meshes. */
export function checkCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  addCommonFlags(program.command('check'))
    .description(
      'report, per mesh, what SMI input keeps exactly, approximates or loses, with a round-trip verdict',
    )
    .option('--mesh <meshes...>', 'all (default) or a comma list of adapter names')
    .addOption(
      new Option('-o, --output <format>', 'report format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (flags: CheckFlags) => {
      const run = await prepareRun(flags);
      const names = commaList(flags.mesh);
      const targets =
        names.length === 0 || names.includes('all')
          ? [...run.external, ...(await loadAllBuiltins())]
          : (await resolveAdapters(names, run.external)).filter((a) => a !== 'smi');
      if (targets.length === 0) {
        const known = BUILTIN_ADAPTERS.filter((a) => a.load !== undefined).map((a) => a.name);
        throw new UsageError(
          `no mesh adapter to check against${known.length === 0 ? ' in this build' : ''}`,
        );
      }
      const { reports, inputDiagnostics } = checkPortability(run.inputs, targets, run.options);
      const diagnostics = [...run.diagnostics, ...inputDiagnostics];
      printDiagnostics(io, diagnostics, run.diagnosticsFormat);
      io.stdout(
        flags.output === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : renderCheck(reports),
      );
      setExit(
        Math.max(exitCodeFor(diagnostics), reports.some((r) => r.status === 'fails') ? 1 : 0),
      );
    });
}
