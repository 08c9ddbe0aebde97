import { Duration } from '@marcbachmann/cel-js/evaluator';
import { isDateTime } from './formats.js';
import { parseGoDuration } from './go-duration.js';
import { isRecord } from './json.js';
import type { CompiledSchema } from './schema.js';

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * The CEL name of a property, escaped like the API server does (`namespace` is `__namespace__`,
 * `x-y` is `x__dash__y`), or undefined when the property cannot be named in CEL at all.
 */
export function escapeCelProperty(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, (m) => {
    if (m === '__') return '__underscores__';
    if (m === '.') return '__dot__';
    if (m === '-') return '__dash__';
    return '__slash__';
  });
}

/** A JSON value of unknown schema: integral numbers are CEL ints, objects are maps. */
function dynamicValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(dynamicValue);
  if (isRecord(value)) {
    const out = new Map<string, unknown>();
    for (const key of Object.keys(value)) out.set(key, dynamicValue(value[key]));
    return out;
  }
  return value;
}

/** True when CEL can see a value of this schema (the API server omits fields of unknown type). */
function isTyped(schema: CompiledSchema): boolean {
  return schema.type !== undefined || schema.intOrString;
}

function stringValue(value: string, format: string | undefined): unknown {
  switch (format) {
    case 'byte': {
      const bytes = Buffer.from(value, 'base64');
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : value;
    case 'date-time':
    case 'datetime':
      return isDateTime(value) ? new Date(value) : value;
    case 'duration': {
      const nanos = parseGoDuration(value);
      return nanos === undefined
        ? value
        : new Duration(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
    }
    default:
      return value;
  }
}

/** Converted values by source object, so nested rules do not convert the same subtree again. */
export type CelValueCache = WeakMap<
  object,
  { readonly schema: CompiledSchema; readonly value: unknown }
>;

/**
 * Converts a JSON value to the value CEL rules see as `self`, following the API server: integers
 * are ints, `number` fields doubles, `byte`/`date-time`/`duration` strings their CEL types,
 * objects with `properties` expose only those (escaped), maps keep their keys, and a resource
 * root adds `apiVersion`, `kind` and `metadata.name`/`generateName`. Objects become `Map`s, so
 * no key from the input lands in a plain object.
 */
export function toCelValue(
  value: unknown,
  schema: CompiledSchema,
  resourceRoot: boolean,
  cache?: CelValueCache,
): unknown {
  if (cache === undefined || typeof value !== 'object' || value === null) {
    return convert(value, schema, resourceRoot, cache);
  }
  const hit = cache.get(value);
  if (hit?.schema === schema) return hit.value;
  const converted = convert(value, schema, resourceRoot, cache);
  cache.set(value, { schema, value: converted });
  return converted;
}

function convert(
  value: unknown,
  schema: CompiledSchema,
  resourceRoot: boolean,
  cache: CelValueCache | undefined,
): unknown {
  if (value === null || value === undefined) return null;
  if (schema.intOrString) return dynamicValue(value);
  // A value of the wrong type (already reported) is given as untyped data, never as raw objects.
  switch (schema.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? BigInt(value)
        : dynamicValue(value);
    case 'string':
      return typeof value === 'string' ? stringValue(value, schema.format) : dynamicValue(value);
    case 'array': {
      const items = schema.items;
      if (!Array.isArray(value) || items === undefined) return dynamicValue(value);
      return value.map((v) => toCelValue(v, items, items.embeddedResource, cache));
    }
    case 'object':
      return isRecord(value)
        ? objectValue(value, schema, resourceRoot, cache)
        : dynamicValue(value);
    case 'number':
      return typeof value === 'number' ? value : dynamicValue(value);
    case 'boolean':
    case undefined:
      return dynamicValue(value);
  }
}

function objectValue(
  value: Record<string, unknown>,
  schema: CompiledSchema,
  resourceRoot: boolean,
  cache: CelValueCache | undefined,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const additional = schema.additionalProperties;
  if (typeof additional === 'object') {
    for (const key of Object.keys(value))
      out.set(key, toCelValue(value[key], additional, additional.embeddedResource, cache));
    return out;
  }
  for (const [key, property] of schema.properties ?? []) {
    const name = escapeCelProperty(key);
    if (name === undefined || !Object.hasOwn(value, key) || !isTyped(property)) continue;
    out.set(name, toCelValue(value[key], property, property.embeddedResource, cache));
  }
  if (resourceRoot || schema.embeddedResource) {
    for (const key of ['apiVersion', 'kind'])
      if (Object.hasOwn(value, key)) out.set(key, value[key]);
    const metadata = value.metadata;
    if (isRecord(metadata)) {
      const meta = new Map<string, unknown>();
      for (const key of ['name', 'generateName'])
        if (Object.hasOwn(metadata, key)) meta.set(key, metadata[key]);
      out.set('metadata', meta);
    }
  }
  return out;
}
