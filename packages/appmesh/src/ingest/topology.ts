import { nodeKey, type ContextIndex, type ServiceInfo, type WorkloadInfo } from '@meshlingo/core';
import { parseServiceHost } from '../common/hosts.js';
import { selectorSelects } from '../common/labels.js';
import type { ListenerProtocol } from '../common/protocol.js';
import type { AppMeshOptions } from '../options.js';
import type {
  ObjectKey,
  ParsedNode,
  ParsedObjects,
  ParsedRoute,
  ParsedRouter,
  ParsedVirtualService,
} from './parsed.js';

/** A Kubernetes Service an App Mesh object stands for, and whether that had to be guessed. */
export interface ResolvedService {
  readonly namespace: string;
  readonly service: string;
  /** Set when the name is not a Service host of this cluster: what was read instead. */
  readonly guessedFrom?: { readonly from: string; readonly value: string };
}

/** Where a VirtualService can send traffic: a node, on one of its ports, through a listener protocol. */
export interface Reach {
  readonly node: ParsedNode;
  readonly port: number;
  readonly protocol: ListenerProtocol;
}

/** One weighted target of a route, with the Service its node is reached through. */
export interface TargetShare {
  readonly node: ParsedNode;
  readonly service: string;
  readonly weight: number;
}

/**
 * True when a route sends traffic where the root Service itself would: only to nodes reached
 * through the root's own name, or evenly over exactly the VirtualNodes behind the root Service
 * (kube-proxy balances per pod, App Mesh per node: equal for equal replica counts). An even split
 * over those nodes looks the same; `hinted` (from meshlingo's router annotation) tells them apart.
 */
export function sendsToRoot(
  targets: readonly TargetShare[],
  root: string,
  rootNodes: readonly ParsedNode[],
  hinted?: boolean,
): boolean {
  const positive = targets.filter((t) => t.weight > 0);
  if (positive.length === 0 || hinted === false) return false;
  if (positive.every((t) => t.service === root)) return true;
  const keys = new Set(positive.map((t) => nodeKey(t.node.namespace, t.node.name)));
  return (
    new Set(positive.map((t) => t.weight)).size === 1 &&
    keys.size === rootNodes.length &&
    rootNodes.every((n) => keys.has(nodeKey(n.namespace, n.name)))
  );
}

/** The routes of a router that apply to one of its listeners. */
export function routesOnListener(
  router: ParsedRouter,
  listener: { readonly port: number } | undefined,
): ParsedRoute[] {
  return router.routes.filter(
    (r) => listener === undefined || r.port === undefined || r.port === listener.port,
  );
}

/** Lookups over the App Mesh objects of an input and the cluster context. */
export interface Topology {
  readonly objects: ParsedObjects;
  readonly node: (key: ObjectKey) => ParsedNode | undefined;
  /** The router of a VirtualService (referenced or embedded); undefined for node providers. */
  readonly routerOf: (service: ParsedVirtualService) => ParsedRouter | undefined;
  /** The VirtualServices a node's backends name, and the backends that name none in the input. */
  readonly backendsOf: (node: ParsedNode) => {
    readonly found: readonly ParsedVirtualService[];
    readonly missing: readonly {
      readonly name: string;
      readonly namespace: string;
      readonly path: readonly (string | number)[];
    }[];
  };
  /** Context workloads whose pods the node selects. */
  readonly workloadsOf: (node: ParsedNode) => readonly WorkloadInfo[];
  /** Nodes that select a workload's pods. */
  readonly nodesOfWorkload: (workload: WorkloadInfo) => readonly ParsedNode[];
  /** Nodes behind a Service (through the workloads it selects). */
  readonly nodesOfService: (service: ServiceInfo) => readonly ParsedNode[];
  /** The Service a node is reached through (its DNS name or Cloud Map service). */
  readonly serviceOfNode: (node: ParsedNode) => ResolvedService | undefined;
  /** The Service a VirtualService stands for (its AWS name). */
  readonly serviceOfVirtualService: (service: ParsedVirtualService) => ResolvedService;
  /** Every node, port and protocol a VirtualService can send traffic to. */
  readonly reach: (service: ParsedVirtualService) => readonly Reach[];
}

/** Builds the lookups. Pure: resolution problems are returned, never reported here. */
export function buildTopology(
  objects: ParsedObjects,
  cluster: ContextIndex,
  options: Pick<AppMeshOptions, 'clusterDomain' | 'discovery' | 'cloudMapNamespace'>,
): Topology {
  const nodes = new Map(objects.nodes.map((n) => [nodeKey(n.namespace, n.name), n]));
  const routers = new Map(objects.routers.map((r) => [nodeKey(r.namespace, r.name), r]));
  const services = new Map(objects.services.map((s) => [nodeKey(s.namespace, s.name), s]));
  const byAwsName = new Map<string, ParsedVirtualService>();
  for (const s of objects.services) {
    const host = s.awsName.replace(/\.$/, '');
    if (!byAwsName.has(host)) byAwsName.set(host, s);
  }
  const namespaces = new Set<string>([
    ...cluster.context.namespaces.map((n) => n.name),
    ...cluster.context.services.map((s) => s.namespace),
    ...cluster.context.workloads.map((w) => w.namespace),
    ...[...objects.nodes, ...objects.services, ...objects.routers].map((o) => o.namespace),
  ]);
  const isNamespace = (name: string): boolean => namespaces.has(name);
  const host = (value: string, namespace: string) =>
    parseServiceHost(value, namespace, options.clusterDomain, isNamespace);

  const workloadsOf = (node: ParsedNode): WorkloadInfo[] => {
    const inNamespace = cluster.context.workloads.filter((w) => w.namespace === node.namespace);
    if (node.selector !== undefined) {
      const selector = node.selector;
      return inNamespace.filter((w) => selectorSelects(selector, w.podLabels));
    }
    // v1beta1 bound pods to the VirtualNode named after their Deployment.
    return node.legacy ? inNamespace.filter((w) => w.name === node.name) : [];
  };
  const nodesOfWorkload = (workload: WorkloadInfo): ParsedNode[] =>
    objects.nodes.filter(
      (n) => n.namespace === workload.namespace && workloadsOf(n).includes(workload),
    );
  const node = (key: ObjectKey): ParsedNode | undefined =>
    nodes.get(nodeKey(key.namespace, key.name));
  const routerOf = (service: ParsedVirtualService): ParsedRouter | undefined => {
    const provider = service.provider;
    if (provider === undefined || provider.kind === 'node') return undefined;
    return provider.kind === 'embedded'
      ? provider.router
      : routers.get(nodeKey(provider.ref.namespace, provider.ref.name));
  };

  return {
    objects,
    node,
    routerOf,
    backendsOf(n) {
      const found: ParsedVirtualService[] = [];
      const missing: { name: string; namespace: string; path: readonly (string | number)[] }[] = [];
      for (const backend of n.backends) {
        const target =
          backend.kind === 'ref'
            ? services.get(nodeKey(backend.ref.namespace, backend.ref.name))
            : byAwsName.get(backend.awsName.replace(/\.$/, ''));
        if (target !== undefined) {
          if (!found.includes(target)) found.push(target);
        } else if (backend.kind === 'ref') {
          missing.push({ ...backend.ref, path: backend.path });
        } else {
          missing.push({ name: backend.awsName, namespace: n.namespace, path: backend.path });
        }
      }
      return { found, missing };
    },
    workloadsOf,
    nodesOfWorkload,
    nodesOfService(service) {
      const behind = cluster.workloadsBehind(service);
      return objects.nodes.filter(
        (n) => n.namespace === service.namespace && workloadsOf(n).some((w) => behind.includes(w)),
      );
    },
    serviceOfNode(n) {
      const discovery = n.discovery;
      if (discovery === undefined) return undefined;
      if (discovery.kind === 'dns') {
        const parsed = host(discovery.hostname, n.namespace);
        return (
          parsed ?? {
            namespace: n.namespace,
            service: n.name,
            guessedFrom: { from: 'DNS host name', value: discovery.hostname },
          }
        );
      }
      const exact =
        options.discovery === 'cloud-map' && discovery.namespaceName === options.cloudMapNamespace;
      return {
        namespace: n.namespace,
        service: discovery.serviceName,
        ...(!exact && {
          guessedFrom: {
            from: 'Cloud Map service',
            value: `${discovery.serviceName}.${discovery.namespaceName}`,
          },
        }),
      };
    },
    serviceOfVirtualService(s) {
      const parsed = host(s.awsName, s.namespace);
      if (parsed !== undefined) return parsed;
      const first = s.legacy ? (s.name.split('.')[0] ?? s.name) : s.name;
      return {
        namespace: s.namespace,
        service: first,
        guessedFrom: { from: 'awsName', value: s.awsName },
      };
    },
    reach(s) {
      const out: Reach[] = [];
      const provider = s.provider;
      if (provider?.kind === 'node') {
        const n = node(provider.ref);
        for (const l of n?.listeners ?? [])
          if (n !== undefined) out.push({ node: n, port: l.port, protocol: l.protocol });
        return out;
      }
      const router = routerOf(s);
      if (router === undefined) return out;
      const listeners = router.listeners.length > 0 ? router.listeners : [undefined];
      for (const listener of listeners) {
        for (const route of routesOnListener(router, listener)) {
          for (const target of route.targets) {
            const n = target.node === undefined ? undefined : node(target.node);
            if (n === undefined || target.weight === 0) continue;
            const only = n.listeners.length === 1 ? n.listeners[0] : undefined;
            const port = target.port ?? only?.port ?? listener?.port;
            const nodeListener = n.listeners.find((l) => l.port === port);
            if (port === undefined || nodeListener === undefined) continue;
            out.push({ node: n, port, protocol: listener?.protocol ?? nodeListener.protocol });
          }
        }
      }
      return out;
    },
  };
}
