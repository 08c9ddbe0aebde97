import { sortModel, type IngestContext, type Manifest, type MeshModel } from '@meshlingo/core';
import type { appMeshMessages } from '../messages.js';
import type { AppMeshOptions } from '../options.js';
import { ingestSink, type DeriveContext } from './context.js';
import { readAppMeshObjects } from './read.js';
import { buildTopology } from './topology.js';
import { deriveTrafficSplits } from './traffic-split.js';
import { deriveTrafficTargets } from './traffic-target.js';

/**
 * App Mesh (v1beta2 and legacy v1beta1) to SMI: VirtualRouters become TrafficSplits (and
 * HTTPRouteGroups for matched routes), VirtualNode backends become TrafficTargets. Every field
 * SMI cannot carry is reported with its pointer and what dropping it changes.
 */
export function ingestAppMesh(
  manifests: readonly Manifest[],
  ctx: IngestContext<AppMeshOptions, typeof appMeshMessages>,
): MeshModel {
  const sink = ingestSink(ctx);
  const objects = readAppMeshObjects(manifests, sink, ctx.core.defaultNamespace);
  const topology = buildTopology(objects, ctx.cluster, ctx.options);
  const reported = new Set<string>();
  const dc: DeriveContext = {
    topology,
    sink,
    names: ctx.names,
    options: ctx.options,
    cluster: ctx.cluster,
    once(key, report) {
      if (reported.has(key)) return;
      reported.add(key);
      report();
    },
  };
  for (const service of objects.services) {
    const provider = service.provider;
    const missing =
      provider?.kind === 'node'
        ? topology.node(provider.ref) === undefined && { kind: 'VirtualNode', ...provider.ref }
        : provider?.kind === 'router' &&
          topology.routerOf(service) === undefined && { kind: 'VirtualRouter', ...provider.ref };
    if (missing !== false && missing !== undefined) {
      sink.report('reference-not-found', service.manifest, ['spec', 'provider'], {
        data: missing,
        effect: 'changes-routing',
      });
    }
    const root = topology.serviceOfVirtualService(service);
    if (root.guessedFrom !== undefined) {
      sink.report(
        'service-name-guessed',
        service.manifest,
        service.legacy ? ['metadata', 'name'] : ['spec', 'awsName'],
        {
          data: { ...root.guessedFrom, service: root.service },
        },
      );
    }
  }
  const used = new Set(objects.services.map((s) => topology.routerOf(s)));
  for (const router of objects.routers) {
    if (!used.has(router))
      sink.report('router-unused', router.manifest, ['metadata', 'name'], {
        data: { router: `${router.namespace}/${router.name}` },
      });
  }
  const { splits, groups } = deriveTrafficSplits(dc);
  const { targets, routes } = deriveTrafficTargets(dc);
  return sortModel({
    trafficTargets: targets,
    httpRouteGroups: groups,
    tcpRoutes: routes,
    udpRoutes: [],
    trafficSplits: splits,
    identityBindings: [],
  });
}
