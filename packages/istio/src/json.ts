import type { KubeObject } from '@meshlingo/core';

/**
 * Readers for native objects from user input: they never trust a shape, never read inherited
 * properties, and give `undefined` or an empty list for anything unexpected.
 */

/** A plain JSON object. */
export type Json = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property. */
export function field(record: Json, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An own property that is an object. */
export function record(parent: Json, key: string): Json | undefined {
  const v = field(parent, key);
  return isRecord(v) ? v : undefined;
}

/** An own property that is a list (else an empty list). */
export function list(parent: Json, key: string): unknown[] {
  const v = field(parent, key);
  return Array.isArray(v) ? v : [];
}

/** The strings of a non-empty list property; undefined when absent or empty (Istio: not set). */
export function strings(parent: Json, key: string): string[] | undefined {
  const v = field(parent, key);
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.filter((x): x is string => typeof x === 'string');
}

/** An own string property. */
export function text(parent: Json, key: string): string | undefined {
  const v = field(parent, key);
  return typeof v === 'string' ? v : undefined;
}

/** The `spec` of an object, or an empty object. */
export function specOf(object: KubeObject): Json {
  return record(object, 'spec') ?? {};
}
