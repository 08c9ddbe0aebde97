import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import { SMI_ANNOTATION } from '../smi-annotation.js';

/**
 * A Gateway API TCPRoute (Linkerd 2.17+) splitting the connections to one port of a Service,
 * for ports that do not carry HTTP.
 */
export function tcpRouteObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly apiVersion: string;
  readonly service: string;
  readonly port: number;
  readonly backends: readonly { readonly service: string; readonly weight: number }[];
  readonly refs: readonly ResourceRef[];
  readonly smi: string;
}): KubeObject {
  return {
    apiVersion: args.apiVersion,
    kind: 'TCPRoute',
    metadata: generatedMetadata(args.name, args.namespace, args.refs, {
      annotations: { [SMI_ANNOTATION]: args.smi },
    }),
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: args.service, port: args.port }],
      rules: [
        {
          backendRefs: args.backends.map((b) => ({
            name: b.service,
            port: args.port,
            weight: b.weight,
          })),
        },
      ],
    },
  };
}
