import type { Manifest } from '@meshlingo/core';
import type { IngestSink } from './cursor.js';
import { readObject } from './object.js';

/**
 * VirtualGateway and GatewayRoute (north-south ingress) and the experimental BackendGroup have
 * no SMI counterpart: each object is reported as a whole. Dropping ingress changes how outside
 * traffic is routed; a BackendGroup alone grants nothing (VirtualNodes that use it are reported).
 */
export function reportIngressKind(
  manifest: Manifest,
  sink: IngestSink,
  defaultNamespace: string,
): void {
  const start = readObject(manifest, sink, defaultNamespace, true);
  if (start === undefined) return;
  const backendGroup = manifest.object.kind === 'BackendGroup';
  sink.report('unsupported-kind', manifest, [], {
    data: { kind: manifest.object.kind, name: `${start.base.namespace}/${start.base.name}` },
    effect: backendGroup ? 'cosmetic' : 'changes-routing',
    ...(backendGroup && { severity: 'info' }),
  });
}
