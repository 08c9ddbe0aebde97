import {
  findProtoKeys,
  MANAGED_BY_LABEL,
  SOURCE_ANNOTATION,
  writeSmi,
  type KubeObject,
  type Manifest,
  type MeshModel,
} from '@meshlingo/core';

/**
 * The `meshlingo.io/smi` annotation: the SMI objects a generated object came from, in compact
 * JSON at the hub versions. Linkerd has no place for SMI names, match names or the matches a
 * TrafficTarget does not select; ingest restores them from here, but only after checking that
 * emitting them again gives exactly the Linkerd objects it read.
 */
export const SMI_ANNOTATION = 'meshlingo.io/smi';

function userRecord(
  record: Readonly<Record<string, string>> | undefined,
  drop: (key: string) => boolean,
): Record<string, string> | undefined {
  const entries = Object.entries(record ?? {}).filter(([k]) => !drop(k));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The annotation value for a part of the model. */
export function smiAnnotation(model: Partial<MeshModel>): string {
  const objects = writeSmi({
    trafficTargets: model.trafficTargets ?? [],
    httpRouteGroups: model.httpRouteGroups ?? [],
    tcpRoutes: model.tcpRoutes ?? [],
    udpRoutes: model.udpRoutes ?? [],
    trafficSplits: model.trafficSplits ?? [],
    identityBindings: [],
  }).objects;
  return JSON.stringify(
    objects.map((o) => {
      const labels = userRecord(o.metadata?.labels, (k) => k === MANAGED_BY_LABEL);
      const annotations = userRecord(
        o.metadata?.annotations,
        (k) => k === SOURCE_ANNOTATION || k.startsWith('meshlingo.io/'),
      );
      return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        metadata: {
          name: o.metadata?.name,
          namespace: o.metadata?.namespace,
          ...(labels !== undefined && { labels }),
          ...(annotations !== undefined && { annotations }),
        },
        spec: o.spec,
      };
    }),
  );
}

/**
 * The SMI objects of a carrier's annotation as manifests located at the annotation, or
 * undefined when it is not a list of objects.
 */
export function readSmiAnnotation(carrier: Manifest): Manifest[] | undefined {
  const annotations = carrier.object.metadata?.annotations;
  const text =
    annotations !== undefined && Object.hasOwn(annotations, SMI_ANNOTATION)
      ? annotations[SMI_ANNOTATION]
      : undefined;
  if (typeof text !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || findProtoKeys(value).length > 0) return undefined;
  const pointer = `${carrier.pointer}/metadata/annotations/meshlingo.io~1smi`;
  const out: Manifest[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const object = item as KubeObject;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return undefined;
    out.push({ object, file: carrier.file, docIndex: carrier.docIndex, pointer });
  }
  return out;
}
