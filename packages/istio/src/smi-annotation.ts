import type {
  HTTPRouteGroupNode,
  HttpMethod,
  KubeObject,
  PortRouteNode,
  TrafficSplitNode,
  TrafficTargetNode,
} from '@meshlingo/core';
import { HTTP_METHODS } from '@meshlingo/core';
import { z } from 'zod';

/**
 * `meshlingo.io/smi`: on an object meshlingo wrote exactly (no loss reported), the SMI objects it
 * came from, plus a hash of the object's `spec`. Istio has no room for SMI names (match names,
 * route object names) or for the spelling of a regex (`/api` and `/api.*` are both `/api*`), so
 * this is what lets a round trip give back the very same SMI. Ingest trusts it only while the
 * spec still hashes to the recorded value; an edited object is read from its spec instead.
 */
export const SMI_ANNOTATION = 'meshlingo.io/smi';

const name = z.string().min(1).max(253);
const SubjectSchema = z.strictObject({
  kind: z.literal('ServiceAccount'),
  name,
  namespace: name,
});
const MatchSchema = z.strictObject({
  name,
  pathRegex: z.string().optional(),
  methods: z.array(z.enum(HTTP_METHODS)).optional(),
  headers: z.array(z.strictObject({ name, value: z.string() })).optional(),
});

const FragmentSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{16}$/),
  trafficTargets: z
    .array(
      z.strictObject({
        name,
        namespace: name,
        destination: SubjectSchema,
        sources: z.array(SubjectSchema).min(1),
        rules: z
          .array(
            z.strictObject({
              kind: z.enum(['HTTPRouteGroup', 'TCPRoute']),
              name,
              matches: z.array(name).optional(),
            }),
          )
          .min(1),
      }),
    )
    .optional(),
  httpRouteGroups: z
    .array(z.strictObject({ name, namespace: name, matches: z.array(MatchSchema).min(1) }))
    .optional(),
  tcpRoutes: z
    .array(
      z.strictObject({
        name,
        namespace: name,
        ports: z.array(z.number().int().min(1).max(65535)),
      }),
    )
    .optional(),
  trafficSplits: z
    .array(
      z.strictObject({
        name,
        namespace: name,
        service: name,
        backends: z
          .array(z.strictObject({ service: name, weight: z.number().int().min(0) }))
          .min(1),
        matches: z.array(name).optional(),
      }),
    )
    .optional(),
});

/** The SMI objects recorded on a generated object. */
export type SmiFragment = z.infer<typeof FragmentSchema>;

/** Canonical JSON: object keys sorted, so a reformatted or key-reordered spec hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a, 64 bit, as 16 hex digits: detects edits, not attacks (the annotation is not a secret). */
export function specHash(spec: unknown): string {
  let h = 0xcbf29ce484222325n;
  const text = canonical(spec);
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

const subjectOf = (s: { name: string; namespace: string }) => ({
  kind: 'ServiceAccount' as const,
  name: s.name,
  namespace: s.namespace,
});

function groupOf(g: HTTPRouteGroupNode): NonNullable<SmiFragment['httpRouteGroups']>[number] {
  return {
    name: g.name,
    namespace: g.namespace,
    matches: g.matches.map((m) => ({
      name: m.name,
      ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
      ...(m.methods !== undefined && { methods: [...m.methods] }),
      ...(m.headers !== undefined && {
        headers: m.headers.map((h) => ({ name: h.name, value: h.value })),
      }),
    })),
  };
}

/** What a generated object came from, for {@link encodeFragment}. */
export interface FragmentSources {
  readonly trafficTarget?: TrafficTargetNode;
  readonly trafficSplit?: TrafficSplitNode;
  readonly httpRouteGroups?: readonly HTTPRouteGroupNode[];
  readonly tcpRoutes?: readonly PortRouteNode[];
}

/** The annotation value for an object with this `spec` made exactly from these SMI objects. */
export function encodeFragment(spec: unknown, from: FragmentSources): string {
  const t = from.trafficTarget;
  const s = from.trafficSplit;
  const fragment: SmiFragment = {
    hash: specHash(spec),
    ...(t !== undefined && {
      trafficTargets: [
        {
          name: t.name,
          namespace: t.namespace,
          destination: subjectOf(t.destination),
          sources: t.sources.map(subjectOf),
          rules: t.rules.map((r) => ({
            kind: r.kind as 'HTTPRouteGroup' | 'TCPRoute',
            name: r.name,
            ...(r.matches !== undefined && { matches: [...r.matches] }),
          })),
        },
      ],
    }),
    ...(from.httpRouteGroups !== undefined &&
      from.httpRouteGroups.length > 0 && { httpRouteGroups: from.httpRouteGroups.map(groupOf) }),
    ...(from.tcpRoutes !== undefined &&
      from.tcpRoutes.length > 0 && {
        tcpRoutes: from.tcpRoutes.map((r) => ({
          name: r.name,
          namespace: r.namespace,
          ports: [...r.ports],
        })),
      }),
    ...(s !== undefined && {
      trafficSplits: [
        {
          name: s.name,
          namespace: s.namespace,
          service: s.service,
          backends: s.backends.map((b) => ({ service: b.service, weight: b.weight })),
          ...(s.matches !== undefined && { matches: s.matches.map((m) => m.name) }),
        },
      ],
    }),
  };
  return JSON.stringify(fragment);
}

/** Outcome of reading the annotation of an object. */
export type FragmentRead =
  | { readonly state: 'absent' }
  | { readonly state: 'stale' }
  | { readonly state: 'valid'; readonly fragment: SmiFragment };

/**
 * Reads `meshlingo.io/smi` from an object: `valid` when it parses and the spec still has the
 * recorded hash, `stale` when it is present but unusable (edited, malformed), else `absent`.
 */
export function readFragment(object: KubeObject): FragmentRead {
  const annotations = object.metadata?.annotations;
  const raw =
    annotations !== undefined && Object.hasOwn(annotations, SMI_ANNOTATION)
      ? annotations[SMI_ANNOTATION]
      : undefined;
  if (typeof raw !== 'string') return { state: 'absent' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { state: 'stale' };
  }
  const parsed = FragmentSchema.safeParse(json);
  if (!parsed.success || parsed.data.hash !== specHash(object.spec)) return { state: 'stale' };
  return { state: 'valid', fragment: parsed.data };
}

/** Methods in the SMI enum (for readers that build matches). */
export function isSmiMethod(method: string): method is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(method);
}
