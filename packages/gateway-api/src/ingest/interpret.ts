import type { MatchDraft } from './matches.js';
import {
  ruleLabel,
  type BackendRead,
  type ParentBinding,
  type RouteRead,
  type RuleRead,
} from './route.js';

/** What one route says about one Service parent, in SMI terms. */
export interface Candidate {
  readonly route: RouteRead;
  readonly parent: ParentBinding;
  /** The port the parent binds, when known (from the parentRef or the Service). */
  readonly port?: number;
  readonly backends: readonly BackendRead[];
  /** The split matches; undefined when every request is split. */
  readonly drafts?: readonly MatchDraft[];
}

function label(rule: RuleRead): string {
  return ruleLabel(rule.name, rule.index);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Backends as a comparable key: services with weights divided by their common divisor. */
export function backendKey(backends: readonly { service: string; weight: number }[]): string {
  const g = backends.reduce((acc, b) => gcd(acc, b.weight), 0) || 1;
  return JSON.stringify(
    backends
      .map((b) => [b.service, b.weight / g] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  );
}

/** The rules that can route: some Service backend with a positive weight (others reported). */
export function usableRules(route: RouteRead, rules: readonly RuleRead[]): RuleRead[] {
  const r = route.reader;
  const usable = rules.filter((rule) => {
    if (rule.backends.length === 0) {
      r.report('rule-without-backends', rule.path, { rule: label(rule) });
      return false;
    }
    if (rule.backends.every((b) => b.weight === 0)) {
      r.report('weights-all-zero', rule.path, { rule: label(rule) });
      return false;
    }
    return true;
  });
  if (usable.length === 0 && rules.length === 0)
    r.report('no-rules', ['spec'], {
      kind: route.kind,
      namespace: route.namespace,
      name: route.name,
    });
  return usable;
}

/**
 * Reads the rules of a route for one Service parent as an SMI split. A route with only catch-all
 * rules splits everything over the first one's backends. Otherwise the first rule with matches
 * that does not send to the parent itself gives the backends, every rule with the same backends
 * gives its matches, and the catch-all rule must send to the parent (SMI sends requests that miss
 * the matches to the root Service); every other shape is reported.
 */
export function interpret(
  route: RouteRead,
  rules: readonly RuleRead[],
  parent: ParentBinding,
  servicePorts: readonly number[] | undefined,
): Candidate | undefined {
  const r = route.reader;
  const root = parent.service;
  const toRoot = (rule: RuleRead): boolean => rule.backends.every((b) => b.service === root);
  // Precedence: a prefix catch-all ranks above a regex one; then rule order.
  const fallback =
    rules.find((rule) => rule.catchAll === 'prefix') ??
    rules.find((rule) => rule.catchAll === 'regex');
  const matched = rules.filter((rule) => rule.catchAll === 'none');
  const port =
    parent.port ?? (parent.allPorts && servicePorts?.length === 1 ? servicePorts[0] : undefined);
  const candidate = (
    backends: readonly BackendRead[],
    drafts?: readonly MatchDraft[],
  ): Candidate => {
    for (const b of backends)
      if (port !== undefined && b.port !== undefined && b.port !== port)
        r.report('backend-port-differs', b.path, {
          name: b.service,
          port: b.port,
          parentPort: port,
        });
    return {
      route,
      parent,
      ...(port !== undefined && { port }),
      backends,
      ...(drafts !== undefined && { drafts }),
    };
  };
  const splitRule = matched.find((rule) => !toRoot(rule));
  if (splitRule === undefined) {
    for (const rule of matched) r.report('root-rule', rule.path, { rule: label(rule) });
    return fallback === undefined ? undefined : candidate(fallback.backends);
  }
  const key = backendKey(splitRule.backends);
  const drafts: MatchDraft[] = [];
  for (const rule of matched) {
    if (backendKey(rule.backends) === key) drafts.push(...rule.drafts);
    else if (toRoot(rule)) r.report('root-rule', rule.path, { rule: label(rule) });
    else
      r.report('rule-backends-differ', rule.path, {
        rule: label(rule),
        splitRule: label(splitRule),
      });
  }
  if (fallback === undefined) r.report('no-fallback', ['spec', 'rules']);
  else if (!toRoot(fallback))
    r.report('fallback-not-root', fallback.path, {
      rule: label(fallback),
      backends: fallback.backends.map((b) => b.service).join(', '),
      service: root,
    });
  return drafts.length === 0 ? undefined : candidate(splitRule.backends, drafts);
}
