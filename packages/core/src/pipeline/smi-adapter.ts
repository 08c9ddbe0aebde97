import { z } from 'zod';
import { defineAdapter } from '../adapter/adapter.js';
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
    const written = writeSmi(model, {
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
