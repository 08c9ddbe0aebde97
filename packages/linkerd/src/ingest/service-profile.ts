import {
  manifestOrigin,
  parseQuantity,
  scaleToIntegers,
  type BackendNode,
  type IngestContext,
  type Rational,
} from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import type { ServiceProfileRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import type { SplitDefinition } from './split-definition.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** The Service a ServiceProfile is for, from its name `<service>.<namespace>.svc.<cluster-domain>`. */
export function profileService(
  profile: ServiceProfileRecord,
  clusterDomain: string,
): string | undefined {
  const suffix = `.${profile.namespace}.svc.${clusterDomain}`;
  if (!profile.name.endsWith(suffix)) return undefined;
  const service = profile.name.slice(0, -suffix.length);
  return service === '' || service.includes('.') ? undefined : service;
}

/**
 * A ServiceProfile read for SMI. Its routes, retries, timeouts and opaque ports have no SMI form
 * (reported); its dstOverrides are a split: authorities `<backend>.<namespace>.svc.<domain>`
 * become backends and Quantity weights become the smallest integers with the same ratios.
 */
export function profileSplit(profile: ServiceProfileRecord, ctx: Ctx): SplitDefinition | undefined {
  const at = (field: (string | number)[]) => ({
    manifest: profile.manifest,
    field: ['spec', ...field],
  });
  const name = `${profile.namespace}/${profile.name}`;
  const spec = profile.spec;
  (spec.routes ?? []).forEach((route, i) => {
    ctx.report('profile-routes', { at: at(['routes', i]), data: { profile: name } });
    const r = route as { isRetryable?: unknown; timeout?: unknown } | null;
    if (r?.isRetryable !== undefined)
      ctx.report('retries', { at: at(['routes', i, 'isRetryable']) });
    if (r?.timeout !== undefined) ctx.report('timeouts', { at: at(['routes', i, 'timeout']) });
  });
  if (spec.retryBudget !== undefined) ctx.report('retries', { at: at(['retryBudget']) });
  if (spec.opaquePorts !== undefined) ctx.report('opaque-ports', { at: at(['opaquePorts']) });
  const overrides = spec.dstOverrides ?? [];
  if (overrides.length === 0) return undefined;
  const service = profileService(profile, ctx.options.clusterDomain);
  if (service === undefined) {
    ctx.report('profile-name', {
      at: { manifest: profile.manifest, field: ['metadata', 'name'] },
      data: { profile: name, clusterDomain: ctx.options.clusterDomain },
    });
    return undefined;
  }
  const suffix = `.${profile.namespace}.svc.${ctx.options.clusterDomain}`;
  const kept: { service: string; weight: Rational; index: number }[] = [];
  overrides.forEach((o, i) => {
    const [host = '', port] = o.authority.split(':');
    const bare = host.replace(/\.$/, '');
    const backend = bare.endsWith(suffix) ? bare.slice(0, -suffix.length) : undefined;
    const weight = parseQuantity(o.weight);
    if (
      backend === undefined ||
      backend === '' ||
      backend.includes('.') ||
      weight === undefined ||
      weight.num < 0n
    ) {
      ctx.report('backend-dropped', {
        at: at(['dstOverrides', i]),
        data: {
          backend: o.authority,
          reason:
            weight === undefined || weight.num < 0n
              ? 'its weight is not a Quantity'
              : `it is not a Service of namespace ${profile.namespace}`,
        },
      });
      return;
    }
    if (port !== undefined)
      ctx.report('authority-port', {
        at: at(['dstOverrides', i, 'authority']),
        data: { authority: o.authority, port },
      });
    kept.push({ service: backend, weight, index: i });
  });
  const ints = scaleToIntegers(kept.map((k) => k.weight));
  const backends: BackendNode[] = kept.map((k, i) => ({
    service: k.service,
    weight: Number(ints[i] ?? 0n),
    origin: manifestOrigin(profile.manifest, ['spec', 'dstOverrides', k.index]),
  }));
  return {
    manifest: profile.manifest,
    kind: 'ServiceProfile',
    name: service,
    namespace: profile.namespace,
    service,
    ports: 'all',
    backends,
  };
}
