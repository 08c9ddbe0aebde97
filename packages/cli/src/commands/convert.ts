import {
  convert,
  reportUnclaimed,
  type AnyAdapter,
  type KubeObject,
  type SmiVersions,
} from '@meshlingo/core';
import { Option, type Command } from 'commander';
import { join } from 'node:path';
import {
  assertNotInput,
  exitCodeFor,
  objectFileName,
  printDiagnostics,
  renderObjects,
  UsageError,
  writeFileAtomic,
  type Io,
} from '../io.js';
import { commaList, parseSmiVersions } from '../options.js';
import {
  BUILTIN_GROUPS,
  prepareRun,
  resolveAdapters,
  resolveSources,
  type CommonFlags,
  type RunContext,
} from '../run-context.js';
import { addCommonFlags } from './common.js';

/** Flags of commands that write converted objects. */
export interface OutputFlags {
  readonly output: 'yaml' | 'json';
  readonly passthrough?: boolean;
  readonly outputFile?: string;
  readonly outDir?: string;
  readonly force?: boolean;
}

interface ConvertFlags extends CommonFlags, OutputFlags {
  readonly to?: string[];
  readonly from?: string[];
  readonly smiVersion?: string;
}

/** Adds the flags of commands that write converted objects. */
export function addOutputFlags(command: Command): Command {
  return command
    .addOption(
      new Option('-o, --output <format>', 'output format')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .option('--passthrough', 'also write every non-SMI input document unchanged')
    .option('--output-file <file>', 'write the output to a file (atomically) instead of stdout')
    .option('--out-dir <dir>', 'write one file per object into a directory')
    .option('--force', 'write the objects that converted even when others have errors');
}

/** Writes converted objects to stdout, a file or a directory; nothing is written when there are errors unless forced. */
export async function writeOutput(
  io: Io,
  flags: OutputFlags,
  objects: readonly KubeObject[],
  passthrough: Parameters<typeof renderObjects>[1],
  failed: boolean,
  inputPaths: readonly string[],
): Promise<void> {
  if (failed && flags.force !== true) return;
  if (flags.outDir !== undefined) {
    for (const object of [...objects, ...passthrough.map((m) => m.object)]) {
      const path = join(flags.outDir, objectFileName(object, flags.output));
      await assertNotInput(path, inputPaths);
      await writeFileAtomic(path, renderObjects([object], [], flags.output));
    }
    return;
  }
  const text = renderObjects(objects, passthrough, flags.output);
  if (flags.outputFile !== undefined) {
    await assertNotInput(flags.outputFile, inputPaths);
    await writeFileAtomic(flags.outputFile, text);
    return;
  }
  io.stdout(text);
}

/** `meshlingo convert`: SMI (any version) or native input to SMI or a mesh. */
export function convertCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  addOutputFlags(addCommonFlags(program.command('convert')))
    .description('convert SMI to a mesh (or to other SMI versions), or native mesh objects to SMI')
    .option(
      '--to <targets...>',
      'smi, istio, linkerd, consul, appmesh, gateway-api; comma list composes',
    )
    .option(
      '--from <sources...>',
      'smi (default), auto, or adapter names whose native objects to read',
    )
    .option(
      '--smi-version <versions>',
      'SMI versions to write, e.g. access=v1alpha2,specs=v1alpha3,split=v1alpha2',
    )
    .action(async (flags: ConvertFlags) => {
      const targetNames = commaList(flags.to);
      if (targetNames.length === 0) throw new UsageError('--to is required (smi or a mesh)');
      if (flags.outputFile !== undefined && flags.outDir !== undefined) {
        throw new UsageError('--output-file and --out-dir exclude each other');
      }
      const smiVersions =
        flags.smiVersion === undefined ? undefined : parseSmiVersions(flags.smiVersion);
      const run = await prepareRun(flags);
      const targets = await resolveAdapters(targetNames, run.external);
      const from = await resolveSources(flags.from, run.external);
      setExit(await convertAndWrite(io, flags, run, { to: targets, from, smiVersions }));
    });
}

/**
 * Converts the run's inputs, prints the diagnostics (and, when native input was read, the native
 * objects nobody claimed), writes the output unless there are errors, and returns the exit code.
 */
export async function convertAndWrite(
  io: Io,
  flags: OutputFlags,
  run: RunContext,
  targets: {
    readonly to: readonly (AnyAdapter | 'smi')[];
    readonly from: readonly AnyAdapter[];
    readonly smiVersions?: Partial<SmiVersions> | undefined;
  },
): Promise<number> {
  const result = convert(run.inputs, {
    ...run.options,
    to: targets.to,
    from: targets.from,
    ...(targets.smiVersions !== undefined && { smiVersions: targets.smiVersions }),
  });
  const diagnostics = [
    ...run.diagnostics,
    ...result.diagnostics,
    ...(targets.from.length > 0 ? reportUnclaimed(result.passthrough, BUILTIN_GROUPS) : []),
  ];
  printDiagnostics(io, diagnostics, run.diagnosticsFormat);
  const code = exitCodeFor(diagnostics);
  await writeOutput(
    io,
    flags,
    result.objects,
    flags.passthrough === true ? result.passthrough : [],
    code !== 0,
    run.inputPaths,
  );
  return code;
}
