import type { DiagnosticData, Severity } from '@meshlingo/core';
import type { CrdMessageId } from './messages.js';

/**
 * A position inside the validated object, as a linked list so the walk allocates one node per
 * step and builds the pointer and the Kubernetes field path only for diagnostics.
 */
export interface FieldPath {
  readonly parent: FieldPath | undefined;
  readonly segment: string | number;
  /** The segment is a map key (`labels[app]`), not a property (`spec.rules`). */
  readonly mapKey: boolean;
}

/** The path of a property below `parent`. */
export function childPath(parent: FieldPath | undefined, name: string): FieldPath {
  return { parent, segment: name, mapKey: false };
}

/** The path of a map entry (an `additionalProperties` key) below `parent`. */
export function keyPath(parent: FieldPath | undefined, key: string): FieldPath {
  return { parent, segment: key, mapKey: true };
}

/** The path of a list item below `parent`. */
export function indexPath(parent: FieldPath | undefined, index: number): FieldPath {
  return { parent, segment: index, mapKey: false };
}

/** The segments from the object root, for JSON pointers. */
export function pathSegments(path: FieldPath | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = path; p !== undefined; p = p.parent) out.push(p.segment);
  return out.reverse();
}

/** The Kubernetes field path: `spec.rules[0].matches`, `metadata.labels[app]`; `<root>` at the top. */
export function fieldName(path: FieldPath | undefined): string {
  const parts: string[] = [];
  for (let p = path; p !== undefined; p = p.parent) {
    if (typeof p.segment === 'number' || p.mapKey) parts.push(`[${p.segment}]`);
    else parts.push(p.parent === undefined ? p.segment : `.${p.segment}`);
  }
  const text = parts.reverse().join('');
  return text === '' ? '<root>' : text;
}

/** Where findings go while an object is walked. */
export interface Reporter {
  report(
    id: CrdMessageId,
    at: FieldPath | undefined,
    data?: DiagnosticData,
    severity?: Severity,
  ): void;
}
