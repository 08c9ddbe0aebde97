import {
  MANAGED_BY_LABEL,
  parseSourceAnnotation,
  SOURCE_ANNOTATION,
  type Origin,
} from '@meshlingo/core';
import { decodeMatchesAnnotation, type MatchesAnnotation } from '../annotation.js';
import { isRecord } from '../json.js';
import { MATCHES_ANNOTATION, type RouteKindName } from '../types.js';
import type { MatchDraft, MatchRead } from './matches.js';
import {
  ignored,
  unsupported,
  type FieldHandler,
  type ManifestReader,
  type Path,
} from './reader.js';

/** A Service parent of a route and the port it binds (undefined when a sectionName names none). */
export interface ParentBinding {
  readonly service: string;
  readonly port?: number;
  /** True when the parentRef names no port or section: the route applies to every port. */
  readonly allPorts: boolean;
  readonly path: Path;
}

/** A Service backend of a rule. */
export interface BackendRead {
  readonly service: string;
  readonly weight: number;
  readonly port?: number;
  readonly path: Path;
  readonly origin: Origin;
}

/** A rule as read: its SMI matches, whether it takes every request, and its Service backends. */
export interface RuleRead {
  readonly index: number;
  readonly path: Path;
  readonly name?: string;
  /**
   * Whether the rule takes every request: `prefix` when it has no matches or one without any
   * condition, `regex` when its only catch-all match is a regex (`.*`), which ranks below
   * every prefix; `none` otherwise.
   */
  readonly catchAll: 'none' | 'prefix' | 'regex';
  readonly drafts: readonly MatchDraft[];
  /** The matches as written, to check the matches annotation against. */
  readonly written: readonly unknown[];
  readonly backends: readonly BackendRead[];
}

/** A route object as read. */
export interface RouteRead {
  readonly reader: ManifestReader;
  readonly kind: RouteKindName;
  readonly name: string;
  readonly namespace: string;
  readonly parents: readonly ParentBinding[];
  readonly rules: readonly RuleRead[];
  /** The TrafficSplit this route was made from (`meshlingo.io/source`), when in its namespace. */
  readonly splitName?: string;
  readonly annotation?: MatchesAnnotation;
  readonly labels: readonly (readonly [string, string])[];
  readonly annotations: readonly (readonly [string, string])[];
}

/** Reads `metadata`: name, namespace, user labels and annotations; server-set fields carry nothing. */
function readMetadata(r: ManifestReader): {
  name: string;
  namespace: string;
  labels: [string, string][];
  annotations: [string, string][];
  raw: ReadonlyMap<string, string>;
} {
  const meta = r.manifest.object.metadata;
  const strings = (value: unknown, path: Path): [string, string][] => {
    if (value === undefined) return [];
    if (!isRecord(value)) {
      r.invalid(path, 'must be a map of strings');
      return [];
    }
    return Object.entries(value).flatMap(([k, v]) =>
      typeof v === 'string' ? [[k, v] as [string, string]] : [],
    );
  };
  const labels = strings(meta?.labels, ['metadata', 'labels']);
  const annotations = strings(meta?.annotations, ['metadata', 'annotations']);
  return {
    name: typeof meta?.name === 'string' ? meta.name : '',
    namespace: typeof meta?.namespace === 'string' ? meta.namespace : r.ctx.core.defaultNamespace,
    labels: labels.filter(([k]) => k !== MANAGED_BY_LABEL),
    annotations: annotations.filter(([k]) => !k.startsWith('meshlingo.io/')),
    raw: new Map(annotations.filter(([k]) => k.startsWith('meshlingo.io/'))),
  };
}

/**
 * Reads the parentRefs: only `group: ""`, `kind: Service` parents in the route's namespace make
 * mesh routes (producer routes). `sectionName` of a Service parent is a port name.
 */
export function readParentRefs(
  r: ManifestReader,
  value: unknown,
  path: Path,
  namespace: string,
): ParentBinding[] {
  const out: ParentBinding[] = [];
  r.list(value, path).forEach((ref, i) => {
    const at = [...path, i];
    let group = 'gateway.networking.k8s.io';
    let kind = 'Gateway';
    let name: string | undefined;
    let parentNamespace = namespace;
    let port: number | undefined;
    let section: string | undefined;
    // A field with an invalid value (reported) leaves the whole parentRef out: read without it,
    // the reference would name another parent, or every port instead of one.
    let valid = true;
    const checked = <T>(value: T | undefined): T | undefined => {
      if (value === undefined) valid = false;
      return value;
    };
    const read = r.fields(ref, at, {
      group: (v, p) => {
        group = checked(r.string(v, p)) ?? group;
      },
      kind: (v, p) => {
        kind = checked(r.string(v, p)) ?? kind;
      },
      name: (v, p) => {
        name = r.string(v, p);
      },
      namespace: (v, p) => {
        parentNamespace = checked(r.string(v, p)) ?? parentNamespace;
      },
      port: (v, p) => {
        port = checked(r.integer(v, p, 1, 65535));
      },
      sectionName: (v, p) => {
        section = checked(r.string(v, p));
      },
    });
    if (!read || !valid) return;
    if (name === undefined) {
      r.invalid(at, 'needs a name');
      return;
    }
    if (group !== '' || kind !== 'Service') {
      r.report('parent-not-service', at, { kind: group === '' ? kind : `${kind}.${group}`, name });
      return;
    }
    if (parentNamespace !== namespace) {
      r.report('consumer-route', at, {
        namespace: parentNamespace,
        service: name,
        routeNamespace: namespace,
      });
      return;
    }
    const sectionPort =
      section === undefined
        ? undefined
        : r.ctx.cluster.service(namespace, name)?.ports.find((p) => p.name === section)?.port;
    const bound = port ?? sectionPort;
    out.push({
      service: name,
      ...(bound !== undefined && { port: bound }),
      allPorts: port === undefined && section === undefined,
      path: at,
    });
  });
  return out;
}

/** Reports every filter: SMI has none. */
export function readFilters(r: ManifestReader, value: unknown, path: Path): void {
  r.list(value, path).forEach((filter, i) => {
    const type = isRecord(filter) && typeof filter.type === 'string' ? filter.type : 'unknown';
    r.report('filter-not-supported', [...path, i], { type });
  });
}

/**
 * Reads backendRefs: Service backends in the route's namespace, weight 1 by default. Other
 * kinds and namespaces cannot be SMI backends (reported and left out); a Service listed twice
 * gets the sum of its weights.
 */
export function readBackendRefs(
  r: ManifestReader,
  value: unknown,
  path: Path,
  namespace: string,
  rule: string,
  withFilters: boolean,
): BackendRead[] {
  const out: BackendRead[] = [];
  r.list(value, path).forEach((ref, i) => {
    const at = [...path, i];
    let group = '';
    let kind = 'Service';
    let name: string | undefined;
    let backendNamespace = namespace;
    let port: number | undefined;
    let weight: number | undefined = 1;
    // As for parentRefs: a backendRef with an invalid value (reported) is left out.
    let valid = true;
    const checked = <T>(value: T | undefined): T | undefined => {
      if (value === undefined) valid = false;
      return value;
    };
    const handlers: Record<string, FieldHandler> = {
      group: (v, p) => {
        group = checked(r.string(v, p)) ?? group;
      },
      kind: (v, p) => {
        kind = checked(r.string(v, p)) ?? kind;
      },
      name: (v, p) => {
        name = r.string(v, p);
      },
      namespace: (v, p) => {
        backendNamespace = checked(r.string(v, p)) ?? backendNamespace;
      },
      port: (v, p) => {
        port = checked(r.integer(v, p, 1, 65535));
      },
      weight: (v, p) => {
        weight = r.integer(v, p, 0, 1_000_000);
      },
      ...(withFilters && { filters: (v: unknown, p: Path) => readFilters(r, v, p) }),
    };
    if (!r.fields(ref, at, handlers) || !valid || weight === undefined) return;
    if (name === undefined) {
      r.invalid(at, 'needs a name');
      return;
    }
    if (group !== '' || kind !== 'Service') {
      r.report('backend-not-service', at, {
        name,
        kind: group === '' ? kind : `${kind}.${group}`,
      });
      return;
    }
    if (backendNamespace !== namespace) {
      r.report('backend-other-namespace', at, {
        name,
        namespace: backendNamespace,
        splitNamespace: namespace,
      });
      return;
    }
    const service: string = name;
    const previous = out.findIndex((b) => b.service === service);
    const found = out[previous];
    if (found !== undefined) {
      r.report('backends-merged', at, { service, rule });
      out[previous] = { ...found, weight: found.weight + weight };
      return;
    }
    out.push({
      service,
      weight,
      ...(port !== undefined && { port }),
      path: at,
      origin: r.origin(at),
    });
  });
  return out;
}

/** How messages name a rule: its name, else its place (`rules[0]`). */
export function ruleLabel(name: string | undefined, index: number): string {
  return name ?? `rules[${index}]`;
}

/** Consecutive matches that differ only in their one method are one SMI match with several. */
export function joinMethods(drafts: readonly MatchDraft[]): MatchDraft[] {
  const out: MatchDraft[] = [];
  const key = (d: MatchDraft): string =>
    JSON.stringify([d.pathRegex ?? null, (d.headers ?? []).map((h) => [h.name, h.value])]);
  for (const draft of drafts) {
    const last = out.at(-1);
    if (
      last?.methods !== undefined &&
      draft.methods !== undefined &&
      key(last) === key(draft) &&
      !draft.methods.some((m) => last.methods?.includes(m))
    ) {
      out[out.length - 1] = { ...last, methods: [...last.methods, ...draft.methods] };
    } else out.push(draft);
  }
  return out;
}

/** Reads one rule: name, matches (with the kind's match reader), backendRefs, and the rest. */
export function readRule(
  r: ManifestReader,
  value: unknown,
  rules: Path,
  index: number,
  namespace: string,
  readMatch: ((r: ManifestReader, value: unknown, path: Path) => MatchRead) | undefined,
  extra: Readonly<Record<string, FieldHandler>>,
  withFilters: boolean,
): RuleRead | undefined {
  const path = [...rules, index];
  let name: string | undefined;
  let reads: MatchRead[] = [];
  let written: readonly unknown[] = [];
  let backends: BackendRead[] = [];
  const read = r.fields(value, path, {
    ...extra,
    name: (v, p) => {
      name = r.string(v, p);
    },
    ...(readMatch !== undefined && {
      matches: (v: unknown, p: Path) => {
        written = r.list(v, p);
        reads = written.map((m, i) => readMatch(r, m, [...p, i]));
      },
    }),
    backendRefs: (v, p) => {
      backends = readBackendRefs(r, v, p, namespace, ruleLabel(name, index), withFilters);
    },
  });
  if (!read) return undefined;
  const drafts = joinMethods(reads.flatMap((m) => (m.kind === 'match' ? [m.draft] : [])));
  const label = name ?? `rule-${index + 1}`;
  return {
    index,
    path,
    ...(name !== undefined && { name }),
    catchAll:
      written.length === 0 || reads.some((m) => m.kind === 'all' && !m.regex)
        ? 'prefix'
        : reads.some((m) => m.kind === 'all')
          ? 'regex'
          : 'none',
    drafts: drafts.map((d, i) => ({
      ...d,
      name: drafts.length === 1 ? label : `${label}-${i + 1}`,
    })),
    written,
    backends,
  };
}

/**
 * Reads a route object: metadata, the kind's spec (through `readSpec`), and the meshlingo
 * annotations. Top-level keys other than apiVersion, kind, metadata, spec and status are reported.
 */
export function readRouteObject(
  r: ManifestReader,
  kind: RouteKindName,
  readSpec: (
    spec: unknown,
    path: Path,
    namespace: string,
  ) => { parents: ParentBinding[]; rules: RuleRead[] },
): RouteRead {
  const meta = readMetadata(r);
  let parents: ParentBinding[] = [];
  let rules: RuleRead[] = [];
  let sawSpec = false;
  r.fields(r.manifest.object, [], {
    apiVersion: ignored,
    kind: ignored,
    metadata: ignored,
    status: ignored,
    spec: (v, p) => {
      sawSpec = true;
      ({ parents, rules } = readSpec(v, p, meta.namespace));
    },
  });
  if (!sawSpec) r.invalid(['spec'], 'is missing');
  const source = meta.raw.get(SOURCE_ANNOTATION);
  const split = parseSourceAnnotation(source ?? '').find(
    (ref) =>
      ref.kind === 'TrafficSplit' &&
      ref.apiVersion.startsWith('split.smi-spec.io/') &&
      ref.namespace === meta.namespace,
  );
  const matches = meta.raw.get(MATCHES_ANNOTATION);
  const annotation = matches === undefined ? undefined : decodeMatchesAnnotation(matches);
  if (matches !== undefined && annotation === undefined)
    r.report('annotation-ignored', ['metadata', 'annotations', MATCHES_ANNOTATION]);
  return {
    reader: r,
    kind,
    name: meta.name,
    namespace: meta.namespace,
    parents,
    rules,
    ...(split !== undefined && { splitName: split.name }),
    ...(annotation !== undefined && { annotation }),
    labels: meta.labels,
    annotations: meta.annotations,
  };
}

/** The handler for `hostnames`: reported when any is set. */
export function hostnamesHandler(r: ManifestReader): FieldHandler {
  return (value, path) => {
    if (r.list(value, path).length > 0) r.report('hostnames-not-supported', path);
  };
}

/** The handler for a known field SMI cannot carry. */
export function notCarried(r: ManifestReader): FieldHandler {
  return unsupported(r, 'field-not-supported');
}
