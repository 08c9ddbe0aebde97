import type { KubeObject } from '@meshlingo/core';
import type { AnnotatedMatch } from '../annotation.js';
import { GATEWAY_GROUP, type GRPCRouteMatch } from '../types.js';
import { grpcRouteMatch } from './matches.js';
import {
  layoutRules,
  matchRules,
  routeMetadata,
  serviceParent,
  type RouteTarget,
} from './rules.js';

/** A GRPCRoute, or how many matches did not fit. */
export type GrpcRouteResult =
  | { readonly ok: true; readonly object: KubeObject }
  | { readonly ok: false; readonly count: number };

/** The first SMI match that is not a gRPC service or method match, and why; undefined when all are. */
export function grpcRejection(
  entries: readonly AnnotatedMatch[] | undefined,
): { readonly match: string; readonly reason: string } | undefined {
  for (const entry of entries ?? []) {
    const result = grpcRouteMatch(entry);
    if ('reason' in result) return { match: entry.name, reason: result.reason };
  }
  return undefined;
}

/**
 * The GRPCRoute for one gRPC port of a TrafficSplit whose matches all pass
 * {@link grpcRejection}: like the HTTPRoute, with each SMI match as a gRPC service or method
 * match. The fallback rule has no matches: GRPCRoute ranks rules by the characters of the
 * service and method they match, so a rule without any comes last.
 */
export function emitGrpcRoute(
  target: RouteTarget,
  entries: readonly AnnotatedMatch[] | undefined,
): GrpcRouteResult {
  const layout =
    entries === undefined
      ? undefined
      : layoutRules<GRPCRouteMatch>(entries, (entry) => {
          const match = grpcRouteMatch(entry);
          return 'reason' in match ? [] : [match];
        });
  if (layout?.ok === false) return layout;
  const laid = layout?.rules;
  return {
    ok: true,
    object: {
      apiVersion: `${GATEWAY_GROUP}/${target.apiVersion}`,
      kind: 'GRPCRoute',
      metadata: routeMetadata(target, laid),
      spec: {
        parentRefs: [serviceParent(target)],
        rules:
          laid === undefined
            ? [{ backendRefs: target.backendRefs }]
            : matchRules(target, laid, undefined),
      },
    },
  };
}
