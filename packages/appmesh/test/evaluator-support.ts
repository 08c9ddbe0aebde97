import {
  indexContext,
  parseYamlStream,
  readContext,
  toManifests,
  type AccessRequest,
  type KubeObject,
  type RouteRequest,
} from '@meshlingo/core';
import { AppMeshOptionsSchema, authorizeAppMesh, routeAppMesh } from '../src/index.js';

/** App Mesh objects and the cluster they run in, from one YAML stream. */
export function world(yaml: string, options: unknown = AppMeshOptionsSchema.parse({})) {
  const { manifests } = toManifests(parseYamlStream({ path: 'test.yaml', text: yaml }).documents);
  const read = readContext(manifests);
  const objects: KubeObject[] = read.others.map((m) => m.object);
  const env = { options: options as never, cluster: indexContext(read.context) };
  return {
    authorize: (request: AccessRequest) => authorizeAppMesh(objects, request, env),
    route: (request: RouteRequest) => routeAppMesh(objects, request, env),
  };
}

/** A Deployment whose pods carry the labels and run as the ServiceAccount. */
export const workload = (name: string, labels: string, account: string, ns = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {serviceAccountName: ${account}, containers: [{name: c, image: i}]}
---`;

/** A VirtualNode selecting the labels; `extra` continues its spec. */
export const node = (name: string, labels: string, extra = '', ns = 'shop') => `
apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata: {name: ${name}, namespace: ${ns}}
spec:
  podSelector: {matchLabels: ${labels}}${extra}
---`;
