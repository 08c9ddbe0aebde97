import type { ResourceRef, SourceLocation } from '../diagnostics/diagnostic.js';
import type { HttpMethod } from '../schemas/common.js';

/**
 * Where a model node came from: the object (SMI or native, with the apiVersion it was written
 * in) and, when known, the place in the user's input. Every node carries one, so any loss can be
 * reported at the field that caused it.
 */
export interface Origin {
  readonly resource: ResourceRef;
  readonly location?: SourceLocation;
}

/** Name, namespace, user metadata and origin shared by every top-level node. */
export interface ObjectNode {
  readonly name: string;
  readonly namespace: string;
  /** User labels, kept for a faithful round trip. Null-prototype objects. */
  readonly labels?: Readonly<Record<string, string>>;
  /** User annotations, kept for a faithful round trip. Null-prototype objects. */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly origin: Origin;
}

/** A TrafficTarget destination or source. Namespaces are always explicit in the model. */
export interface SubjectNode {
  readonly kind: 'ServiceAccount' | 'IdentityBinding';
  readonly name: string;
  readonly namespace: string;
  readonly origin: Origin;
}

/** Kinds a TrafficTarget rule may reference. */
export type RouteKind = 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';

/** One rule of a TrafficTarget: a route resource in the TrafficTarget's namespace. */
export interface RuleNode {
  readonly kind: RouteKind;
  readonly name: string;
  /** Names of HTTPRouteGroup matches; absent means every match of the group. */
  readonly matches?: readonly string[];
  readonly origin: Origin;
}

/** access.smi-spec.io TrafficTarget at the hub version (v1alpha3). */
export interface TrafficTargetNode extends ObjectNode {
  readonly destination: SubjectNode;
  readonly sources: readonly SubjectNode[];
  readonly rules: readonly RuleNode[];
}

/** One header condition: the name compares case-insensitively, the value is an RE2 regex. */
export interface HeaderMatchNode {
  readonly name: string;
  readonly value: string;
}

/** One match of an HTTPRouteGroup. Absent pathRegex or methods match anything. */
export interface HttpMatchNode {
  readonly name: string;
  /** RE2, applied to the path only, anchored at the start. */
  readonly pathRegex?: string;
  /** De-duplicated; `['*']` when the source allowed every method explicitly. */
  readonly methods?: readonly HttpMethod[];
  /** In the order written; all must match. */
  readonly headers?: readonly HeaderMatchNode[];
  readonly origin: Origin;
}

/** specs.smi-spec.io HTTPRouteGroup at the hub version (v1alpha4). */
export interface HTTPRouteGroupNode extends ObjectNode {
  readonly matches: readonly HttpMatchNode[];
}

/** specs.smi-spec.io TCPRoute or UDPRoute at the hub version (v1alpha4). */
export interface PortRouteNode extends ObjectNode {
  /** Container (target) ports; empty means every port. */
  readonly ports: readonly number[];
}

/** One backend of a TrafficSplit. */
export interface BackendNode {
  readonly service: string;
  /** A relative integer weight, >= 0. */
  readonly weight: number;
  readonly origin: Origin;
}

/** A TrafficSplit `matches` reference. */
export interface SplitMatchNode {
  readonly kind: 'HTTPRouteGroup';
  readonly name: string;
  readonly origin: Origin;
}

/** split.smi-spec.io TrafficSplit at the hub version (v1alpha4). */
export interface TrafficSplitNode extends ObjectNode {
  /** The root (apex) Service, a short name in the split's namespace. */
  readonly service: string;
  readonly backends: readonly BackendNode[];
  /** HTTPRouteGroups whose matches select the traffic that is split; others go to the root. */
  readonly matches?: readonly SplitMatchNode[];
}

/** access.smi-spec.io/v1alpha4 IdentityBinding (draft, experimental). */
export interface IdentityBindingNode extends ObjectNode {
  readonly podLabelSelector?: Readonly<Record<string, string>>;
  readonly spiffeIdentities?: readonly string[];
  readonly serviceAccount?: string;
}

/**
 * The hub model: every SMI object normalised to the hub versions (access v1alpha3, specs
 * v1alpha4, split v1alpha4), as plain readonly data. Lists are sorted by namespace and name.
 */
export interface MeshModel {
  readonly trafficTargets: readonly TrafficTargetNode[];
  readonly httpRouteGroups: readonly HTTPRouteGroupNode[];
  readonly tcpRoutes: readonly PortRouteNode[];
  readonly udpRoutes: readonly PortRouteNode[];
  readonly trafficSplits: readonly TrafficSplitNode[];
  readonly identityBindings: readonly IdentityBindingNode[];
}

/** A model with nothing in it. */
export const EMPTY_MODEL: MeshModel = {
  trafficTargets: [],
  httpRouteGroups: [],
  tcpRoutes: [],
  udpRoutes: [],
  trafficSplits: [],
  identityBindings: [],
};

/** `namespace/name`, the key used to look nodes up. */
export function nodeKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function compareNodes(a: ObjectNode, b: ObjectNode): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Returns a model whose lists are sorted by namespace and name (the order every emitter sees). */
export function sortModel(model: MeshModel): MeshModel {
  const sorted = <T extends ObjectNode>(list: readonly T[]): T[] => [...list].sort(compareNodes);
  return {
    trafficTargets: sorted(model.trafficTargets),
    httpRouteGroups: sorted(model.httpRouteGroups),
    tcpRoutes: sorted(model.tcpRoutes),
    udpRoutes: sorted(model.udpRoutes),
    trafficSplits: sorted(model.trafficSplits),
    identityBindings: sorted(model.identityBindings),
  };
}

/** Lookup tables over a model, built once per run. */
export interface ModelIndex {
  readonly httpRouteGroup: (namespace: string, name: string) => HTTPRouteGroupNode | undefined;
  readonly tcpRoute: (namespace: string, name: string) => PortRouteNode | undefined;
  readonly udpRoute: (namespace: string, name: string) => PortRouteNode | undefined;
  readonly splitFor: (namespace: string, service: string) => TrafficSplitNode | undefined;
}

/** Builds lookup tables over a model. The first node wins when keys repeat. */
export function indexModel(model: MeshModel): ModelIndex {
  const table = <T extends ObjectNode>(list: readonly T[]): Map<string, T> => {
    const map = new Map<string, T>();
    for (const node of list) {
      const key = nodeKey(node.namespace, node.name);
      if (!map.has(key)) map.set(key, node);
    }
    return map;
  };
  const groups = table(model.httpRouteGroups);
  const tcp = table(model.tcpRoutes);
  const udp = table(model.udpRoutes);
  const splits = new Map<string, TrafficSplitNode>();
  for (const split of model.trafficSplits) {
    const key = nodeKey(split.namespace, split.service);
    if (!splits.has(key)) splits.set(key, split);
  }
  return {
    httpRouteGroup: (ns, name) => groups.get(nodeKey(ns, name)),
    tcpRoute: (ns, name) => tcp.get(nodeKey(ns, name)),
    udpRoute: (ns, name) => udp.get(nodeKey(ns, name)),
    splitFor: (ns, service) => splits.get(nodeKey(ns, service)),
  };
}
