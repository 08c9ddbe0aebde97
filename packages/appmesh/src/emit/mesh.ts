import { safeRecord, type KubeObject } from '@meshlingo/core';
import { objectMetadata } from '../common/metadata.js';
import { APPMESH_API_VERSION } from '../common/native.js';
import type { AppMeshOptions } from '../options.js';

/**
 * The Mesh: it selects the namespaces labelled `<namespaceLabel>=<meshName>` (the webhook gives
 * their objects this mesh) and filters egress. `awsName` is written out because it is immutable.
 */
export function meshObject(options: AppMeshOptions): KubeObject {
  return {
    apiVersion: APPMESH_API_VERSION,
    kind: 'Mesh',
    metadata: objectMetadata(options.meshName, undefined, []),
    spec: {
      awsName: options.meshName,
      namespaceSelector: { matchLabels: safeRecord([[options.namespaceLabel, options.meshName]]) },
      egressFilter: { type: options.egressFilter },
    },
  };
}
