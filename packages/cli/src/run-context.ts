import type { AnyAdapter, Diagnostic, PipelineOptions, SourceFile } from '@meshlingo/core';
import {
  AdapterLoadError,
  BUILTIN_ADAPTERS,
  loadAllBuiltins,
  loadBuiltin,
  loadExternal,
} from './adapters.js';
import { readFiles, UsageError } from './io.js';
import { adapterOptions, commaList, oneOf, parseOnUnrepresentable } from './options.js';

/** Flags every reading command takes. */
export interface CommonFlags {
  readonly filename?: string[];
  readonly context?: string[];
  readonly lenient?: boolean;
  readonly experimental?: boolean;
  readonly namespace: string;
  readonly diagnostics: string;
  readonly adapter?: string[];
  readonly set?: string[];
  readonly adapterOptions?: string;
  readonly onUnrepresentable: string;
}

/** Inputs and pipeline options of a command run. */
export interface RunContext {
  readonly inputs: SourceFile[];
  readonly inputPaths: string[];
  readonly context: SourceFile[];
  readonly diagnostics: Diagnostic[];
  readonly options: PipelineOptions;
  readonly diagnosticsFormat: 'text' | 'json';
  readonly external: AnyAdapter[];
}

/** Reads the files and builds pipeline options from the common flags. */
export async function prepareRun(flags: CommonFlags): Promise<RunContext> {
  const inputPaths = flags.filename ?? [];
  if (inputPaths.length === 0) throw new UsageError('no input: give -f FILE|DIR|- (repeatable)');
  const diagnosticsFormat = oneOf('--diagnostics', flags.diagnostics, ['text', 'json'] as const);
  const onUnrepresentable = parseOnUnrepresentable(flags.onUnrepresentable);
  const contextPaths = flags.context ?? [];
  if ([...inputPaths, ...contextPaths].filter((p) => p === '-').length > 1) {
    throw new UsageError('standard input (-) can be read only once');
  }
  const read = await readFiles(inputPaths);
  const context = await readFiles(contextPaths);
  const external: AnyAdapter[] = [];
  for (const spec of flags.adapter ?? []) {
    try {
      external.push(await loadExternal(spec));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  return {
    inputs: read.files,
    inputPaths,
    context: context.files,
    diagnostics: [...read.diagnostics, ...context.diagnostics],
    diagnosticsFormat,
    external,
    options: {
      lenient: flags.lenient === true,
      experimental: flags.experimental === true,
      namespace: flags.namespace,
      onUnrepresentable,
      ...(context.files.length > 0 && { context: context.files }),
      adapterOptions: await adapterOptions(flags.adapterOptions, flags.set ?? []),
    },
  };
}

/** Resolves adapter names (`smi`, built-ins, or names of `--adapter` ones). */
export async function resolveAdapters(
  names: readonly string[],
  external: readonly AnyAdapter[],
): Promise<(AnyAdapter | 'smi')[]> {
  const out: (AnyAdapter | 'smi')[] = [];
  for (const name of names) {
    if (name === 'smi') {
      out.push('smi');
      continue;
    }
    const ext = external.find((a) => a.name === name);
    if (ext !== undefined) {
      out.push(ext);
      continue;
    }
    try {
      out.push(await loadBuiltin(name));
    } catch (error) {
      if (error instanceof AdapterLoadError) throw new UsageError(error.message);
      throw error;
    }
  }
  return out;
}

/** The `--from` adapters: `smi` (default, SMI only), `auto` (every adapter), or a list. */
export async function resolveSources(
  value: readonly string[] | undefined,
  external: readonly AnyAdapter[],
): Promise<AnyAdapter[]> {
  const names = commaList(value);
  if (names.length === 0 || (names.length === 1 && names[0] === 'smi')) return [];
  if (names.includes('auto')) return [...external, ...(await loadAllBuiltins())];
  const resolved = await resolveAdapters(
    names.filter((n) => n !== 'smi'),
    external,
  );
  return resolved.filter((a): a is AnyAdapter => a !== 'smi');
}

/** API groups of the built-in adapters (to warn about native objects nobody reads). */
export const BUILTIN_GROUPS = BUILTIN_ADAPTERS.flatMap((a) => a.groups);
