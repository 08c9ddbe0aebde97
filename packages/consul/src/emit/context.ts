import {
  generatedMetadata,
  indexModel,
  type EmitContext,
  type KubeObject,
  type MeshModel,
  type Origin,
  type ResourceRef,
  type TrafficSplitNode,
  type TrafficTargetNode,
} from '@meshlingo/core';
import { fragmentAnnotation, SMI_ANNOTATION } from '../fragment.js';
import { identityKey, type ConsulName } from '../identity.js';
import type { ConsulMessages } from '../messages.js';
import { CONSUL_API_VERSION } from '../native.js';
import type { ConsulOptions } from '../options.js';

/** The emit context of the Consul adapter. */
export type ConsulEmitContext = EmitContext<ConsulOptions, ConsulMessages>;

/** A service that needs an HTTP-like protocol, and why. */
export interface ServiceNeed {
  readonly id: ConsulName;
  /** Kubernetes namespace for its ServiceDefaults (the first node that needed it). */
  readonly namespace: string;
  readonly reasons: Set<string>;
  readonly refs: ResourceRef[];
  readonly origin: Origin;
}

/** Services that need an HTTP-like protocol, by Consul identity key. */
export type ServicePlan = Map<string, ServiceNeed>;

/** Records that a service needs an HTTP-like protocol. */
export function needHttp(
  plan: ServicePlan,
  id: ConsulName,
  namespace: string,
  reason: string,
  ref: ResourceRef,
  origin: Origin,
): void {
  const key = identityKey(id);
  const need = plan.get(key) ?? { id, namespace, reasons: new Set<string>(), refs: [], origin };
  need.reasons.add(reason);
  need.refs.push(ref);
  plan.set(key, need);
}

/** The SMI objects an emitted object came from: TrafficTargets or TrafficSplits and the routes they use. */
export function fragmentOf(
  model: MeshModel,
  nodes: { targets?: readonly TrafficTargetNode[]; splits?: readonly TrafficSplitNode[] },
): MeshModel {
  const index = indexModel(model);
  const targets = nodes.targets ?? [];
  const splits = nodes.splits ?? [];
  const refs = new Set<string>();
  for (const t of targets) for (const r of t.rules) refs.add(`${r.kind}/${t.namespace}/${r.name}`);
  for (const s of splits)
    for (const m of s.matches ?? []) refs.add(`HTTPRouteGroup/${s.namespace}/${m.name}`);
  const pick = <T extends { namespace: string; name: string }>(
    kind: string,
    lookup: (ns: string, name: string) => T | undefined,
  ): T[] =>
    [...refs]
      .filter((r) => r.startsWith(`${kind}/`))
      .sort()
      .map((r) => {
        const [, ns = '', name = ''] = r.split('/');
        return lookup(ns, name);
      })
      .filter((n): n is T => n !== undefined);
  return {
    trafficTargets: targets,
    httpRouteGroups: pick('HTTPRouteGroup', index.httpRouteGroup),
    tcpRoutes: pick('TCPRoute', index.tcpRoute),
    udpRoutes: pick('UDPRoute', index.udpRoute),
    trafficSplits: splits,
    identityBindings: [],
  };
}

/** A Consul custom resource with meshlingo's metadata and, when asked, the SMI it came from. */
export function consulObject(
  ctx: ConsulEmitContext,
  kind: string,
  name: string,
  namespace: string,
  sources: readonly ResourceRef[],
  spec: Record<string, unknown>,
  fragment?: MeshModel,
): KubeObject {
  const annotations =
    fragment !== undefined && ctx.options.embedSmi
      ? { [SMI_ANNOTATION]: fragmentAnnotation(fragment) }
      : {};
  return {
    apiVersion: CONSUL_API_VERSION,
    kind,
    metadata: generatedMetadata(name, namespace, sources, { annotations }),
    spec,
  };
}

/** A node's reference, for `meshlingo.io/source`. */
export function refOf(node: { origin: Origin }): ResourceRef {
  return node.origin.resource;
}
