import type { KubeObject, ResourceRef } from '@meshlingo/core';
import { objectMetadata } from '../common/metadata.js';
import { serviceFqdn } from '../common/hosts.js';
import { APPMESH_API_VERSION } from '../common/native.js';
import type { AppMeshOptions } from '../options.js';
import type { VirtualServicePlan } from './access.js';
import type { NodePlan } from './topology.js';

/**
 * A VirtualNode: the pods of one workload (podSelector), the container ports Services send to
 * (listeners), the name it is reached by (a Service that selects exactly its pods) and the
 * VirtualServices it may call (backends). Never `meshRef`: the webhook fills it and rejects
 * objects that carry it.
 */
export function virtualNodeObject(
  node: NodePlan,
  backends: readonly VirtualServicePlan[],
  sources: readonly ResourceRef[],
  options: AppMeshOptions,
): KubeObject {
  const listeners = [...node.listeners]
    .sort(([a], [b]) => a - b)
    .map(([port, l]) => ({ portMapping: { port, protocol: l.protocol } }));
  const host = node.host?.service;
  const discovery =
    host === undefined || listeners.length === 0
      ? undefined
      : options.discovery === 'cloud-map'
        ? {
            awsCloudMap: {
              namespaceName: options.cloudMapNamespace ?? '',
              serviceName: host.name,
            },
          }
        : { dns: { hostname: serviceFqdn(host.name, host.namespace, options.clusterDomain) } };
  const refs = backends
    .map((b) => b.service.info)
    .sort((a, b) =>
      a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1,
    )
    .map((s) => ({
      virtualService: {
        virtualServiceRef: {
          ...(s.namespace !== node.namespace && { namespace: s.namespace }),
          name: s.name,
        },
      },
    }));
  return {
    apiVersion: APPMESH_API_VERSION,
    kind: 'VirtualNode',
    metadata: objectMetadata(node.name, node.namespace, sources),
    spec: {
      awsName: `${node.name}_${node.namespace}`,
      podSelector: {
        matchLabels: node.labels,
        ...(node.exclude.length > 0 && {
          matchExpressions: node.exclude.map((r) => ({ key: r.key, operator: r.operator })),
        }),
      },
      ...(listeners.length > 0 && { listeners }),
      ...(discovery !== undefined && { serviceDiscovery: discovery }),
      ...(refs.length > 0 && { backends: refs }),
    },
  };
}
