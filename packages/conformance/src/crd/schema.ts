import { compileRe2, formatPointer } from '@meshlingo/core';
import type { RE2JS } from 're2js';
import { compileCel, type CelProgram } from './cel-program.js';
import { isRecord } from './json.js';

/** The JSON types of OpenAPI v3 as CRDs use them. */
export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** `reason` of an `x-kubernetes-validations` rule: the kind of field error it reports. */
export type RuleReason =
  'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** One `x-kubernetes-validations` entry, compiled. */
export interface CompiledRule {
  readonly rule: string;
  readonly message: string | undefined;
  readonly messageExpression: CelProgram | undefined;
  /** `fieldPath` split into property names and map keys, relative to the rule's node. */
  readonly fieldPath: readonly string[] | undefined;
  readonly reason: RuleReason | undefined;
  readonly optionalOldSelf: boolean;
  readonly program: CelProgram;
  /** Where the rule is written in the CRD document. */
  readonly pointer: string;
}

/** A schema node compiled once per CRD version: keywords read and checked, patterns and rules compiled. */
export interface CompiledSchema {
  /** Where the node is written in the CRD document. */
  readonly pointer: string;
  readonly type: SchemaType | undefined;
  readonly nullable: boolean;
  readonly intOrString: boolean;
  readonly preserveUnknownFields: boolean;
  readonly embeddedResource: boolean;
  readonly properties: ReadonlyMap<string, CompiledSchema> | undefined;
  /** A schema, `true` (anything), `false` (nothing) or absent. */
  readonly additionalProperties: CompiledSchema | boolean | undefined;
  readonly items: CompiledSchema | undefined;
  readonly required: readonly string[];
  readonly enum: readonly unknown[] | undefined;
  readonly pattern: { readonly source: string; readonly re: RE2JS } | undefined;
  readonly format: string | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly minProperties: number | undefined;
  readonly maxProperties: number | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: boolean;
  readonly exclusiveMaximum: boolean;
  readonly multipleOf: number | undefined;
  readonly uniqueItems: boolean;
  readonly listType: 'atomic' | 'set' | 'map' | undefined;
  readonly listMapKeys: readonly string[];
  /** The default value (wrapped, because `null` and absent differ). */
  readonly default: { readonly value: unknown } | undefined;
  readonly allOf: readonly CompiledSchema[];
  readonly anyOf: readonly CompiledSchema[];
  readonly oneOf: readonly CompiledSchema[];
  readonly not: CompiledSchema | undefined;
  readonly rules: readonly CompiledRule[];
  /** This node or one below it (junctors included) has rules; lets the walk skip CEL work. */
  readonly hasRules: boolean;
}

/** A problem in a CRD schema: the keyword is ignored and the CRD is reported as invalid. */
export interface SchemaProblem {
  readonly pointer: string;
  readonly reason: string;
}

const SCHEMA_TYPES: ReadonlySet<string> = new Set([
  'object',
  'array',
  'string',
  'integer',
  'number',
  'boolean',
]);
const RULE_REASONS: ReadonlySet<string> = new Set([
  'FieldValueInvalid',
  'FieldValueForbidden',
  'FieldValueRequired',
  'FieldValueDuplicate',
]);
const LIST_TYPES: ReadonlySet<string> = new Set(['atomic', 'set', 'map']);

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

class Compiler {
  readonly problems: SchemaProblem[] = [];

  problem(pointer: string, reason: string): void {
    this.problems.push({ pointer, reason });
  }

  bool(raw: Record<string, unknown>, key: string, pointer: string): boolean {
    const value = own(raw, key);
    if (value === undefined || typeof value === 'boolean') return value === true;
    this.problem(`${pointer}/${key}`, `${key} must be a boolean`);
    return false;
  }

  count(raw: Record<string, unknown>, key: string, pointer: string): number | undefined {
    const value = own(raw, key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    this.problem(`${pointer}/${key}`, `${key} must be a non-negative integer`);
    return undefined;
  }

  number(raw: Record<string, unknown>, key: string, pointer: string): number | undefined {
    const value = own(raw, key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problem(`${pointer}/${key}`, `${key} must be a number`);
    return undefined;
  }

  string(raw: Record<string, unknown>, key: string, pointer: string): string | undefined {
    const value = own(raw, key);
    if (value === undefined || typeof value === 'string') return value;
    this.problem(`${pointer}/${key}`, `${key} must be a string`);
    return undefined;
  }

  strings(raw: Record<string, unknown>, key: string, pointer: string): string[] {
    const value = own(raw, key);
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
    this.problem(`${pointer}/${key}`, `${key} must be a list of strings`);
    return [];
  }

  schemas(raw: Record<string, unknown>, key: string, pointer: string): CompiledSchema[] {
    const value = own(raw, key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(`${pointer}/${key}`, `${key} must be a list of schemas`);
      return [];
    }
    return value.map((item, i) => this.schema(item, `${pointer}/${key}/${i}`));
  }

  schema(raw: unknown, pointer: string): CompiledSchema {
    if (!isRecord(raw)) {
      this.problem(pointer, 'a schema must be an object');
      return this.schema({}, pointer);
    }
    if (Object.hasOwn(raw, '$ref'))
      this.problem(`${pointer}/$ref`, '$ref is not allowed in CRD schemas');
    const typeText = this.string(raw, 'type', pointer);
    let type: SchemaType | undefined;
    if (typeText !== undefined) {
      if (SCHEMA_TYPES.has(typeText)) type = typeText as SchemaType;
      else this.problem(`${pointer}/type`, `unknown type ${typeText}`);
    }
    const properties = this.properties(raw, pointer);
    const additionalProperties = this.additional(raw, pointer);
    const rawItems = own(raw, 'items');
    let items: CompiledSchema | undefined;
    if (rawItems !== undefined) {
      if (Array.isArray(rawItems))
        this.problem(`${pointer}/items`, 'items must be a single schema');
      else items = this.schema(rawItems, `${pointer}/items`);
    }
    const patternText = this.string(raw, 'pattern', pointer);
    let pattern: CompiledSchema['pattern'];
    if (patternText !== undefined) {
      const re = compileRe2(patternText);
      if (re instanceof Error) this.problem(`${pointer}/pattern`, `invalid pattern: ${re.message}`);
      else pattern = { source: patternText, re };
    }
    const rawEnum = own(raw, 'enum');
    if (rawEnum !== undefined && !Array.isArray(rawEnum))
      this.problem(`${pointer}/enum`, 'enum must be a list');
    const listTypeText = this.string(raw, 'x-kubernetes-list-type', pointer);
    if (listTypeText !== undefined && !LIST_TYPES.has(listTypeText)) {
      this.problem(`${pointer}/x-kubernetes-list-type`, `unknown list type ${listTypeText}`);
    }
    const multipleOf = this.number(raw, 'multipleOf', pointer);
    if (multipleOf !== undefined && multipleOf <= 0) {
      this.problem(`${pointer}/multipleOf`, 'multipleOf must be greater than 0');
    }
    const not = own(raw, 'not');
    const allOf = this.schemas(raw, 'allOf', pointer);
    const anyOf = this.schemas(raw, 'anyOf', pointer);
    const oneOf = this.schemas(raw, 'oneOf', pointer);
    const notSchema = not === undefined ? undefined : this.schema(not, `${pointer}/not`);
    const rules = this.rules(raw, pointer);
    const children = [
      ...(properties?.values() ?? []),
      ...(typeof additionalProperties === 'object' ? [additionalProperties] : []),
      ...(items === undefined ? [] : [items]),
      ...allOf,
    ];
    return {
      pointer,
      type,
      nullable: this.bool(raw, 'nullable', pointer),
      intOrString: this.bool(raw, 'x-kubernetes-int-or-string', pointer),
      preserveUnknownFields: this.bool(raw, 'x-kubernetes-preserve-unknown-fields', pointer),
      embeddedResource: this.bool(raw, 'x-kubernetes-embedded-resource', pointer),
      properties,
      additionalProperties,
      items,
      required: this.strings(raw, 'required', pointer),
      enum: Array.isArray(rawEnum) ? (rawEnum as unknown[]) : undefined,
      pattern,
      format: this.string(raw, 'format', pointer),
      minLength: this.count(raw, 'minLength', pointer),
      maxLength: this.count(raw, 'maxLength', pointer),
      minItems: this.count(raw, 'minItems', pointer),
      maxItems: this.count(raw, 'maxItems', pointer),
      minProperties: this.count(raw, 'minProperties', pointer),
      maxProperties: this.count(raw, 'maxProperties', pointer),
      minimum: this.number(raw, 'minimum', pointer),
      maximum: this.number(raw, 'maximum', pointer),
      exclusiveMinimum: this.bool(raw, 'exclusiveMinimum', pointer),
      exclusiveMaximum: this.bool(raw, 'exclusiveMaximum', pointer),
      multipleOf: multipleOf !== undefined && multipleOf > 0 ? multipleOf : undefined,
      uniqueItems: this.bool(raw, 'uniqueItems', pointer),
      listType:
        listTypeText !== undefined && LIST_TYPES.has(listTypeText)
          ? (listTypeText as 'atomic' | 'set' | 'map')
          : undefined,
      listMapKeys: this.strings(raw, 'x-kubernetes-list-map-keys', pointer),
      default: Object.hasOwn(raw, 'default') ? { value: raw.default } : undefined,
      allOf,
      anyOf,
      oneOf,
      not: notSchema,
      rules,
      hasRules: rules.length > 0 || children.some((c) => c.hasRules),
    };
  }

  properties(
    raw: Record<string, unknown>,
    pointer: string,
  ): Map<string, CompiledSchema> | undefined {
    const value = own(raw, 'properties');
    if (value === undefined) return undefined;
    if (!isRecord(value)) {
      this.problem(`${pointer}/properties`, 'properties must be an object');
      return undefined;
    }
    const out = new Map<string, CompiledSchema>();
    for (const key of Object.keys(value)) {
      out.set(key, this.schema(value[key], `${pointer}/properties${formatPointer([key])}`));
    }
    return out;
  }

  additional(raw: Record<string, unknown>, pointer: string): CompiledSchema | boolean | undefined {
    const value = own(raw, 'additionalProperties');
    if (value === undefined || typeof value === 'boolean') return value;
    return this.schema(value, `${pointer}/additionalProperties`);
  }

  rules(raw: Record<string, unknown>, pointer: string): CompiledRule[] {
    const value = own(raw, 'x-kubernetes-validations');
    if (value === undefined) return [];
    const base = `${pointer}/x-kubernetes-validations`;
    if (!Array.isArray(value)) {
      this.problem(base, 'x-kubernetes-validations must be a list');
      return [];
    }
    const out: CompiledRule[] = [];
    value.forEach((entry: unknown, i) => {
      const at = `${base}/${i}`;
      if (!isRecord(entry) || typeof entry.rule !== 'string') {
        this.problem(at, 'a validation rule needs a rule string');
        return;
      }
      // The API server skips empty rules.
      if (entry.rule.trim() === '') return;
      const fieldPathText = this.string(entry, 'fieldPath', at);
      const fieldPath = fieldPathText === undefined ? undefined : parseFieldPath(fieldPathText);
      if (fieldPathText !== undefined && fieldPath === undefined) {
        this.problem(`${at}/fieldPath`, `invalid fieldPath ${fieldPathText}`);
      }
      const reasonText = this.string(entry, 'reason', at);
      if (reasonText !== undefined && !RULE_REASONS.has(reasonText)) {
        this.problem(`${at}/reason`, `unknown reason ${reasonText}`);
      }
      const messageExpression = this.string(entry, 'messageExpression', at);
      out.push({
        rule: entry.rule,
        message: this.string(entry, 'message', at),
        messageExpression:
          messageExpression === undefined ? undefined : compileCel(messageExpression),
        fieldPath,
        reason:
          reasonText !== undefined && RULE_REASONS.has(reasonText)
            ? (reasonText as RuleReason)
            : undefined,
        optionalOldSelf: this.bool(entry, 'optionalOldSelf', at),
        program: compileCel(entry.rule),
        pointer: at,
      });
    });
    return out;
  }
}

const FIELD_PATH_ESCAPES = new Map([
  ['a', '\x07'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['v', '\v'],
  ["'", "'"],
  ['\\', '\\'],
]);

/**
 * Splits a rule's `fieldPath` (`.spec.ports`, `.metadata['app.kubernetes.io/name']`) into
 * segments. Undefined when it is not a path of field and key selections.
 */
export function parseFieldPath(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '.') {
      let end = i + 1;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end += 1;
      if (end === i + 1) return undefined;
      out.push(text.slice(i + 1, end));
      i = end;
    } else if (text.startsWith("['", i)) {
      let end = i + 2;
      let key = '';
      while (end < text.length && text[end] !== "'") {
        if (text[end] === '\\') {
          const escaped = text[end + 1];
          const char = escaped === undefined ? undefined : FIELD_PATH_ESCAPES.get(escaped);
          if (char === undefined) return undefined;
          key += char;
          end += 2;
        } else {
          key += text[end] ?? '';
          end += 1;
        }
      }
      if (!text.startsWith("']", end)) return undefined;
      out.push(key);
      i = end + 2;
    } else {
      return undefined;
    }
  }
  return out;
}

/** Compiles an `openAPIV3Schema`; problems are returned, never thrown. */
export function compileSchema(
  raw: unknown,
  pointer: string,
): { schema: CompiledSchema; problems: SchemaProblem[] } {
  const compiler = new Compiler();
  const schema = compiler.schema(raw, pointer);
  return { schema, problems: compiler.problems };
}
