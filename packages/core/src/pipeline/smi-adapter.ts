import { z } from 'zod';
import { defineAdapter, type EmitArea } from '../adapter/adapter.js';
import { nodeKey, type MeshModel } from '../model/model.js';
import { FEATURE_IDS, type Capability, type CapabilityMatrix } from '../adapter/capabilities.js';
import { authorize, route } from '../evaluator/evaluator.js';
import type { KubeObject } from '../io/manifest.js';
import { smiMessages } from '../diagnostics/messages.js';
import { isSmiApiVersion, SMI_SCHEMAS, SMI_VERSIONS } from '../schemas/index.js';
import { readSmi, readSmiObjects } from '../smi/read.js';
import { writeSmi } from '../smi/write.js';

/** Options of the built-in `smi` target. */
export const SmiOptionsSchema = z.strictObject({
  /** Versions to write per area; the hub versions by default. */
  versions: z
    .strictObject({
      access: z.enum(SMI_VERSIONS.access).optional(),
      specs: z.enum(SMI_VERSIONS.specs).optional(),
      split: z.enum(SMI_VERSIONS.split).optional(),
    })
    .optional(),
  /** How HTTPRouteGroup headers are written: `list` (reference CRD, default) or `map`. */
  headerForm: z.enum(['list', 'map']).optional(),
});
/** Options of the built-in `smi` target. */
export type SmiOptions = z.infer<typeof SmiOptionsSchema>;

const full: Capability = { level: 'full' };
const capabilities = Object.fromEntries(
  FEATURE_IDS.map((id) => [
    id,
    id === 'metrics'
      ? { level: 'none', note: 'TrafficMetrics is read-only data; see @meshlingo/metrics.' }
      : id === 'access.default-deny'
        ? { level: 'full', note: 'SMI access is an allow-list: no TrafficTarget means deny.' }
        : full,
  ]),
) as CapabilityMatrix;

/**
 * The part of a model a composed run asks the `smi` target for: access (TrafficTargets and the
 * routes they use) and routing (TrafficSplits and their match groups).
 */
function restrictToAreas(model: MeshModel, areas: ReadonlySet<EmitArea>): MeshModel {
  if (areas.has('access') && areas.has('routing')) return model;
  const access = areas.has('access');
  const groups = new Set<string>();
  if (access)
    for (const t of model.trafficTargets)
      for (const r of t.rules) groups.add(nodeKey(t.namespace, r.name));
  else
    for (const s of model.trafficSplits)
      for (const m of s.matches ?? []) groups.add(nodeKey(s.namespace, m.name));
  return {
    trafficTargets: access ? model.trafficTargets : [],
    httpRouteGroups: model.httpRouteGroups.filter((g) => groups.has(nodeKey(g.namespace, g.name))),
    tcpRoutes: access ? model.tcpRoutes : [],
    udpRoutes: access ? model.udpRoutes : [],
    trafficSplits: areas.has('routing') ? model.trafficSplits : [],
    identityBindings: access ? model.identityBindings : [],
  };
}

function toManifests(objects: readonly KubeObject[]) {
  return objects.map((object, docIndex) => ({ object, file: '<objects>', docIndex, pointer: '' }));
}

/**
 * The built-in `smi` target and source: writes the model as SMI at any versions (down-conversion
 * with a diagnostic for every loss) and reads SMI of every version.
 */
export const smiAdapter = defineAdapter({
  name: 'smi',
  packageName: '@meshlingo/core',
  description: 'Service Mesh Interface, every released version (and the access v1alpha4 draft)',
  meshVersions: 'access v1alpha1-v1alpha3, specs v1alpha1-v1alpha4, split v1alpha1-v1alpha4',
  nativeKinds: [
    ...new Map(SMI_SCHEMAS.filter((e) => e.readOnly !== true).map((e) => [e.kind, e])).values(),
  ].map((e) => ({
    group: e.group,
    kind: e.kind,
    versions: SMI_SCHEMAS.filter((x) => x.kind === e.kind).map((x) => x.version),
  })),
  capabilities,
  messages: smiMessages,
  optionsSchema: SmiOptionsSchema,
  shareTolerance: 0,
  emit(model, ctx) {
    const written = writeSmi(restrictToAreas(model, ctx.areas), {
      ...(ctx.options.versions !== undefined && { versions: ctx.options.versions }),
      ...(ctx.options.headerForm !== undefined && { headerForm: ctx.options.headerForm }),
      onUnrepresentable: ctx.core.onUnrepresentable,
    });
    written.diagnostics.forEach(ctx.sink);
    return written.objects;
  },
  ingest(manifests, ctx) {
    const read = readSmiObjects(manifests, {
      mode: ctx.core.mode,
      experimental: ctx.core.experimental,
      defaultNamespace: ctx.core.defaultNamespace,
    });
    read.diagnostics.forEach(ctx.sink);
    return read.model;
  },
  claims: (object) => isSmiApiVersion(object.apiVersion),
  evaluator: {
    authorize: (objects, request) => authorize(readSmi(toManifests(objects)).model, request),
    route: (objects, request) => route(readSmi(toManifests(objects)).model, request),
  },
});
