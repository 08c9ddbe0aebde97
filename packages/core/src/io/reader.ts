import jsYaml from 'js-yaml';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { yamlMessages } from '../diagnostics/messages.js';
import { positionAt, type SourceFile } from './source-file.js';

/** One document of a YAML or JSON stream, with where it sits in its file. */
export interface YamlDocument {
  readonly file: SourceFile;
  /** 0-based index among the non-empty documents of the file. */
  readonly index: number;
  /** Character offset of the document's first line (its `---` marker, when it has one). */
  readonly start: number;
  /** Character offset just past the document. */
  readonly end: number;
  /** The parsed value: plain objects, arrays, strings, numbers, booleans and null. */
  readonly value: unknown;
}

/** Limits that protect the reader from hostile input. */
export interface ReadLimits {
  /** Largest stream in characters. Default 256 MiB. */
  readonly maxSize?: number;
  /** Deepest nesting of collections. Default 256. */
  readonly maxDepth?: number;
  /** Most nodes a document may have after aliases are expanded. Default 2,000,000. */
  readonly maxNodes?: number;
}

/** Result of {@link parseYamlStream}. */
export interface ParsedStream {
  readonly documents: YamlDocument[];
  readonly diagnostics: Diagnostic[];
}

const DEFAULT_MAX_SIZE = 256 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 256;
const DEFAULT_MAX_NODES = 2_000_000;

/** The parts of js-yaml 4.3 that its published typings (4.0.x) lack. */
interface JsYamlExtras {
  readonly types: { readonly merge: jsYaml.Type };
}
type LoadOptions = jsYaml.LoadOptions & { maxDepth?: number; maxTotalMergeKeys?: number };

/** YAML 1.2 core schema plus `<<` merge keys, which Kubernetes' own YAML reader also honours. */
const schema = jsYaml.CORE_SCHEMA.extend({
  implicit: [(jsYaml as unknown as JsYamlExtras).types.merge],
});

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

interface Chunk {
  readonly start: number;
  readonly end: number;
}

/**
 * Splits a stream at its document markers. A line starting with `---` or `...` is a marker
 * wherever it stands, because YAML forbids such a line inside any scalar or collection; so
 * a line scan finds exactly the boundaries a full parser would.
 */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let afterEndMarker = false;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    const at = m.index;
    if (m[0] === '---') {
      if (at > start || afterEndMarker) chunks.push({ start, end: at });
      start = at;
      afterEndMarker = false;
    } else {
      chunks.push({ start, end: at });
      const eol = text.indexOf('\n', at);
      start = eol === -1 ? text.length : eol + 1;
      afterEndMarker = true;
    }
  }
  if (start < text.length) chunks.push({ start, end: text.length });
  return mergeDirectives(text, chunks);
}

/** `%YAML` / `%TAG` directive lines belong to the document after them. */
function mergeDirectives(text: string, chunks: Chunk[]): Chunk[] {
  const out: Chunk[] = [];
  let pendingStart: number | undefined;
  for (const chunk of chunks) {
    const content = meaningfulLines(text.slice(chunk.start, chunk.end));
    if (content.length > 0 && content.every((line) => line.startsWith('%'))) {
      pendingStart ??= chunk.start;
      continue;
    }
    out.push(pendingStart === undefined ? chunk : { start: pendingStart, end: chunk.end });
    pendingStart = undefined;
  }
  return out;
}

function meaningfulLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** True when a chunk holds nothing but comments, blank lines and document markers. */
function isEmptyChunk(text: string): boolean {
  return meaningfulLines(text).every((line) => /^(?:---|\.\.\.)$/.test(line));
}

interface GuardResult {
  readonly problem?: 'too-deep' | 'alias-bomb' | 'cyclic-alias';
}

/**
 * Counts the nodes of a value with aliases expanded, memoising shared subtrees so an alias bomb
 * costs time in the number of distinct nodes, not in its expansion. Also catches cycles, which
 * js-yaml builds for an alias inside its own anchor.
 */
function guardValue(value: unknown, maxDepth: number, maxNodes: number): GuardResult {
  const sizes = new Map<object, number>();
  const active = new Set<object>();
  let problem: GuardResult['problem'];
  const visit = (node: unknown, depth: number): number => {
    if (problem !== undefined || node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (active.has(node)) {
      problem = 'cyclic-alias';
      return 1;
    }
    if (depth > maxDepth) {
      problem = 'too-deep';
      return 1;
    }
    active.add(node);
    let size = 1;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      size += visit(child, depth + 1);
      if (size > maxNodes) break;
    }
    active.delete(node);
    sizes.set(node, size);
    if (size > maxNodes && problem === undefined) problem = 'alias-bomb';
    return size;
  };
  visit(value, 0);
  return problem === undefined ? {} : { problem };
}

/** Aliases are the only way to share (and so amplify or loop) nodes; most documents have none. */
const ALIAS = /(?:^|[\s[{,])\*[^\s\]},]/m;

/**
 * Parses a YAML (or JSON) stream into documents. This is the fast path: js-yaml parses each
 * document; only documents that later get a diagnostic are parsed again for exact positions
 * (see `locatePointer`). Never throws on bad input; every problem becomes a diagnostic.
 */
export function parseYamlStream(file: SourceFile, limits: ReadLimits = {}): ParsedStream {
  const maxSize = limits.maxSize ?? DEFAULT_MAX_SIZE;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNodes = limits.maxNodes ?? DEFAULT_MAX_NODES;
  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  if (file.text.length > maxSize) {
    diagnostics.push(
      createDiagnostic('yaml', yamlMessages, 'too-large', {
        data: { size: file.text.length, max: maxSize },
        location: { file: file.path, line: 1, column: 1 },
      }),
    );
    return { documents, diagnostics };
  }
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const shift = file.text.length - text.length;
  let index = 0;
  for (const chunk of splitDocuments(text)) {
    const chunkText = text.slice(chunk.start, chunk.end);
    const start = chunk.start + shift;
    let value: unknown;
    try {
      const loadOptions: LoadOptions = { schema, maxDepth, maxTotalMergeKeys: maxNodes };
      value = jsYaml.load(chunkText, loadOptions);
    } catch (error) {
      if (isEmptyChunk(chunkText)) continue;
      diagnostics.push(syntaxDiagnostic(file, start, index, error, maxDepth));
      index += 1;
      continue;
    }
    if ((value === null || value === undefined) && isEmptyChunk(chunkText)) continue;
    if (
      typeof value === 'object' &&
      value !== null &&
      chunkText.includes('*') &&
      ALIAS.test(chunkText)
    ) {
      const { problem } = guardValue(value, maxDepth, maxNodes);
      if (problem !== undefined) {
        const pos = positionAt(file, start);
        diagnostics.push(
          createDiagnostic('yaml', yamlMessages, problem, {
            data: { max: problem === 'too-deep' ? maxDepth : maxNodes },
            location: { file: file.path, docIndex: index, ...pos },
          }),
        );
        index += 1;
        continue;
      }
    }
    documents.push({ file, index, start, end: chunk.end + shift, value });
    index += 1;
  }
  return { documents, diagnostics };
}

interface YamlMark {
  readonly position?: number;
}

function syntaxDiagnostic(
  file: SourceFile,
  start: number,
  index: number,
  error: unknown,
  maxDepth: number,
): Diagnostic {
  const isYamlError = error instanceof jsYaml.YAMLException;
  const mark = isYamlError ? (error.mark as YamlMark | undefined) : undefined;
  const offset = start + (mark?.position ?? 0);
  const location = { file: file.path, docIndex: index, ...positionAt(file, offset) };
  const reason = isYamlError
    ? error.reason
    : error instanceof Error
      ? error.message
      : String(error);
  const duplicate = /^duplicated mapping key/.test(reason);
  if (duplicate) {
    const key = keyAt(file.text, offset);
    return createDiagnostic('yaml', yamlMessages, 'duplicate-key', { data: { key }, location });
  }
  if (/maxDepth|call stack/.test(reason)) {
    return createDiagnostic('yaml', yamlMessages, 'too-deep', {
      data: { max: maxDepth },
      location,
    });
  }
  return createDiagnostic('yaml', yamlMessages, 'syntax', { data: { reason }, location });
}

/** The mapping key written at an offset (for the duplicate-key message). */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 256);
  const quoted = /^\s*(["'])((?:(?!\1).)*)\1\s*:/.exec(rest);
  if (quoted?.[2] !== undefined) return quoted[2];
  const plain = /^\s*([^:\n]+?)\s*:/.exec(rest);
  return plain?.[1] ?? '';
}
