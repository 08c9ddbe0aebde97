import {
  findProtoKeys,
  formatPointer,
  MANAGED_BY_LABEL,
  manifestOrigin,
  readSmi,
  safeRecord,
  sourceMetadata,
  writeSmi,
  type KubeObject,
  type Manifest,
  type MeshModel,
  type ObjectNode,
  type Origin,
  type ResourceRef,
} from '@meshlingo/core';

/**
 * Annotation holding the SMI objects (hub versions, JSON) a Consul object was written from. Consul
 * merges TrafficTargets per destination and rounds weights, so names, match names, regex spellings
 * and weights cannot be read back from the object alone; ingest uses this annotation only when the
 * SMI in it translates, without loss, to exactly the object as it is now.
 */
export const SMI_ANNOTATION = 'consul.meshlingo.io/smi';

function userRecord(
  record: Readonly<Record<string, string>> | undefined,
  drop: (key: string) => boolean,
): Record<string, string> | undefined {
  if (record === undefined) return undefined;
  const entries = Object.entries(record).filter(([k]) => !drop(k));
  return entries.length === 0 ? undefined : safeRecord(entries);
}

/** The annotation value for the SMI a Consul object came from. */
export function fragmentAnnotation(model: MeshModel): string {
  const objects = writeSmi(model).objects.map((o) => {
    const meta = o.metadata ?? {};
    const labels = userRecord(meta.labels, (k) => k === MANAGED_BY_LABEL);
    const annotations = userRecord(
      meta.annotations,
      (k) => k.startsWith('meshlingo.io/') || k === SMI_ANNOTATION,
    );
    return {
      ...o,
      metadata: {
        name: meta.name,
        namespace: meta.namespace,
        ...(labels !== undefined && { labels }),
        ...(annotations !== undefined && { annotations }),
      },
    };
  });
  return JSON.stringify(objects);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rebuilt<T extends ObjectNode>(node: T, origin: Origin, ref: ResourceRef): T {
  const meta = sourceMetadata([ref]);
  return {
    ...node,
    origin,
    labels: safeRecord([...Object.entries(node.labels ?? {}), ...Object.entries(meta.labels)]),
    annotations: safeRecord([
      ...Object.entries(node.annotations ?? {}),
      ...Object.entries(meta.annotations),
    ]),
  };
}

/** Every node (and sub-node) of a model pointed at one origin, with the metadata of rebuilt nodes. */
function relocate(model: MeshModel, origin: Origin, ref: ResourceRef): MeshModel {
  return {
    trafficTargets: model.trafficTargets.map((t) => ({
      ...rebuilt(t, origin, ref),
      destination: { ...t.destination, origin },
      sources: t.sources.map((s) => ({ ...s, origin })),
      rules: t.rules.map((r) => ({ ...r, origin })),
    })),
    httpRouteGroups: model.httpRouteGroups.map((g) => ({
      ...rebuilt(g, origin, ref),
      matches: g.matches.map((m) => ({ ...m, origin })),
    })),
    tcpRoutes: model.tcpRoutes.map((r) => rebuilt(r, origin, ref)),
    udpRoutes: model.udpRoutes.map((r) => rebuilt(r, origin, ref)),
    trafficSplits: model.trafficSplits.map((s) => ({
      ...rebuilt(s, origin, ref),
      backends: s.backends.map((b) => ({ ...b, origin })),
      ...(s.matches !== undefined && { matches: s.matches.map((m) => ({ ...m, origin })) }),
    })),
    identityBindings: [],
  };
}

/**
 * Reads the annotation of a Consul object: the SMI model it holds (validated like any SMI input,
 * every node pointing at the Consul object), or why it cannot be used.
 */
export function readFragment(
  value: string,
  manifest: Manifest,
  ref: ResourceRef,
): { readonly model: MeshModel } | { readonly error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { error: 'not JSON' };
  }
  if (!Array.isArray(parsed) || !parsed.every(isRecord)) return { error: 'not a list of objects' };
  if (findProtoKeys(parsed).length > 0) return { error: 'it has a __proto__ key' };
  const pointer = `${manifest.pointer}${formatPointer(['metadata', 'annotations', SMI_ANNOTATION])}`;
  const manifests: Manifest[] = parsed.map((object) => ({
    object: object as unknown as KubeObject,
    file: manifest.file,
    docIndex: manifest.docIndex,
    pointer,
  }));
  const read = readSmi(manifests, { mode: 'strict' });
  if (read.others.length > 0) return { error: 'it holds objects that are not SMI' };
  const error = read.diagnostics.find((d) => d.severity === 'error');
  if (error !== undefined) return { error: error.message };
  return { model: relocate(read.model, manifestOrigin(manifest), ref) };
}
