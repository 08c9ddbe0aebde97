import type { Manifest } from '@meshlingo/core';
import type { IngestSink } from './cursor.js';
import { readObject, readSelector } from './object.js';
import type { ParsedMesh } from './parsed.js';

/**
 * Reads a Mesh (cluster-scoped). Only the egress filter matters for SMI: it decides whether
 * VirtualNode backends restrict anything. Membership (`namespaceSelector`) is kept for the
 * evaluator; ownership and IP preference have no SMI counterpart.
 */
export function readMesh(manifest: Manifest, sink: IngestSink): ParsedMesh | undefined {
  const start = readObject(manifest, sink, '', false);
  if (start === undefined) return undefined;
  const { spec } = start;
  spec.onlyKnown([
    'awsName',
    'namespaceSelector',
    'egressFilter',
    'meshOwner',
    'meshServiceDiscovery',
    'serviceDiscoveryType',
  ]);
  // Which namespaces belong to the mesh is the target mesh's own setup (injection labels).
  spec.drop('namespaceSelector', 'cosmetic');
  spec.drop('meshOwner', 'cosmetic');
  spec.drop('meshServiceDiscovery', 'cosmetic');
  spec.drop('serviceDiscoveryType', 'cosmetic');
  const egress = spec.record('egressFilter');
  egress?.onlyKnown(['type']);
  const type = egress?.oneOf('type', ['DROP_ALL', 'ALLOW_ALL'] as const);
  const selector = spec.record('namespaceSelector');
  return {
    ...start.base,
    ...(type !== undefined && { egress: type }),
    ...(selector !== undefined && { namespaceSelector: readSelector(selector) }),
  };
}
