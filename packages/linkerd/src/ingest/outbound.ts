import { manifestOrigin, type BackendNode, type IngestContext } from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import {
  isCoreGroup,
  sameKind,
  type BackendRef,
  type NativeRecord,
  type ParentRef,
} from '../native.js';
import type { LinkerdOptions } from '../options.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

type Route = Extract<NativeRecord, { kind: 'HTTPRoute' | 'TCPRoute' }>;

/**
 * The Service parents of a route that configure every client: a route in another namespace than
 * its Service is a consumer route (GEP-1426) that only its own namespace's clients follow.
 */
export function serviceParents(route: Route, ctx: Ctx): ParentRef[] {
  return route.parentRefs.filter((p, i) => {
    if (!sameKind(p.kind, 'Service') || !isCoreGroup(p.group)) return false;
    if (p.namespace !== undefined && p.namespace !== route.namespace) {
      ctx.report('consumer-route', {
        at: { manifest: route.manifest, field: ['spec', 'parentRefs', i] },
        data: { route: `${route.namespace}/${route.name}`, namespace: route.namespace },
      });
      return false;
    }
    return true;
  });
}

/** True when every backend is the parent Service itself (the rule routes like no rule). */
export function toParent(
  refs: readonly BackendRef[] | undefined,
  route: Route,
  parent: ParentRef,
): boolean {
  return (
    refs === undefined ||
    refs.length === 0 ||
    refs.every(
      (b) =>
        b.name === parent.name &&
        sameKind(b.kind, 'Service') &&
        isCoreGroup(b.group) &&
        (b.namespace === undefined || b.namespace === route.namespace),
    )
  );
}

/**
 * backendRefs as SMI backends: Services of the route's namespace with their weights. Other
 * kinds and namespaces cannot be named (reported, dropped); a backend without a port is invalid
 * in Linkerd; a port other than the parent's sends traffic elsewhere (reported).
 */
export function splitBackends(
  refs: readonly BackendRef[],
  field: readonly (string | number)[],
  route: Route,
  parent: ParentRef,
  ctx: Ctx,
): BackendNode[] {
  const out: BackendNode[] = [];
  refs.forEach((b, i) => {
    const at = { manifest: route.manifest, field: [...field, i] };
    const backend = `${b.namespace ?? route.namespace}/${b.name}`;
    const drop = (reason: string) =>
      ctx.report('backend-dropped', { at, data: { backend, reason } });
    if (!sameKind(b.kind, 'Service') || !isCoreGroup(b.group))
      return drop(`it is a ${b.kind}, not a Service`);
    if (b.namespace !== undefined && b.namespace !== route.namespace)
      return drop(`it is in namespace ${b.namespace}, not ${route.namespace}`);
    if (b.port === undefined)
      return drop('it names no port, which Linkerd requires of Service backends');
    if (parent.port !== undefined && b.port !== parent.port)
      ctx.report('backend-port', {
        at: { manifest: route.manifest, field: [...field, i, 'port'] },
        data: { backend, port: b.port, rootPort: parent.port },
      });
    out.push({
      service: b.name,
      weight: b.weight,
      origin: manifestOrigin(route.manifest, [...field, i]),
    });
  });
  return out;
}
