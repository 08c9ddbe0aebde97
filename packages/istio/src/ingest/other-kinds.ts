import type { Effect, Manifest } from '@meshlingo/core';
import type { IstioIngestContext } from '../context.js';

/** What leaving out each Istio kind without an SMI form does to traffic. */
const EFFECTS: Record<string, Effect> = {
  // Ingress and egress configuration: mesh-internal traffic between Services is not affected.
  Gateway: 'cosmetic',
  ServiceEntry: 'changes-routing',
  WorkloadEntry: 'changes-routing',
  WorkloadGroup: 'changes-routing',
  Sidecar: 'changes-routing',
  EnvoyFilter: 'changes-routing',
  // A RequestAuthentication rejects requests with invalid tokens.
  RequestAuthentication: 'widens-access',
  Telemetry: 'cosmetic',
  ProxyConfig: 'changes-routing',
  WasmPlugin: 'changes-routing',
  TrafficExtension: 'changes-routing',
};

/** Istio kinds SMI has no form for, and the removed `rbac.istio.io` API. */
export function ingestOtherKind(manifest: Manifest, ctx: IstioIngestContext): void {
  const { kind } = manifest.object;
  const name = `${manifest.object.metadata?.namespace ?? ctx.core.defaultNamespace}/${manifest.object.metadata?.name ?? ''}`;
  if (manifest.object.apiVersion.startsWith('rbac.istio.io/')) {
    ctx.report('legacy-rbac', { at: { manifest }, data: { kind, name } });
    return;
  }
  const effect = Object.hasOwn(EFFECTS, kind) ? EFFECTS[kind] : 'changes-routing';
  ctx.report('kind-not-translated', {
    at: { manifest },
    data: { kind, name },
    ...(effect !== undefined && { effect }),
    ...(effect === 'cosmetic' && { severity: 'info' }),
  });
}
