import { nodeKey, type KubeObject, type MeshModel, type ResourceRef } from '@meshlingo/core';
import type { RouteSpec } from '../common/native.js';
import {
  permissiveBackends,
  planBackends,
  type BackendPlan,
  type ReachElement,
  type VirtualServicePlan,
} from './access.js';
import { meshObject } from './mesh.js';
import {
  planTopology,
  type AppMeshEmitContext,
  type NodePlan,
  type ServicePlan,
} from './topology.js';
import { virtualNodeObject } from './virtual-node.js';
import {
  implicitRouter,
  splitRouter,
  virtualRouterObject,
  type RouterPlan,
} from './virtual-router.js';
import { virtualServiceObject } from './virtual-service.js';

const INJECTION_LABEL = 'appmesh.k8s.aws/sidecarInjectorWebhook';

/** A VirtualService to write: what it reaches, who provides it, where it came from. */
interface ServiceOutput extends VirtualServicePlan {
  readonly provider: { readonly node: string } | { readonly router: string };
  readonly sources: readonly ResourceRef[];
}

function routeBody(route: RouteSpec) {
  return 'httpRoute' in route
    ? route.httpRoute
    : 'http2Route' in route
      ? route.http2Route
      : 'grpcRoute' in route
        ? route.grpcRoute
        : route.tcpRoute;
}

/** Every node, container port and protocol a router's routes can send traffic to. */
function routerReach(router: RouterPlan, nodes: readonly NodePlan[]): ReachElement[] {
  const out: ReachElement[] = [];
  for (const route of router.routes) {
    const body = routeBody(route);
    const port = body.match?.port;
    const listener = router.listeners.find((l) => l.port === port) ?? router.listeners[0];
    if (listener === undefined) continue;
    for (const target of body.action.weightedTargets) {
      const node = nodes.find(
        (n) => n.namespace === router.namespace && n.name === target.virtualNodeRef.name,
      );
      const single = node?.listeners.size === 1 ? [...node.listeners.keys()][0] : undefined;
      const targetPort = target.port ?? single;
      if (node === undefined || target.weight === 0 || targetPort === undefined) continue;
      out.push({ node, port: targetPort, protocol: listener.protocol });
    }
  }
  return out;
}

/** One node and every port the Service sends to it. */
function nodeReach(plan: ServicePlan, node: NodePlan): ReachElement[] {
  return plan.ports.flatMap((p) => {
    const target = p.targets.get(node);
    return target === undefined ? [] : [{ node, port: target, protocol: p.protocol }];
  });
}

/**
 * SMI to App Mesh (v1beta2): a Mesh, a VirtualNode per workload, a VirtualService per Service
 * (provided by its only VirtualNode, or by a VirtualRouter: the TrafficSplit's, or one spreading
 * traffic evenly), and backends from the TrafficTargets. Every output carries the discontinuation
 * warning.
 */
export function emitAppMesh(model: MeshModel, ctx: AppMeshEmitContext): KubeObject[] {
  const { options } = ctx;
  ctx.report('discontinued');
  const routing = ctx.areas.has('routing');
  const access = ctx.areas.has('access');
  const splits = routing ? model.trafficSplits : [];
  const topology = planTopology(ctx, new Set(splits.map((s) => nodeKey(s.namespace, s.service))));

  // A split whose root has no VirtualService is not written; say which Services are missing.
  for (const split of splits) {
    if (topology.service(split.namespace, split.service) !== undefined) continue;
    const missing = (service: string, field: readonly (string | number)[]): void => {
      if (ctx.cluster.service(split.namespace, service) === undefined)
        ctx.report('missing-service', {
          at: { origin: split.origin, field },
          data: { namespace: split.namespace, service },
        });
    };
    missing(split.service, ['spec', 'service']);
    split.backends.forEach((b, i) => missing(b.service, ['spec', 'backends', i, 'service']));
    if (ctx.cluster.service(split.namespace, split.service) !== undefined) {
      ctx.report('root-without-ports', {
        at: { origin: split.origin, field: ['spec', 'service'] },
        data: { service: `${split.namespace}/${split.service}` },
      });
    }
  }

  const routers: RouterPlan[] = [];
  const services: ServiceOutput[] = [];
  for (const plan of topology.services) {
    const split = routing ? ctx.index.splitFor(plan.info.namespace, plan.info.name) : undefined;
    let router = split === undefined ? undefined : splitRouter(ctx, split, plan, topology);
    const only = plan.nodes.length === 1 ? plan.nodes[0] : undefined;
    if (router === undefined && plan.nodes.length === 0) continue;
    if (
      router === undefined &&
      only !== undefined &&
      plan.ports.every((p) => p.targets.get(only) === p.port)
    ) {
      services.push({
        service: plan,
        reach: nodeReach(plan, only),
        provider: { node: only.name },
        sources: [],
      });
      continue;
    }
    router ??= implicitRouter(ctx, plan);
    if (router === undefined) continue;
    routers.push(router);
    services.push({
      service: plan,
      reach: routerReach(router, topology.nodes),
      provider: { router: router.name },
      sources: split === undefined || router.sources.length === 0 ? [] : [split.origin.resource],
    });
  }

  const reported = new Set<NodePlan>();
  for (const router of routers) {
    if (router.sources.length === 0) continue;
    for (const r of routerReach(router, topology.nodes)) {
      const host = r.node.host;
      if (host === undefined || host.exact || reported.has(r.node)) continue;
      reported.add(r.node);
      ctx.report('ambiguous-discovery', {
        at: { origin: r.node.origin },
        data: { workload: `${r.node.namespace}/${r.node.name}`, service: host.service.name },
      });
    }
  }

  const hasTargets = model.trafficTargets.length > 0;
  let plan: BackendPlan;
  if (access && options.accessControl === 'enforced') {
    plan = planBackends(ctx, model, services, topology.nodesOfAccount);
    if (hasTargets) ctx.report('client-side-enforcement');
    else ctx.report('no-access-grants');
    if (hasTargets && options.egressFilter === 'ALLOW_ALL') ctx.report('egress-allow-all');
  } else {
    plan = permissiveBackends(topology.nodes, services);
    if (access && hasTargets) ctx.report('permissive-access');
  }

  const objects: KubeObject[] = [];
  if (options.createMesh) objects.push(meshObject(options));
  for (const node of topology.nodes) {
    objects.push(
      virtualNodeObject(node, plan.backends.get(node) ?? [], plan.sources.get(node) ?? [], options),
    );
  }
  for (const router of routers) objects.push(virtualRouterObject(router));
  for (const s of services)
    objects.push(virtualServiceObject(s.service.info, s.provider, s.sources, options));

  const namespaces = new Set(topology.nodes.map((n) => n.namespace));
  for (const name of [...namespaces].sort()) {
    const info = ctx.cluster.namespace(name);
    const labels = info?.labels ?? {};
    if (
      labels[options.namespaceLabel] === options.meshName &&
      labels[INJECTION_LABEL] === 'enabled'
    )
      continue;
    ctx.report('namespace-label', {
      ...(info !== undefined && { at: { origin: info.origin } }),
      data: { namespace: name, label: options.namespaceLabel, mesh: options.meshName },
    });
  }
  return objects;
}
