import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import type { TargetApis } from '../versions.js';

/** The networks kubelet probes come from, for probe routes. */
export function networkAuthenticationObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly networks: readonly string[];
  readonly apis: TargetApis;
  readonly refs: readonly ResourceRef[];
}): KubeObject {
  return {
    apiVersion: args.apis.networkAuthentication,
    kind: 'NetworkAuthentication',
    metadata: generatedMetadata(args.name, args.namespace, args.refs),
    spec: { networks: args.networks.map((cidr) => ({ cidr })) },
  };
}
