import {
  safeRecord,
  selectedMatches,
  VOLATILE_LABELS,
  type EmitContext,
  type MeshModel,
  type Origin,
  type ResourceRef,
  type SubjectNode,
  type TrafficTargetNode,
  type WorkloadInfo,
} from '@meshlingo/core';
import { condsOfMatch, type Cond } from '../conditions.js';
import type { LinkerdMessages } from '../messages.js';
import type { LinkerdOptions } from '../options.js';

type Ctx = EmitContext<LinkerdOptions, LinkerdMessages>;

/** One TrafficTarget's permission as Linkerd sees it: who, and the SMI objects behind it. */
export interface Grant {
  readonly target: TrafficTargetNode;
  readonly sources: readonly SubjectNode[];
  /** `namespace/name` of each source, sorted. */
  readonly sourceKeys: readonly string[];
  /** The SMI objects the grant came from (TrafficTarget and its route objects). */
  readonly refs: readonly ResourceRef[];
}

/** A grant restricted to HTTP requests matching its conditions. */
export interface RouteGrant {
  readonly grant: Grant;
  readonly conds: readonly Cond[];
  /** True when the TrafficTarget also has TCPRoute rules (SMI then admits non-HTTP connections). */
  readonly tcp: boolean;
}

/** Everything granted on one Server: a destination ServiceAccount's pods and one port. */
export interface ServerPlan {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The container port number, which the SMI rules name. */
  readonly port: number;
  /** How the Server names the port: its container port name when every workload uses it. */
  readonly serverPort: number | string;
  readonly labels: Readonly<Record<string, string>>;
  /** Grants for every request and connection on the port (Server-level policies). */
  readonly portLevel: Grant[];
  readonly routeLevel: RouteGrant[];
  readonly origin: Origin;
}

function sharedLabels(workloads: readonly WorkloadInfo[]): Record<string, string> {
  const [first, ...rest] = workloads;
  const entries = Object.entries(first?.podLabels ?? {}).filter(
    ([k, v]) =>
      !VOLATILE_LABELS.has(k) &&
      rest.every((w) => Object.hasOwn(w.podLabels, k) && w.podLabels[k] === v),
  );
  return safeRecord(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The pod labels of a destination ServiceAccount, or undefined after reporting why there are none. */
function destinationLabels(
  target: TrafficTargetNode,
  ctx: Ctx,
): { labels: Readonly<Record<string, string>>; workloads: readonly WorkloadInfo[] } | undefined {
  const { namespace, name } = target.destination;
  const at = { origin: target.origin, field: ['spec', 'destination'] };
  const data = { namespace, serviceAccount: name };
  const result = ctx.cluster.selectorFor(namespace, name);
  if (result.ok) return { labels: result.labels, workloads: result.workloads };
  if (result.reason === 'no-workloads') {
    ctx.report('no-workloads', { at, data });
    return undefined;
  }
  if (result.reason === 'no-common-labels') {
    ctx.report('no-common-labels', { at, data });
    return undefined;
  }
  const workloads = ctx.cluster.workloadsOf(namespace, name);
  const labels = sharedLabels(workloads);
  const action = ctx.unrepresentable('selector-too-broad', {
    at,
    data: {
      ...data,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      others: (result.others ?? []).map((w) => `${w.kind}/${w.name}`).join(', '),
    },
  });
  return action === 'widen' ? { labels, workloads } : undefined;
}

/**
 * The name of a container port when every workload declares that port under that one name: a
 * Server port name covers the pods whose containers declare it, so it is used only then.
 */
function portName(workloads: readonly WorkloadInfo[], port: number): string | undefined {
  const names = workloads.map(
    (w) =>
      w.containerPorts.find((p) => p.containerPort === port && p.protocol.toUpperCase() === 'TCP')
        ?.name,
  );
  const [first] = names;
  return first !== undefined && names.every((n) => n === first) ? first : undefined;
}

function declaredPorts(workloads: readonly WorkloadInfo[]): number[] {
  const ports = new Set<number>();
  for (const w of workloads)
    for (const p of w.containerPorts)
      if (p.protocol.toUpperCase() === 'TCP') ports.add(p.containerPort);
  return [...ports].sort((a, b) => a - b);
}

/** Subjects Linkerd can authenticate: ServiceAccounts. IdentityBindings are reported. */
function usableSources(target: TrafficTargetNode, ctx: Ctx): SubjectNode[] | undefined {
  const bindings = target.sources.filter((s) => s.kind !== 'ServiceAccount');
  if (target.destination.kind !== 'ServiceAccount' || bindings.length > 0) {
    const action = ctx.unrepresentable('identity-binding', {
      at: {
        origin: target.origin,
        field: ['spec', target.destination.kind !== 'ServiceAccount' ? 'destination' : 'sources'],
      },
      canWiden: false,
    });
    if (action === 'omit' || target.destination.kind !== 'ServiceAccount') return undefined;
  }
  const sources = target.sources.filter((s) => s.kind === 'ServiceAccount');
  return sources.length === 0 ? undefined : sources;
}

/**
 * Works out, per destination ServiceAccount and container port, what each TrafficTarget allows:
 * Linkerd's unit of policy is the Server (pods by labels, one port), so TrafficTargets are
 * planned per Server rather than one by one.
 */
export function planAccess(model: MeshModel, ctx: Ctx): ServerPlan[] {
  const plans = new Map<string, ServerPlan>();
  for (const target of model.trafficTargets) {
    const sources = usableSources(target, ctx);
    if (sources === undefined) continue;
    const udp = target.rules.filter((r) => r.kind === 'UDPRoute');
    if (udp.length > 0) {
      const action = ctx.unrepresentable('udp-unsupported', {
        at: { origin: udp[0]?.origin ?? target.origin },
        data: { route: udp.map((r) => r.name).join(', ') },
        canWiden: false,
      });
      if (action === 'omit') continue;
    }
    const tcpRules = target.rules.filter((r) => r.kind === 'TCPRoute');
    const httpRules = target.rules.filter((r) => r.kind === 'HTTPRouteGroup');
    if (tcpRules.length === 0 && httpRules.length === 0) continue;
    const destination = destinationLabels(target, ctx);
    if (destination === undefined) continue;
    const declared = declaredPorts(destination.workloads);
    const refs: ResourceRef[] = [target.origin.resource];

    let ports: number[];
    if (tcpRules.length > 0) {
      const lists = tcpRules.map((r) => {
        const route = ctx.index.tcpRoute(target.namespace, r.name);
        if (route !== undefined) refs.push(route.origin.resource);
        return route?.ports ?? [];
      });
      ports = lists.some((l) => l.length === 0)
        ? declared
        : [...new Set(lists.flat())].sort((a, b) => a - b);
    } else {
      ports = declared;
    }
    if (ports.length === 0) {
      ctx.report('no-ports', {
        at: { origin: target.origin, field: ['spec', 'destination'] },
        data: { namespace: target.destination.namespace, serviceAccount: target.destination.name },
      });
      continue;
    }

    let conds: Cond[] | undefined;
    if (httpRules.length > 0) {
      conds = [];
      for (const rule of httpRules) {
        const group = ctx.index.httpRouteGroup(target.namespace, rule.name);
        if (group === undefined) continue;
        refs.push(group.origin.resource);
        for (const match of selectedMatches(group, rule)) conds.push(...condsOfMatch(match));
      }
      if (conds.length === 0) continue;
    }

    const everything = conds?.some(
      (c) => c.path === undefined && c.method === undefined && c.headers.length === 0,
    );
    const grant: Grant = {
      target,
      sources,
      sourceKeys: [...new Set(sources.map((s) => `${s.namespace}/${s.name}`))].sort(),
      refs,
    };
    for (const port of ports) {
      const key = `${target.destination.namespace}\u0000${target.destination.name}\u0000${port}`;
      let plan = plans.get(key);
      if (plan === undefined) {
        plan = {
          namespace: target.destination.namespace,
          serviceAccount: target.destination.name,
          port,
          serverPort: portName(destination.workloads, port) ?? port,
          labels: destination.labels,
          portLevel: [],
          routeLevel: [],
          origin: target.origin,
        };
        plans.set(key, plan);
      }
      if (conds === undefined || (everything === true && tcpRules.length > 0)) {
        plan.portLevel.push(grant);
      } else {
        plan.routeLevel.push({
          grant,
          conds: everything === true ? [{ headers: [] }] : conds,
          tcp: tcpRules.length > 0,
        });
      }
    }
  }
  return [...plans.values()].sort((a, b) =>
    a.namespace !== b.namespace
      ? a.namespace < b.namespace
        ? -1
        : 1
      : a.serviceAccount !== b.serviceAccount
        ? a.serviceAccount < b.serviceAccount
          ? -1
          : 1
        : a.port - b.port,
  );
}
