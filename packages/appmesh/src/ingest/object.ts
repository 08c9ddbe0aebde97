import { parseSourceAnnotation, SOURCE_ANNOTATION, type Manifest } from '@meshlingo/core';
import type { LabelSelector, SelectorRequirement } from '../common/labels.js';
import { LISTENER_PROTOCOLS, type ListenerProtocol } from '../common/protocol.js';
import { Cursor, isRecord, type IngestSink } from './cursor.js';
import type { ObjectKey, ParsedListener, ParsedObject } from './parsed.js';

/** The pieces every App Mesh object starts with. */
export interface ObjectStart {
  readonly base: ParsedObject;
  readonly spec: Cursor;
}

/**
 * Reads name, namespace and `meshlingo.io/source` of an object and returns a cursor on its spec.
 * Undefined when the object has no usable name or namespace (a placeholder or a wrong type,
 * both reported): nothing can refer to it then.
 */
export function readObject(
  manifest: Manifest,
  sink: IngestSink,
  defaultNamespace: string,
  namespaced: boolean,
): ObjectStart | undefined {
  const object = new Cursor(sink, manifest, [], manifest.object);
  const metadata = object.record('metadata');
  const name = metadata?.name('name');
  const namespace = namespaced
    ? metadata?.has('namespace') === true
      ? metadata.name('namespace')
      : defaultNamespace
    : '';
  if (name === undefined || namespace === undefined) {
    if (metadata !== undefined && !metadata.has('name'))
      object.invalid(['metadata', 'name'], undefined, 'a name');
    return undefined;
  }
  const annotations = metadata?.raw('annotations');
  const source =
    isRecord(annotations) && typeof annotations[SOURCE_ANNOTATION] === 'string'
      ? annotations[SOURCE_ANNOTATION]
      : undefined;
  const legacy = manifest.object.apiVersion.endsWith('/v1beta1');
  if (legacy) {
    sink.report('legacy-version', manifest, [], {
      data: { apiVersion: manifest.object.apiVersion, kind: manifest.object.kind },
    });
  }
  return {
    base: {
      name,
      namespace,
      manifest,
      legacy,
      sources: source === undefined ? [] : parseSourceAnnotation(source),
    },
    spec: object.record('spec') ?? new Cursor(sink, manifest, ['spec'], {}),
  };
}

/** Reads `{namespace?, name}` (namespace defaulting to the referrer's). */
export function readRef(cursor: Cursor, namespace: string): ObjectKey | undefined {
  cursor.onlyKnown(['name', 'namespace']);
  const name = cursor.name('name');
  const ns = cursor.has('namespace') ? cursor.name('namespace') : namespace;
  if (!cursor.has('name')) cursor.invalid(cursor.at('name'), undefined, 'a name');
  return name === undefined || ns === undefined ? undefined : { namespace: ns, name };
}

/** Reads a `portMapping`; v1beta1's `https` protocol is TLS passed through, i.e. TCP. */
export function readPortMapping(listener: Cursor): ParsedListener | undefined {
  const mapping = listener.record('portMapping');
  if (mapping === undefined) {
    if (!listener.has('portMapping'))
      listener.invalid(listener.at('portMapping'), undefined, 'a port mapping');
    return undefined;
  }
  mapping.onlyKnown(['port', 'protocol']);
  const port = mapping.integer('port', 1, 65535);
  const raw = mapping.string('protocol');
  const protocol: ListenerProtocol | undefined =
    raw === 'https'
      ? 'tcp'
      : (LISTENER_PROTOCOLS as readonly string[]).includes(raw ?? '')
        ? (raw as ListenerProtocol)
        : undefined;
  if (raw !== undefined && protocol === undefined)
    mapping.invalid(mapping.at('protocol'), raw, `one of ${LISTENER_PROTOCOLS.join(', ')}`);
  if (raw === undefined) mapping.invalid(mapping.at('protocol'), undefined, 'a protocol');
  if (!mapping.has('port')) mapping.invalid(mapping.at('port'), undefined, 'a port');
  return port === undefined || protocol === undefined
    ? undefined
    : { port, protocol, path: mapping.path };
}

/** Reads a Kubernetes label selector (matchLabels and matchExpressions). */
export function readSelector(cursor: Cursor): LabelSelector {
  cursor.onlyKnown(['matchLabels', 'matchExpressions']);
  const labels = cursor.stringMap('matchLabels') ?? new Map<string, string>();
  const matchLabels = Object.create(null) as Record<string, string>;
  for (const [k, v] of labels)
    Object.defineProperty(matchLabels, k, { value: v, enumerable: true });
  const matchExpressions: SelectorRequirement[] = [];
  for (const expr of cursor.records('matchExpressions')) {
    expr.onlyKnown(['key', 'operator', 'values']);
    const key = expr.string('key');
    const operator = expr.oneOf('operator', ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const);
    const raw = expr.raw('values');
    const values = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    if (key !== undefined && operator !== undefined)
      matchExpressions.push({ key, operator, values });
  }
  return { matchLabels, matchExpressions };
}
