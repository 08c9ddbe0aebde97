import {
  createDiagnostic,
  type Diagnostic,
  type DiagnosticData,
  type SourceLocation,
} from '../diagnostics/diagnostic.js';
import { coreMessages, smiMessages } from '../diagnostics/messages.js';
import { checkRe2 } from '../evaluator/regex.js';
import { manifestLocation, manifestOrigin, manifestRef, type Manifest } from '../io/manifest.js';
import { copyRecord, PORTS_ANNOTATION, safeRecord } from '../model/metadata.js';
import type {
  BackendNode,
  HeaderMatchNode,
  HTTPRouteGroupNode,
  HttpMatchNode,
  IdentityBindingNode,
  Origin,
  PortRouteNode,
  RuleNode,
  SplitMatchNode,
  SubjectNode,
  TrafficSplitNode,
  TrafficTargetNode,
} from '../model/model.js';
import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
  isHttpToken,
  isPlaceholder,
} from '../model/validation.js';
import { parseQuantity, scaleToIntegers } from '../quantity.js';
import type { IdentityBindingV1alpha4 } from '../schemas/access.js';
import type { HttpMethod, ObjectMeta } from '../schemas/common.js';
import type { HttpMatchManifest } from '../schemas/specs.js';

type Path = readonly (string | number)[];

/** Keeps diagnostics readable when the input holds a huge value. */
function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}...` : value;
}

/** A TrafficTarget before v1alpha1/v1alpha2 `destination.port` is turned into TCPRoute rules. */
export interface TrafficTargetDraft extends TrafficTargetNode {
  readonly legacyPort?: { readonly port: number; readonly origin: Origin };
}

/** Shared state while one manifest is turned into model nodes. */
export class NodeBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private errors = 0;

  constructor(
    readonly manifest: Manifest,
    readonly defaultNamespace: string,
  ) {}

  /** True when this manifest produced an error (its node is then left out of the model). */
  get failed(): boolean {
    return this.errors > 0;
  }

  location(path: Path): SourceLocation {
    return manifestLocation(this.manifest, path);
  }

  origin(path: Path = []): Origin {
    return manifestOrigin(this.manifest, path);
  }

  report(id: keyof typeof smiMessages, path: Path, data: DiagnosticData = {}): void {
    this.push(
      createDiagnostic('smi', smiMessages, id, {
        data,
        location: this.location(path),
        resource: manifestRef(this.manifest.object),
      }),
    );
  }

  push(diagnostic: Diagnostic): void {
    if (diagnostic.severity === 'error') this.errors += 1;
    this.diagnostics.push(diagnostic);
  }

  /** Checks a name-like value; placeholders copied from docs get their own code. */
  checkName(raw: string, path: Path, what: string, check: (v: string) => string | undefined): void {
    const value = clip(raw);
    if (isPlaceholder(raw)) {
      this.push(
        createDiagnostic('core', coreMessages, 'placeholder', {
          data: { value },
          location: this.location(path),
          resource: manifestRef(this.manifest.object),
        }),
      );
      return;
    }
    const reason = check(raw);
    if (reason !== undefined) this.report('invalid-name', path, { value, what, reason });
  }

  checkRegex(pattern: string, path: Path): void {
    const reason = checkRe2(pattern);
    if (reason !== undefined) this.report('invalid-regex', path, { pattern, reason });
  }

  checkPort(port: number, path: Path): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      this.report('invalid-port', path, { value: port });
  }

  /** Name, namespace, labels and annotations common to every node. */
  meta(metadata: ObjectMeta): {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    origin: Origin;
  } {
    this.checkName(metadata.name, ['metadata', 'name'], 'object name', checkDns1123Subdomain);
    const namespace = metadata.namespace ?? this.defaultNamespace;
    if (metadata.namespace !== undefined) {
      this.checkName(metadata.namespace, ['metadata', 'namespace'], 'namespace', checkDns1123Label);
    }
    for (const [field, record] of [
      ['labels', metadata.labels],
      ['annotations', metadata.annotations],
    ] as const) {
      for (const [k, v] of Object.entries(record ?? {})) {
        const keyProblem = checkQualifiedName(k);
        if (keyProblem !== undefined) {
          this.report('invalid-name', ['metadata', field, k], {
            value: k,
            what: `${field.slice(0, -1)} key`,
            reason: keyProblem,
          });
        }
        const valueProblem = field === 'labels' ? checkLabelValue(v) : undefined;
        if (valueProblem !== undefined) {
          this.report('invalid-name', ['metadata', field, k], {
            value: v,
            what: 'label value',
            reason: valueProblem,
          });
        }
      }
    }
    const labels = copyRecord(metadata.labels);
    const annotations = copyRecord(metadata.annotations);
    return {
      name: metadata.name,
      namespace,
      ...(labels !== undefined && { labels }),
      ...(annotations !== undefined && { annotations }),
      origin: this.origin(),
    };
  }
}

interface SubjectManifest {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string | undefined;
}

function buildSubject(
  b: NodeBuilder,
  subject: SubjectManifest,
  path: Path,
  targetNamespace: string,
  experimental: boolean,
): SubjectNode {
  const allowed = experimental ? ['ServiceAccount', 'IdentityBinding'] : ['ServiceAccount'];
  if (!allowed.includes(subject.kind))
    b.report('unsupported-subject-kind', [...path, 'kind'], { kind: subject.kind });
  b.checkName(subject.name, [...path, 'name'], `${subject.kind} name`, checkDns1123Subdomain);
  let namespace = subject.namespace;
  if (namespace === undefined || namespace === '') {
    b.report('namespace-defaulted', path, { field: path.join('.'), namespace: targetNamespace });
    namespace = targetNamespace;
  } else {
    b.checkName(namespace, [...path, 'namespace'], 'namespace', checkDns1123Label);
  }
  return {
    kind: subject.kind === 'IdentityBinding' ? 'IdentityBinding' : 'ServiceAccount',
    name: subject.name,
    namespace,
    origin: b.origin(path),
  };
}

/** Input of {@link buildTrafficTarget}: every access version, flattened. */
export interface TrafficTargetParts {
  readonly metadata: ObjectMeta;
  readonly destination: SubjectManifest & { readonly port?: number | undefined };
  readonly sources?: readonly SubjectManifest[] | undefined;
  readonly rules?:
    readonly { kind: string; name: string; matches?: readonly string[] | undefined }[] | undefined;
  /** Paths of destination, sources and rules in the written version. */
  readonly paths: { readonly destination: Path; readonly sources: Path; readonly rules: Path };
}

/** Builds a TrafficTarget node from any access version. */
export function buildTrafficTarget(
  b: NodeBuilder,
  parts: TrafficTargetParts,
  experimental: boolean,
  legacyPort: number | undefined,
): TrafficTargetDraft {
  const meta = b.meta(parts.metadata);
  const destination = buildSubject(
    b,
    parts.destination,
    parts.paths.destination,
    meta.namespace,
    experimental,
  );
  if (destination.namespace !== meta.namespace) {
    b.report('destination-namespace-differs', parts.paths.destination, {
      namespace: meta.namespace,
      destination: destination.namespace,
    });
  }
  const sources = (parts.sources ?? []).map((s, i) =>
    buildSubject(b, s, [...parts.paths.sources, i], meta.namespace, experimental),
  );
  if (sources.length === 0)
    b.report('empty-list', parts.paths.sources, {
      field: parts.paths.sources.join('.'),
      kind: 'TrafficTarget',
    });
  const rules: RuleNode[] = (parts.rules ?? []).map((r, i) => {
    const path = [...parts.paths.rules, i];
    b.checkName(r.name, [...path, 'name'], `${r.kind} name`, checkDns1123Subdomain);
    return {
      kind: r.kind as RuleNode['kind'],
      name: r.name,
      ...(r.matches !== undefined && r.matches.length > 0 && { matches: [...r.matches] }),
      origin: b.origin(path),
    };
  });
  if (rules.length === 0)
    b.report('empty-list', parts.paths.rules, {
      field: parts.paths.rules.join('.'),
      kind: 'TrafficTarget',
    });
  const port = parts.destination.port ?? legacyPort;
  if (port !== undefined) b.checkPort(port, [...parts.paths.destination, 'port']);
  return {
    ...meta,
    destination,
    sources,
    rules,
    ...(port !== undefined && {
      legacyPort: { port, origin: b.origin([...parts.paths.destination, 'port']) },
    }),
  };
}

function normaliseMethods(
  b: NodeBuilder,
  methods: readonly HttpMethod[],
  path: Path,
): HttpMethod[] {
  const seen: HttpMethod[] = [];
  for (const m of methods) {
    if (seen.includes(m)) b.report('duplicate-method', path, { method: m });
    else seen.push(m);
  }
  if (seen.includes('*') && seen.length > 1) {
    b.report('methods-collapsed', path, { methods: seen.join(', ') });
    return ['*'];
  }
  return seen;
}

function buildMatch(b: NodeBuilder, match: HttpMatchManifest, path: Path): HttpMatchNode {
  if (match.pathRegex !== undefined) b.checkRegex(match.pathRegex, [...path, 'pathRegex']);
  const headers: HeaderMatchNode[] = [];
  (match.headers ?? []).forEach((entry, i) => {
    for (const [name, value] of Object.entries(entry)) {
      const at = [...path, 'headers', i, name];
      if (!isHttpToken(name)) b.report('invalid-header-name', at, { header: name });
      if (headers.some((h) => h.name.toLowerCase() === name.toLowerCase())) {
        b.report('duplicate-header', at, { header: name });
      }
      b.checkRegex(value, at);
      headers.push({ name, value });
    }
  });
  const methods =
    match.methods === undefined
      ? undefined
      : normaliseMethods(b, match.methods, [...path, 'methods']);
  if (
    match.pathRegex === undefined &&
    (methods === undefined || methods.length === 0) &&
    headers.length === 0
  ) {
    b.report('match-all', path, { match: match.name });
  }
  return {
    name: match.name,
    ...(match.pathRegex !== undefined && { pathRegex: match.pathRegex }),
    ...(methods !== undefined && methods.length > 0 && { methods }),
    ...(headers.length > 0 && { headers }),
    origin: b.origin(path),
  };
}

/** Builds an HTTPRouteGroup node from any specs version (`path` locates `matches`). */
export function buildHttpRouteGroup(
  b: NodeBuilder,
  metadata: ObjectMeta,
  matches: readonly HttpMatchManifest[],
  path: Path,
): HTTPRouteGroupNode {
  const meta = b.meta(metadata);
  const nodes = matches.map((m, i) => buildMatch(b, m, [...path, i]));
  const seen = new Set<string>();
  nodes.forEach((m, i) => {
    if (seen.has(m.name))
      b.report('duplicate-match-name', [...path, i, 'name'], { match: m.name, group: meta.name });
    seen.add(m.name);
  });
  if (nodes.length === 0) b.report('empty-route-group', path, { name: meta.name });
  return { ...meta, matches: nodes };
}

/**
 * Builds a TCPRoute or UDPRoute node. Versions without ports read as "every port", unless a
 * `meshlingo.io/ports` annotation (written when meshlingo down-converted) restores them.
 */
export function buildPortRoute(
  b: NodeBuilder,
  metadata: ObjectMeta,
  ports: readonly number[] | undefined,
): PortRouteNode {
  const meta = b.meta(metadata);
  let list = ports ?? [];
  let annotations = meta.annotations;
  const saved = annotations?.[PORTS_ANNOTATION];
  if (ports === undefined && saved !== undefined) {
    const parsed = saved.split(',').map((p) => Number(p.trim()));
    if (parsed.every((p) => Number.isInteger(p))) {
      list = parsed;
      annotations = safeRecord(
        Object.entries(annotations ?? {}).filter(([k]) => k !== PORTS_ANNOTATION),
      );
    }
  }
  list.forEach((p, i) =>
    b.checkPort(
      p,
      ports === undefined
        ? ['metadata', 'annotations', PORTS_ANNOTATION]
        : ['spec', 'matches', 'ports', i],
    ),
  );
  const { annotations: _dropped, ...rest } = meta;
  return {
    ...rest,
    ...(annotations !== undefined && Object.keys(annotations).length > 0 && { annotations }),
    ports: [...new Set(list)],
  };
}

/** Input of {@link buildTrafficSplit}. */
export interface TrafficSplitParts {
  readonly metadata: ObjectMeta;
  readonly service: string;
  readonly backends: readonly { service: string; weight: number | string }[];
  readonly matches?: readonly { kind: string; name: string }[] | undefined;
  /** v1alpha1 weights are quantities. */
  readonly quantityWeights: boolean;
}

function apexName(b: NodeBuilder, value: string, namespace: string): string {
  if (!value.includes('.')) return value;
  // Accept `name.ns`, `name.ns.svc` and `name.ns.svc.<cluster domain>` for the split's namespace.
  const [service = '', other = '', svc] = value.split('.');
  if (svc !== undefined && svc !== 'svc') return value;
  if (other !== namespace) {
    b.report('apex-other-namespace', ['spec', 'service'], { value, other, namespace });
    return service;
  }
  b.report('apex-fqdn', ['spec', 'service'], { value, service });
  return service;
}

function integerWeights(b: NodeBuilder, parts: TrafficSplitParts): number[] {
  if (!parts.quantityWeights) {
    return parts.backends.map((backend, i) => {
      const w = backend.weight as number;
      if (!Number.isInteger(w) || w < 0) {
        b.report('invalid-weight', ['spec', 'backends', i, 'weight'], {
          value: w,
          reason: w < 0 ? 'weights must not be negative' : 'weights must be whole numbers',
        });
      }
      return w;
    });
  }
  const rationals = parts.backends.map((backend, i) => {
    const q = parseQuantity(backend.weight);
    if (q === undefined) {
      b.report('invalid-quantity', ['spec', 'backends', i, 'weight'], {
        value: String(backend.weight),
      });
      return { num: 0n, den: 1n };
    }
    if (q.num < 0n)
      b.report('invalid-weight', ['spec', 'backends', i, 'weight'], {
        value: String(backend.weight),
        reason: 'weights must not be negative',
      });
    return q;
  });
  if (rationals.every((r) => r.den === 1n) || b.failed) return rationals.map((r) => Number(r.num));
  const ints = scaleToIntegers(rationals);
  const result = ints.map(Number);
  b.report('weights-scaled', ['spec', 'backends'], {
    from: parts.backends.map((x) => String(x.weight)).join(', '),
    to: result.join(', '),
  });
  return result;
}

/** Builds a TrafficSplit node from any split version. */
export function buildTrafficSplit(b: NodeBuilder, parts: TrafficSplitParts): TrafficSplitNode {
  const meta = b.meta(parts.metadata);
  const service = apexName(b, parts.service, meta.namespace);
  b.checkName(service, ['spec', 'service'], 'Service name', checkDns1035Label);
  const weights = integerWeights(b, parts);
  const backends: BackendNode[] = parts.backends.map((backend, i) => {
    b.checkName(
      backend.service,
      ['spec', 'backends', i, 'service'],
      'Service name',
      checkDns1035Label,
    );
    return {
      service: backend.service,
      weight: weights[i] ?? 0,
      origin: b.origin(['spec', 'backends', i]),
    };
  });
  if (backends.length === 0)
    b.report('empty-list', ['spec', 'backends'], { field: 'spec.backends', kind: 'TrafficSplit' });
  const seen = new Set<string>();
  backends.forEach((backend, i) => {
    if (seen.has(backend.service))
      b.report('duplicate-backend', ['spec', 'backends', i, 'service'], {
        service: backend.service,
        name: meta.name,
      });
    seen.add(backend.service);
    if (backend.service === service)
      b.report('self-backend', ['spec', 'backends', i, 'service'], { name: meta.name, service });
  });
  if (backends.length > 0 && backends.every((x) => x.weight === 0))
    b.report('weights-all-zero', ['spec', 'backends'], { name: meta.name });
  if (backends.reduce((sum, x) => sum + Math.max(x.weight, 0), 0) > 0xffffffff) {
    b.report('weights-overflow', ['spec', 'backends'], { name: meta.name });
  }
  const matches: SplitMatchNode[] | undefined = parts.matches?.map((m, i) => {
    if (m.kind !== 'HTTPRouteGroup')
      b.report('match-kind', ['spec', 'matches', i, 'kind'], { kind: m.kind });
    return { kind: 'HTTPRouteGroup', name: m.name, origin: b.origin(['spec', 'matches', i]) };
  });
  return {
    ...meta,
    service,
    backends,
    ...(matches !== undefined && matches.length > 0 && { matches }),
  };
}

/** Builds an IdentityBinding node (draft access v1alpha4). */
export function buildIdentityBinding(
  b: NodeBuilder,
  object: IdentityBindingV1alpha4,
): IdentityBindingNode {
  const meta = b.meta(object.metadata);
  const { podLabelSelector, spiffeIdentities, serviceAccount } = object.spec.schemes;
  const problem = (reason: string): void =>
    b.report('identity-binding-schemes', ['spec', 'schemes'], { name: meta.name, reason });
  if (
    podLabelSelector === undefined &&
    spiffeIdentities === undefined &&
    serviceAccount === undefined
  ) {
    problem('schemes needs at least one of podLabelSelector, spiffeIdentities, serviceAccount');
  }
  if (podLabelSelector !== undefined && serviceAccount !== undefined) {
    problem('podLabelSelector and serviceAccount exclude each other');
  }
  if (podLabelSelector !== undefined && Object.keys(podLabelSelector.matchLabels).length === 0) {
    problem('podLabelSelector.matchLabels must not be empty');
  }
  const spiffe = spiffeIdentities?.map((id) =>
    id.startsWith('spiffe://') ? id : `spiffe://${id}`,
  );
  spiffe?.forEach((id, i) => {
    if (!/^spiffe:\/\/[a-z0-9._-]+(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/.test(id)) {
      b.report('invalid-name', ['spec', 'schemes', 'spiffeIdentities', i], {
        value: id,
        what: 'SPIFFE ID',
        reason: 'must be spiffe://<trust domain>/<path>',
      });
    }
  });
  const selector = copyRecord(podLabelSelector?.matchLabels);
  return {
    ...meta,
    ...(selector !== undefined && { podLabelSelector: selector }),
    ...(spiffe !== undefined && { spiffeIdentities: spiffe }),
    ...(serviceAccount !== undefined && { serviceAccount }),
  };
}
