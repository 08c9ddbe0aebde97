import type { KubeObject } from '@meshlingo/core';
import type { AnnotatedMatch } from '../annotation.js';
import { GATEWAY_GROUP, type HTTPRouteMatch } from '../types.js';
import { httpRouteMatches } from './matches.js';
import {
  layoutRules,
  matchRules,
  routeMetadata,
  serviceParent,
  type RouteTarget,
} from './rules.js';

/** An HTTPRoute, whether it matches paths with regexes, or how many matches did not fit. */
export type HttpRouteResult =
  | { readonly ok: true; readonly object: KubeObject; readonly regex: boolean }
  | { readonly ok: false; readonly count: number };

// Istio and Linkerd rank every RegularExpression path below every PathPrefix, so the usual
// match-all fallback (PathPrefix `/`) would win over regex rules; a `.*` regex is shorter than
// any regex we write and ranks below them.
const REGEX_FALLBACK: readonly HTTPRouteMatch[] = [
  { path: { type: 'RegularExpression', value: '.*' } },
];

/**
 * The HTTPRoute for one Service port of a TrafficSplit (GAMMA: the root Service is the parent).
 * Without matches, one rule sends everything to the weighted backends. With matches, each SMI
 * match is a rule to the backends and a last rule sends the rest to the root Service itself.
 */
export function emitHttpRoute(
  target: RouteTarget,
  entries: readonly AnnotatedMatch[] | undefined,
): HttpRouteResult {
  const layout =
    entries === undefined ? undefined : layoutRules<HTTPRouteMatch>(entries, httpRouteMatches);
  if (layout?.ok === false) return layout;
  const laid = layout?.rules;
  const regex =
    laid?.some((r) => r.matches.some((m) => m.path?.type === 'RegularExpression')) ?? false;
  const rules =
    laid === undefined
      ? [{ backendRefs: target.backendRefs }]
      : matchRules(target, laid, regex ? REGEX_FALLBACK : undefined);
  return {
    ok: true,
    regex,
    object: {
      apiVersion: `${GATEWAY_GROUP}/${target.apiVersion}`,
      kind: 'HTTPRoute',
      metadata: routeMetadata(target, laid),
      spec: { parentRefs: [serviceParent(target)], rules },
    },
  };
}
