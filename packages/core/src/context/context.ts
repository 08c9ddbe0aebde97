import type { Origin } from '../model/model.js';
import { safeRecord } from '../model/metadata.js';
import { nodeKey } from '../model/model.js';

/** A Namespace from the context. */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly origin: Origin;
}

/** A ServiceAccount from the context. */
export interface ServiceAccountInfo {
  readonly name: string;
  readonly namespace: string;
  readonly origin: Origin;
}

/** One port of a Service. */
export interface ServicePortInfo {
  readonly name?: string;
  readonly port: number;
  /** A number, a container port name, or absent (then equal to `port`). */
  readonly targetPort?: number | string;
  /** `TCP` (default), `UDP` or `SCTP`. */
  readonly protocol: string;
  readonly appProtocol?: string;
}

/** A Service from the context. */
export interface ServiceInfo {
  readonly name: string;
  readonly namespace: string;
  /** Absent for Services without a selector (external endpoints). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortInfo[];
  readonly type?: string;
  readonly origin: Origin;
}

/** A container port of a workload's pods. */
export interface ContainerPortInfo {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** Kinds that run pods. */
export type WorkloadKind =
  'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job' | 'CronJob' | 'Pod';

/** A workload (or bare Pod) and what its pods look like. */
export interface WorkloadInfo {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly namespace: string;
  /** The pods' ServiceAccount; Kubernetes uses `default` when none is set. */
  readonly serviceAccount: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly containerPorts: readonly ContainerPortInfo[];
  readonly origin: Origin;
}

/**
 * What translation knows about the cluster: read from the input stream, from `--context`, or from
 * a cluster. Lists are sorted by namespace and name.
 */
export interface ClusterContext {
  readonly namespaces: readonly NamespaceInfo[];
  readonly serviceAccounts: readonly ServiceAccountInfo[];
  readonly services: readonly ServiceInfo[];
  readonly workloads: readonly WorkloadInfo[];
}

/** A context with nothing in it. */
export const EMPTY_CONTEXT: ClusterContext = {
  namespaces: [],
  serviceAccounts: [],
  services: [],
  workloads: [],
};

/** Result of resolving a ServiceAccount to a pod selector. */
export type SelectorResult =
  | {
      readonly ok: true;
      readonly labels: Readonly<Record<string, string>>;
      readonly workloads: readonly WorkloadInfo[];
    }
  | {
      readonly ok: false;
      readonly reason: 'no-workloads' | 'no-common-labels' | 'selects-others';
      readonly others?: readonly WorkloadInfo[];
    };

/** Labels that change on every rollout or name one pod; never part of a selector we build. */
export const VOLATILE_LABELS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
]);

/** Pod labels without the volatile ones, sorted by key, as a null-prototype record. */
export function stableLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return safeRecord(
    Object.entries(labels)
      .filter(([k]) => !VOLATILE_LABELS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** True when every label of the selector is on the pod with the same value. */
export function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean {
  for (const [k, v] of Object.entries(selector)) {
    if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  }
  return true;
}

/** Lookups over a context. */
export interface ContextIndex {
  readonly context: ClusterContext;
  readonly namespace: (name: string) => NamespaceInfo | undefined;
  readonly service: (namespace: string, name: string) => ServiceInfo | undefined;
  readonly serviceAccount: (namespace: string, name: string) => ServiceAccountInfo | undefined;
  /** Workloads whose pods run as the ServiceAccount (Pods owned by a listed workload included). */
  readonly workloadsOf: (namespace: string, serviceAccount: string) => readonly WorkloadInfo[];
  /** Services in the workload's namespace whose selector picks its pods. */
  readonly servicesOf: (workload: WorkloadInfo) => readonly ServiceInfo[];
  /** Workloads whose pods a Service selects. */
  readonly workloadsBehind: (service: ServiceInfo) => readonly WorkloadInfo[];
  /**
   * The labels that select exactly the pods of a ServiceAccount among the workloads of its
   * namespace: the labels all its workloads share (volatile ones left out), provided no workload
   * running as another ServiceAccount has them all.
   */
  readonly selectorFor: (namespace: string, serviceAccount: string) => SelectorResult;
}

/** Builds lookups over a context. */
export function indexContext(context: ClusterContext): ContextIndex {
  const namespaces = new Map(context.namespaces.map((n) => [n.name, n]));
  const services = new Map(context.services.map((s) => [nodeKey(s.namespace, s.name), s]));
  const accounts = new Map(context.serviceAccounts.map((s) => [nodeKey(s.namespace, s.name), s]));
  const byNamespace = new Map<string, WorkloadInfo[]>();
  for (const w of context.workloads) {
    const list = byNamespace.get(w.namespace) ?? [];
    list.push(w);
    byNamespace.set(w.namespace, list);
  }
  const workloadsOf = (namespace: string, serviceAccount: string): WorkloadInfo[] =>
    (byNamespace.get(namespace) ?? []).filter((w) => w.serviceAccount === serviceAccount);
  return {
    context,
    namespace: (name) => namespaces.get(name),
    service: (namespace, name) => services.get(nodeKey(namespace, name)),
    serviceAccount: (namespace, name) => accounts.get(nodeKey(namespace, name)),
    workloadsOf,
    servicesOf: (workload) =>
      context.services.filter(
        (s) =>
          s.namespace === workload.namespace &&
          s.selector !== undefined &&
          Object.keys(s.selector).length > 0 &&
          selectorMatches(s.selector, workload.podLabels),
      ),
    workloadsBehind: (service) =>
      service.selector === undefined || Object.keys(service.selector).length === 0
        ? []
        : (byNamespace.get(service.namespace) ?? []).filter((w) =>
            selectorMatches(service.selector ?? {}, w.podLabels),
          ),
    selectorFor(namespace, serviceAccount) {
      const mine = workloadsOf(namespace, serviceAccount);
      if (mine.length === 0) return { ok: false, reason: 'no-workloads' };
      const [first, ...rest] = mine;
      const common = Object.entries(first?.podLabels ?? {}).filter(
        ([k, v]) =>
          !VOLATILE_LABELS.has(k) &&
          rest.every((w) => Object.hasOwn(w.podLabels, k) && w.podLabels[k] === v),
      );
      if (common.length === 0) return { ok: false, reason: 'no-common-labels' };
      const labels = Object.fromEntries(common.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const others = (byNamespace.get(namespace) ?? []).filter(
        (w) => w.serviceAccount !== serviceAccount && selectorMatches(labels, w.podLabels),
      );
      if (others.length > 0) return { ok: false, reason: 'selects-others', others };
      return { ok: true, labels, workloads: mine };
    },
  };
}

/** The port a Service port sends traffic to on its pods, resolving named target ports. */
export function resolveTargetPort(
  port: ServicePortInfo,
  workloads: readonly WorkloadInfo[],
): number | undefined {
  if (port.targetPort === undefined) return port.port;
  if (typeof port.targetPort === 'number') return port.targetPort;
  for (const w of workloads) {
    const found = w.containerPorts.find((c) => c.name === port.targetPort);
    if (found !== undefined) return found.containerPort;
  }
  return undefined;
}

/** Application protocol of a Service port: `appProtocol`, else the Istio-style name prefix, else the L4 protocol. */
export function portProtocol(port: ServicePortInfo): string {
  if (port.appProtocol !== undefined)
    return port.appProtocol.toLowerCase().replace(/^kubernetes\.io\//, '');
  const prefix = /^(http2|https|http|grpc-web|grpc|tcp|tls|udp|mongo|mysql|redis)(?:-|$)/.exec(
    port.name ?? '',
  );
  if (prefix?.[1] !== undefined) return prefix[1];
  return port.protocol.toLowerCase();
}
