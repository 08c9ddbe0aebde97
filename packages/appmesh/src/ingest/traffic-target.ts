import {
  deriveName,
  manifestOrigin,
  manifestRef,
  nodeKey,
  sourceMetadata,
  type PortRouteNode,
  type ResourceRef,
  type TrafficTargetNode,
} from '@meshlingo/core';
import type { DeriveContext } from './context.js';
import type { ParsedNode } from './parsed.js';

interface Grant {
  readonly ports: Set<number>;
  readonly nodes: ParsedNode[];
}

/**
 * Turns VirtualNode backends into TrafficTargets. With egress DROP_ALL a node may call exactly
 * the VirtualServices it lists: its pods' ServiceAccounts (sources) may reach the pods of every
 * VirtualNode those VirtualServices route to (destinations), on the ports their listeners
 * expose. Each destination gets one TrafficTarget per set of ports, whose rule is a TCPRoute on
 * those container ports (which admits HTTP on them too).
 */
export function deriveTrafficTargets(dc: DeriveContext): {
  targets: TrafficTargetNode[];
  routes: PortRouteNode[];
} {
  const { topology, sink } = dc;
  const { meshes, nodes } = topology.objects;
  const callers = nodes.filter((n) => n.backends.length > 0);
  if (meshes.length === 0) {
    const first = nodes[0];
    if (callers.length === 0) {
      if (first !== undefined) sink.report('access-not-derived', first.manifest, [], { data: {} });
      return { targets: [], routes: [] };
    }
    const caller = callers[0];
    if (caller !== undefined) sink.report('egress-assumed', caller.manifest, ['spec', 'backends']);
  }
  for (const mesh of meshes) {
    if (mesh.egress === 'ALLOW_ALL')
      sink.report('mesh-allows-all', mesh.manifest, ['spec', 'egressFilter', 'type'], {
        data: { mesh: mesh.name },
      });
  }

  const identities = (node: ParsedNode): string[] => {
    const accounts = [...new Set(topology.workloadsOf(node).map((w) => w.serviceAccount))].sort();
    if (node.legacy && node.selector === undefined && accounts.length > 0) {
      dc.once(`by-name:${nodeKey(node.namespace, node.name)}`, () =>
        sink.report('node-by-name', node.manifest, ['metadata', 'name'], {
          data: { node: `${node.namespace}/${node.name}` },
        }),
      );
    }
    if (accounts.length === 0) {
      dc.once(`identity:${nodeKey(node.namespace, node.name)}`, () =>
        sink.report(
          'identity-unresolved',
          node.manifest,
          node.selector === undefined ? ['spec'] : ['spec', 'podSelector'],
          {
            data: { namespace: node.namespace, node: node.name },
            effect: 'narrows-access',
          },
        ),
      );
    }
    return accounts.map((sa) => nodeKey(node.namespace, sa));
  };

  // destination SA -> source SA -> ports and the calling nodes
  const grants = new Map<string, Map<string, Grant>>();
  for (const caller of callers) {
    const { found, missing } = topology.backendsOf(caller);
    for (const m of missing) {
      sink.report('reference-not-found', caller.manifest, m.path, {
        data: { kind: 'VirtualService', namespace: m.namespace, name: m.name },
        effect: 'narrows-access',
      });
    }
    const sources = identities(caller);
    if (sources.length === 0) continue;
    for (const service of found) {
      for (const reach of topology.reach(service)) {
        for (const destination of identities(reach.node)) {
          const bySource = grants.get(destination) ?? new Map<string, Grant>();
          grants.set(destination, bySource);
          for (const source of sources) {
            const grant = bySource.get(source) ?? { ports: new Set<number>(), nodes: [] };
            bySource.set(source, grant);
            grant.ports.add(reach.port);
            if (!grant.nodes.includes(caller)) grant.nodes.push(caller);
          }
        }
      }
    }
  }

  const targets: TrafficTargetNode[] = [];
  const routes = new Map<string, PortRouteNode>();
  for (const destination of [...grants.keys()].sort()) {
    const [namespace = '', account = ''] = destination.split('/');
    const bySource = grants.get(destination) ?? new Map<string, Grant>();
    const byPorts = new Map<string, { ports: number[]; sources: string[]; nodes: ParsedNode[] }>();
    for (const [source, grant] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const ports = [...grant.ports].sort((a, b) => a - b);
      const key = ports.join(',');
      const entry = byPorts.get(key) ?? { ports, sources: [], nodes: [] };
      byPorts.set(key, entry);
      entry.sources.push(source);
      for (const n of grant.nodes) if (!entry.nodes.includes(n)) entry.nodes.push(n);
    }
    for (const { ports, sources, nodes: callersOf } of byPorts.values()) {
      const first = callersOf[0];
      if (first === undefined) continue;
      const origin = manifestOrigin(first.manifest, ['spec', 'backends']);
      const refs: ResourceRef[] = callersOf.map((n) => manifestRef(n.manifest.object));
      const routeName = deriveName(['appmesh', ...ports]);
      const routeKey = nodeKey(namespace, routeName);
      if (!routes.has(routeKey)) {
        routes.set(routeKey, {
          name: routeName,
          namespace,
          ...sourceMetadata(refs),
          ports,
          origin,
        });
      }
      targets.push({
        name: dc.names.claim('TrafficTarget', namespace, deriveName([account, 'appmesh'])),
        namespace,
        ...sourceMetadata(refs),
        destination: { kind: 'ServiceAccount', name: account, namespace, origin },
        sources: sources.map((s) => {
          const [ns = '', name = ''] = s.split('/');
          return { kind: 'ServiceAccount' as const, name, namespace: ns, origin };
        }),
        rules: [{ kind: 'TCPRoute', name: routeName, origin }],
        origin,
      });
    }
  }
  return { targets, routes: [...routes.values()] };
}
