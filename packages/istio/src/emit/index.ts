import type { KubeObject, MeshModel } from '@meshlingo/core';
import type { IstioEmitContext } from '../context.js';
import { emitAuthorizationPolicies } from './authorization-policy.js';
import { emitVirtualServices } from './virtual-service.js';

/** SMI to Istio: AuthorizationPolicies for access, VirtualServices for splits. */
export function emitIstio(model: MeshModel, ctx: IstioEmitContext): KubeObject[] {
  const used = new Set<string>();
  for (const t of model.trafficTargets)
    for (const r of t.rules) used.add(`${r.kind}/${t.namespace}/${r.name}`);
  for (const s of model.trafficSplits)
    for (const m of s.matches ?? []) used.add(`HTTPRouteGroup/${s.namespace}/${m.name}`);
  const lists = [
    ['HTTPRouteGroup', model.httpRouteGroups],
    ['TCPRoute', model.tcpRoutes],
    ['UDPRoute', model.udpRoutes],
  ] as const;
  for (const [kind, nodes] of lists)
    for (const node of nodes)
      if (!used.has(`${kind}/${node.namespace}/${node.name}`))
        ctx.report('unused-route', {
          at: { origin: node.origin },
          data: { kind, name: `${node.namespace}/${node.name}` },
        });
  return [
    ...(ctx.areas.has('access') ? emitAuthorizationPolicies(model, ctx) : []),
    ...(ctx.areas.has('routing') ? emitVirtualServices(model, ctx) : []),
  ];
}
