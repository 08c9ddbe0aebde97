import type { ResourceRef } from '../diagnostics/diagnostic.js';

/** Label every generated object carries. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** Value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY_VALUE = 'meshlingo';
/** Annotation naming the object(s) a generated object came from. */
export const SOURCE_ANNOTATION = 'meshlingo.io/source';
/**
 * On a TCPRoute written at a version without ports (specs v1alpha1–v1alpha3): the ports of the
 * hub TCPRoute, so reading it back restores them. The TrafficTargets that use such a route carry
 * the restriction in `destination.port`, which every reader understands.
 */
export const PORTS_ANNOTATION = 'meshlingo.io/ports';
/**
 * On a TCPRoute meshlingo made from a v1alpha1/v1alpha2 `destination.port`: the port-less
 * TCPRoute rules it replaced, so writing the TrafficTarget at its old version restores them.
 */
export const REPLACES_ANNOTATION = 'meshlingo.io/replaces';

/** A string record with no prototype, safe for keys from user input. */
export function safeRecord(entries: Iterable<readonly [string, string]>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of entries)
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** Copies a record from user input into a null-prototype object; undefined stays undefined. */
export function copyRecord(
  record: Readonly<Record<string, string>> | undefined,
): Record<string, string> | undefined {
  return record === undefined ? undefined : safeRecord(Object.entries(record));
}

/** Formats a reference the way the `meshlingo.io/source` annotation writes it. */
export function formatResourceRef(ref: ResourceRef): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/**
 * The `meshlingo.io/source` annotation value: references as
 * `<group>/<version>/<Kind>/<namespace>/<name>` (core kinds: `<version>/<Kind>/...`), sorted,
 * without duplicates, joined with commas.
 */
export function formatSourceAnnotation(refs: readonly ResourceRef[]): string {
  return [...new Set(refs.map(formatResourceRef))].sort().join(',');
}

/** Parses a `meshlingo.io/source` annotation value; malformed parts are skipped. */
export function parseSourceAnnotation(value: string): ResourceRef[] {
  const refs: ResourceRef[] = [];
  for (const part of value.split(',')) {
    const pieces = part.trim().split('/');
    if (pieces.length !== 4 && pieces.length !== 5) continue;
    const name = pieces.pop() ?? '';
    const namespace = pieces.pop() ?? '';
    const kind = pieces.pop() ?? '';
    const apiVersion = pieces.join('/');
    if (name === '' || kind === '' || apiVersion === '') continue;
    refs.push({ apiVersion, kind, name, ...(namespace !== '' && { namespace }) });
  }
  return refs;
}

/** The metadata of a generated object: managed-by label and source annotation, plus extras. */
export function generatedMetadata(
  name: string,
  namespace: string | undefined,
  sources: readonly ResourceRef[],
  extra: {
    labels?: Readonly<Record<string, string>>;
    annotations?: Readonly<Record<string, string>>;
  } = {},
): {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const labels = safeRecord([
    ...Object.entries(extra.labels ?? {}),
    [MANAGED_BY_LABEL, MANAGED_BY_VALUE],
  ]);
  const annotations = safeRecord([
    ...Object.entries(extra.annotations ?? {}),
    ...(sources.length > 0 ? [[SOURCE_ANNOTATION, formatSourceAnnotation(sources)] as const] : []),
  ]);
  return { name, ...(namespace !== undefined && { namespace }), labels, annotations };
}

/**
 * Labels and annotations for a model node rebuilt from native objects: the managed-by label and
 * a `meshlingo.io/source` annotation naming those objects, so users can trace every SMI object
 * back to what it was made from.
 */
export function sourceMetadata(sources: readonly ResourceRef[]): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const { labels, annotations } = generatedMetadata('', undefined, sources);
  return { labels, annotations };
}
