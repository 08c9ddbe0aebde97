import { safeRecord } from '@meshlingo/core';
import {
  MATCHES_ANNOTATION,
  type RouteRule,
  type ServiceBackendRef,
  type ServiceParentRef,
} from '../types.js';
import { encodeMatchesAnnotation, type AnnotatedMatch } from '../annotation.js';

/** What every route written for one Service port of a TrafficSplit shares. */
export interface RouteTarget {
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** The root Service and the port the route binds to. */
  readonly service: string;
  readonly port: number;
  /** The split's backends, with the port. */
  readonly backendRefs: readonly ServiceBackendRef[];
  /** Whether rules may have a `name` (Gateway API v1.6). */
  readonly ruleNames: boolean;
}

/** Rules of a split with matches, laid out; or the number of route matches that did not fit. */
export type RuleLayout<M> =
  | { readonly ok: true; readonly rules: readonly LaidOutRule<M>[] }
  | { readonly ok: false; readonly count: number };

/** One rule: the SMI matches it carries and their route matches. */
export interface LaidOutRule<M> {
  readonly entries: readonly AnnotatedMatch[];
  readonly matches: readonly M[];
}

// A route holds 16 rules (one is the fallback), 64 matches per rule and 128 in all; the
// fallback rule's defaulted match counts too.
const MAX_RULES = 15;
const MAX_PER_RULE = 64;
const MAX_TOTAL = 127;
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * One rule per SMI match, so each can carry its name; when there are more than 15, matches are
 * packed into rules of at most 64 route matches.
 */
export function layoutRules<M>(
  entries: readonly AnnotatedMatch[],
  translate: (entry: AnnotatedMatch) => readonly M[],
): RuleLayout<M> {
  const translated = entries.map((entry) => ({ entry, matches: translate(entry) }));
  const total = translated.reduce((sum, t) => sum + t.matches.length, 0);
  if (total > MAX_TOTAL) return { ok: false, count: total };
  if (translated.length <= MAX_RULES)
    return { ok: true, rules: translated.map((t) => ({ entries: [t.entry], matches: t.matches })) };
  const rules: { entries: AnnotatedMatch[]; matches: M[] }[] = [];
  for (const t of translated) {
    const last = rules.at(-1);
    if (last !== undefined && last.matches.length + t.matches.length <= MAX_PER_RULE) {
      last.entries.push(t.entry);
      last.matches.push(...t.matches);
    } else rules.push({ entries: [t.entry], matches: [...t.matches] });
  }
  return rules.length <= MAX_RULES ? { ok: true, rules } : { ok: false, count: total };
}

/**
 * The rules of an HTTPRoute or GRPCRoute: the laid-out match rules to the split's backends,
 * named after their SMI match when it is a valid, unique rule name, then the fallback rule to
 * the root Service's own endpoints (SMI: requests that miss the matches go to the root).
 */
export function matchRules<M>(
  target: RouteTarget,
  layout: readonly LaidOutRule<M>[],
  fallbackMatches: readonly M[] | undefined,
): RouteRule<M>[] {
  const used = new Set<string>();
  const rules: RouteRule<M>[] = layout.map((rule) => {
    const only = rule.entries.length === 1 ? rule.entries[0]?.name : undefined;
    const named =
      target.ruleNames &&
      only !== undefined &&
      only.length <= 253 &&
      SECTION_NAME.test(only) &&
      !used.has(only);
    if (named) used.add(only);
    return {
      ...(named && { name: only }),
      matches: rule.matches,
      backendRefs: target.backendRefs,
    };
  });
  rules.push({
    ...(fallbackMatches !== undefined && { matches: fallbackMatches }),
    backendRefs: [{ name: target.service, port: target.port }],
  });
  return rules;
}

/** The metadata of a route, with the matches annotation when the route has match rules. */
export function routeMetadata(
  target: RouteTarget,
  layout: readonly LaidOutRule<unknown>[] | undefined,
): Record<string, unknown> {
  const annotations = safeRecord([
    ...Object.entries(target.annotations),
    ...(layout === undefined
      ? []
      : [
          [
            MATCHES_ANNOTATION,
            encodeMatchesAnnotation({ rules: layout.map((r) => r.entries) }),
          ] as const,
        ]),
  ]);
  return {
    name: target.name,
    namespace: target.namespace,
    labels: target.labels,
    annotations,
  };
}

/** The parentRef of a GAMMA route: the root Service, bound to one of its ports. */
export function serviceParent(target: RouteTarget): ServiceParentRef {
  return { group: '', kind: 'Service', name: target.service, port: target.port };
}
