import { Optional } from '@marcbachmann/cel-js';
import {
  createDiagnostic,
  locatePointer,
  manifestLocation,
  manifestRef,
  type Diagnostic,
  type DiagnosticData,
  type KubeObject,
  type Manifest,
  type Severity,
} from '@meshlingo/core';
import { runCel } from './cel-program.js';
import { toCelValue, type CelValueCache } from './cel-value.js';
import { ruleUnsupportedReason, type CrdSet, type CrdVersion } from './crd-set.js';
import {
  childPath,
  fieldName,
  indexPath,
  keyPath,
  pathSegments,
  type FieldPath,
  type Reporter,
} from './field-path.js';
import { checkNumberFormat, checkStringFormat } from './formats.js';
import { canonicalJson, copyJson, displayValue, isRecord, jsonEquals, jsonType } from './json.js';
import { CRD_SOURCE, crdMessages, type CrdMessageId } from './messages.js';
import { prepareObjectMeta, validateEmbeddedTypeMeta, validateObjectMeta } from './object-meta.js';
import { compileSchema, type CompiledRule, type CompiledSchema } from './schema.js';

/** The result of checking one object against the loaded CRDs. */
export interface CrdValidation {
  readonly diagnostics: Diagnostic[];
  /** A CRD defines the object's group and kind (whether or not its version is served). */
  readonly known: boolean;
  /**
   * Rule evaluations: `evaluated` gave an answer (pass, fail or an evaluation error the API
   * server would raise too); `unsupported` could not be evaluated here and were neither.
   */
  readonly cel: { readonly evaluated: number; readonly unsupported: number };
}

/** Where a node sits relative to Kubernetes resources: `apiVersion`, `kind`, `metadata` are special there. */
type Resource = 'root' | 'embedded' | undefined;

const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);
const MAX_MESSAGE_BYTES = 5 * 1024;

/** Accepts anything: the schema of a CRD version that has none. */
const OPEN_SCHEMA = compileSchema(
  { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  '',
).schema;

interface UnsupportedUse {
  readonly at: FieldPath | undefined;
  readonly reason: string;
  count: number;
}

/** The state of one object's validation: its findings, CEL counters and caches. */
class Walk implements Reporter {
  readonly diagnostics: Diagnostic[] = [];
  evaluated = 0;
  unsupportedCount = 0;
  pruning = true;
  private silentDepth = 0;
  private silentErrors = 0;
  private readonly unsupportedRules = new Map<CompiledRule, UnsupportedUse>();
  private readonly celValues: CelValueCache = new WeakMap();

  constructor(readonly manifest: Manifest) {}

  report(
    id: CrdMessageId,
    at: FieldPath | undefined,
    data: DiagnosticData = {},
    severity?: Severity,
  ): void {
    if (this.silentDepth > 0) {
      if ((severity ?? crdMessages[id].severity) === 'error') this.silentErrors += 1;
      return;
    }
    this.diagnostics.push(
      createDiagnostic(CRD_SOURCE, crdMessages, id, {
        data: { field: fieldName(at), ...data },
        location: manifestLocation(this.manifest, pathSegments(at)),
        resource: manifestRef(this.manifest.object),
        ...(severity !== undefined && { severity }),
      }),
    );
  }

  /** Runs a check without reporting; returns how many errors it found (for anyOf, oneOf, not). */
  silently(check: () => void): number {
    const outer = this.silentErrors;
    this.silentErrors = 0;
    this.silentDepth += 1;
    try {
      check();
    } finally {
      this.silentDepth -= 1;
    }
    const found = this.silentErrors;
    this.silentErrors = outer;
    return found;
  }

  unsupported(rule: CompiledRule, at: FieldPath | undefined, reason: string): void {
    this.unsupportedCount += 1;
    const use = this.unsupportedRules.get(rule);
    if (use === undefined) this.unsupportedRules.set(rule, { at, reason, count: 1 });
    else use.count += 1;
  }

  /** The CEL value of a node; each subtree is converted once, however many rules read it. */
  celValue(value: unknown, schema: CompiledSchema, resource: Resource): unknown {
    return toCelValue(value, schema, resource !== undefined, this.celValues);
  }

  result(known: boolean): CrdValidation {
    for (const [rule, use] of this.unsupportedRules) {
      this.report('cel-unsupported', use.at, {
        rule: rule.rule,
        reason: use.reason,
        count: use.count,
      });
    }
    const document = this.manifest.document;
    const diagnostics =
      document === undefined
        ? this.diagnostics
        : this.diagnostics.map((d) =>
            d.location === undefined
              ? d
              : {
                  ...d,
                  location: { ...d.location, ...locatePointer(document, d.location.pointer ?? '') },
                },
          );
    return {
      diagnostics,
      known,
      cel: { evaluated: this.evaluated, unsupported: this.unsupportedCount },
    };
  }
}

/**
 * What the API server stores before it validates: a copy of the value with unknown fields pruned
 * (`crd/pruned`), nulls of non-nullable fields dropped (`crd/nullable`, a warning), ObjectMeta
 * decoded, and defaults applied. `preserved` is set for the items of a list whose schema keeps
 * unknown fields: the API server extends that to the list's items.
 */
function prepare(
  value: unknown,
  schema: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
  resource: Resource,
  preserved = false,
): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items === undefined) return copyJson(value);
    const keep = preserved || schema.preserveUnknownFields;
    return value.map((item: unknown, i) => {
      const filled =
        item === null && !items.nullable && items.default !== undefined
          ? copyJson(items.default.value)
          : item;
      const kind = items.embeddedResource ? 'embedded' : undefined;
      return prepare(filled, items, indexPath(at, i), walk, kind, keep);
    });
  }
  if (!isRecord(value)) return value;
  const objectSchema =
    schema.type === 'object' || (schema.type === undefined && schema.properties !== undefined);
  if (!objectSchema) return copyJson(value);
  const out = Object.create(null) as Record<string, unknown>;
  const additional = schema.additionalProperties;
  const keepsUnknown =
    !walk.pruning || preserved || schema.preserveUnknownFields || additional === true;
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (resource !== undefined && TYPE_META.has(key)) {
      const kept =
        key === 'metadata' ? prepareObjectMeta(v, childPath(at, key), walk) : copyJson(v);
      if (kept !== undefined) out[key] = kept;
      continue;
    }
    const property = schema.properties?.get(key);
    const target = property ?? (typeof additional === 'object' ? additional : undefined);
    const where = property !== undefined ? childPath(at, key) : keyPath(at, key);
    if (target === undefined) {
      if (keepsUnknown) out[key] = copyJson(v);
      else walk.report('pruned', childPath(at, key));
      continue;
    }
    let item = v;
    if (item === null && !target.nullable) {
      if (target.default === undefined) {
        walk.report('nullable', where, { dropped: true }, 'warning');
        continue;
      }
      item = copyJson(target.default.value);
    }
    out[key] = prepare(item, target, where, walk, target.embeddedResource ? 'embedded' : undefined);
  }
  for (const [key, property] of schema.properties ?? []) {
    const fill = property.default;
    if (Object.hasOwn(out, key) || fill === undefined) continue;
    if (resource !== undefined && TYPE_META.has(key)) continue;
    // Defaults get the defaults below them too; the API server checked them when it took the CRD.
    const kind = property.embeddedResource ? 'embedded' : undefined;
    walk.silently(() => {
      out[key] = prepare(fill.value, property, childPath(at, key), walk, kind);
    });
  }
  return out;
}

function matchesType(value: unknown, type: NonNullable<CompiledSchema['type']>): boolean {
  switch (type) {
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
  }
}

function checkString(
  value: string,
  schema: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
): void {
  const length = Array.from(value).length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    walk.report('min-length', at, { length, limit: schema.minLength });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    walk.report('max-length', at, { length, limit: schema.maxLength });
  }
  // Go's regexp.MatchString, which the API server uses, searches: the pattern is not anchored.
  if (schema.pattern !== undefined && !schema.pattern.re.matcher(value).find()) {
    walk.report('pattern', at, { value, pattern: schema.pattern.source });
  }
  if (schema.format !== undefined && checkStringFormat(schema.format, value) === false) {
    walk.report('format', at, { value, format: schema.format });
  }
}

/** go-openapi's multipleOf: the quotient must be a whole number (within float precision). */
function isMultiple(value: number, factor: number): boolean {
  const quotient = factor < 1 ? (1 / factor) * value : value / factor;
  if (!Number.isFinite(quotient)) return false;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9 * Math.max(1, Math.abs(quotient));
}

function checkNumber(
  value: number,
  schema: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
): void {
  if (schema.format !== undefined && checkNumberFormat(schema.format, value) === false) {
    walk.report('format', at, { value, format: schema.format });
  }
  const { minimum, maximum } = schema;
  if (
    minimum !== undefined &&
    (value < minimum || (schema.exclusiveMinimum && value === minimum))
  ) {
    walk.report('minimum', at, {
      value,
      limit: minimum,
      exclusive: schema.exclusiveMinimum,
      orEqual: schema.exclusiveMinimum ? '' : 'or equal to ',
    });
  }
  if (
    maximum !== undefined &&
    (value > maximum || (schema.exclusiveMaximum && value === maximum))
  ) {
    walk.report('maximum', at, {
      value,
      limit: maximum,
      exclusive: schema.exclusiveMaximum,
      orEqual: schema.exclusiveMaximum ? '' : 'or equal to ',
    });
  }
  if (schema.multipleOf !== undefined && !isMultiple(value, schema.multipleOf)) {
    walk.report('multiple-of', at, { value, factor: schema.multipleOf });
  }
}

/**
 * Indexes of second occurrences, as the API server reports them: each repeated key once, at the
 * first repetition.
 */
function repeats(keys: readonly string[]): { index: number; first: number }[] {
  const seen = new Map<string, { first: number; times: number }>();
  const out: { index: number; first: number }[] = [];
  keys.forEach((key, index) => {
    const entry = seen.get(key);
    if (entry === undefined) seen.set(key, { first: index, times: 1 });
    else if (entry.times++ === 1) out.push({ index, first: entry.first });
  });
  return out;
}

function listMapKey(item: unknown, keys: readonly string[]): Record<string, unknown> {
  const key = Object.create(null) as Record<string, unknown>;
  if (!isRecord(item)) return key;
  for (const k of keys) if (Object.hasOwn(item, k)) key[k] = item[k];
  return key;
}

function checkArray(
  value: readonly unknown[],
  schema: CompiledSchema,
  spine: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
  cel: boolean,
): void {
  const count = value.length;
  if (schema.minItems !== undefined && count < schema.minItems)
    walk.report('min-items', at, { count, limit: schema.minItems });
  if (schema.maxItems !== undefined && count > schema.maxItems)
    walk.report('max-items', at, { count, limit: schema.maxItems });
  if (schema.uniqueItems || schema.listType === 'set') {
    for (const { index, first } of repeats(value.map(canonicalJson))) {
      if (schema.uniqueItems)
        walk.report('unique-items', indexPath(at, index), { duplicateOf: first });
      if (schema.listType === 'set') {
        walk.report('list-set-duplicate', indexPath(at, index), {
          value: displayValue(value[index]),
          duplicateOf: first,
        });
      }
    }
  }
  if (schema.listType === 'map' && schema.listMapKeys.length > 0) {
    const keys = value.map((item) => listMapKey(item, schema.listMapKeys));
    for (const { index, first } of repeats(keys.map(canonicalJson))) {
      walk.report('list-map-key', indexPath(at, index), {
        key: displayValue(keys[index]),
        duplicateOf: first,
      });
    }
  }
  const items = schema.items;
  if (items === undefined) return;
  const spineItems = spine.items ?? items;
  value.forEach((item, i) => {
    check(
      item,
      items,
      spineItems,
      indexPath(at, i),
      walk,
      cel,
      items.embeddedResource ? 'embedded' : undefined,
    );
  });
}

function checkObject(
  value: Record<string, unknown>,
  schema: CompiledSchema,
  spine: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
  cel: boolean,
  resource: Resource,
): void {
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    walk.report('min-properties', at, { count, limit: schema.minProperties });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    walk.report('max-properties', at, { count, limit: schema.maxProperties });
  }
  for (const property of schema.required) {
    if (!Object.hasOwn(value, property)) walk.report('required', at, { property });
  }
  const additional = schema.additionalProperties;
  const spineAdditional =
    typeof spine.additionalProperties === 'object' ? spine.additionalProperties : undefined;
  for (const key of Object.keys(value)) {
    if (resource !== undefined && TYPE_META.has(key)) continue;
    const property = schema.properties?.get(key);
    if (property !== undefined) {
      const spineProperty = spine.properties?.get(key) ?? property;
      const kind = property.embeddedResource ? 'embedded' : undefined;
      check(value[key], property, spineProperty, childPath(at, key), walk, cel, kind);
    } else if (typeof additional === 'object') {
      const kind = additional.embeddedResource ? 'embedded' : undefined;
      check(
        value[key],
        additional,
        spineAdditional ?? additional,
        keyPath(at, key),
        walk,
        cel,
        kind,
      );
    } else if (additional === false) {
      walk.report('additional-property', childPath(at, key));
    }
  }
  // Type and object meta are checked once, on the structural walk (not again for each junctor).
  if (resource === undefined || schema !== spine) return;
  const metaAt = childPath(at, 'metadata');
  if (resource === 'embedded') validateEmbeddedTypeMeta(value, at, walk);
  if (Object.hasOwn(value, 'metadata') || resource === 'root') {
    validateObjectMeta(value.metadata, metaAt, walk, {
      nameRule: resource === 'root' ? 'dns-subdomain' : 'path-segment',
      requireName: resource === 'root',
    });
  }
  const metaSchema = schema.properties?.get('metadata');
  if (metaSchema !== undefined && isRecord(value.metadata)) {
    check(value.metadata, metaSchema, metaSchema, metaAt, walk, cel, undefined);
  }
}

function failureMessage(rule: CompiledRule, self: unknown): string {
  const expression = rule.messageExpression;
  if (expression?.supported === true) {
    const outcome = runCel(expression, self);
    if (outcome.kind === 'value' && typeof outcome.value === 'string') {
      const text = outcome.value.trim();
      const fits =
        text !== '' && !text.includes('\n') && Buffer.byteLength(text) <= MAX_MESSAGE_BYTES;
      if (fits) return text;
    }
  }
  const message = rule.message?.trim() ?? '';
  return message !== '' ? message : `failed rule: ${rule.rule.trim()}`;
}

/** The path a failed rule reports: its node, or `fieldPath` below it (map keys where the schema has a map). */
function ruleTarget(
  at: FieldPath | undefined,
  rule: CompiledRule,
  spine: CompiledSchema,
): FieldPath | undefined {
  let target = at;
  let schema: CompiledSchema | undefined = spine;
  for (const segment of rule.fieldPath ?? []) {
    const property: CompiledSchema | undefined = schema?.properties?.get(segment);
    const additional: CompiledSchema | boolean | undefined = schema?.additionalProperties;
    target =
      property === undefined && typeof additional === 'object'
        ? keyPath(target, segment)
        : childPath(target, segment);
    schema = property ?? (typeof additional === 'object' ? additional : undefined);
  }
  return target;
}

function evaluateRules(
  value: unknown,
  schema: CompiledSchema,
  spine: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
  resource: Resource,
): void {
  for (const rule of schema.rules) {
    const unsupported = ruleUnsupportedReason(rule);
    if (unsupported !== undefined || !rule.program.supported) {
      walk.unsupported(rule, at, unsupported ?? 'not supported');
      continue;
    }
    const self = walk.celValue(value, spine, resource);
    const outcome = runCel(rule.program, self, rule.optionalOldSelf ? Optional.none() : undefined);
    if (outcome.kind === 'unsupported') {
      walk.unsupported(rule, at, outcome.reason);
    } else if (outcome.kind === 'error') {
      walk.evaluated += 1;
      walk.report('cel-error', at, { rule: rule.rule, error: outcome.message });
    } else if (typeof outcome.value !== 'boolean') {
      walk.unsupported(rule, at, `the rule gives a ${typeof outcome.value}, not a bool`);
    } else {
      walk.evaluated += 1;
      if (!outcome.value) {
        walk.report('cel-failed', ruleTarget(at, rule, spine), {
          rule: rule.rule,
          message: failureMessage(rule, self),
          ...(rule.reason !== undefined && { reason: rule.reason }),
        });
      }
    }
  }
}

/**
 * Validates a prepared value like the API server's schema validator: type, keywords, list types,
 * object meta of resources, junctors and CEL rules. `spine` is the structural node at this
 * position (it differs from `schema` inside allOf/anyOf/oneOf/not); CEL sees values through it.
 */
function check(
  value: unknown,
  schema: CompiledSchema,
  spine: CompiledSchema,
  at: FieldPath | undefined,
  walk: Walk,
  cel: boolean,
  resource: Resource,
): void {
  if (value === null || value === undefined) {
    if (!schema.nullable && (schema.type !== undefined || schema.intOrString))
      walk.report('nullable', at);
    return;
  }
  if (schema.intOrString) {
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) {
      walk.report('int-or-string', at, { actual: jsonType(value) });
      return;
    }
  } else if (schema.type !== undefined && !matchesType(value, schema.type)) {
    walk.report('type', at, { expected: schema.type, actual: jsonType(value) });
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => jsonEquals(allowed, value))) {
    walk.report('enum', at, {
      value: displayValue(value),
      allowed: schema.enum.map((e) => String(displayValue(e))).join(', '),
    });
  }
  if (typeof value === 'string') checkString(value, schema, at, walk);
  else if (typeof value === 'number') checkNumber(value, schema, at, walk);
  else if (Array.isArray(value)) checkArray(value, schema, spine, at, walk, cel);
  else if (isRecord(value)) checkObject(value, schema, spine, at, walk, cel, resource);
  for (const sub of schema.allOf) check(value, sub, spine, at, walk, cel, resource);
  const passes = (sub: CompiledSchema): boolean =>
    walk.silently(() => check(value, sub, spine, at, walk, false, resource)) === 0;
  if (schema.anyOf.length > 0 && !schema.anyOf.some(passes)) walk.report('any-of', at);
  if (schema.oneOf.length > 0) {
    const matched = schema.oneOf.filter(passes).length;
    if (matched !== 1) walk.report('one-of', at, { matched });
  }
  if (schema.not !== undefined && passes(schema.not)) walk.report('not', at);
  if (cel && schema.rules.length > 0) evaluateRules(value, schema, spine, at, walk, resource);
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function servedList(versions: readonly CrdVersion[]): string {
  const served = versions.filter((v) => v.served).map((v) => v.version);
  return served.length === 0 ? 'none' : served.join(', ');
}

function validate(manifest: Manifest, crds: CrdSet): CrdValidation {
  const object = manifest.object;
  const walk = new Walk(manifest);
  // Objects handed to the API may not have been checked like parsed manifests are.
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const version = crds.find(apiVersion, kind);
  const apiVersionAt = childPath(undefined, 'apiVersion');
  if (version === undefined || !version.served) {
    const { group, version: requested } = splitApiVersion(apiVersion);
    const all = crds.versionsOf(group, kind);
    const crd = all[0];
    if (crd === undefined) {
      walk.report('unknown-kind', undefined, { apiVersion, kind });
      return walk.result(false);
    }
    walk.report('not-served', apiVersionAt, {
      kind,
      crd: crd.crd,
      version: requested,
      served: servedList(all),
    });
    return walk.result(true);
  }
  if (version.deprecated) {
    walk.report('deprecated-version', apiVersionAt, {
      apiVersion,
      kind,
      warning: version.deprecationWarning ?? `${apiVersion} ${kind} is deprecated`,
    });
  }
  walk.pruning = version.pruning;
  const namespace = object.metadata?.namespace;
  if (version.scope === 'Cluster' && typeof namespace === 'string' && namespace !== '') {
    walk.report('namespace-ignored', childPath(childPath(undefined, 'metadata'), 'namespace'), {
      kind,
      namespace,
    });
  }
  let root: Record<string, unknown> = object;
  if (version.statusSubresource && Object.hasOwn(object, 'status')) {
    walk.report('status-dropped', childPath(undefined, 'status'), { kind });
    root = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(object)) if (key !== 'status') root[key] = object[key];
  }
  const schema = version.schema ?? OPEN_SCHEMA;
  const prepared = prepare(root, schema, undefined, walk, 'root');
  check(prepared, schema, schema, undefined, walk, true, 'root');
  return walk.result(true);
}

/**
 * Checks one manifest against the CRD serving its `apiVersion` and `kind`, as the API server
 * would on create: pruning (reported as errors), defaulting, OpenAPI v3 validation, list types,
 * ObjectMeta and `x-kubernetes-validations` rules. Diagnostics point into the manifest
 * (`manifestLocation`), with line and column when it was read from text.
 */
export function validateManifest(manifest: Manifest, crds: CrdSet): CrdValidation {
  return validate(manifest, crds);
}

/** Checks an object that has no source text, like {@link validateManifest}; locations use the file `<object>`. */
export function validateObject(object: KubeObject, crds: CrdSet): CrdValidation {
  return validate({ object, file: '<object>', docIndex: 0, pointer: '' }, crds);
}
