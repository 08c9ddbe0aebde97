import type { ResourceKind, Side } from '../kinds.js';
import type { MatchOp } from '../promql.js';

/** The meshes whose Prometheus metrics this package reads. */
export const MESHES = ['istio', 'linkerd', 'consul', 'appmesh'] as const;

/** A mesh name as the CLI spells it. */
export type MeshName = (typeof MESHES)[number];

/**
 * A label matcher of a template. `value` may hold the placeholders `{namespace}`, `{name}`,
 * `{mesh}` and `{consulNamespace}`; they are replaced by escaped request values when the query
 * is built. With `=` the value must be a placeholder alone or literal text; with `=~` / `!~` it is
 * a regular expression around the placeholders.
 */
export interface MatcherTemplate {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** A label computed with `label_replace` before aggregation (App Mesh derives workloads from pod names). */
export interface DerivedLabelTemplate {
  readonly label: string;
  readonly from: string;
  /** Regular expression with placeholders; Prometheus anchors it at both ends. */
  readonly regex: string;
  readonly replacement: string;
}

/** The labels of a result series that name one item: the resource, or the peer of an edge. */
export interface Identity {
  readonly namespace?: string;
  readonly name?: string;
}

/**
 * How one view of a resource (its own traffic, or its edges in one direction) is read: a counter
 * for success and failure counts, a millisecond histogram for latencies, the matchers that select
 * the resource, and the labels that identify each result.
 */
export interface ViewTemplate {
  /** Where the numbers are measured. */
  readonly side: Side;
  /** Request counter, split by the success rule's label. */
  readonly counter: string;
  /** `_bucket` series of the latency histogram, in milliseconds. */
  readonly histogram: string;
  readonly matchers: readonly MatcherTemplate[];
  readonly derive?: readonly DerivedLabelTemplate[];
  readonly identity: Identity;
}

/** The views of one kind; `edges` is a reason when the mesh's metrics cannot give them. */
export interface KindTemplate {
  readonly resource: ViewTemplate;
  readonly edges: { readonly to: ViewTemplate; readonly from: ViewTemplate } | string;
}

/** Failure is `label =~ failure`; success is everything else (`label !~ failure`). */
export interface SuccessRule {
  readonly label: string;
  /** RE2 expression, anchored by Prometheus. */
  readonly failure: string;
}

/** Mesh-specific settings that change the shape of templates. */
export interface MeshSettings {
  /** Consul namespace of the services when namespaces are not mirrored (Consul CE: `default`). */
  readonly consulNamespace: string;
  /** Consul Enterprise namespace mirroring: each Kubernetes namespace is the Consul namespace of the same name. */
  readonly consulNamespaceMirroring: boolean;
  /** App Mesh mesh name as it appears in Envoy cluster names; undefined matches any mesh. */
  readonly appMeshName: string | undefined;
}

/**
 * Everything this package knows about one mesh's metrics: its default label names (each can be
 * overridden by key), its default success rule and, per kind, the views to query.
 */
export interface MeshTemplate<K extends string = string> {
  readonly mesh: MeshName;
  readonly title: string;
  /** Configurable label names: key to the Prometheus label name used by default. */
  readonly labels: Readonly<Record<K, string>>;
  readonly success: SuccessRule;
  kinds(
    labels: Readonly<Record<K, string>>,
    settings: MeshSettings,
  ): Readonly<Partial<Record<ResourceKind, KindTemplate>>>;
}

/** `label="value"`. */
export function eq(label: string, value: string): MatcherTemplate {
  return { label, op: '=', value };
}

/** `label!="value"`. */
export function ne(label: string, value: string): MatcherTemplate {
  return { label, op: '!=', value };
}

/** `label=~"regex"`. */
export function re(label: string, value: string): MatcherTemplate {
  return { label, op: '=~', value };
}

/** Keeps the literal key types of a template's label map. */
export function defineMesh<K extends string>(template: MeshTemplate<K>): MeshTemplate<K> {
  return template;
}
