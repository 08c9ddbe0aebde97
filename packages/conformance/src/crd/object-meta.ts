import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
} from '@meshlingo/core';
import { childPath, keyPath, indexPath, type FieldPath, type Reporter } from './field-path.js';
import { isDateTime } from './formats.js';
import { copyJson, isRecord, jsonType } from './json.js';

type MetaFieldKind = 'string' | 'integer' | 'timestamp' | 'stringMap' | 'stringList' | 'objectList';

/** The fields of `metav1.ObjectMeta` and how the API server decodes them. */
const OBJECT_META_FIELDS: ReadonlyMap<string, MetaFieldKind> = new Map([
  ['name', 'string'],
  ['generateName', 'string'],
  ['namespace', 'string'],
  ['selfLink', 'string'],
  ['uid', 'string'],
  ['resourceVersion', 'string'],
  ['generation', 'integer'],
  ['creationTimestamp', 'timestamp'],
  ['deletionTimestamp', 'timestamp'],
  ['deletionGracePeriodSeconds', 'integer'],
  ['labels', 'stringMap'],
  ['annotations', 'stringMap'],
  ['ownerReferences', 'objectList'],
  ['finalizers', 'stringList'],
  ['managedFields', 'objectList'],
]);

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** The first part of a field value that Go cannot decode into its ObjectMeta type, if any. */
function malformed(
  value: unknown,
  kind: MetaFieldKind,
  at: FieldPath,
): { at: FieldPath; expected: string; actual: string } | undefined {
  if (value === null) return undefined;
  const bad = (where: FieldPath, expected: string, v: unknown): ReturnType<typeof malformed> => ({
    at: where,
    expected,
    actual: jsonType(v),
  });
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : bad(at, 'string', value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : bad(at, 'integer', value);
    case 'timestamp':
      return typeof value === 'string' && isDateTime(value)
        ? undefined
        : bad(at, 'RFC 3339 timestamp', value);
    case 'stringMap': {
      if (!isRecord(value)) return bad(at, 'map of strings', value);
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v !== null && typeof v !== 'string') return bad(keyPath(at, key), 'string', v);
      }
      return undefined;
    }
    case 'stringList':
    case 'objectList': {
      if (!Array.isArray(value)) return bad(at, 'array', value);
      const expected = kind === 'stringList' ? 'string' : 'object';
      const i = value.findIndex((v: unknown) =>
        kind === 'stringList' ? typeof v !== 'string' : !isRecord(v),
      );
      return i < 0 ? undefined : bad(indexPath(at, i), expected, value[i]);
    }
  }
}

/**
 * What the API server keeps of `metadata` (of the resource root or of an embedded resource): it
 * decodes it into ObjectMeta, so unknown fields are dropped (reported as `crd/pruned`) and so
 * are fields Go cannot decode, like a label value written as a number (`crd/type`).
 */
export function prepareObjectMeta(value: unknown, at: FieldPath, reporter: Reporter): unknown {
  if (value === null || value === undefined) return value;
  if (!isRecord(value)) {
    reporter.report('type', at, { expected: 'object', actual: jsonType(value) });
    return undefined;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const kind = OBJECT_META_FIELDS.get(key);
    const field = childPath(at, key);
    if (kind === undefined) {
      reporter.report('pruned', field);
      continue;
    }
    const bad = malformed(value[key], kind, field);
    if (bad !== undefined) {
      reporter.report('type', bad.at, { expected: bad.expected, actual: bad.actual });
      continue;
    }
    out[key] = copyJson(value[key]);
  }
  return out;
}

/** How the object's name is checked. */
export type NameRule = 'dns-subdomain' | 'path-segment';

function checkPathSegmentName(name: string): string | undefined {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  if (name.includes('/')) return "may not contain '/'";
  if (name.includes('%')) return "may not contain '%'";
  return undefined;
}

function checkName(name: string, rule: NameRule, prefix: boolean): string | undefined {
  if (rule === 'path-segment') return checkPathSegmentName(name);
  // A generateName prefix may end in '-' (the API server appends random characters).
  const text = prefix && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
  return checkDns1123Subdomain(text);
}

/**
 * ObjectMeta validation as the API server does it (`ValidateObjectMeta`): name or generateName,
 * namespace, label keys and values, annotation keys and total size. Runs on prepared metadata.
 */
export function validateObjectMeta(
  meta: unknown,
  at: FieldPath,
  reporter: Reporter,
  options: { readonly nameRule: NameRule; readonly requireName: boolean },
): void {
  const record = isRecord(meta) ? meta : undefined;
  const text = (key: string): string => {
    const v = record?.[key];
    return typeof v === 'string' ? v : '';
  };
  const fail = (where: FieldPath, reason: string, value: string): void =>
    reporter.report('metadata', where, { reason, value });
  const name = text('name');
  const generateName = text('generateName');
  if (name === '' && generateName === '' && options.requireName) {
    reporter.report('required', at, { property: 'name' });
  }
  if (name !== '') {
    const bad = checkName(name, options.nameRule, false);
    if (bad !== undefined) fail(childPath(at, 'name'), bad, name);
  }
  if (generateName !== '') {
    const bad = checkName(generateName, options.nameRule, true);
    if (bad !== undefined) fail(childPath(at, 'generateName'), bad, generateName);
  }
  const namespace = text('namespace');
  if (namespace !== '') {
    const bad = checkDns1123Label(namespace);
    if (bad !== undefined) fail(childPath(at, 'namespace'), bad, namespace);
  }
  const labels = record?.labels;
  if (isRecord(labels)) {
    for (const key of Object.keys(labels)) {
      const where = keyPath(childPath(at, 'labels'), key);
      const badKey = checkQualifiedName(key);
      if (badKey !== undefined) fail(where, `label key ${badKey}`, key);
      const value = labels[key];
      if (typeof value !== 'string') continue;
      const badValue = checkLabelValue(value);
      if (badValue !== undefined) fail(where, `label value ${badValue}`, value);
    }
  }
  const annotations = record?.annotations;
  if (isRecord(annotations)) {
    let size = 0;
    for (const key of Object.keys(annotations)) {
      const value = annotations[key];
      size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
      const badKey = checkQualifiedName(key.toLowerCase());
      if (badKey !== undefined)
        fail(keyPath(childPath(at, 'annotations'), key), `annotation key ${badKey}`, key);
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      fail(
        childPath(at, 'annotations'),
        `annotations may not be larger than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
        String(size),
      );
    }
  }
}

/** `apiVersion` and `kind` of an `x-kubernetes-embedded-resource` object. */
export function validateEmbeddedTypeMeta(
  value: Record<string, unknown>,
  at: FieldPath | undefined,
  reporter: Reporter,
): void {
  const fail = (reason: string): void => reporter.report('embedded-resource', at, { reason });
  const apiVersion = value.apiVersion;
  if (!Object.hasOwn(value, 'apiVersion')) fail('apiVersion is required');
  else if (typeof apiVersion !== 'string') fail('apiVersion must be a string');
  else if (apiVersion === '') fail('apiVersion is required');
  else if (apiVersion.split('/').length > 2) {
    fail(`apiVersion ${apiVersion} is not a valid group/version`);
  }
  const kind = value.kind;
  if (!Object.hasOwn(value, 'kind')) fail('kind is required');
  else if (typeof kind !== 'string') fail('kind must be a string');
  else if (kind === '') fail('kind is required');
  else {
    const bad = checkDns1035Label(kind.toLowerCase());
    if (bad !== undefined) fail(`kind ${kind} may have mixed case, but otherwise ${bad}`);
  }
}
