import {
  formatPointer,
  pointerToFieldPath,
  type Effect,
  type Manifest,
  type MeshModel,
} from '@meshlingo/core';
import { buildConfig, entryId, intentionRules } from '../evaluator.js';
import { identityKey } from '../identity.js';
import {
  CONSUL_API_VERSION,
  CONSUL_KINDS,
  parseConsulObject,
  type AnyParsed,
  type ParseIssue,
} from '../native.js';
import type { ConsulIngestContext } from './context.js';
import { restoreFragments } from './fragments.js';
import { ingestMesh } from './mesh.js';
import { ingestProxyDefaults } from './proxy-defaults.js';
import { ingestServiceDefaults } from './service-defaults.js';
import { ingestServiceIntentions } from './service-intentions.js';
import { reportServiceResolver } from './service-resolver.js';
import { ingestRouting } from './service-router.js';

/** What leaving out a Consul kind without an SMI form does, for the kinds whose meaning is known. */
const KIND_EFFECTS: Readonly<Record<string, Effect>> = {
  ExportedServices: 'narrows-access',
  JWTProvider: 'cosmetic',
  SamenessGroup: 'cosmetic',
  ControlPlaneRequestLimit: 'cosmetic',
};

function reportIssues(
  manifest: Manifest,
  issues: readonly ParseIssue[],
  ctx: ConsulIngestContext,
): void {
  for (const issue of issues) {
    const at = { manifest, field: issue.path };
    const field = pointerToFieldPath(formatPointer(issue.path));
    if (issue.id === 'unknown-field')
      ctx.report('unknown-field', { at, data: { kind: manifest.object.kind, field } });
    else
      ctx.report('invalid-object', {
        at,
        data: { kind: manifest.object.kind, field, reason: issue.reason },
      });
  }
}

function parseAll(manifests: readonly Manifest[], ctx: ConsulIngestContext): AnyParsed[] {
  const out: AnyParsed[] = [];
  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.object;
    if (apiVersion !== CONSUL_API_VERSION || !(CONSUL_KINDS as readonly string[]).includes(kind)) {
      const effect = Object.hasOwn(KIND_EFFECTS, kind) ? KIND_EFFECTS[kind] : undefined;
      ctx.report('unsupported-kind', {
        at: { manifest },
        data: { kind: `${kind} (${apiVersion})` },
        ...(effect !== undefined && { effect }),
      });
      continue;
    }
    const issues: ParseIssue[] = [];
    const parsed = parseConsulObject(manifest, ctx.core.defaultNamespace, issues);
    reportIssues(manifest, issues, ctx);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

function merge(models: readonly MeshModel[]): MeshModel {
  return {
    trafficTargets: models.flatMap((m) => m.trafficTargets),
    httpRouteGroups: models.flatMap((m) => m.httpRouteGroups),
    tcpRoutes: models.flatMap((m) => m.tcpRoutes),
    udpRoutes: models.flatMap((m) => m.udpRoutes),
    trafficSplits: models.flatMap((m) => m.trafficSplits),
    identityBindings: [],
  };
}

/**
 * Consul to SMI. Objects are validated like the API server and Consul would; SMI annotations that
 * still describe their objects exactly restore the original SMI; everything else is read from the
 * objects themselves: intentions by Consul's precedence into allow-lists, routing chains into
 * TrafficSplits. Every field SMI cannot carry is a diagnostic.
 */
export function ingestConsul(manifests: readonly Manifest[], ctx: ConsulIngestContext): MeshModel {
  const objects = parseAll(manifests, ctx);
  const duplicates = new Set<AnyParsed>();
  const config = buildConfig(objects, ctx.options, (duplicate) => {
    duplicates.add(duplicate);
    const p = duplicate.parsed;
    const service =
      duplicate.kind === 'ServiceIntentions'
        ? duplicate.parsed.spec.destination.name
        : identityKey(entryId(p, ctx.options));
    ctx.report('duplicate-entry', {
      at: { manifest: p.manifest },
      data: { kind: duplicate.kind, name: p.name, service },
    });
  });
  for (const o of objects) {
    if (o.kind === 'ServiceDefaults') ingestServiceDefaults(o.parsed, ctx);
    else if (o.kind === 'ProxyDefaults') ingestProxyDefaults(o.parsed, ctx);
    else if (o.kind === 'Mesh') ingestMesh(o.parsed, ctx);
    else if (o.kind === 'ServiceResolver') reportServiceResolver(o.parsed, ctx);
  }
  const restored = restoreFragments(
    objects.filter((o) => !duplicates.has(o)),
    config,
    ctx,
  );
  const fromAnnotations = merge(restored.models);
  for (const n of fromAnnotations.trafficTargets)
    ctx.names.reserve('TrafficTarget', n.namespace, n.name);
  for (const n of fromAnnotations.httpRouteGroups)
    ctx.names.reserve('HTTPRouteGroup', n.namespace, n.name);
  for (const n of fromAnnotations.tcpRoutes) ctx.names.reserve('TCPRoute', n.namespace, n.name);
  for (const n of fromAnnotations.trafficSplits)
    ctx.names.reserve('TrafficSplit', n.namespace, n.name);
  const access = ingestServiceIntentions(
    config,
    intentionRules(config, ctx.options),
    restored.consumed,
    ctx,
  );
  const routing = ingestRouting(config, restored.consumed, ctx);
  return merge([
    fromAnnotations,
    { ...access, udpRoutes: [], trafficSplits: [], identityBindings: [] },
    { ...routing, trafficTargets: [], tcpRoutes: [], udpRoutes: [], identityBindings: [] },
  ]);
}
