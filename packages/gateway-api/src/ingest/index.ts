import type { Manifest, MeshModel } from '@meshlingo/core';
import { field, list } from '../json.js';
import { GATEWAY_GROUP, GATEWAY_X_GROUP } from '../types.js';
import { readGrpcRoute } from './grpc-route.js';
import { readHttpRoute } from './http-route.js';
import { interpret, usableRules, type Candidate } from './interpret.js';
import { ModelBuilder } from './merge.js';
import { ManifestReader, type GatewayApiIngestContext } from './reader.js';
import { restoreMatches } from './restore.js';
import type { RouteRead } from './route.js';
import { readTcpRoute } from './tcp-route.js';

const READERS: Readonly<
  Record<string, { versions: readonly string[]; read: (r: ManifestReader) => RouteRead }>
> = {
  HTTPRoute: { versions: ['v1', 'v1beta1'], read: readHttpRoute },
  GRPCRoute: { versions: ['v1'], read: readGrpcRoute },
  TCPRoute: { versions: ['v1', 'v1alpha2'], read: readTcpRoute },
};

// Kinds that do not change how the mesh routes: mesh routes need no ReferenceGrant (GEP-1294),
// and XMesh only describes the implementation.
const IGNORED_KINDS = new Set(['ReferenceGrant', 'XMesh']);

/**
 * Gateway API to SMI: reads every HTTPRoute, GRPCRoute and TCPRoute with Service parents, and
 * makes one TrafficSplit per parent Service (with HTTPRouteGroups for its matches). Every field
 * SMI cannot carry, and every other Gateway API kind, is reported at its position.
 */
export function ingestManifests(
  manifests: readonly Manifest[],
  ctx: GatewayApiIngestContext,
): MeshModel {
  const byService = new Map<string, { namespace: string; service: string; list: Candidate[] }>();
  for (const manifest of manifests) {
    const reader = new ManifestReader(manifest, ctx);
    const { apiVersion, kind } = manifest.object;
    const [group = '', version = ''] = apiVersion.split('/');
    const known =
      group === GATEWAY_GROUP && Object.hasOwn(READERS, kind) ? READERS[kind] : undefined;
    if (known === undefined) {
      const ignoredKind =
        IGNORED_KINDS.has(kind) && (group === GATEWAY_GROUP || group === GATEWAY_X_GROUP);
      reader.report(ignoredKind ? 'kind-ignored' : 'kind-not-supported', ['kind'], { kind });
      continue;
    }
    if (!known.versions.includes(version)) {
      reader.report('unsupported-version', ['apiVersion'], {
        kind,
        apiVersion,
        supported: known.versions.map((v) => `${GATEWAY_GROUP}/${v}`).join(', '),
      });
      continue;
    }
    const route = known.read(reader);
    if (route.name === '') {
      reader.invalid(['metadata', 'name'], 'is missing');
      continue;
    }
    if (route.parents.length === 0) {
      if (list(field(manifest.object.spec, 'parentRefs')).length === 0)
        reader.report('no-parent', ['spec'], {
          kind,
          namespace: route.namespace,
          name: route.name,
        });
      continue;
    }
    const rules = usableRules(route, restoreMatches(route));
    for (const parent of route.parents) {
      const ports = ctx.cluster.service(route.namespace, parent.service)?.ports.map((p) => p.port);
      const candidate = interpret(route, rules, parent, ports);
      if (candidate === undefined) continue;
      const key = `${route.namespace}/${parent.service}`;
      const entry = byService.get(key) ?? {
        namespace: route.namespace,
        service: parent.service,
        list: [],
      };
      entry.list.push(candidate);
      byService.set(key, entry);
    }
  }
  const builder = new ModelBuilder(ctx);
  for (const key of [...byService.keys()].sort()) {
    const entry = byService.get(key);
    if (entry !== undefined) builder.addService(entry.namespace, entry.service, entry.list);
  }
  return builder.model();
}
