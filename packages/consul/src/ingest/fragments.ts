import {
  createNameAllocator,
  indexModel,
  type KubeObject,
  type Manifest,
  type MeshModel,
} from '@meshlingo/core';
import { compileModel } from '../emit/index.js';
import type { ConsulEmitContext } from '../emit/context.js';
import { protocolOf, type ConsulConfig } from '../evaluator.js';
import { readFragment, SMI_ANNOTATION } from '../fragment.js';
import { consulNamespaceOf, identityKey, type ConsulName } from '../identity.js';
import { consulMessages } from '../messages.js';
import { isHttpLike, objectRef, type AnyParsed } from '../native.js';
import { fieldOf, type ConsulIngestContext } from './context.js';

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A node's content without where it came from, to spot two annotations that disagree. */
function nodeJson(node: object): string {
  return JSON.stringify(node, (key, v: unknown) =>
    key === 'origin' || key === 'labels' || key === 'annotations' ? undefined : v,
  );
}

/**
 * Translates SMI back to Consul with nothing reported: the objects, and whether any step lost
 * meaning (an error, or an effect other than cosmetic).
 */
function compileQuietly(
  model: MeshModel,
  ctx: ConsulIngestContext,
): { objects: KubeObject[]; lossy: boolean } {
  let lossy = false;
  const quiet: ConsulEmitContext = {
    options: { ...ctx.options, defaultDeny: false },
    core: ctx.core,
    cluster: ctx.cluster,
    names: createNameAllocator(),
    report(id, init = {}) {
      const spec = consulMessages[id];
      const severity = init.severity ?? spec.severity;
      const effect = init.effect ?? ('effect' in spec ? spec.effect : undefined);
      if (severity === 'error' || (effect !== undefined && effect !== 'cosmetic')) lossy = true;
    },
    unrepresentable() {
      lossy = true;
      return 'narrow';
    },
    sink: () => undefined,
    areas: new Set(['access', 'routing']),
    index: indexModel(model),
  };
  return { objects: compileModel(model, quiet), lossy };
}

function idOf(object: KubeObject, ctx: ConsulIngestContext): ConsulName {
  return {
    name: object.metadata?.name ?? '',
    namespace: consulNamespaceOf(
      object.metadata?.namespace ?? ctx.core.defaultNamespace,
      ctx.options,
    ),
  };
}

/**
 * Whether the SMI of an annotation is exactly what the objects say: it translates without loss to
 * objects that are all present with the same spec (the annotated one among them), the services it
 * needs HTTP-like have such a protocol (and intentions destinations it leaves TCP are TCP), and the
 * roots of its splits have no other routing objects. Returns the manifests it explains.
 */
function explains(
  owner: AnyParsed,
  model: MeshModel,
  objects: readonly AnyParsed[],
  config: ConsulConfig,
  ctx: ConsulIngestContext,
): Set<Manifest> | undefined {
  const { objects: expected, lossy } = compileQuietly(model, ctx);
  if (lossy) return undefined;
  const matched = new Set<Manifest>();
  const http = new Set<string>();
  for (const e of expected) if (e.kind === 'ServiceDefaults') http.add(identityKey(idOf(e, ctx)));
  for (const e of expected) {
    if (e.kind === 'ServiceDefaults') {
      if (!isHttpLike(protocolOf(config, idOf(e, ctx)))) return undefined;
      continue;
    }
    const found = objects.find(
      (o) =>
        o.kind === e.kind &&
        o.parsed.name === e.metadata?.name &&
        o.parsed.namespace === e.metadata.namespace &&
        canonical(o.parsed.manifest.object.spec) === canonical(e.spec),
    );
    if (found === undefined) return undefined;
    matched.add(found.parsed.manifest);
    if (e.kind === 'ServiceIntentions') {
      const spec = e.spec as { destination: { name: string; namespace?: string } };
      const dest = {
        name: spec.destination.name,
        namespace: spec.destination.namespace ?? idOf(e, ctx).namespace,
      };
      if (http.has(identityKey(dest)) !== isHttpLike(protocolOf(config, dest))) return undefined;
    }
  }
  if (!matched.has(owner.parsed.manifest)) return undefined;
  for (const split of model.trafficSplits) {
    const key = identityKey({
      name: split.service,
      namespace: consulNamespaceOf(split.namespace, ctx.options),
    });
    for (const map of [config.routers, config.splitters, config.resolvers]) {
      const other = map.get(key);
      if (other !== undefined && !matched.has(other.manifest)) return undefined;
    }
  }
  return matched;
}

/** SMI restored from verified annotations, and the Consul objects those annotations explain. */
export interface Restored {
  readonly models: MeshModel[];
  readonly consumed: Set<Manifest>;
}

/**
 * Reads the `consul.meshlingo.io/smi` annotations of ServiceIntentions, ServiceSplitters and
 * ServiceRouters and keeps those that still describe the objects exactly (see {@link explains}),
 * so names, match names, regex spellings and weights come back as they were. Two annotations that
 * disagree about one SMI object keep the first.
 */
export function restoreFragments(
  objects: readonly AnyParsed[],
  config: ConsulConfig,
  ctx: ConsulIngestContext,
): Restored {
  const models: MeshModel[] = [];
  const consumed = new Set<Manifest>();
  const nodes = new Map<string, string>();
  for (const owner of objects) {
    if (
      owner.kind !== 'ServiceIntentions' &&
      owner.kind !== 'ServiceSplitter' &&
      owner.kind !== 'ServiceRouter'
    )
      continue;
    const value = owner.parsed.annotations.get(SMI_ANNOTATION);
    if (value === undefined) continue;
    const at = fieldOf(owner.parsed, ['metadata', 'annotations', SMI_ANNOTATION]);
    const read = readFragment(value, owner.parsed.manifest, objectRef(owner.parsed));
    if ('error' in read) {
      ctx.report('smi-annotation-invalid', { at, data: { reason: read.error } });
      continue;
    }
    const matched = explains(owner, read.model, objects, config, ctx);
    const entries = [
      ...read.model.trafficTargets.map(
        (n) => [`TrafficTarget/${n.namespace}/${n.name}`, n] as const,
      ),
      ...read.model.httpRouteGroups.map(
        (n) => [`HTTPRouteGroup/${n.namespace}/${n.name}`, n] as const,
      ),
      ...read.model.tcpRoutes.map((n) => [`TCPRoute/${n.namespace}/${n.name}`, n] as const),
      ...read.model.udpRoutes.map((n) => [`UDPRoute/${n.namespace}/${n.name}`, n] as const),
      ...read.model.trafficSplits.map((n) => [`TrafficSplit/${n.namespace}/${n.name}`, n] as const),
    ];
    const conflict = entries.some(
      ([key, node]) => nodes.has(key) && nodes.get(key) !== nodeJson(node),
    );
    if (matched === undefined || conflict || [...matched].some((m) => consumed.has(m))) {
      ctx.report('smi-annotation-stale', { at });
      continue;
    }
    const fresh = (key: string): boolean => !nodes.has(key);
    models.push({
      trafficTargets: read.model.trafficTargets.filter((n) =>
        fresh(`TrafficTarget/${n.namespace}/${n.name}`),
      ),
      httpRouteGroups: read.model.httpRouteGroups.filter((n) =>
        fresh(`HTTPRouteGroup/${n.namespace}/${n.name}`),
      ),
      tcpRoutes: read.model.tcpRoutes.filter((n) => fresh(`TCPRoute/${n.namespace}/${n.name}`)),
      udpRoutes: read.model.udpRoutes.filter((n) => fresh(`UDPRoute/${n.namespace}/${n.name}`)),
      trafficSplits: read.model.trafficSplits.filter((n) =>
        fresh(`TrafficSplit/${n.namespace}/${n.name}`),
      ),
      identityBindings: [],
    });
    for (const [key, node] of entries) nodes.set(key, nodeJson(node));
    for (const m of matched) consumed.add(m);
  }
  return { models, consumed };
}
