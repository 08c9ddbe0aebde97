import {
  selectedMatches,
  type KubeObject,
  type MeshModel,
  type ResourceRef,
  type SubjectNode,
  type TrafficTargetNode,
} from '@meshlingo/core';
import { criteriaKey, toCriteria } from '../http-match.js';
import {
  accountsOfIdentity,
  identitiesOfAccount,
  identityKey,
  uniqueAccounts,
  wireName,
  type AccountRef,
  type ConsulName,
} from '../identity.js';
import type { HttpCriteria } from '../native.js';
import {
  consulObject,
  fragmentOf,
  needHttp,
  refOf,
  type ConsulEmitContext,
  type ServicePlan,
} from './context.js';

/** What a TrafficTarget grants: everything (L4), or HTTP requests matching any of the criteria. */
interface Grant {
  readonly all: boolean;
  readonly permissions: readonly HttpCriteria[];
}

const NONE: Grant = { all: false, permissions: [] };

function union(grants: readonly Grant[]): Grant {
  const seen = new Map<string, HttpCriteria>();
  for (const g of grants)
    for (const p of g.permissions) if (!seen.has(criteriaKey(p))) seen.set(criteriaKey(p), p);
  return { all: grants.some((g) => g.all), permissions: [...seen.values()] };
}

/** Grants compare by meaning: `all` swallows any permission list. */
function grantKey(grant: Grant): string {
  if (grant.all) return 'all';
  return JSON.stringify(grant.permissions.map(criteriaKey).sort());
}

/** One TrafficTarget's grant from one ServiceAccount to another. */
interface Contribution {
  readonly grant: Grant;
  readonly target: TrafficTargetNode;
  readonly source: SubjectNode;
  readonly destination: AccountRef;
}

interface DestinationPlan {
  readonly id: ConsulName;
  readonly accounts: AccountRef[];
  readonly targets: TrafficTargetNode[];
  readonly bySource: Map<string, { id: ConsulName; contributions: Contribution[] }>;
}

/** A TrafficTarget with TCP rules whose destination may end up with an HTTP protocol. */
export interface TcpGrant {
  readonly destinations: readonly ConsulName[];
  readonly target: TrafficTargetNode;
}

function tcpContainerPorts(ctx: ConsulEmitContext, account: AccountRef): number[] {
  const ports = new Set<number>();
  for (const w of ctx.cluster.workloadsOf(account.namespace, account.name))
    for (const p of w.containerPorts)
      if (p.protocol.toUpperCase() === 'TCP') ports.add(p.containerPort);
  return [...ports].sort((a, b) => a - b);
}

/**
 * The grant of one TrafficTarget ("AND across layers, OR within a layer"), or undefined when it
 * grants nothing Consul can carry. UDP and port lists are reported here.
 */
function targetGrant(
  target: TrafficTargetNode,
  ctx: ConsulEmitContext,
): { grant: Grant; tcp: boolean } | undefined {
  const destination = target.destination;
  for (const rule of target.rules.filter((r) => r.kind === 'UDPRoute')) {
    const action = ctx.unrepresentable('udp-unsupported', {
      at: { origin: rule.origin },
      data: { route: rule.name },
      canWiden: false,
    });
    if (action === 'omit') return undefined;
  }
  const tcp = target.rules
    .filter((r) => r.kind === 'TCPRoute')
    .map((r) => ({ rule: r, route: ctx.index.tcpRoute(target.namespace, r.name) }));
  const http = target.rules.filter((r) => r.kind === 'HTTPRouteGroup');
  if (tcp.length === 0 && http.length === 0) return undefined;
  if (tcp.length > 0 && !tcp.some((t) => t.route?.ports.length === 0)) {
    const ports = [...new Set(tcp.flatMap((t) => t.route?.ports ?? []))].sort((a, b) => a - b);
    const declared = tcpContainerPorts(ctx, destination);
    const data = {
      ports: ports.join(','),
      destination: `${destination.namespace}/${destination.name}`,
    };
    const at = { origin: tcp[0]?.rule.origin ?? target.origin };
    // Consul registers one port per service, taken from the pod's container ports: when the list
    // covers all of them the restriction is what the mesh enforces anyway.
    if (declared.length > 0 && declared.every((p) => ports.includes(p))) {
      ctx.report('ports-cover-workloads', { at, data });
    } else if (ctx.unrepresentable('port-restriction-dropped', { at, data }) !== 'widen') {
      return undefined;
    }
  }
  if (http.length === 0) return { grant: { all: true, permissions: [] }, tcp: true };
  const permissions = http.flatMap((rule) => {
    const group = ctx.index.httpRouteGroup(target.namespace, rule.name);
    return group === undefined ? [] : selectedMatches(group, rule).map(toCriteria);
  });
  if (permissions.length === 0) return undefined;
  return { grant: union([{ all: false, permissions }]), tcp: tcp.length > 0 };
}

/** Reports ServiceAccounts that cannot carry a Consul identity with ACLs. */
function checkAccount(subject: SubjectNode, ctx: ConsulEmitContext, checked: Set<string>): void {
  const key = `${subject.namespace}/${subject.name}`;
  if (!ctx.options.acls || subject.kind !== 'ServiceAccount' || checked.has(key)) return;
  checked.add(key);
  const at = { origin: subject.origin };
  if (subject.name === 'default') {
    ctx.report('default-service-account', { at, data: { namespace: subject.namespace } });
    return;
  }
  const services = new Set<string>();
  for (const w of ctx.cluster.workloadsOf(subject.namespace, subject.name))
    for (const s of ctx.cluster.servicesOf(w)) services.add(s.name);
  if (services.size > 0 && !services.has(subject.name))
    ctx.report('service-name-mismatch', {
      at,
      data: {
        namespace: subject.namespace,
        name: subject.name,
        services: [...services].sort().join(','),
      },
    });
}

function resolve(subject: SubjectNode, ctx: ConsulEmitContext): ConsulName[] | undefined {
  if (subject.kind !== 'ServiceAccount') {
    // The access v1alpha4 draft's IdentityBinding selects pods by labels or SPIFFE ids; Consul
    // identities are service names.
    ctx.unrepresentable('identity-binding-unsupported', {
      at: { origin: subject.origin },
      data: { name: subject.name },
      canWiden: false,
    });
    return undefined;
  }
  const ids = identitiesOfAccount(subject, ctx.options, ctx.cluster);
  if (ids.length > 0) return ids;
  ctx.unrepresentable('unresolved-identity', {
    at: { origin: subject.origin },
    data: { namespace: subject.namespace, name: subject.name },
    canWiden: false,
  });
  return undefined;
}

function collect(
  model: MeshModel,
  ctx: ConsulEmitContext,
  tcpGrants: TcpGrant[],
): Map<string, DestinationPlan> {
  const plans = new Map<string, DestinationPlan>();
  const checked = new Set<string>();
  for (const target of model.trafficTargets) {
    checkAccount(target.destination, ctx, checked);
    for (const s of target.sources) checkAccount(s, ctx, checked);
    const computed = targetGrant(target, ctx);
    if (computed === undefined) continue;
    const destinations = resolve(target.destination, ctx);
    if (destinations === undefined) continue;
    if (computed.tcp) tcpGrants.push({ destinations, target });
    const sources = target.sources.map((source) => ({ source, ids: resolve(source, ctx) ?? [] }));
    for (const id of destinations) {
      const plan: DestinationPlan = plans.get(identityKey(id)) ?? {
        id,
        accounts: [],
        targets: [],
        bySource: new Map(),
      };
      plans.set(identityKey(id), plan);
      plan.accounts.push(target.destination);
      if (!plan.targets.includes(target)) plan.targets.push(target);
      for (const { source, ids } of sources) {
        for (const sid of ids) {
          const entry = plan.bySource.get(identityKey(sid)) ?? { id: sid, contributions: [] };
          plan.bySource.set(identityKey(sid), entry);
          entry.contributions.push({
            grant: computed.grant,
            target,
            source,
            destination: target.destination,
          });
        }
      }
    }
  }
  return plans;
}

/**
 * The grant of one Consul source to one Consul destination, or undefined when it is left out.
 * Several ServiceAccounts can share a Consul identity (no Enterprise namespaces; or, without ACLs,
 * several accounts behind one Service): the grant is exact only if every pair of accounts behind
 * the two identities has the same SMI grant.
 */
function combinedGrant(
  plan: DestinationPlan,
  source: { id: ConsulName; contributions: Contribution[] },
  ctx: ConsulEmitContext,
): Grant | undefined {
  const all = union(source.contributions.map((c) => c.grant));
  const destinations = uniqueAccounts([
    ...accountsOfIdentity(plan.id, ctx.options, ctx.cluster),
    ...plan.accounts,
  ]);
  const sources = uniqueAccounts([
    ...accountsOfIdentity(source.id, ctx.options, ctx.cluster),
    ...source.contributions.map((c) => c.source),
  ]);
  const same = (a: AccountRef, b: AccountRef): boolean =>
    a.namespace === b.namespace && a.name === b.name;
  const keys = new Set<string>();
  for (const d of destinations)
    for (const s of sources)
      keys.add(
        grantKey(
          union([
            NONE,
            ...source.contributions
              .filter((c) => same(c.destination, d) && same(c.source, s))
              .map((c) => c.grant),
          ]),
        ),
      );
  if (keys.size <= 1) return all;
  const first = source.contributions[0];
  const action = ctx.unrepresentable('namespace-collapsed', {
    ...(first !== undefined && { at: { origin: first.source.origin } }),
    data: {
      identity: source.id.name,
      destination: plan.id.name,
      sources: sources.map((a) => `${a.namespace}/${a.name}`).join(','),
      destinations: destinations.map((a) => `${a.namespace}/${a.name}`).join(','),
    },
  });
  return action === 'widen' ? all : undefined;
}

/**
 * ServiceIntentions from TrafficTargets: one object per Consul destination (Consul allows one per
 * destination), one source per Consul identity. A source with L7 grants gets one allow permission
 * per distinct match and a trailing catch-all deny, so unmatched requests are denied even when the
 * cluster's default policy is allow (an L7 intention that matches no permission falls through to
 * the default policy, not to lower-precedence intentions: research/consul.md 3.4).
 */
export function emitServiceIntentions(
  model: MeshModel,
  ctx: ConsulEmitContext,
  services: ServicePlan,
  tcpGrants: TcpGrant[],
): KubeObject[] {
  const plans = collect(model, ctx, tcpGrants);
  const out: KubeObject[] = [];
  for (const key of [...plans.keys()].sort()) {
    const plan = plans.get(key);
    if (plan === undefined) continue;
    const sources: Record<string, unknown>[] = [];
    let l7 = false;
    for (const sourceKey of [...plan.bySource.keys()].sort()) {
      const source = plan.bySource.get(sourceKey);
      if (source === undefined) continue;
      const grant = combinedGrant(plan, source, ctx);
      if (grant === undefined) continue;
      const wire = wireName(source.id, ctx.options);
      if (grant.all) {
        const c = source.contributions;
        const httpOnly = c.find((x) => !x.grant.all);
        if (httpOnly !== undefined && c.some((x) => x.grant.all))
          ctx.report('l7-subsumed', {
            at: { origin: httpOnly.source.origin },
            data: { source: source.id.name, destination: plan.id.name },
          });
        sources.push({ ...wire, action: 'allow' });
      } else {
        l7 = true;
        sources.push({
          ...wire,
          permissions: [
            ...grant.permissions.map((http) => ({ action: 'allow', http })),
            { action: 'deny', http: { pathPrefix: '/' } },
          ],
        });
      }
    }
    if (sources.length === 0) continue;
    const first = plan.targets[0];
    if (first === undefined) continue;
    const namespace = first.destination.namespace;
    const refs: ResourceRef[] = plan.targets.map(refOf);
    const fragment = fragmentOf(model, { targets: plan.targets });
    refs.push(
      ...[...fragment.httpRouteGroups, ...fragment.tcpRoutes, ...fragment.udpRoutes].map(refOf),
    );
    if (l7) needHttp(services, plan.id, namespace, 'L7 intentions', refOf(first), first.origin);
    const name = ctx.names.claim('ServiceIntentions', namespace, plan.id.name);
    out.push(
      consulObject(
        ctx,
        'ServiceIntentions',
        name,
        namespace,
        refs,
        {
          destination: wireName(plan.id, ctx.options),
          sources,
        },
        fragment,
      ),
    );
  }
  return out;
}

/** The opt-in cluster-wide deny: destination `*`, source `*` (with namespace `*` under Enterprise namespaces). */
export function emitDefaultDeny(ctx: ConsulEmitContext): KubeObject {
  const { defaultDeny: name, defaultDenyNamespace: namespace } = ctx.options.naming;
  const wildcard =
    ctx.options.namespaces.mode === 'none' ? { name: '*' } : { name: '*', namespace: '*' };
  ctx.report('default-deny-emitted', { data: { namespace, name } });
  return consulObject(ctx, 'ServiceIntentions', name, namespace, [], {
    destination: wildcard,
    sources: [{ ...wildcard, action: 'deny' }],
  });
}
