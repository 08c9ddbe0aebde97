import type { AnnotatedMatch } from '../annotation.js';
import { grpcRouteMatch, httpRouteMatches } from '../emit/matches.js';
import { field, list } from '../json.js';
import { MATCHES_ANNOTATION } from '../types.js';
import type { RouteRead, RuleRead } from './route.js';

function headersOf(match: unknown): unknown[] {
  return list(field(match, 'headers')).map((h) => ({
    type: field(h, 'type') ?? 'Exact',
    name: field(h, 'name') ?? null,
    value: field(h, 'value') ?? null,
  }));
}

/** An HTTPRouteMatch with its defaults filled in, for comparison. */
function normalHttp(match: unknown): unknown {
  const path = field(match, 'path');
  return {
    path: { type: field(path, 'type') ?? 'PathPrefix', value: field(path, 'value') ?? '/' },
    headers: headersOf(match),
    method: field(match, 'method') ?? null,
    queryParams: list(field(match, 'queryParams')).length,
  };
}

/** A GRPCRouteMatch with its defaults filled in, for comparison. */
function normalGrpc(match: unknown): unknown {
  const method = field(match, 'method');
  return {
    method:
      method === undefined
        ? null
        : {
            type: field(method, 'type') ?? 'Exact',
            service: field(method, 'service') ?? null,
            method: field(method, 'method') ?? null,
          },
    headers: headersOf(match),
  };
}

/** Whether a rule's written matches are exactly what the annotated SMI matches produce. */
function describes(
  kind: RouteRead['kind'],
  written: readonly unknown[],
  entries: readonly AnnotatedMatch[],
): boolean {
  if (kind === 'HTTPRoute')
    return (
      JSON.stringify(written.map(normalHttp)) ===
      JSON.stringify(entries.flatMap(httpRouteMatches).map(normalHttp))
    );
  if (kind !== 'GRPCRoute') return false;
  const expected = entries.map(grpcRouteMatch);
  if (expected.some((m) => 'reason' in m)) return false;
  return JSON.stringify(written.map(normalGrpc)) === JSON.stringify(expected.map(normalGrpc));
}

/**
 * The rules of a route with the SMI matches of the `meshlingo.io/smi-matches` annotation put
 * back (names, groups, the exact pathRegex and header texts), when the annotation still
 * describes every rule but a last catch-all one. Otherwise the rules as read, and the stale
 * annotation is reported.
 */
export function restoreMatches(route: RouteRead): readonly RuleRead[] {
  const annotation = route.annotation;
  if (annotation === undefined) return route.rules;
  const n = annotation.rules.length;
  const consistent =
    route.rules.length === n + 1 &&
    route.rules[n]?.catchAll !== 'none' &&
    annotation.rules.every((entries, i) => {
      const rule = route.rules[i];
      return rule !== undefined && describes(route.kind, rule.written, entries);
    });
  if (!consistent) {
    route.reader.report('annotation-ignored', ['metadata', 'annotations', MATCHES_ANNOTATION]);
    return route.rules;
  }
  return route.rules.map((rule, i) => {
    const entries = annotation.rules[i];
    if (entries === undefined) return rule;
    const origin = route.reader.origin([...rule.path, 'matches']);
    return {
      ...rule,
      catchAll: 'none',
      drafts: entries.map((e) => ({ ...e, origin })),
    };
  });
}
