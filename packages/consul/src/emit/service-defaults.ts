import type { KubeObject } from '@meshlingo/core';
import { consulObject, type ConsulEmitContext, type ServicePlan } from './context.js';

/**
 * ServiceDefaults with an HTTP-like protocol for every service that needs L7 features (L7
 * intentions, routers, splitters: every service of a discovery chain). One per Consul service.
 */
export function emitServiceDefaults(services: ServicePlan, ctx: ConsulEmitContext): KubeObject[] {
  const protocol = ctx.options.protocol;
  return [...services.keys()].sort().flatMap((key) => {
    const need = services.get(key);
    if (need === undefined) return [];
    ctx.report('service-defaults-protocol', {
      at: { origin: need.origin },
      data: { service: need.id.name, protocol, reasons: [...need.reasons].sort().join(', ') },
    });
    return [
      consulObject(ctx, 'ServiceDefaults', need.id.name, need.namespace, need.refs, { protocol }),
    ];
  });
}
