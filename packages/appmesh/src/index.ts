/**
 * @meshlingo/appmesh: AWS App Mesh (appmesh.k8s.aws) to SMI and back. App Mesh is discontinued
 * on 30 September 2026; reading it into SMI (and from there into another mesh) is the main use.
 */
import { defineAdapter } from '@meshlingo/core';
import { appMeshCapabilities } from './capabilities.js';
import { APPMESH_GROUP } from './common/native.js';
import { emitAppMesh } from './emit/emit.js';
import { authorizeAppMesh, routeAppMesh } from './evaluator.js';
import { ingestAppMesh } from './ingest/to-model.js';
import { appMeshMessages } from './messages.js';
import { AppMeshOptionsSchema } from './options.js';

/** The App Mesh adapter (`--to appmesh`, `--from appmesh`). */
export const appMeshAdapter = defineAdapter({
  name: 'appmesh',
  packageName: '@meshlingo/appmesh',
  description:
    'AWS App Mesh (discontinued 30 September 2026): Mesh, VirtualNode, VirtualService, VirtualRouter',
  meshVersions: 'appmesh.k8s.aws/v1beta2 (reads v1beta1 too)',
  nativeKinds: [
    { group: APPMESH_GROUP, kind: 'Mesh', versions: ['v1beta2', 'v1beta1'] },
    { group: APPMESH_GROUP, kind: 'VirtualNode', versions: ['v1beta2', 'v1beta1'] },
    { group: APPMESH_GROUP, kind: 'VirtualRouter', versions: ['v1beta2'] },
    { group: APPMESH_GROUP, kind: 'VirtualService', versions: ['v1beta2', 'v1beta1'] },
    { group: APPMESH_GROUP, kind: 'VirtualGateway', versions: ['v1beta2'] },
    { group: APPMESH_GROUP, kind: 'GatewayRoute', versions: ['v1beta2'] },
    { group: APPMESH_GROUP, kind: 'BackendGroup', versions: ['v1beta2'] },
  ],
  capabilities: appMeshCapabilities,
  messages: appMeshMessages,
  optionsSchema: AppMeshOptionsSchema,
  // Weights rounded to a total of 100 move each share by less than 1 %.
  shareTolerance: 0.01,
  emit: emitAppMesh,
  ingest: ingestAppMesh,
  claims: (object) => object.apiVersion.startsWith(`${APPMESH_GROUP}/`),
  evaluator: { authorize: authorizeAppMesh, route: routeAppMesh },
});

export default appMeshAdapter;
export { appMeshCapabilities } from './capabilities.js';
export { appMeshMessages } from './messages.js';
export type { AppMeshMessageId } from './messages.js';
export { AppMeshOptionsSchema } from './options.js';
export type { AppMeshOptions } from './options.js';
export { authorizeAppMesh, routeAppMesh } from './evaluator.js';
export { emitAppMesh } from './emit/emit.js';
export { ingestAppMesh } from './ingest/to-model.js';
