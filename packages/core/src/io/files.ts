import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { yamlMessages } from '../diagnostics/messages.js';
import type { SourceFile } from './source-file.js';

const MANIFEST_EXTENSIONS = /\.(?:ya?ml|json)$/i;

/** Result of reading inputs from disk or standard input. */
export interface ReadFilesResult {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
}

/** Index of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes bytes as UTF-8, reporting the first bad byte instead of silently replacing it. */
export function decodeSource(
  path: string,
  bytes: Uint8Array,
): { file?: SourceFile; diagnostics: Diagnostic[] } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.includes('\uFFFD')) {
    const offset = findInvalidUtf8(bytes);
    if (offset !== -1) {
      const before = Buffer.from(bytes.subarray(0, offset)).toString('utf8');
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      return {
        diagnostics: [
          createDiagnostic('yaml', yamlMessages, 'invalid-utf8', {
            data: { offset },
            location: { file: path, line, column },
          }),
        ],
      };
    }
  }
  return { file: { path, text }, diagnostics: [] };
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function listManifestFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listManifestFiles(full)));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Reads files, directories (recursively, `.yaml`, `.yml` and `.json`, in name order) and `-`
 * (standard input, read once). Problems become diagnostics; nothing throws for bad paths.
 */
export async function readInputFiles(paths: readonly string[]): Promise<ReadFilesResult> {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  let stdinRead = false;
  const add = (path: string, bytes: Uint8Array): void => {
    const decoded = decodeSource(path, bytes);
    diagnostics.push(...decoded.diagnostics);
    if (decoded.file !== undefined) files.push(decoded.file);
  };
  for (const path of paths) {
    try {
      if (path === '-') {
        if (!stdinRead) add('-', await readStdin());
        stdinRead = true;
        continue;
      }
      const info = await stat(path);
      if (info.isDirectory()) {
        const found = await listManifestFiles(path);
        if (found.length === 0) {
          diagnostics.push(
            createDiagnostic('yaml', yamlMessages, 'no-input-files', { data: { path } }),
          );
        }
        for (const file of found) add(file, await readFile(file));
      } else {
        add(path, await readFile(path));
      }
    } catch (error) {
      const reason =
        error instanceof Error ? error.message.replace(/^[A-Z]+: /, '') : String(error);
      diagnostics.push(
        createDiagnostic('yaml', yamlMessages, 'unreadable-input', {
          data: { path, reason },
          location: { file: path },
        }),
      );
    }
  }
  return { files, diagnostics };
}
