import { isPlaceholder, type Effect, type Manifest, type Severity } from '@meshlingo/core';
import type { AppMeshMessageId } from '../messages.js';

/** A path inside a manifest's object. */
export type Path = readonly (string | number)[];

/** What reading App Mesh objects reports through; the evaluator passes one that stays silent. */
export interface IngestSink {
  readonly report: (
    id: AppMeshMessageId,
    manifest: Manifest,
    path: Path,
    init?: {
      readonly data?: Readonly<Record<string, string | number | boolean>>;
      readonly effect?: Effect;
      readonly severity?: Severity;
    },
  ) => void;
  /** A value that still holds a documentation placeholder (`${NS}`, `<name>`); reported as `core/placeholder`. */
  readonly placeholder: (manifest: Manifest, path: Path, value: string) => void;
}

/** A sink that reports nothing (for the evaluator, which reads objects already checked). */
export const SILENT_SINK: IngestSink = { report: () => undefined, placeholder: () => undefined };

/** True for a JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Dotted form of a path for messages (`spec.listeners[0].tls`). */
export function fieldName(path: Path): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`,
    '',
  );
}

/**
 * Reads one JSON object of a manifest: typed getters that report a wrong shape as
 * `invalid-field` and return undefined, and checks for unknown and dropped fields. Only own
 * properties are read, so keys like `__proto__` or `constructor` never reach the prototype chain.
 */
export class Cursor {
  constructor(
    readonly sink: IngestSink,
    readonly manifest: Manifest,
    readonly path: Path,
    readonly value: Readonly<Record<string, unknown>>,
  ) {}

  /** Path of a key of this object. */
  at(...keys: readonly (string | number)[]): Path {
    return [...this.path, ...keys];
  }

  has(key: string): boolean {
    return (
      Object.hasOwn(this.value, key) && this.value[key] !== undefined && this.value[key] !== null
    );
  }

  raw(key: string): unknown {
    return Object.hasOwn(this.value, key) ? this.value[key] : undefined;
  }

  /** Reports a value that does not have the shape the CRD gives it (`actual` overrides its description). */
  invalid(path: Path, value: unknown, expected: string, actual = describe(value)): void {
    this.sink.report('invalid-field', this.manifest, path, {
      data: { field: fieldName(path), actual, expected },
    });
  }

  /** A nested object, or undefined (reported when present with another shape). */
  record(key: string): Cursor | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw(key);
    if (isRecord(value)) return new Cursor(this.sink, this.manifest, this.at(key), value);
    this.invalid(this.at(key), value, 'a map');
    return undefined;
  }

  /** The objects of a list, skipping (and reporting) items that are not objects. */
  records(key: string): Cursor[] {
    if (!this.has(key)) return [];
    const value = this.raw(key);
    if (!Array.isArray(value)) {
      this.invalid(this.at(key), value, 'a list');
      return [];
    }
    const out: Cursor[] = [];
    value.forEach((item: unknown, i) => {
      if (isRecord(item)) out.push(new Cursor(this.sink, this.manifest, this.at(key, i), item));
      else this.invalid(this.at(key, i), item, 'a map');
    });
    return out;
  }

  string(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw(key);
    if (typeof value === 'string') return value;
    this.invalid(this.at(key), value, 'a string');
    return undefined;
  }

  /** A string naming something: placeholders are reported (as core/placeholder) and give undefined. */
  name(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (isPlaceholder(value)) {
      this.sink.placeholder(this.manifest, this.at(key), value);
      return undefined;
    }
    return value === '' ? undefined : value;
  }

  /** A host name: a placeholder is reported, and the text is kept (it then names no Service). */
  host(key: string): string | undefined {
    const value = this.string(key);
    if (value !== undefined && isPlaceholder(value))
      this.sink.placeholder(this.manifest, this.at(key), value);
    return value === '' ? undefined : value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw(key);
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
      return value;
    this.invalid(this.at(key), value, `an integer from ${min} to ${max}`);
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.raw(key);
    if (typeof value === 'boolean') return value;
    this.invalid(this.at(key), value, 'true or false');
    return undefined;
  }

  /** A string from a fixed set. */
  oneOf<const T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.invalid(this.at(key), value, `one of ${allowed.join(', ')}`);
    return undefined;
  }

  /** A map of strings (labels), as a Map so keys from input never touch an object prototype. */
  stringMap(key: string): Map<string, string> | undefined {
    const nested = this.record(key);
    if (nested === undefined) return undefined;
    const out = new Map<string, string>();
    for (const k of Object.keys(nested.value)) {
      const v = nested.string(k);
      if (v !== undefined) out.set(k, v);
    }
    return out;
  }

  /** Reports every key of this object that is not in `known` (the CRD keeps unknown fields). */
  onlyKnown(known: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!known.includes(key)) {
        this.sink.report('unknown-field', this.manifest, this.at(key), {
          data: { field: fieldName(this.at(key)) },
        });
      }
    }
  }

  /** Reports a field that SMI cannot carry, when present. */
  drop(key: string, effect: Effect, severity: Severity = 'info'): void {
    if (!this.has(key)) return;
    this.sink.report('dropped-field', this.manifest, this.at(key), {
      data: { field: fieldName(this.at(key)) },
      effect,
      severity,
    });
  }
}
