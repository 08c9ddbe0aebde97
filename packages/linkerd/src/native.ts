import { safeRecord, type KubeObject, type Manifest, type ResourceRef } from '@meshlingo/core';
import { z } from 'zod';
import type { NetworkEntry } from './cidr.js';
import type { LabelSelector } from './selector.js';
import { GATEWAY_GROUP, groupOf, POLICY_GROUP, PROFILE_GROUP } from './versions.js';

/**
 * Reading Linkerd objects: one zod schema per kind (shaped after the CRDs in
 * `charts/linkerd-crds`, loose about fields Linkerd ignores), CRD defaults applied, and typed
 * records for ingest and the evaluator. Invalid objects come back as problems with a pointer.
 */

const StringMap = z.record(z.string(), z.string());

const SelectorSchema = z.looseObject({
  matchLabels: StringMap.optional(),
  matchExpressions: z
    .array(
      z.looseObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const NetworkSchema = z.looseObject({ cidr: z.string(), except: z.array(z.string()).optional() });

const ServerSpec = z.looseObject({
  podSelector: SelectorSchema.optional(),
  externalWorkloadSelector: SelectorSchema.optional(),
  port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]),
  proxyProtocol: z.string().optional(),
  accessPolicy: z.string().optional(),
});

const ServerAuthorizationSpec = z.looseObject({
  server: z.looseObject({ name: z.string().optional(), selector: SelectorSchema.optional() }),
  client: z.looseObject({
    unauthenticated: z.boolean().optional(),
    networks: z.array(NetworkSchema).optional(),
    meshTLS: z
      .looseObject({
        unauthenticatedTLS: z.boolean().optional(),
        identities: z.array(z.string()).optional(),
        serviceAccounts: z
          .array(z.looseObject({ name: z.string(), namespace: z.string().optional() }))
          .optional(),
      })
      .optional(),
  }),
});

const RefSchema = z.looseObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});

const AuthorizationPolicySpec = z.looseObject({
  targetRef: RefSchema,
  requiredAuthenticationRefs: z.array(RefSchema),
});

const MeshTlsSpec = z.looseObject({
  identities: z.array(z.string()).optional(),
  identityRefs: z
    .array(
      z.looseObject({
        group: z.string().optional(),
        kind: z.string(),
        name: z.string().optional(),
        namespace: z.string().optional(),
      }),
    )
    .optional(),
});

const NetworkAuthenticationSpec = z.looseObject({ networks: z.array(NetworkSchema) });

const ParentRefSchema = z.looseObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
  port: z.number().int().optional(),
  sectionName: z.string().optional(),
});

const BackendRefSchema = z.looseObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
  port: z.number().int().optional(),
  weight: z.number().int().min(0).optional(),
  filters: z.array(z.unknown()).optional(),
});

const HeaderMatchSchema = z.looseObject({
  name: z.string(),
  type: z.enum(['Exact', 'RegularExpression']).optional(),
  value: z.string(),
});

const HttpMatchSchema = z.looseObject({
  path: z
    .looseObject({
      type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).optional(),
      value: z.string().optional(),
    })
    .optional(),
  method: z.string().optional(),
  headers: z.array(HeaderMatchSchema).optional(),
  queryParams: z.array(z.unknown()).optional(),
});

const HttpRouteSpec = z.looseObject({
  parentRefs: z.array(ParentRefSchema).optional(),
  hostnames: z.array(z.string()).optional(),
  rules: z
    .array(
      z.looseObject({
        matches: z.array(HttpMatchSchema).optional(),
        backendRefs: z.array(BackendRefSchema).optional(),
        filters: z.array(z.unknown()).optional(),
        timeouts: z.unknown().optional(),
      }),
    )
    .optional(),
});

const TcpRouteSpec = z.looseObject({
  parentRefs: z.array(ParentRefSchema).optional(),
  rules: z.array(z.looseObject({ backendRefs: z.array(BackendRefSchema).optional() })).optional(),
});

const ServiceProfileSpec = z.looseObject({
  routes: z.array(z.unknown()).optional(),
  retryBudget: z.unknown().optional(),
  dstOverrides: z
    .array(z.looseObject({ authority: z.string(), weight: z.union([z.string(), z.number()]) }))
    .optional(),
  opaquePorts: z.array(z.unknown()).optional(),
});

/** What every record has. */
export interface NativeBase {
  readonly manifest: Manifest;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
}

/** A Server. */
export interface ServerRecord extends NativeBase {
  readonly kind: 'Server';
  readonly podSelector?: LabelSelector;
  readonly externalWorkloadSelector?: LabelSelector;
  readonly port: number | string;
  readonly proxyProtocol: string;
  /** `deny` by default on v1beta3; absent on earlier versions. */
  readonly accessPolicy?: string;
}

/** A ServerAuthorization. */
export interface ServerAuthorizationRecord extends NativeBase {
  readonly kind: 'ServerAuthorization';
  readonly spec: z.infer<typeof ServerAuthorizationSpec>;
}

/** An object reference with an optional group and namespace. */
export type NativeRef = z.infer<typeof RefSchema>;

/** An AuthorizationPolicy. */
export interface AuthorizationPolicyRecord extends NativeBase {
  readonly kind: 'AuthorizationPolicy';
  readonly targetRef: NativeRef;
  readonly requiredAuthenticationRefs: readonly NativeRef[];
}

/** A MeshTLSAuthentication. */
export interface MeshTlsRecord extends NativeBase {
  readonly kind: 'MeshTLSAuthentication';
  readonly spec: z.infer<typeof MeshTlsSpec>;
}

/** A NetworkAuthentication. */
export interface NetworkAuthenticationRecord extends NativeBase {
  readonly kind: 'NetworkAuthentication';
  readonly networks: readonly NetworkEntry[];
}

/** A parentRef with the CRD defaults applied. */
export interface ParentRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly sectionName?: string;
}

/** A backendRef with the CRD defaults applied (group core, kind Service, weight 1). */
export interface BackendRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly weight: number;
  readonly filters?: readonly unknown[];
}

/** An HTTPRoute match with the CRD defaults applied (path PathPrefix `/`, header type Exact). */
export interface HttpMatch {
  readonly path: {
    readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression';
    readonly value: string;
  };
  readonly method?: string;
  readonly headers: readonly {
    readonly name: string;
    readonly type: 'Exact' | 'RegularExpression';
    readonly value: string;
  }[];
  readonly queryParams?: readonly unknown[];
}

/** An HTTPRoute rule; no matches means it matches every request. */
export interface HttpRule {
  readonly matches: readonly HttpMatch[];
  readonly backendRefs?: readonly BackendRef[];
  readonly filters?: readonly unknown[];
  readonly timeouts?: unknown;
}

/** An HTTPRoute of either group. */
export interface HttpRouteRecord extends NativeBase {
  readonly kind: 'HTTPRoute';
  readonly group: string;
  readonly parentRefs: readonly ParentRef[];
  readonly hostnames?: readonly string[];
  readonly rules: readonly HttpRule[];
}

/** A Gateway API TCPRoute. */
export interface TcpRouteRecord extends NativeBase {
  readonly kind: 'TCPRoute';
  readonly parentRefs: readonly ParentRef[];
  readonly rules: readonly { readonly backendRefs: readonly BackendRef[] }[];
}

/** A ServiceProfile. */
export interface ServiceProfileRecord extends NativeBase {
  readonly kind: 'ServiceProfile';
  readonly spec: z.infer<typeof ServiceProfileSpec>;
}

/** Any record. */
export type NativeRecord =
  | ServerRecord
  | ServerAuthorizationRecord
  | AuthorizationPolicyRecord
  | MeshTlsRecord
  | NetworkAuthenticationRecord
  | HttpRouteRecord
  | TcpRouteRecord
  | ServiceProfileRecord;

/** Kinds read, by group, with the versions each group serves. */
export const READ_KINDS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  [POLICY_GROUP]: {
    Server: ['v1alpha1', 'v1beta1', 'v1beta2', 'v1beta3'],
    ServerAuthorization: ['v1alpha1', 'v1beta1'],
    AuthorizationPolicy: ['v1alpha1'],
    MeshTLSAuthentication: ['v1alpha1'],
    NetworkAuthentication: ['v1alpha1'],
    HTTPRoute: ['v1alpha1', 'v1beta1', 'v1beta2', 'v1beta3'],
  },
  [PROFILE_GROUP]: { ServiceProfile: ['v1alpha1', 'v1alpha2'] },
  [GATEWAY_GROUP]: { HTTPRoute: ['v1alpha2', 'v1beta1', 'v1'], TCPRoute: ['v1alpha2', 'v1'] },
};

/** Why an object could not be read. */
export type NativeProblem =
  | { readonly kind: 'unknown-kind'; readonly manifest: Manifest }
  | { readonly kind: 'unknown-version'; readonly manifest: Manifest; readonly versions: string }
  | {
      readonly kind: 'invalid';
      readonly manifest: Manifest;
      readonly path: readonly (string | number)[];
      readonly reason: string;
    };

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return safeRecord([]);
  return safeRecord(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function parentRef(raw: z.infer<typeof ParentRefSchema>, group: string): ParentRef {
  return {
    group: raw.group ?? group,
    kind: raw.kind ?? 'Gateway',
    name: raw.name,
    ...(raw.namespace !== undefined && { namespace: raw.namespace }),
    ...(raw.port !== undefined && { port: raw.port }),
    ...(raw.sectionName !== undefined && { sectionName: raw.sectionName }),
  };
}

function backendRef(raw: z.infer<typeof BackendRefSchema>): BackendRef {
  return {
    group: raw.group ?? '',
    kind: raw.kind ?? 'Service',
    name: raw.name,
    ...(raw.namespace !== undefined && { namespace: raw.namespace }),
    ...(raw.port !== undefined && { port: raw.port }),
    weight: raw.weight ?? 1,
    ...(raw.filters !== undefined && { filters: raw.filters }),
  };
}

function httpMatch(raw: z.infer<typeof HttpMatchSchema>): HttpMatch {
  return {
    path: { type: raw.path?.type ?? 'PathPrefix', value: raw.path?.value ?? '/' },
    ...(raw.method !== undefined && { method: raw.method }),
    headers: (raw.headers ?? []).map((h) => ({
      name: h.name,
      type: h.type ?? 'Exact',
      value: h.value,
    })),
    ...(raw.queryParams !== undefined && { queryParams: raw.queryParams }),
  };
}

function parse<T extends z.ZodType>(
  schema: T,
  manifest: Manifest,
): { ok: true; spec: z.infer<T> } | { ok: false; problem: NativeProblem } {
  const result = schema.safeParse(manifest.object.spec);
  if (result.success) return { ok: true, spec: result.data };
  const issue = result.error.issues[0];
  const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)));
  let value: unknown = manifest.object.spec;
  for (const p of path)
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, p)
        ? (value as Record<string | number, unknown>)[p]
        : undefined;
  return {
    ok: false,
    problem: {
      kind: 'invalid',
      manifest,
      path: ['spec', ...path],
      reason:
        value === undefined
          ? `${['spec', ...path].join('.')} is required`
          : (issue?.message ?? 'invalid'),
    },
  };
}

/** True for objects of the groups this adapter reads. */
export function isLinkerdGroup(apiVersion: string): boolean {
  const group = groupOf(apiVersion);
  return group === POLICY_GROUP || group === PROFILE_GROUP || group === 'workload.linkerd.io';
}

/** Reads one manifest into a record, or says why not. */
export function readNative(manifest: Manifest): { record?: NativeRecord; problem?: NativeProblem } {
  const object: KubeObject = manifest.object;
  const group = groupOf(object.apiVersion);
  const version = object.apiVersion.slice(group.length + 1);
  const kinds = Object.hasOwn(READ_KINDS, group) ? READ_KINDS[group] : undefined;
  const versions =
    kinds !== undefined && Object.hasOwn(kinds, object.kind) ? kinds[object.kind] : undefined;
  if (versions === undefined) return { problem: { kind: 'unknown-kind', manifest } };
  if (!versions.includes(version))
    return { problem: { kind: 'unknown-version', manifest, versions: versions.join(', ') } };
  const meta = object.metadata ?? {};
  const base = {
    manifest,
    apiVersion: object.apiVersion,
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    labels: stringRecord(meta.labels),
    annotations: stringRecord(meta.annotations),
    ...(typeof meta.creationTimestamp === 'string' && {
      creationTimestamp: meta.creationTimestamp,
    }),
  };
  const fail = (problem: NativeProblem) => ({ problem });
  switch (object.kind) {
    case 'Server': {
      const r = parse(ServerSpec, manifest);
      if (!r.ok) return fail(r.problem);
      return {
        record: {
          ...base,
          kind: 'Server',
          ...(r.spec.podSelector !== undefined && { podSelector: r.spec.podSelector }),
          ...(r.spec.externalWorkloadSelector !== undefined && {
            externalWorkloadSelector: r.spec.externalWorkloadSelector,
          }),
          port: r.spec.port,
          proxyProtocol: r.spec.proxyProtocol ?? 'unknown',
          ...((r.spec.accessPolicy !== undefined || version === 'v1beta3') && {
            accessPolicy: r.spec.accessPolicy ?? 'deny',
          }),
        },
      };
    }
    case 'ServerAuthorization': {
      const r = parse(ServerAuthorizationSpec, manifest);
      return r.ok
        ? { record: { ...base, kind: 'ServerAuthorization', spec: r.spec } }
        : fail(r.problem);
    }
    case 'AuthorizationPolicy': {
      const r = parse(AuthorizationPolicySpec, manifest);
      if (!r.ok) return fail(r.problem);
      return {
        record: {
          ...base,
          kind: 'AuthorizationPolicy',
          targetRef: r.spec.targetRef,
          requiredAuthenticationRefs: r.spec.requiredAuthenticationRefs,
        },
      };
    }
    case 'MeshTLSAuthentication': {
      const r = parse(MeshTlsSpec, manifest);
      return r.ok
        ? { record: { ...base, kind: 'MeshTLSAuthentication', spec: r.spec } }
        : fail(r.problem);
    }
    case 'NetworkAuthentication': {
      const r = parse(NetworkAuthenticationSpec, manifest);
      return r.ok
        ? { record: { ...base, kind: 'NetworkAuthentication', networks: r.spec.networks } }
        : fail(r.problem);
    }
    case 'HTTPRoute': {
      const r = parse(HttpRouteSpec, manifest);
      if (!r.ok) return fail(r.problem);
      const rules: HttpRule[] = (r.spec.rules ?? [{}]).map((rule) => ({
        matches: (rule.matches ?? []).map(httpMatch),
        ...(rule.backendRefs !== undefined && { backendRefs: rule.backendRefs.map(backendRef) }),
        ...(rule.filters !== undefined && { filters: rule.filters }),
        ...(rule.timeouts !== undefined && { timeouts: rule.timeouts }),
      }));
      return {
        record: {
          ...base,
          kind: 'HTTPRoute',
          group,
          parentRefs: (r.spec.parentRefs ?? []).map((p) => parentRef(p, group)),
          ...(r.spec.hostnames !== undefined && { hostnames: r.spec.hostnames }),
          rules,
        },
      };
    }
    case 'TCPRoute': {
      const r = parse(TcpRouteSpec, manifest);
      if (!r.ok) return fail(r.problem);
      return {
        record: {
          ...base,
          kind: 'TCPRoute',
          parentRefs: (r.spec.parentRefs ?? []).map((p) => parentRef(p, group)),
          rules: (r.spec.rules ?? []).map((rule) => ({
            backendRefs: (rule.backendRefs ?? []).map(backendRef),
          })),
        },
      };
    }
    case 'ServiceProfile': {
      const r = parse(ServiceProfileSpec, manifest);
      return r.ok ? { record: { ...base, kind: 'ServiceProfile', spec: r.spec } } : fail(r.problem);
    }
    default:
      return { problem: { kind: 'unknown-kind', manifest } };
  }
}

/** Manifests for objects handed over without text (the evaluator's input). */
export function objectManifests(objects: readonly KubeObject[]): Manifest[] {
  return objects.map((object, docIndex) => ({ object, file: '<objects>', docIndex, pointer: '' }));
}

/** Reads every object; problems are returned separately and the objects left out. */
export function readAllNative(manifests: readonly Manifest[]): {
  records: NativeRecord[];
  problems: NativeProblem[];
} {
  const records: NativeRecord[] = [];
  const problems: NativeProblem[] = [];
  for (const m of manifests) {
    const { record, problem } = readNative(m);
    if (record !== undefined) records.push(record);
    if (problem !== undefined) problems.push(problem);
  }
  return { records, problems };
}

/** Case-insensitive kind comparison, as Linkerd compares kinds of references. */
export function sameKind(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** True when a reference group means the core API group (`''` or `core`). */
export function isCoreGroup(group: string | undefined): boolean {
  return group === undefined || group === '' || group === 'core';
}

/** The records of one kind. */
export function recordsOf<K extends NativeRecord['kind']>(
  records: readonly NativeRecord[],
  kind: K,
): Extract<NativeRecord, { kind: K }>[] {
  return records.filter((r): r is Extract<NativeRecord, { kind: K }> => r.kind === kind);
}

/**
 * Linkerd's order for Servers and routes: oldest `creationTimestamp` first, then by name (the
 * policy controller sorts this way, and the proxy lets the first of equal matches win).
 */
export function byAge<T extends { readonly name: string; readonly creationTimestamp?: string }>(
  list: readonly T[],
): T[] {
  return [...list].sort((a, b) => {
    const x = a.creationTimestamp ?? '';
    const y = b.creationTimestamp ?? '';
    if (x !== y) return x < y ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * True when an HTTPRoute is attached to a Server: a parentRef of group policy.linkerd.io and kind
 * Server in the route's namespace, without port or sectionName (which make Linkerd reject it).
 */
export function attachesToServer(route: HttpRouteRecord, server: ServerRecord): boolean {
  return (
    route.namespace === server.namespace &&
    route.parentRefs.some(
      (p) =>
        p.group === POLICY_GROUP &&
        sameKind(p.kind, 'Server') &&
        p.name === server.name &&
        (p.namespace === undefined || p.namespace === server.namespace) &&
        p.port === undefined &&
        p.sectionName === undefined,
    )
  );
}

/** Removes repeated references (same apiVersion, kind, namespace and name). */
export function uniqueRefs(refs: readonly ResourceRef[]): ResourceRef[] {
  const seen = new Map<string, ResourceRef>();
  for (const r of refs) seen.set(`${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`, r);
  return [...seen.values()];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Relative weights divided by their greatest common divisor (same shares, smallest integers). */
export function reduceWeights(weights: readonly number[]): number[] {
  const g = weights.reduce((acc, w) => gcd(acc, w), 0) || 1;
  return weights.map((w) => w / g);
}
