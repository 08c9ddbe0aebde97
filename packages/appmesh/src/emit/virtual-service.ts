import type { KubeObject, ResourceRef } from '@meshlingo/core';
import { objectMetadata } from '../common/metadata.js';
import { virtualServiceAwsName } from '../common/hosts.js';
import { APPMESH_API_VERSION } from '../common/native.js';
import type { AppMeshOptions } from '../options.js';

/**
 * The VirtualService of a Kubernetes Service. Its AWS name is the host name clients must dial
 * (by default the Service FQDN); it is provided by the Service's only VirtualNode or by a
 * VirtualRouter of the same name.
 */
export function virtualServiceObject(
  service: { readonly name: string; readonly namespace: string },
  provider: { readonly node: string } | { readonly router: string },
  sources: readonly ResourceRef[],
  options: AppMeshOptions,
): KubeObject {
  return {
    apiVersion: APPMESH_API_VERSION,
    kind: 'VirtualService',
    metadata: objectMetadata(service.name, service.namespace, sources),
    spec: {
      awsName: virtualServiceAwsName(
        service.name,
        service.namespace,
        options.virtualServiceNames,
        options.clusterDomain,
      ),
      provider:
        'node' in provider
          ? { virtualNode: { virtualNodeRef: { name: provider.node } } }
          : { virtualRouter: { virtualRouterRef: { name: provider.router } } },
    },
  };
}
