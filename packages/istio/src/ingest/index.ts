import type { Manifest, MeshModel } from '@meshlingo/core';
import type { IstioIngestContext } from '../context.js';
import { field, record, specOf, text } from '../json.js';
import { ingestAuthorizationPolicy } from './authorization-policy.js';
import { ingestDestinationRule } from './destination-rule.js';
import { ModelBuilder } from './model-builder.js';
import { ingestOtherKind } from './other-kinds.js';
import { ingestPeerAuthentication } from './peer-authentication.js';
import { ingestVirtualService } from './virtual-service.js';

/** Istio objects to the SMI hub model; every field SMI cannot carry is reported. */
export function ingestIstio(manifests: readonly Manifest[], ctx: IstioIngestContext): MeshModel {
  const builder = new ModelBuilder(ctx);
  for (const manifest of manifests) {
    const group = manifest.object.apiVersion.split('/')[0];
    const { kind } = manifest.object;
    if (group === 'security.istio.io' && kind === 'AuthorizationPolicy')
      ingestAuthorizationPolicy(manifest, ctx, builder);
    else if (group === 'security.istio.io' && kind === 'PeerAuthentication')
      ingestPeerAuthentication(manifest, ctx);
    else if (group === 'networking.istio.io' && kind === 'VirtualService')
      ingestVirtualService(manifest, ctx, builder);
    else if (group === 'networking.istio.io' && kind === 'DestinationRule')
      ingestDestinationRule(manifest, ctx);
    else ingestOtherKind(manifest, ctx);
  }
  reportOpenWorkloads(manifests, ctx);
  return builder.model();
}

/**
 * Istio is default-allow: a workload no ALLOW policy selects takes any traffic. Once access
 * policies are read, such workloads lose that in SMI (an allow-list), which is reported.
 */
function reportOpenWorkloads(manifests: readonly Manifest[], ctx: IstioIngestContext): void {
  const policies = manifests
    .map((m) => m.object)
    .filter(
      (o) =>
        o.kind === 'AuthorizationPolicy' &&
        o.apiVersion.startsWith('security.istio.io/') &&
        o.metadata?.annotations?.['istio.io/dry-run'] !== 'true',
    );
  if (policies.length === 0) return;
  const root = ctx.options.rootNamespace;
  const open = ctx.cluster.context.workloads.filter(
    (w) =>
      w.kind !== 'Pod' &&
      !policies.some((p) => {
        const spec = specOf(p);
        if ((text(spec, 'action') ?? 'ALLOW') !== 'ALLOW') return false;
        if (field(spec, 'targetRefs') !== undefined || field(spec, 'targetRef') !== undefined)
          return false;
        const ns = p.metadata?.namespace ?? ctx.core.defaultNamespace;
        if (ns !== w.namespace && ns !== root) return false;
        const selector = record(record(spec, 'selector') ?? {}, 'matchLabels') ?? {};
        return Object.entries(selector).every(
          ([k, v]) => Object.hasOwn(w.podLabels, k) && w.podLabels[k] === v,
        );
      }),
  );
  if (open.length === 0) return;
  ctx.report('workloads-default-allow', {
    data: { workloads: open.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(', ') },
  });
}
