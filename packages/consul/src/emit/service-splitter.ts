import {
  deriveName,
  type BackendNode,
  type KubeObject,
  type MeshModel,
  type ResourceRef,
  type ServiceInfo,
  type TrafficSplitNode,
  type WorkloadInfo,
} from '@meshlingo/core';
import { consulNamespaceOf, identityKey, type ConsulName } from '../identity.js';
import { consulMinor } from '../options.js';
import { toUnits, webhookOrder } from '../weights.js';
import {
  consulObject,
  fragmentOf,
  needHttp,
  refOf,
  type ConsulEmitContext,
  type ServicePlan,
} from './context.js';
import { emitServiceResolver, type SubsetPlan } from './service-resolver.js';
import { emitServiceRouter } from './service-router.js';

/** How one backend is written: a Consul service of its own, or a subset of the root service. */
type BackendPlan =
  | {
      readonly kind: 'service';
      readonly service: string;
      readonly weight: number;
      readonly origin: BackendNode['origin'];
    }
  | {
      readonly kind: 'subset';
      readonly service: string;
      readonly weight: number;
      readonly origin: BackendNode['origin'];
      readonly subset: SubsetPlan;
    };

/** Consul metadata keys (`structs.validateMetaPair`). */
const META_KEY = /^[A-Za-z0-9_-]{1,128}$/;

function workloadKeys(list: readonly WorkloadInfo[]): Set<string> {
  return new Set(list.map((w) => `${w.kind}/${w.name}`));
}

/** Why a backend cannot be a subset of the root, or the subset it is. */
function subsetOf(
  root: ServiceInfo | undefined,
  backend: ServiceInfo | undefined,
): { subset: SubsetPlan } | { reason: string } {
  if (root === undefined || backend === undefined)
    return { reason: 'the context holds no Service for it or for the root' };
  if (root.selector === undefined || backend.selector === undefined)
    return { reason: 'its Service or the root Service has no selector' };
  const rootSelector = root.selector;
  const backendSelector = backend.selector;
  const extends_ = Object.entries(rootSelector).every(
    ([k, v]) => Object.hasOwn(backendSelector, k) && backendSelector[k] === v,
  );
  if (!extends_) return { reason: 'its Service does not select a subset of the root Service pods' };
  const meta = Object.entries(backendSelector)
    .filter(([k]) => !Object.hasOwn(rootSelector, k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (meta.length === 0) return { reason: 'its Service selects the same pods as the root Service' };
  const bad = meta.find(([k, v]) => !META_KEY.test(k) || v === '');
  if (bad !== undefined) return { reason: `label "${bad[0]}" cannot be a Consul metadata key` };
  return { subset: { name: backend.name, meta } };
}

function mergeBackends(split: TrafficSplitNode, ctx: ConsulEmitContext): BackendNode[] {
  const merged = new Map<string, BackendNode>();
  for (const b of split.backends) {
    const prev = merged.get(b.service);
    if (prev === undefined) {
      merged.set(b.service, b);
      continue;
    }
    ctx.report('duplicate-backend', { at: { origin: b.origin }, data: { service: b.service } });
    merged.set(b.service, { ...prev, weight: prev.weight + b.weight });
  }
  return [...merged.values()];
}

function planBackends(split: TrafficSplitNode, ctx: ConsulEmitContext): BackendPlan[] {
  const root = ctx.cluster.service(split.namespace, split.service);
  return mergeBackends(split, ctx).map((b): BackendPlan => {
    const base = { service: b.service, weight: b.weight, origin: b.origin };
    if (ctx.options.backends === 'services' || b.service === split.service)
      return { kind: 'service', ...base };
    const found = subsetOf(root, ctx.cluster.service(split.namespace, b.service));
    if ('subset' in found) return { kind: 'subset', ...base, subset: found.subset };
    if (ctx.options.backends === 'subsets')
      ctx.report('subset-not-derivable', {
        at: { origin: b.origin },
        data: { service: b.service, reason: found.reason },
      });
    return { kind: 'service', ...base };
  });
}

/** The deployment steps consul-k8s needs for the split, as diagnostics (nothing here changes the output). */
function reportPrerequisites(
  split: TrafficSplitNode,
  backends: readonly BackendPlan[],
  ctx: ConsulEmitContext,
): void {
  const ns = split.namespace;
  const root = ctx.cluster.service(ns, split.service);
  const rootPods =
    root === undefined ? new Set<string>() : workloadKeys(ctx.cluster.workloadsBehind(root));
  const overlapping: string[] = [];
  for (const b of backends) {
    const service = ctx.cluster.service(ns, b.service);
    const behind = service === undefined ? [] : ctx.cluster.workloadsBehind(service);
    const at = { origin: b.origin };
    if (b.kind === 'subset') {
      ctx.report('backend-service-ignore', {
        at,
        data: { service: b.service, subset: b.subset.name, root: split.service, namespace: ns },
      });
      ctx.report('subset-meta-required', {
        at,
        data: {
          service: b.service,
          subset: b.subset.name,
          annotations: b.subset.meta
            .map(([k, v]) => `consul.hashicorp.com/service-meta-${k}=${v}`)
            .join(','),
        },
      });
      continue;
    }
    if (b.service === split.service) continue;
    if (behind.some((w) => rootPods.has(`${w.kind}/${w.name}`))) overlapping.push(b.service);
    const accounts = [...new Set(behind.map((w) => w.serviceAccount))].sort();
    if (ctx.options.acls && accounts.some((a) => a !== b.service))
      ctx.report('backend-account-mismatch', {
        at,
        data: { service: b.service, accounts: accounts.join(',') },
      });
  }
  if (overlapping.length === 0) return;
  const at = { origin: split.origin };
  ctx.report('root-service-ignore', {
    at,
    data: { namespace: ns, root: split.service, backends: overlapping.join(',') },
  });
  if (consulMinor(ctx.options) < 16)
    ctx.report('virtual-ip-unsupported', {
      at,
      data: { consulVersion: ctx.options.consulVersion, root: split.service },
    });
  if (split.matches !== undefined && split.matches.length > 0)
    ctx.report('root-without-instances', { at, data: { root: split.service } });
}

/** Without Enterprise namespaces, same-named Services of other namespaces join the split's services. */
function reportCollapse(
  split: TrafficSplitNode,
  backends: readonly BackendPlan[],
  ctx: ConsulEmitContext,
): void {
  if (ctx.options.namespaces.mode === 'mirroring') return;
  const names = new Set([split.service, ...backends.map((b) => b.service)]);
  const others = ctx.cluster.context.services.filter(
    (s) => names.has(s.name) && s.namespace !== split.namespace,
  );
  if (others.length === 0) return;
  ctx.report('split-namespace-collapsed', {
    at: { origin: split.origin },
    data: {
      services: [...new Set(others.map((s) => s.name))].sort().join(','),
      namespaces: [...new Set(others.map((s) => s.namespace))].sort().join(','),
    },
  });
}

/** Consul roots (by identity key) already given a TrafficSplit, to catch collisions. */
export type Written = Map<string, string>;

/** One TrafficSplit per Consul root: its splitter, router and resolver belong to it alone. */
function claimRoot(
  written: Written,
  kind: string,
  id: ConsulName,
  split: TrafficSplitNode,
  ctx: ConsulEmitContext,
): boolean {
  const key = identityKey(id);
  const by = `${split.namespace}/${split.name}`;
  const other = written.get(key);
  if (other !== undefined && other !== by) {
    ctx.report('split-collision', {
      at: { origin: split.origin },
      data: { kind, name: id.name, other: `TrafficSplit ${other}` },
    });
    return false;
  }
  written.set(key, by);
  return true;
}

function splitEntries(
  split: TrafficSplitNode,
  backends: readonly BackendPlan[],
  ctx: ConsulEmitContext,
): Record<string, unknown>[] {
  const { units, exact } = toUnits(backends.map((b) => b.weight));
  const at = { origin: split.origin };
  if (!exact)
    ctx.report('weights-rounded', {
      at,
      data: {
        weights: backends.map((b) => b.weight).join(','),
        percentages: units.map((u) => u / 100).join(','),
      },
    });
  const ordered = webhookOrder(units);
  const names = ordered.order.map((i) => backends[i]?.service ?? '');
  if (ordered.change === 'reordered')
    ctx.report('splits-reordered', {
      at,
      data: { service: split.service, order: names.join(',') },
    });
  if (ordered.change === 'nudged') {
    const amount = Math.max(...ordered.units.map((u, i) => Math.abs(u - (units[i] ?? 0)))) / 100;
    ctx.report('weights-nudged', { at, data: { service: split.service, amount } });
  }
  if (ordered.change === 'unverified')
    ctx.report('weights-unverified', { at, data: { service: split.service } });
  return ordered.order.map((i) => {
    const b = backends[i];
    const weight = (ordered.units[i] ?? 0) / 100;
    if (b === undefined) return { weight };
    // Never leave `service` empty: an empty service means the splitter's own service.
    return b.kind === 'subset'
      ? { weight, service: split.service, serviceSubset: b.subset.name }
      : { weight, service: b.service };
  });
}

/**
 * Consul routing for TrafficSplits. Without matches: a ServiceSplitter named after the root
 * service. With matches: a ServiceRouter on the root whose routes (one per match) go to a virtual
 * service holding the ServiceSplitter. Backends that are subsets of the root get a ServiceResolver
 * with one subset each. Every service in the chain needs an HTTP-like protocol.
 */
export function emitTrafficSplits(
  model: MeshModel,
  ctx: ConsulEmitContext,
  services: ServicePlan,
  written: Written,
): KubeObject[] {
  const out: KubeObject[] = [];
  for (const service of ctx.cluster.context.services)
    ctx.names.reserve(
      'ConsulService',
      consulNamespaceOf(service.namespace, ctx.options),
      service.name,
    );
  for (const split of model.trafficSplits) {
    const ns = split.namespace;
    const consulNs = consulNamespaceOf(ns, ctx.options);
    ctx.names.reserve('ConsulService', consulNs, split.service);
    for (const b of split.backends) ctx.names.reserve('ConsulService', consulNs, b.service);
  }
  for (const split of model.trafficSplits) {
    const ns = split.namespace;
    const consulNs = consulNamespaceOf(ns, ctx.options);
    const root: ConsulName = { name: split.service, namespace: consulNs };
    const matches = (split.matches ?? []).flatMap(
      (m) => ctx.index.httpRouteGroup(ns, m.name)?.matches ?? [],
    );
    const withMatches = split.matches !== undefined && split.matches.length > 0;
    if (!claimRoot(written, withMatches ? 'ServiceRouter' : 'ServiceSplitter', root, split, ctx))
      continue;
    const backends = planBackends(split, ctx);
    const subsets = backends.flatMap((b) => (b.kind === 'subset' ? [b.subset] : []));
    const fragment = fragmentOf(model, { splits: [split] });
    const refs: ResourceRef[] = [refOf(split), ...fragment.httpRouteGroups.map(refOf)];
    const entries = splitEntries(split, backends, ctx);
    const need = (id: ConsulName, reason: string): void =>
      needHttp(services, id, ns, reason, refOf(split), split.origin);
    need(root, withMatches ? 'a ServiceRouter' : 'a ServiceSplitter');
    for (const b of backends)
      if (b.kind === 'service') need({ name: b.service, namespace: consulNs }, 'a ServiceSplitter');
    if (withMatches) {
      const virtual = ctx.names.claim(
        'ConsulService',
        consulNs,
        deriveName([split.service, ctx.options.naming.splitInfix, split.name]),
      );
      ctx.report('virtual-service-created', { at: { origin: split.origin }, data: { virtual } });
      need({ name: virtual, namespace: consulNs }, 'a ServiceSplitter');
      out.push(consulObject(ctx, 'ServiceSplitter', virtual, ns, refs, { splits: entries }));
      out.push(emitServiceRouter(ctx, split.service, ns, matches, virtual, refs, fragment));
    } else {
      out.push(
        consulObject(
          ctx,
          'ServiceSplitter',
          split.service,
          ns,
          refs,
          { splits: entries },
          fragment,
        ),
      );
    }
    if (subsets.length > 0) out.push(emitServiceResolver(ctx, split.service, ns, subsets, refs));
    for (const b of backends)
      if (b.service !== split.service && ctx.index.splitFor(ns, b.service) !== undefined)
        ctx.report('nested-split', { at: { origin: b.origin }, data: { service: b.service } });
    reportPrerequisites(split, backends, ctx);
    reportCollapse(split, backends, ctx);
  }
  return out;
}
