import type { Command } from 'commander';
import { UsageError, type Io } from '../io.js';
import { commaList } from '../options.js';
import { prepareRun, resolveAdapters, resolveSources, type CommonFlags } from '../run-context.js';
import { addCommonFlags } from './common.js';
import { addOutputFlags, convertAndWrite, type OutputFlags } from './convert.js';

interface MigrateFlags extends CommonFlags, OutputFlags {
  readonly from?: string[];
  readonly to?: string[];
}

/** `meshlingo migrate --from A --to B`: native objects of one mesh to another (ingest A, emit B). */
export function migrateCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  addOutputFlags(addCommonFlags(program.command('migrate')))
    .description(
      'move configuration between meshes: read native objects of one mesh, write another',
    )
    .option('--from <mesh>', 'the mesh whose native objects are read (or auto)')
    .option('--to <mesh>', 'the mesh to write (a comma list composes)')
    .action(async (flags: MigrateFlags) => {
      const from = commaList(flags.from);
      const to = commaList(flags.to);
      if (from.length === 0 || to.length === 0)
        throw new UsageError('migrate needs --from and --to');
      if (flags.outputFile !== undefined && flags.outDir !== undefined) {
        throw new UsageError('--output-file and --out-dir exclude each other');
      }
      const run = await prepareRun(flags);
      const sources = await resolveSources(from, run.external);
      if (sources.length === 0) throw new UsageError('--from must name a mesh adapter (or auto)');
      const targets = await resolveAdapters(to, run.external);
      setExit(await convertAndWrite(io, flags, run, { to: targets, from: sources }));
    });
}
