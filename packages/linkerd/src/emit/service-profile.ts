import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import { SMI_ANNOTATION } from '../smi-annotation.js';
import type { TargetApis } from '../versions.js';

/**
 * A ServiceProfile splitting a Service by `dstOverrides` (the linkerd-smi style). Its name is the
 * Service's FQDN, which is how Linkerd finds it; authorities carry no port, so the port of the
 * request is kept.
 */
export function serviceProfileObject(args: {
  readonly service: string;
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly backends: readonly { readonly service: string; readonly weight: number }[];
  readonly apis: TargetApis;
  readonly refs: readonly ResourceRef[];
  readonly smi: string;
}): KubeObject {
  const fqdn = (service: string): string =>
    `${service}.${args.namespace}.svc.${args.clusterDomain}`;
  return {
    apiVersion: args.apis.serviceProfile,
    kind: 'ServiceProfile',
    metadata: generatedMetadata(fqdn(args.service), args.namespace, args.refs, {
      annotations: { [SMI_ANNOTATION]: args.smi },
    }),
    spec: {
      dstOverrides: args.backends.map((b) => ({ authority: fqdn(b.service), weight: b.weight })),
    },
  };
}
