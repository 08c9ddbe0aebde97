import {
  deriveName,
  type EmitContext,
  type KubeObject,
  type MeshModel,
  type ResourceRef,
  type TrafficTargetNode,
} from '@meshlingo/core';
import { nativeMatchOf, type Cond } from '../conditions.js';
import { uniqueRefs } from '../native.js';
import type { LinkerdMessages } from '../messages.js';
import type { LinkerdOptions } from '../options.js';
import { smiAnnotation } from '../smi-annotation.js';
import { groupOf, POLICY_GROUP, type TargetApis } from '../versions.js';
import { planAccess, type Grant } from './access-plan.js';
import { authorizationPolicyObject, type PolicyRef } from './authorization-policy.js';
import { serverRouteObject } from './http-route.js';
import { meshTlsAuthenticationObject } from './mesh-tls-authentication.js';
import { defaultDenyNamespace } from './namespace.js';
import { networkAuthenticationObject } from './network-authentication.js';
import { planRoutes } from './route-plan.js';
import { serverObject } from './server.js';

type Ctx = EmitContext<LinkerdOptions, LinkerdMessages>;

function describeCond(cond: Cond): string {
  const parts: string[] = [];
  if (cond.method !== undefined) parts.push(cond.method);
  const path = cond.path;
  if (path !== undefined)
    parts.push(
      path.kind === 'exact' ? path.path : path.kind === 'prefix' ? `${path.prefix}*` : path.pattern,
    );
  for (const h of cond.headers) parts.push(`${h.name}: ${h.value}`);
  return parts.length === 0 ? 'every request' : parts.join(' ');
}

/** The SMI objects behind a TrafficTarget, for its `meshlingo.io/smi` annotation. */
function smiOfTarget(target: TrafficTargetNode, ctx: Ctx): string {
  const ns = target.namespace;
  const names = (kind: string): Set<string> =>
    new Set(target.rules.filter((r) => r.kind === kind).map((r) => r.name));
  const groups = names('HTTPRouteGroup');
  const tcp = names('TCPRoute');
  const udp = names('UDPRoute');
  return smiAnnotation({
    trafficTargets: [target],
    httpRouteGroups: [...groups].flatMap((n) => ctx.index.httpRouteGroup(ns, n) ?? []),
    tcpRoutes: [...tcp].flatMap((n) => ctx.index.tcpRoute(ns, n) ?? []),
    udpRoutes: [...udp].flatMap((n) => ctx.index.udpRoute(ns, n) ?? []),
  });
}

/** A name of at most 63 characters ending in `-<n>`, so route names sort in route order. */
function orderedName(base: string, index: number, count: number): string {
  const width = String(count).length;
  const suffix = String(index + 1).padStart(width, '0');
  return `${deriveName([base], 62 - suffix.length)}-${suffix}`;
}

/**
 * Writes the access part: Servers per destination ServiceAccount and port, the sources of each
 * TrafficTarget as a MeshTLSAuthentication, AuthorizationPolicies on Servers (whole-port grants)
 * or on HTTPRoutes (HTTP rules), and the default-deny namespace annotations when asked for.
 */
export function emitAccess(model: MeshModel, ctx: Ctx, apis: TargetApis): KubeObject[] {
  const out: KubeObject[] = [];
  const plans = planAccess(model, ctx);
  const meshTls = new Map<TrafficTargetNode, PolicyRef>();
  const authenticationOf = (grant: Grant): PolicyRef => {
    let ref = meshTls.get(grant.target);
    if (ref === undefined) {
      const ns = grant.target.destination.namespace;
      const name = ctx.names.claim(
        'MeshTLSAuthentication',
        ns,
        deriveName([grant.target.name, 'sources']),
      );
      out.push(
        meshTlsAuthenticationObject({
          name,
          namespace: ns,
          sources: grant.sources,
          options: ctx.options,
          apis,
          refs: uniqueRefs(grant.refs),
          smi: smiOfTarget(grant.target, ctx),
        }),
      );
      ref = { group: POLICY_GROUP, kind: 'MeshTLSAuthentication', name };
      meshTls.set(grant.target, ref);
    }
    return ref;
  };
  const probeNetworks = new Map<string, PolicyRef>();
  const probeAuthentication = (ns: string, refs: readonly ResourceRef[]): PolicyRef => {
    let ref = probeNetworks.get(ns);
    if (ref === undefined) {
      const name = ctx.names.claim('NetworkAuthentication', ns, 'probe-networks');
      out.push(
        networkAuthenticationObject({
          name,
          namespace: ns,
          networks: ctx.options.probeNetworks,
          apis,
          refs,
        }),
      );
      ref = { group: POLICY_GROUP, kind: 'NetworkAuthentication', name };
      probeNetworks.set(ns, ref);
    }
    return ref;
  };
  const policy = (
    ns: string,
    base: readonly string[],
    target: PolicyRef,
    authentication: PolicyRef,
    refs: readonly ResourceRef[],
  ): void => {
    out.push(
      authorizationPolicyObject({
        name: ctx.names.claim('AuthorizationPolicy', ns, deriveName(base)),
        namespace: ns,
        target,
        authentication,
        apis,
        refs,
      }),
    );
  };

  const probeConds: Cond[] = ctx.options.probePaths.map((path) => ({
    path: { kind: 'exact', path },
    method: 'GET',
    headers: [],
  }));
  const routeGroup = groupOf(apis.httpRoute);
  const nonHttp = new Map<TrafficTargetNode, number[]>();

  for (const plan of plans) {
    const ns = plan.namespace;
    const serverName = ctx.names.claim(
      'Server',
      ns,
      deriveName([plan.serviceAccount, plan.serverPort]),
    );
    const routePlan = planRoutes(plan, probeConds);
    const allGrants = [...plan.portLevel, ...plan.routeLevel.map((r) => r.grant)];
    const serverRefs = uniqueRefs(allGrants.map((g) => g.target.origin.resource));
    out.push(
      serverObject({
        name: serverName,
        namespace: ns,
        labels: plan.labels,
        port: plan.serverPort,
        apis,
        refs: serverRefs,
      }),
    );
    const serverRef: PolicyRef = { group: POLICY_GROUP, kind: 'Server', name: serverName };
    for (const grant of routePlan.serverLevel)
      policy(ns, [grant.target.name, serverName], serverRef, authenticationOf(grant), [
        grant.target.origin.resource,
      ]);

    routePlan.routes.forEach((route, i) => {
      const name = ctx.names.claim(
        'HTTPRoute',
        ns,
        routePlan.routes.length === 1
          ? serverName
          : orderedName(serverName, i, routePlan.routes.length),
      );
      const refs = uniqueRefs(route.from.flatMap((g) => g.refs));
      out.push(
        serverRouteObject({
          name,
          namespace: ns,
          apiVersion: apis.httpRoute,
          server: serverName,
          matches: route.conds.map(nativeMatchOf),
          refs: refs.length > 0 ? refs : serverRefs,
        }),
      );
      const routeRef: PolicyRef = { group: routeGroup, kind: 'HTTPRoute', name };
      for (const grant of route.authorization.grants)
        policy(ns, [grant.target.name, name], routeRef, authenticationOf(grant), [
          grant.target.origin.resource,
        ]);
      if (route.authorization.probes)
        policy(ns, [name, 'probes'], routeRef, probeAuthentication(ns, serverRefs), serverRefs);
    });

    if (routePlan.routes.length > 0) {
      const at = { origin: plan.origin, field: ['spec', 'destination'] };
      const data = { server: `${ns}/${serverName}`, port: plan.port };
      if (probeConds.length === 0) ctx.report('probes-need-routes', { at, data });
      else
        ctx.report('probe-route', {
          at,
          data: { ...data, paths: ctx.options.probePaths.join(', ') },
        });
    }
    // One report per set of TrafficTargets whose grants overlap, at the first of them.
    const reportedOverlaps = new Set<string>();
    for (const overlap of routePlan.overlaps) {
      const targets = [
        ...new Set(overlap.grants.map((g) => `${g.target.namespace}/${g.target.name}`)),
      ].sort();
      if (reportedOverlaps.has(targets.join(','))) continue;
      reportedOverlaps.add(targets.join(','));
      ctx.report('route-overlap', {
        at: { origin: overlap.grants[0]?.target.origin ?? plan.origin, field: ['spec', 'rules'] },
        data: {
          server: `${ns}/${serverName}`,
          first: describeCond(overlap.first),
          second: describeCond(overlap.second),
          targets: targets.join(', '),
        },
      });
    }
    for (const grant of routePlan.nonHttpDenied) {
      const ports = nonHttp.get(grant.target) ?? [];
      ports.push(plan.port);
      nonHttp.set(grant.target, ports);
    }
  }
  for (const [target, ports] of nonHttp) {
    ctx.report('non-http-denied', {
      at: { origin: target.origin, field: ['spec', 'rules'] },
      data: { target: `${target.namespace}/${target.name}`, port: ports.join(', ') },
    });
  }
  out.push(...defaultPolicy(model, ctx));
  return out;
}

/**
 * Default deny for every namespace the input knows (context namespaces and those of the
 * TrafficTargets): namespace annotations, or a warning per namespace that what no Server covers
 * stays open under the cluster default policy.
 */
function defaultPolicy(model: MeshModel, ctx: Ctx): KubeObject[] {
  const { defaultDeny, clusterDefaultPolicy } = ctx.options;
  if (defaultDeny === 'cluster' || (defaultDeny === 'off' && clusterDefaultPolicy === 'deny'))
    return [];
  const namespaces = new Map<string, ResourceRef[]>();
  for (const ns of ctx.cluster.context.namespaces) namespaces.set(ns.name, []);
  for (const t of model.trafficTargets) {
    for (const ns of [t.namespace, t.destination.namespace, ...t.sources.map((s) => s.namespace)]) {
      const refs = namespaces.get(ns) ?? [];
      if (ns === t.destination.namespace) refs.push(t.origin.resource);
      namespaces.set(ns, refs);
    }
  }
  const out: KubeObject[] = [];
  for (const name of [...namespaces.keys()].sort()) {
    // Point at the TrafficTarget that names the namespace: as destination, else as source.
    const dest = model.trafficTargets.find((t) => t.destination.namespace === name);
    const source = model.trafficTargets.find((t) => t.sources.some((s) => s.namespace === name));
    const own = model.trafficTargets.find((t) => t.namespace === name);
    const at =
      dest !== undefined
        ? { at: { origin: dest.origin, field: ['spec', 'destination'] } }
        : source !== undefined
          ? { at: { origin: source.origin, field: ['spec', 'sources'] } }
          : own !== undefined
            ? { at: { origin: own.origin, field: ['metadata', 'namespace'] } }
            : {};
    if (defaultDeny === 'off') {
      ctx.report('default-allow', {
        ...at,
        data: { namespace: name, policy: clusterDefaultPolicy },
      });
    } else {
      ctx.report('restart-required', { ...at, data: { namespace: name } });
      out.push(defaultDenyNamespace(name, uniqueRefs(namespaces.get(name) ?? [])));
    }
  }
  return out;
}
