import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { positionAt } from './source-file.js';
import type { YamlDocument } from './reader.js';

const parsedCache = new WeakMap<YamlDocument, Node | null>();

function parsedContents(doc: YamlDocument): Node | null {
  let contents = parsedCache.get(doc);
  if (contents === undefined) {
    const text = doc.file.text.slice(doc.start, doc.end);
    const parsed = parseDocument(text, { merge: true, uniqueKeys: false, strict: false });
    contents = parsed.contents ?? null;
    parsedCache.set(doc, contents);
  }
  return contents;
}

/** Splits an RFC 6901 pointer into unescaped segments. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Joins segments into an RFC 6901 pointer. */
export function formatPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const seg of segments) out += `/${String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return out;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/**
 * Finds the line and column of a JSON pointer inside a document, parsing that one document again
 * with the full YAML parser (which keeps source ranges). A pointer to a mapping entry lands on its
 * key; a pointer to a list item lands on the item. When the pointer leaves the written text (a
 * missing field, or a value that came from a merge key), the deepest node that exists is used.
 */
export function locatePointer(
  doc: YamlDocument,
  pointer: string,
): { line: number; column: number } {
  let node: Node | null = parsedContents(doc);
  let offset = node?.range?.[0] ?? 0;
  for (const segment of parsePointer(pointer)) {
    if (node === null) break;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyText(item.key) === segment);
      if (pair === undefined) break;
      const key = pair.key as Node | null;
      offset = key?.range?.[0] ?? offset;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (item === undefined || !/^\d+$/.test(segment)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return positionAt(doc.file, doc.start + offset);
}
