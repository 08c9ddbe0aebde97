import type { SourceLocation } from '@meshlingo/core';
import type { CompiledRule, CompiledSchema } from './schema.js';

/** One version of one CRD: what the API server serves for `group/version` + `kind`. */
export interface CrdVersion {
  /** The CRD's name, `<plural>.<group>`. */
  readonly crd: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** `group/version`. */
  readonly apiVersion: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning: string | undefined;
  /** With a status subresource, `status` is dropped on create. */
  readonly statusSubresource: boolean;
  /** Unknown fields are pruned (v1 CRDs; v1beta1 only with `preserveUnknownFields: false`). */
  readonly pruning: boolean;
  /** The compiled `openAPIV3Schema`; undefined when the CRD has none (anything is accepted). */
  readonly schema: CompiledSchema | undefined;
  /** Where the CRD was read. */
  readonly source: SourceLocation;
}

/** A rule the evaluator cannot evaluate, found when the CRDs were loaded. */
export interface UnsupportedRule {
  readonly crd: string;
  readonly version: string;
  /** Where the rule is written in its CRD document. */
  readonly pointer: string;
  readonly rule: string;
  readonly reason: string;
}

/** How many `x-kubernetes-validations` rules of the loaded CRDs this evaluator can evaluate. */
export interface CelRuleSupport {
  /** Rules counted once per CRD version schema they appear in. */
  readonly total: number;
  readonly supported: number;
  readonly unsupported: number;
  /** The same counts over distinct rule texts. */
  readonly distinct: {
    readonly total: number;
    readonly supported: number;
    readonly unsupported: number;
  };
  readonly unsupportedRules: readonly UnsupportedRule[];
}

/** Loaded CRDs, looked up by `apiVersion` and `kind`. */
export interface CrdSet {
  /** Every group/version/kind the set knows, served or not. */
  readonly versions: readonly CrdVersion[];
  /** The version serving `apiVersion`/`kind` (served or not), if a CRD defines it. */
  find(apiVersion: string, kind: string): CrdVersion | undefined;
  /** All versions of a group and kind (to tell an unknown kind from an unknown version). */
  versionsOf(group: string, kind: string): readonly CrdVersion[];
  /** Static CEL support: rules that cannot be parsed, type-checked or need `oldSelf`. */
  celSupport(): CelRuleSupport;
}

/** Why a compiled rule cannot be evaluated on a new object, or undefined when it can. */
export function ruleUnsupportedReason(rule: CompiledRule): string | undefined {
  if (!rule.program.supported) return rule.program.reason;
  if (rule.program.usesOldSelf && !rule.optionalOldSelf) {
    return 'transition rule: it compares with the old object (oldSelf), which a new object has not';
  }
  return undefined;
}

function collectRules(schema: CompiledSchema, out: CompiledRule[]): void {
  if (!schema.hasRules) return;
  out.push(...schema.rules);
  for (const child of schema.properties?.values() ?? []) collectRules(child, out);
  if (typeof schema.additionalProperties === 'object')
    collectRules(schema.additionalProperties, out);
  if (schema.items !== undefined) collectRules(schema.items, out);
  for (const sub of schema.allOf) collectRules(sub, out);
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Builds the lookup over versions (later CRDs for the same group and kind already replaced earlier ones). */
export function createCrdSet(versions: readonly CrdVersion[]): CrdSet {
  const byKind = new Map<string, CrdVersion[]>();
  for (const v of versions) {
    const key = `${v.group}\u0000${v.kind}`;
    const list = byKind.get(key);
    if (list === undefined) byKind.set(key, [v]);
    else list.push(v);
  }
  let support: CelRuleSupport | undefined;
  const versionsOf = (group: string, kind: string): readonly CrdVersion[] =>
    byKind.get(`${group}\u0000${kind}`) ?? [];
  return {
    versions,
    versionsOf,
    find(apiVersion, kind) {
      const { group, version } = splitApiVersion(apiVersion);
      return versionsOf(group, kind).find((v) => v.version === version);
    },
    celSupport() {
      if (support !== undefined) return support;
      const unsupportedRules: UnsupportedRule[] = [];
      let total = 0;
      const distinct = new Map<string, boolean>();
      for (const v of versions) {
        if (v.schema === undefined) continue;
        const rules: CompiledRule[] = [];
        collectRules(v.schema, rules);
        for (const rule of rules) {
          total += 1;
          const reason = ruleUnsupportedReason(rule);
          distinct.set(rule.rule, reason === undefined);
          if (reason !== undefined) {
            unsupportedRules.push({
              crd: v.crd,
              version: v.version,
              pointer: rule.pointer,
              rule: rule.rule,
              reason,
            });
          }
        }
      }
      const distinctSupported = [...distinct.values()].filter(Boolean).length;
      support = {
        total,
        supported: total - unsupportedRules.length,
        unsupported: unsupportedRules.length,
        distinct: {
          total: distinct.size,
          supported: distinctSupported,
          unsupported: distinct.size - distinctSupported,
        },
        unsupportedRules,
      };
      return support;
    },
  };
}
