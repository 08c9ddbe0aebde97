/**
 * Expected TrafficMetrics numbers computed from the scenario alone: counts are rate × window,
 * latencies follow Prometheus' `histogram_quantile` (linear interpolation inside the bucket that
 * holds the rank, the upper bound of the last finite bucket for the `+Inf` bucket). Which flows
 * count for a resource, and who the peer of an edge is, follow the documented rules of each mesh.
 */
import type { MeshName } from '../../src/index.js';
import {
  CLIENT_LATENCY_FACTOR,
  ENVOY_BUCKETS,
  FLOWS,
  LINKERD_BUCKETS,
  type Flow,
  type Workload,
} from './scenario.js';

/** Expected numbers of one item; latencies in ms, `undefined` when nothing was requested. */
export interface Expected {
  readonly success: number;
  readonly failure: number;
  readonly p50?: number;
  readonly p90?: number;
  readonly p99?: number;
}

/** What a resource is in the scenario. */
export type Target =
  | {
      readonly kind: 'Deployment' | 'StatefulSet';
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly kind: 'Pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'Namespace'; readonly name: string };

/** `histogram_quantile(q, …)` over cumulative bucket rates (`[upper bound, rate]`, last is `+Inf`). */
export function histogramQuantile(
  q: number,
  buckets: readonly [number, number][],
): number | undefined {
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  if (total === 0) return undefined;
  const rank = q * total;
  const index = buckets.findIndex(([, count]) => count >= rank);
  if (index === buckets.length - 1) return buckets[buckets.length - 2]?.[0];
  const [upper, count] = buckets[index] ?? [0, 0];
  const [lower, below] = index === 0 ? [0, 0] : (buckets[index - 1] ?? [0, 0]);
  return lower + (upper - lower) * ((rank - below) / (count - below));
}

function bucketsOf(mesh: MeshName): readonly number[] {
  return mesh === 'linkerd' ? LINKERD_BUCKETS : ENVOY_BUCKETS;
}

/** Observations (latency ms, requests per second) of a set of flows, measured on one side. */
function observations(flows: readonly Flow[], client: boolean): [number, number][] {
  const factor = client ? CLIENT_LATENCY_FACTOR : 1;
  return flows.flatMap((f) => [
    [f.latencyMs.ok * factor, f.rates.ok + f.rates.notFound] as [number, number],
    [f.latencyMs.error * factor, f.rates.error] as [number, number],
  ]);
}

/** Expected numbers for the traffic of `flows` over `windowSeconds`, measured on one side. */
export function expectedFor(
  mesh: MeshName,
  flows: readonly Flow[],
  windowSeconds: number,
  client: boolean,
): Expected {
  const success = flows.reduce((n, f) => n + (f.rates.ok + f.rates.notFound) * windowSeconds, 0);
  const failure = flows.reduce((n, f) => n + f.rates.error * windowSeconds, 0);
  const obs = observations(flows, client);
  const buckets: [number, number][] = [...bucketsOf(mesh), Infinity].map((le) => [
    le,
    obs.reduce((n, [latency, rate]) => n + (latency <= le ? rate : 0), 0),
  ]);
  const quantile = (q: number): Partial<Record<'p50' | 'p90' | 'p99', number>> => {
    const v = histogramQuantile(q, buckets);
    return v === undefined ? {} : { [q === 0.5 ? 'p50' : q === 0.9 ? 'p90' : 'p99']: v };
  };
  return { success, failure, ...quantile(0.5), ...quantile(0.9), ...quantile(0.99) };
}

function matches(target: Target, end: { workload: Workload; pod: string }): boolean {
  const w = end.workload;
  switch (target.kind) {
    case 'Namespace':
      return w.namespace === target.name;
    case 'Pod':
      return w.namespace === target.namespace && end.pod === target.name;
    default:
      return w.kind === target.kind && w.namespace === target.namespace && w.name === target.name;
  }
}

/** The resource's own numbers: every request it served, measured at the server. */
export function expectedResource(mesh: MeshName, target: Target, windowSeconds: number): Expected {
  return expectedFor(
    mesh,
    FLOWS.filter((f) => matches(target, f.to)),
    windowSeconds,
    false,
  );
}

/** An expected edge: its peer (as the mesh reports it) and its numbers. */
export interface ExpectedEdge {
  readonly direction: 'to' | 'from';
  readonly peer: { readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly side: 'client' | 'server';
  readonly expected: Expected;
}

/**
 * The peer a mesh reports for the workload at the other end of an edge, or undefined when the
 * mesh leaves that edge out: Linkerd labels peers by their kind and App Mesh recognises callers by
 * their pod names, so both keep only peers of the resource's kind; Istio and Consul know names
 * only and report them with the resource's kind; Consul without namespace mirroring cannot tell
 * the namespace of a callee and reports the resource's own.
 */
function peerOf(
  mesh: MeshName,
  target: Target,
  direction: 'to' | 'from',
  other: Workload,
): ExpectedEdge['peer'] | undefined {
  if (target.kind === 'Namespace') return { kind: 'Namespace', name: other.namespace };
  if (target.kind === 'Pod') return undefined;
  const sameKind = other.kind === target.kind;
  if (mesh === 'linkerd' && !sameKind) return undefined;
  if (mesh === 'appmesh' && direction === 'from' && !sameKind) return undefined;
  const namespace = mesh === 'consul' && direction === 'to' ? target.namespace : other.namespace;
  return { kind: target.kind, namespace, name: other.name };
}

/** Every edge of a resource with its numbers, keyed by `direction namespace/name`. */
export function expectedEdges(
  mesh: MeshName,
  target: Target,
  windowSeconds: number,
): Map<string, ExpectedEdge> {
  const groups = new Map<
    string,
    { peer: ExpectedEdge['peer']; direction: 'to' | 'from'; flows: Flow[] }
  >();
  for (const flow of FLOWS) {
    if (flow.from === undefined) continue;
    const ends: ['to' | 'from', boolean, Workload][] = [
      ['to', matches(target, flow.from), flow.to.workload],
      ['from', matches(target, flow.to), flow.from.workload],
    ];
    for (const [direction, involved, other] of ends) {
      if (!involved) continue;
      const peer = peerOf(mesh, target, direction, other);
      if (peer === undefined) continue;
      const key = edgeKey(direction, peer);
      const group = groups.get(key) ?? { peer, direction, flows: [] };
      group.flows.push(flow);
      groups.set(key, group);
    }
  }
  const edges = new Map<string, ExpectedEdge>();
  for (const [key, { peer, direction, flows }] of groups) {
    const client = direction === 'to' || mesh !== 'istio';
    edges.set(key, {
      direction,
      peer,
      side: client ? 'client' : 'server',
      expected: expectedFor(mesh, flows, windowSeconds, client),
    });
  }
  return edges;
}

/** `to shop/api`: how edges are matched between expectation and result. */
export function edgeKey(
  direction: string,
  peer: { readonly namespace?: string | undefined; readonly name?: string | undefined },
): string {
  return `${direction} ${peer.namespace ?? ''}/${peer.name ?? ''}`;
}
