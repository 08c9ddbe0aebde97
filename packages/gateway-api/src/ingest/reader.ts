import {
  formatPointer,
  manifestOrigin,
  pointerToFieldPath,
  type DiagnosticData,
  type IngestContext,
  type Manifest,
  type Origin,
} from '@meshlingo/core';
import { isRecord } from '../json.js';
import type { gatewayApiMessages, GatewayApiMessageId } from '../messages.js';
import type { GatewayApiOptions } from '../options.js';

/** The context the gateway-api reader runs with. */
export type GatewayApiIngestContext = IngestContext<GatewayApiOptions, typeof gatewayApiMessages>;

/** A place inside a manifest, relative to the object. */
export type Path = readonly (string | number)[];

/** What to do with one key of an object: read it, or report it as carried nowhere. */
export type FieldHandler = (value: unknown, path: Path) => void;

/**
 * Walks one native object: reports at JSON pointers inside it, checks value types, and visits
 * objects key by key so every key nobody handles is reported (nothing is dropped silently).
 */
export class ManifestReader {
  constructor(
    readonly manifest: Manifest,
    readonly ctx: GatewayApiIngestContext,
  ) {}

  /** The object's kind, for messages. */
  get kind(): string {
    return this.manifest.object.kind;
  }

  report(id: GatewayApiMessageId, path: Path, data: DiagnosticData = {}): void {
    this.ctx.report(id, { at: { manifest: this.manifest, field: path }, data });
  }

  origin(path: Path = []): Origin {
    return manifestOrigin(this.manifest, path);
  }

  /** `spec.rules[0].name`, for messages. */
  fieldName(path: Path): string {
    return pointerToFieldPath(formatPointer(path));
  }

  invalid(path: Path, reason: string): void {
    this.report('invalid-field', path, { field: this.fieldName(path), reason });
  }

  /**
   * Calls the handler of each key of an object; reports keys without one. False (reported) when
   * the value is not an object. `absent` values are accepted when optional.
   */
  fields(
    value: unknown,
    path: Path,
    handlers: Readonly<Record<string, FieldHandler>>,
  ): value is Record<string, unknown> {
    if (!isRecord(value)) {
      this.invalid(path, 'must be an object');
      return false;
    }
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (Object.hasOwn(handlers, key)) handlers[key]?.(value[key], at);
      else this.report('unknown-field', at, { field: this.fieldName(at), kind: this.kind });
    }
    return true;
  }

  /** A list (reported when it is something else); absent gives an empty list. */
  list(value: unknown, path: Path): readonly unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.invalid(path, 'must be a list');
    return [];
  }

  /** A string (reported when it is something else). */
  string(value: unknown, path: Path): string | undefined {
    if (typeof value === 'string') return value;
    this.invalid(path, 'must be a string');
    return undefined;
  }

  /** An integer within bounds (reported when it is something else). */
  integer(value: unknown, path: Path, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
      return value;
    this.invalid(path, `must be an integer from ${min} to ${max}`);
    return undefined;
  }

  /** One of the allowed strings (reported when it is something else). */
  oneOf<T extends string>(value: unknown, path: Path, allowed: readonly T[]): T | undefined {
    const found = allowed.find((a) => a === value);
    if (found === undefined) this.invalid(path, `must be one of ${allowed.join(', ')}`);
    return found;
  }
}

/** A handler for a known field SMI cannot carry: reports it with the given message. */
export function unsupported(
  reader: ManifestReader,
  id: GatewayApiMessageId,
  data: (value: unknown, path: Path) => DiagnosticData = (_v, path) => ({
    field: reader.fieldName(path),
  }),
): FieldHandler {
  return (value, path) => reader.report(id, path, data(value, path));
}

/** A handler for fields that carry no configuration (status, server-set metadata). */
export const ignored: FieldHandler = () => undefined;
