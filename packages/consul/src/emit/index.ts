import type { KubeObject, MeshModel } from '@meshlingo/core';
import { identityKey } from '../identity.js';
import { defaultPolicyOf } from '../options.js';
import type { ConsulEmitContext, ServicePlan } from './context.js';
import { emitServiceDefaults } from './service-defaults.js';
import { emitDefaultDeny, emitServiceIntentions, type TcpGrant } from './service-intentions.js';
import { emitTrafficSplits, type Written } from './service-splitter.js';

function reportUnreferenced(model: MeshModel, ctx: ConsulEmitContext): void {
  const used = new Set<string>();
  for (const t of model.trafficTargets)
    for (const r of t.rules) used.add(`${r.kind}/${t.namespace}/${r.name}`);
  for (const s of model.trafficSplits)
    for (const m of s.matches ?? []) used.add(`HTTPRouteGroup/${s.namespace}/${m.name}`);
  const routes = [
    ...model.httpRouteGroups.map((n) => ['HTTPRouteGroup', n] as const),
    ...model.tcpRoutes.map((n) => ['TCPRoute', n] as const),
    ...model.udpRoutes.map((n) => ['UDPRoute', n] as const),
  ];
  for (const [kind, node] of routes)
    if (!used.has(`${kind}/${node.namespace}/${node.name}`))
      ctx.report('unreferenced-route', {
        at: { origin: node.origin },
        data: { kind, name: node.name },
      });
}

/**
 * The Consul objects for a model, without the cluster-wide parts (default deny, default policy):
 * ServiceIntentions for access, ServiceSplitters, ServiceRouters and ServiceResolvers for
 * routing, and the ServiceDefaults both need. Ingest replays this to check SMI annotations.
 */
export function compileModel(model: MeshModel, ctx: ConsulEmitContext): KubeObject[] {
  const services: ServicePlan = new Map();
  const tcpGrants: TcpGrant[] = [];
  const written: Written = new Map();
  const out: KubeObject[] = [];
  if (ctx.areas.has('access')) out.push(...emitServiceIntentions(model, ctx, services, tcpGrants));
  if (ctx.areas.has('routing')) out.push(...emitTrafficSplits(model, ctx, services, written));
  reportUnreferenced(model, ctx);
  out.push(...emitServiceDefaults(services, ctx));
  for (const grant of tcpGrants) {
    const blocked = grant.destinations.find((id) => services.has(identityKey(id)));
    if (blocked !== undefined)
      ctx.report('tcp-blocked-by-http', {
        at: { origin: grant.target.origin },
        data: { destination: blocked.name, protocol: ctx.options.protocol },
      });
  }
  return out;
}

/** SMI to Consul: {@link compileModel} plus the opt-in default deny and the default-policy check. */
export function emitConsul(model: MeshModel, ctx: ConsulEmitContext): KubeObject[] {
  const out = compileModel(model, ctx);
  if (!ctx.areas.has('access')) return out;
  if (ctx.options.defaultDeny) out.push(emitDefaultDeny(ctx));
  else if (defaultPolicyOf(ctx.options) === 'allow' && model.trafficTargets.length > 0)
    ctx.report('default-policy-allow', {
      ...(model.trafficTargets[0] !== undefined && {
        at: { origin: model.trafficTargets[0].origin },
      }),
    });
  return out;
}
