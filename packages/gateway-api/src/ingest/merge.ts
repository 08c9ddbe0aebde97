import {
  manifestRef,
  safeRecord,
  sortModel,
  sourceMetadata,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type MeshModel,
  type SplitMatchNode,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { routablePorts } from '../ports.js';
import type { RouteKindName } from '../types.js';
import { backendKey, type Candidate } from './interpret.js';
import type { MatchDraft } from './matches.js';
import type { GatewayApiIngestContext } from './reader.js';

const KIND_RANK: Readonly<Record<RouteKindName, number>> = {
  GRPCRoute: 0,
  HTTPRoute: 1,
  TCPRoute: 2,
};

function describe(c: Candidate): string {
  return `${c.route.namespace}/${c.route.name}`;
}

/** What a candidate means, without names: backends and matches. */
function meaning(c: Candidate): string {
  return JSON.stringify([
    backendKey(c.backends),
    c.drafts?.map((d) => [
      d.pathRegex ?? null,
      [...(d.methods ?? [])].sort(),
      (d.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]),
    ]) ?? null,
  ]);
}

/**
 * Routes of a lower kind on a port a higher kind binds have no effect (GEP-1294: GRPCRoute,
 * HTTPRoute, TCPRoute); they are left out with a note. A route bound to every port only loses
 * to one bound to every port too.
 */
function dropShadowed(candidates: readonly Candidate[]): Candidate[] {
  return candidates.filter((c) => {
    const winner = candidates.find(
      (d) =>
        KIND_RANK[d.route.kind] < KIND_RANK[c.route.kind] &&
        (d.parent.allPorts || (!c.parent.allPorts && d.port !== undefined && d.port === c.port)),
    );
    if (winner === undefined) return true;
    c.route.reader.report('route-conflict', c.parent.path, {
      kind: c.route.kind,
      name: describe(c),
      winnerKind: winner.route.kind,
      winner: describe(winner),
    });
    return false;
  });
}

/** Reports the Service ports the SMI split would cover but no route binds. */
function checkCoverage(
  merged: readonly Candidate[],
  ctx: GatewayApiIngestContext,
  namespace: string,
  service: string,
): void {
  const primary = merged[0];
  if (primary === undefined) return;
  const info = ctx.cluster.service(namespace, service);
  if (info === undefined) {
    primary.route.reader.report('ports-unchecked', primary.parent.path, { namespace, service });
    return;
  }
  if (merged.some((c) => c.parent.allPorts)) return;
  const covered = new Set(merged.flatMap((c) => c.port ?? []));
  // With matches, SMI sends non-HTTP traffic to the root Service, as a port without routes does.
  const needed = routablePorts(info).filter(
    (p) => primary.drafts === undefined || p.kind !== 'tcp',
  );
  const missing = needed.map((p) => p.port.port).filter((p) => !covered.has(p));
  if (missing.length > 0)
    primary.route.reader.report('port-not-covered', primary.parent.path, {
      namespace,
      service,
      missing: missing.join(', '),
    });
}

/** Builds SMI objects from the candidates of every Service: one TrafficSplit per Service. */
export class ModelBuilder {
  private readonly splits: TrafficSplitNode[] = [];
  private readonly groups = new Map<string, { node: HTTPRouteGroupNode; key: string }>();

  constructor(private readonly ctx: GatewayApiIngestContext) {}

  /** Adds the split of one Service from the candidates of all routes that bind it. */
  addService(namespace: string, service: string, candidates: readonly Candidate[]): void {
    const active = dropShadowed(
      [...candidates].sort(
        (a, b) =>
          KIND_RANK[a.route.kind] - KIND_RANK[b.route.kind] ||
          (a.route.name < b.route.name ? -1 : a.route.name > b.route.name ? 1 : 0) ||
          (a.port ?? 0) - (b.port ?? 0),
      ),
    );
    const primary = active[0];
    if (primary === undefined) return;
    const merged = active.filter((c) => {
      if (c === primary || meaning(c) === meaning(primary)) return true;
      c.route.reader.report('split-conflict', c.parent.path, {
        kind: c.route.kind,
        name: describe(c),
        service,
        otherKind: primary.route.kind,
        other: describe(primary),
      });
      return false;
    });
    checkCoverage(merged, this.ctx, namespace, service);
    const route = primary.route;
    const refs = [
      ...new Map(
        merged.map((c) => [c.route, manifestRef(c.route.reader.manifest.object)]),
      ).values(),
    ];
    const meta = sourceMetadata(refs);
    const name = this.ctx.names.claim('TrafficSplit', namespace, route.splitName ?? route.name);
    const matches =
      primary.drafts === undefined ? undefined : this.addGroups(namespace, primary, refs);
    this.splits.push({
      name,
      namespace,
      labels: safeRecord([...route.labels, ...Object.entries(meta.labels)]),
      annotations: safeRecord([...route.annotations, ...Object.entries(meta.annotations)]),
      service,
      backends: primary.backends.map((b) => ({
        service: b.service,
        weight: b.weight,
        origin: b.origin,
      })),
      ...(matches !== undefined && { matches }),
      origin: route.reader.origin(),
    });
  }

  /**
   * The HTTPRouteGroups behind a split's matches: the groups the annotation names, or one group
   * named after the route. A group name already used with other matches gets a new name.
   */
  private addGroups(
    namespace: string,
    primary: Candidate,
    refs: Parameters<typeof sourceMetadata>[0],
  ): SplitMatchNode[] {
    const route = primary.route;
    const byGroup = new Map<string, MatchDraft[]>();
    const derived = route.name;
    for (const draft of primary.drafts ?? []) {
      const group = draft.group ?? derived;
      byGroup.set(group, [...(byGroup.get(group) ?? []), draft]);
    }
    const origin = route.reader.origin(['spec', 'rules']);
    const meta = sourceMetadata(refs);
    const out: SplitMatchNode[] = [];
    for (const [wanted, drafts] of byGroup) {
      const matches = uniqueNames(drafts);
      const key = JSON.stringify(matches.map(({ origin: _o, ...m }) => m));
      const existing = this.groups.get(`${namespace}/${wanted}`);
      let name = wanted;
      if (existing === undefined || existing.key !== key) {
        name = this.ctx.names.claim('HTTPRouteGroup', namespace, wanted);
        this.groups.set(`${namespace}/${name}`, {
          key,
          node: {
            name,
            namespace,
            labels: safeRecord(Object.entries(meta.labels)),
            annotations: safeRecord(Object.entries(meta.annotations)),
            matches,
            origin,
          },
        });
      }
      out.push({ kind: 'HTTPRouteGroup', name, origin });
    }
    return out;
  }

  /** The SMI model of everything added. */
  model(): MeshModel {
    return sortModel({
      trafficTargets: [],
      httpRouteGroups: [...this.groups.values()].map((g) => g.node),
      tcpRoutes: [],
      udpRoutes: [],
      trafficSplits: this.splits,
      identityBindings: [],
    });
  }
}

/** Match nodes with names unique in their group (`name`, `name-2`, ...). */
function uniqueNames(drafts: readonly MatchDraft[]): HttpMatchNode[] {
  const used = new Set<string>();
  return drafts.map((d, i) => {
    const base = d.name ?? `match-${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return {
      name,
      ...(d.pathRegex !== undefined && { pathRegex: d.pathRegex }),
      ...(d.methods !== undefined && { methods: d.methods }),
      ...(d.headers !== undefined && { headers: d.headers }),
      origin: d.origin,
    };
  });
}
