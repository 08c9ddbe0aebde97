import {
  nodeKey,
  resolveTargetPort,
  type EmitContext,
  type Origin,
  type ServiceInfo,
  type WorkloadInfo,
} from '@meshlingo/core';
import { stableLabels, type SelectorRequirement } from '../common/labels.js';
import { listenerProtocolOf, type ListenerProtocol } from '../common/protocol.js';
import type { appMeshMessages } from '../messages.js';
import type { AppMeshOptions } from '../options.js';

/** The context an emit runs with. */
export type AppMeshEmitContext = EmitContext<AppMeshOptions, typeof appMeshMessages>;

/** A VirtualNode to write: the workloads whose pods share one set of labels. */
export interface NodePlan {
  readonly name: string;
  readonly namespace: string;
  readonly workloads: readonly WorkloadInfo[];
  /** The stable pod labels, used as `matchLabels`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Keys whose absence keeps more specific workloads (a superset of labels) out. */
  readonly exclude: SelectorRequirement[];
  readonly accounts: readonly string[];
  /** Container port to listener protocol (first Service by name wins). */
  readonly listeners: Map<number, { protocol: ListenerProtocol; service: string }>;
  /** The Service whose DNS name the node uses; `exact` when it selects this node only. */
  host?: { readonly service: ServiceInfo; readonly exact: boolean };
  readonly origin: Origin;
}

/** One TCP port of a Service and the container port it reaches on each node. */
export interface PortPlan {
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly targets: ReadonlyMap<NodePlan, number>;
}

/** A Service that becomes a VirtualService. */
export interface ServicePlan {
  readonly info: ServiceInfo;
  readonly nodes: readonly NodePlan[];
  readonly ports: readonly PortPlan[];
}

/** The VirtualNodes and VirtualServices the context calls for. */
export interface Topology {
  readonly nodes: readonly NodePlan[];
  readonly services: readonly ServicePlan[];
  readonly service: (namespace: string, name: string) => ServicePlan | undefined;
  readonly nodesOfAccount: (namespace: string, account: string) => readonly NodePlan[];
}

const KIND_RANK = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet', 'Pod'];

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Plans one VirtualNode per set of workloads with the same stable pod labels (a Deployment, its
 * ReplicaSets and Pods from a cluster are one), for every workload of the context: in a namespace
 * with sidecar injection, the App Mesh webhook rejects pods no VirtualNode selects. Listeners
 * come from the Services selecting the pods (container ports), and every Service with meshed
 * pods and TCP ports becomes a VirtualService.
 */
export function planTopology(ctx: AppMeshEmitContext, roots: ReadonlySet<string>): Topology {
  const nodes: NodePlan[] = [];
  const groups = new Map<string, WorkloadInfo[]>();
  for (const workload of ctx.cluster.context.workloads) {
    const labels = stableLabels(workload.podLabels);
    if (Object.keys(labels).length === 0) {
      ctx.report('workload-unselectable', {
        at: { origin: workload.origin },
        data: { kind: workload.kind, workload: `${workload.namespace}/${workload.name}` },
      });
      continue;
    }
    const key = JSON.stringify([workload.namespace, Object.entries(labels)]);
    groups.set(key, [...(groups.get(key) ?? []), workload]);
  }
  for (const workloads of groups.values()) {
    const sorted = [...workloads].sort(
      (a, b) => KIND_RANK.indexOf(a.kind) - KIND_RANK.indexOf(b.kind) || byName(a, b),
    );
    const first = sorted[0];
    if (first === undefined) continue;
    const accounts = [...new Set(sorted.map((w) => w.serviceAccount))].sort();
    const other = sorted.find((w) => w.serviceAccount !== first.serviceAccount);
    if (other !== undefined) {
      ctx.report('podselector-overlap', {
        at: { origin: other.origin },
        data: {
          workload: `${other.namespace}/${other.name}`,
          other: `${first.namespace}/${first.name}`,
        },
      });
    }
    nodes.push({
      name: ctx.names.claim('VirtualNode', first.namespace, first.name),
      namespace: first.namespace,
      workloads: sorted,
      labels: stableLabels(first.podLabels),
      exclude: [],
      accounts,
      listeners: new Map(),
      origin: first.origin,
    });
  }
  nodes.sort((a, b) =>
    a.namespace === b.namespace ? byName(a, b) : a.namespace < b.namespace ? -1 : 1,
  );
  excludeMoreSpecific(nodes);

  const services: ServicePlan[] = [];
  for (const info of ctx.cluster.context.services) {
    const behind = ctx.cluster.workloadsBehind(info);
    const selected = nodes.filter((n) => n.workloads.some((w) => behind.includes(w)));
    // A TrafficSplit root needs its ports even when it selects no pods of its own.
    if (selected.length === 0 && !roots.has(nodeKey(info.namespace, info.name))) continue;
    const ports = planPorts(ctx, info, selected);
    if (ports.length > 0) services.push({ info, nodes: selected, ports });
  }
  for (const node of nodes) {
    const mine = services.filter((s) => s.nodes.includes(node));
    const exact = mine.find((s) => s.nodes.length === 1);
    const host = exact ?? mine[0];
    if (host !== undefined) node.host = { service: host.info, exact: exact !== undefined };
  }
  return {
    nodes,
    services,
    service: (namespace, name) =>
      services.find((s) => s.info.namespace === namespace && s.info.name === name),
    nodesOfAccount: (namespace, account) =>
      nodes.filter((n) => n.namespace === namespace && n.accounts.includes(account)),
  };
}

/**
 * A node's selector (its labels) also matches a node whose labels are a superset; a
 * `DoesNotExist` on one of the extra keys keeps those pods out, so no pod matches two nodes.
 */
function excludeMoreSpecific(nodes: readonly NodePlan[]): void {
  for (const a of nodes) {
    for (const b of nodes) {
      if (a === b || a.namespace !== b.namespace) continue;
      const aKeys = Object.entries(a.labels);
      if (!aKeys.every(([k, v]) => Object.hasOwn(b.labels, k) && b.labels[k] === v)) continue;
      const extra = Object.keys(b.labels).find((k) => !Object.hasOwn(a.labels, k));
      if (extra !== undefined && !a.exclude.some((r) => r.key === extra))
        a.exclude.push({ key: extra, operator: 'DoesNotExist', values: [] });
    }
    a.exclude.sort((x, y) => (x.key < y.key ? -1 : 1));
  }
}

function planPorts(
  ctx: AppMeshEmitContext,
  info: ServiceInfo,
  selected: readonly NodePlan[],
): PortPlan[] {
  const out: PortPlan[] = [];
  for (const port of info.ports) {
    const at = { origin: info.origin, field: ['spec', 'ports', info.ports.indexOf(port)] };
    const service = `${info.namespace}/${info.name}`;
    const result = listenerProtocolOf(port, ctx.options.defaultProtocol);
    if (result.kind === 'unsupported') {
      ctx.report('udp-port-skipped', {
        at,
        data: { service, port: port.port, protocol: result.protocol },
      });
      continue;
    }
    if (!result.explicit) {
      ctx.report('protocol-defaulted', {
        at,
        data: { service, port: port.port, protocol: result.protocol },
      });
    }
    const targets = new Map<NodePlan, number>();
    for (const node of selected) {
      const target = resolveTargetPort(port, node.workloads);
      if (target === undefined) {
        ctx.report('target-port-unresolved', {
          at,
          data: { service, port: port.port, targetPort: String(port.targetPort), node: node.name },
        });
        continue;
      }
      targets.set(node, target);
      const existing = node.listeners.get(target);
      if (existing === undefined)
        node.listeners.set(target, { protocol: result.protocol, service: info.name });
      else if (existing.protocol !== result.protocol) {
        ctx.report('protocol-conflict', {
          at,
          data: {
            workload: `${node.namespace}/${node.name}`,
            port: target,
            protocols: `${existing.protocol} (${existing.service}), ${result.protocol} (${info.name})`,
            protocol: existing.protocol,
          },
        });
      }
    }
    if ([...targets.values()].some((t) => t !== port.port)) {
      ctx.report('port-targetport-mismatch', {
        at,
        data: { service, port: port.port, targetPort: [...new Set(targets.values())].join(',') },
      });
    }
    if (targets.size > 0 || selected.length === 0)
      out.push({ port: port.port, protocol: result.protocol, targets });
  }
  return out;
}
