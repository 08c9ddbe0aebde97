import {
  createAdapterContext,
  createNameAllocator,
  formatSourceAnnotation,
  indexModel,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  manifestRef,
  readSmiObjects,
  safeRecord,
  SOURCE_ANNOTATION,
  type Diagnostic,
  type IngestContext,
  type KubeObject,
  type Manifest,
  type MeshModel,
  type ObjectNode,
  type ResourceRef,
} from '@meshlingo/core';
import { emitLinkerd } from '../emit/index.js';
import { linkerdMessages, type LinkerdMessages } from '../messages.js';
import type { LinkerdOptions } from '../options.js';
import { isLinkerdGroup } from '../native.js';
import { readSmiAnnotation, SMI_ANNOTATION } from '../smi-annotation.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** Emit diagnostics that describe the cluster's defaults, not the objects written. */
const CLUSTER_LEVEL = new Set(['linkerd/default-allow', 'linkerd/restart-required']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

function comparable(o: KubeObject): string {
  return JSON.stringify(
    canonical({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata?.name,
      namespace: o.metadata?.namespace,
      labels: o.metadata?.labels ?? {},
      annotations: o.metadata?.annotations ?? {},
      spec: o.spec,
    }),
  );
}

function isManaged(m: Manifest): boolean {
  // Input is unchecked YAML: `labels:` with no value is null.
  const labels: unknown = m.object.metadata?.labels;
  return (
    typeof labels === 'object' &&
    labels !== null &&
    Object.hasOwn(labels, MANAGED_BY_LABEL) &&
    (labels as Record<string, unknown>)[MANAGED_BY_LABEL] === MANAGED_BY_VALUE
  );
}

function withSource<T extends ObjectNode>(node: T, refs: readonly ResourceRef[]): T {
  return {
    ...node,
    labels: safeRecord([
      ...Object.entries(node.labels ?? {}),
      [MANAGED_BY_LABEL, MANAGED_BY_VALUE],
    ]),
    annotations: safeRecord([
      ...Object.entries(node.annotations ?? {}),
      [SOURCE_ANNOTATION, formatSourceAnnotation(refs)],
    ]),
  };
}

/** What {@link restore} found. */
export type RestoreResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'restored'; readonly model: MeshModel; readonly rest: readonly Manifest[] }
  | { readonly kind: 'changed'; readonly reason: string };

/**
 * Restores the SMI objects meshlingo wrote into `meshlingo.io/smi` annotations, provided the
 * Linkerd objects are still exactly what emitting them gives, without any loss (then nothing
 * was lost on the way out and the names are the original ones). Hand-written objects in the
 * namespaces of generated ones could change what those mean, so they prevent restoring.
 */
export function restore(manifests: readonly Manifest[], ctx: Ctx): RestoreResult {
  const managed = manifests.filter(isManaged);
  if (managed.length === 0) return { kind: 'none' };
  const rest = manifests.filter((m) => !isManaged(m));
  const namespaces = new Set(managed.map((m) => m.object.metadata?.namespace));
  if (rest.some((m) => namespaces.has(m.object.metadata?.namespace)))
    return { kind: 'changed', reason: 'hand-written objects share their namespaces' };

  const smi = new Map<string, Manifest>();
  const carriers = new Map<string, ResourceRef[]>();
  for (const carrier of managed) {
    if (carrier.object.metadata?.annotations?.[SMI_ANNOTATION] === undefined) continue;
    const objects = readSmiAnnotation(carrier);
    if (objects === undefined) return { kind: 'changed', reason: 'an annotation cannot be read' };
    for (const m of objects) {
      const key = `${m.object.kind}/${m.object.metadata?.namespace ?? ''}/${m.object.metadata?.name ?? ''}`;
      const seen = smi.get(key);
      if (
        seen !== undefined &&
        JSON.stringify(canonical(seen.object)) !== JSON.stringify(canonical(m.object))
      )
        return { kind: 'changed', reason: `two annotations disagree on ${key}` };
      smi.set(key, m);
      carriers.set(key, [...(carriers.get(key) ?? []), manifestRef(carrier.object)]);
    }
  }
  if (smi.size === 0) return { kind: 'none' };
  const read = readSmiObjects([...smi.values()], {
    mode: 'strict',
    experimental: ctx.core.experimental,
    defaultNamespace: ctx.core.defaultNamespace,
  });
  if (read.diagnostics.some((d) => d.severity === 'error'))
    return { kind: 'changed', reason: 'an annotation holds invalid SMI' };

  const diagnostics: Diagnostic[] = [];
  const emitted = emitLinkerd(read.model, {
    ...createAdapterContext({
      source: 'linkerd',
      messages: linkerdMessages,
      options: ctx.options,
      core: ctx.core,
      cluster: ctx.cluster,
      names: createNameAllocator(),
      sink: (d) => diagnostics.push(d),
    }),
    areas: new Set(['access', 'routing']),
    index: indexModel(read.model),
  });
  if (
    diagnostics.some(
      (d) =>
        d.severity === 'error' ||
        (d.effect !== undefined && d.effect !== 'cosmetic' && !CLUSTER_LEVEL.has(d.code)),
    )
  )
    return { kind: 'changed', reason: 'writing the annotated SMI again would lose some of it' };
  // Objects of other adapters' groups (Gateway API TCPRoutes, HTTPRoutes with routeGroup
  // gateway) reach this adapter only when handed over directly; compare those that were.
  const given = new Set(managed.map((m) => `${m.object.apiVersion}/${m.object.kind}`));
  const want = emitted
    .filter((o) => isLinkerdGroup(o.apiVersion) || given.has(`${o.apiVersion}/${o.kind}`))
    .map(comparable)
    .sort();
  const got = managed.map((m) => comparable(m.object)).sort();
  if (want.length !== got.length || want.some((w, i) => w !== got[i]))
    return { kind: 'changed', reason: 'they differ from what the annotated SMI gives' };

  const sourced = <T extends ObjectNode>(node: T, kind: string): T =>
    withSource(node, carriers.get(`${kind}/${node.namespace}/${node.name}`) ?? []);
  const model: MeshModel = {
    trafficTargets: read.model.trafficTargets.map((n) => sourced(n, 'TrafficTarget')),
    httpRouteGroups: read.model.httpRouteGroups.map((n) => sourced(n, 'HTTPRouteGroup')),
    tcpRoutes: read.model.tcpRoutes.map((n) => sourced(n, 'TCPRoute')),
    udpRoutes: read.model.udpRoutes.map((n) => sourced(n, 'UDPRoute')),
    trafficSplits: read.model.trafficSplits.map((n) => sourced(n, 'TrafficSplit')),
    identityBindings: read.model.identityBindings,
  };
  return { kind: 'restored', model, rest };
}
