import { appMeshWeights, gcd, type WeightResult } from './weights.js';

/** A TrafficSplit backend: a Service and its relative weight. */
export interface BackendWeight {
  readonly service: string;
  readonly weight: number;
}

/**
 * The weighted targets for split backends: each backend's weight is shared equally between the
 * VirtualNodes behind its Service (App Mesh weights nodes, not Services), as integers, then
 * scaled to App Mesh weights. Backends without nodes get no target. Emit writes routes with this,
 * and ingest checks a weights hint against the routes with it.
 */
export function weightedNodes<N>(
  backends: readonly BackendWeight[],
  nodesOf: (service: string) => readonly N[],
): {
  readonly targets: { readonly node: N; readonly weight: number }[];
  readonly weights: WeightResult;
} {
  const expanded = backends.map((b) => ({ backend: b, nodes: nodesOf(b.service) }));
  const lcm = expanded.reduce(
    (acc, e) => (e.nodes.length === 0 ? acc : (acc * e.nodes.length) / gcd(acc, e.nodes.length)),
    1,
  );
  const flat = expanded.flatMap((e) =>
    e.nodes.map((node) => ({ node, raw: (e.backend.weight * lcm) / e.nodes.length })),
  );
  const weights = flat.some((f) => f.raw > 0)
    ? appMeshWeights(flat.map((f) => f.raw))
    : { weights: flat.map(() => 0), how: 'verbatim' as const, bumped: false };
  return {
    targets: flat.map((f, i) => ({ node: f.node, weight: weights.weights[i] ?? 0 })),
    weights,
  };
}
