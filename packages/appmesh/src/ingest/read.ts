import type { Manifest } from '@meshlingo/core';
import { APPMESH_GROUP } from '../common/native.js';
import type { IngestSink } from './cursor.js';
import { reportIngressKind } from './ingress.js';
import { readMesh } from './mesh.js';
import type {
  ParsedMesh,
  ParsedNode,
  ParsedObjects,
  ParsedRouter,
  ParsedVirtualService,
} from './parsed.js';
import { readVirtualNode } from './virtual-node.js';
import { readVirtualRouter } from './virtual-router.js';
import { readVirtualService } from './virtual-service.js';

/** Kinds each App Mesh API version has. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  v1beta2: [
    'Mesh',
    'VirtualNode',
    'VirtualService',
    'VirtualRouter',
    'VirtualGateway',
    'GatewayRoute',
    'BackendGroup',
  ],
  v1beta1: ['Mesh', 'VirtualNode', 'VirtualService'],
};

/** Reads every App Mesh object of the input into the shape ingest and the evaluator share. */
export function readAppMeshObjects(
  manifests: readonly Manifest[],
  sink: IngestSink,
  defaultNamespace: string,
): ParsedObjects {
  const meshes: ParsedMesh[] = [];
  const nodes: ParsedNode[] = [];
  const routers: ParsedRouter[] = [];
  const services: ParsedVirtualService[] = [];
  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.object;
    const [group, version = ''] = apiVersion.split('/');
    if (group !== APPMESH_GROUP) continue;
    if (!Object.hasOwn(KINDS, version) || !(KINDS[version] ?? []).includes(kind)) {
      sink.report('unsupported-version', manifest, ['apiVersion'], { data: { apiVersion, kind } });
      continue;
    }
    const push = <T>(list: T[], item: T | undefined): void => {
      if (item !== undefined) list.push(item);
    };
    switch (kind) {
      case 'Mesh':
        push(meshes, readMesh(manifest, sink));
        break;
      case 'VirtualNode':
        push(nodes, readVirtualNode(manifest, sink, defaultNamespace));
        break;
      case 'VirtualRouter':
        push(routers, readVirtualRouter(manifest, sink, defaultNamespace));
        break;
      case 'VirtualService':
        push(services, readVirtualService(manifest, sink, defaultNamespace));
        break;
      default:
        reportIngressKind(manifest, sink, defaultNamespace);
    }
  }
  return { meshes, nodes, routers, services };
}
