import {
  hasErrors,
  readInputFiles,
  renderJson,
  renderText,
  sortDiagnostics,
  toJson,
  toYaml,
  writeFileAtomic,
  type Diagnostic,
  type KubeObject,
  type Manifest,
  type SourceFile,
} from '@meshlingo/core';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Where command output goes; tests replace the streams. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

/** The process streams. */
export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY,
};

/** A mistake in how the command was called (exit 2). */
export class UsageError extends Error {}

/** Prints diagnostics to stderr in the chosen format. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], format: string): void {
  const sorted = sortDiagnostics(diagnostics);
  if (format === 'json') io.stderr(renderJson(sorted));
  else if (sorted.length > 0) io.stderr(renderText(sorted));
}

/** Exit code for a run: 1 when any diagnostic is an error. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  return hasErrors(diagnostics) ? 1 : 0;
}

/** Reads `-f` inputs; `-` may appear once across input and context. */
export async function readFiles(
  paths: readonly string[],
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  return readInputFiles(paths);
}

/** A passthrough document as written: its own text when it is a whole document, else re-serialised. */
export function passthroughYaml(manifest: Manifest): string {
  const doc = manifest.document;
  if (doc !== undefined && manifest.pointer === '') {
    const text = doc.file.text.slice(doc.start, doc.end);
    const marker = /^---[ \t]*(?:#[^\n]*)?\r?\n/.exec(text);
    if (marker !== null) return `${text.slice(marker[0].length).trimEnd()}\n`;
    if (!text.startsWith('---')) return `${text.trimEnd()}\n`;
  }
  return toYaml(manifest.object);
}

/** Renders objects (and passthrough documents) as one YAML stream or JSON. */
export function renderObjects(
  objects: readonly KubeObject[],
  passthrough: readonly Manifest[],
  format: 'yaml' | 'json',
): string {
  if (format === 'json') return toJson([...objects, ...passthrough.map((m) => m.object)]);
  return [...objects.map(toYaml), ...passthrough.map(passthroughYaml)].join('---\n');
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

export { writeFileAtomic };

/** Refuses to write over any input file. */
export async function assertNotInput(target: string, inputs: readonly string[]): Promise<void> {
  const t = await canonical(target);
  for (const input of inputs) {
    if (input === '-') continue;
    if ((await canonical(input)) === t)
      throw new UsageError(`refusing to overwrite the input file ${input}`);
  }
}

/** File name of an object in `--out-dir`: `<namespace>.<kind>.<name>.yaml`. */
export function objectFileName(object: KubeObject, extension: 'yaml' | 'json'): string {
  const ns = object.metadata?.namespace ?? '_cluster';
  const name = object.metadata?.name ?? 'unnamed';
  return `${ns}.${object.kind.toLowerCase()}.${name}.${extension}`.replace(/[^A-Za-z0-9._-]/g, '_');
}
