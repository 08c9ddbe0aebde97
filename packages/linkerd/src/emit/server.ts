import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import type { TargetApis } from '../versions.js';

/**
 * A Server for the pods of one ServiceAccount and one container port (by name when the
 * workloads name it). `accessPolicy: deny` is
 * written out on v1beta3 (it is the default there) so the output says what it means; protocol
 * detection stays on (`proxyProtocol` unset), because HTTPRoutes are ignored on opaque and gRPC
 * Servers.
 */
export function serverObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly port: number | string;
  readonly apis: TargetApis;
  readonly refs: readonly ResourceRef[];
}): KubeObject {
  return {
    apiVersion: args.apis.server,
    kind: 'Server',
    metadata: generatedMetadata(args.name, args.namespace, args.refs),
    spec: {
      podSelector: { matchLabels: { ...args.labels } },
      port: args.port,
      ...(args.apis.accessPolicy && { accessPolicy: 'deny' }),
    },
  };
}
