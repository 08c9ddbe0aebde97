import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkRe2,
  createDiagnostic,
  escapeRegexLiteral,
  METRIC_NAMES,
  type Diagnostic,
  type DiagnosticData,
} from '@meshlingo/core';
import { formatGoDuration, parseGoDuration } from './duration.js';
import { RESOURCE_KINDS, type MetricName, type ResourceKind, type Side } from './kinds.js';
import { METRICS_SOURCE, metricsMessages, type MetricsMessageId } from './messages.js';
import {
  isLabelName,
  promqlRange,
  selector,
  withDerivedLabels,
  type LabelMatcher,
} from './promql.js';
import { MESH_TEMPLATES } from './templates/index.js';
import {
  MESHES,
  type Identity,
  type MatcherTemplate,
  type MeshName,
  type SuccessRule,
  type ViewTemplate,
} from './templates/types.js';

/** Per-call changes to a mesh's defaults. */
export interface MeshOptions {
  /** Label name overrides by key, e.g. `{ pod: 'kubernetes_pod_name' }` (see each template's `labels`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Replaces the mesh's success rule. */
  readonly success?: SuccessRule;
  /** Consul: namespace of the services when not mirrored (default `default`). */
  readonly consulNamespace?: string;
  /** Consul: Kubernetes namespaces are mirrored into Consul namespaces of the same name. */
  readonly consulNamespaceMirroring?: boolean;
  /** App Mesh: the mesh name in Envoy cluster names (default: any). */
  readonly appMeshName?: string;
}

/** What to compute. */
export interface MetricsRequest {
  readonly mesh: MeshName;
  readonly kind: ResourceKind;
  /** Namespace of a namespaced resource (ignored for `Namespace`). */
  readonly namespace?: string;
  /** Resource name (the namespace itself for `Namespace`); omitted, every resource of the kind. */
  readonly name?: string;
  /** List the edges of the named resource instead of its own numbers. */
  readonly edges?: boolean;
  /** Look-back window as a Go duration; default `30s`. */
  readonly window?: string;
  readonly options?: MeshOptions;
}

/** Which numbers a view gives: the resource's own, or its edges in one direction. */
export type View = 'resource' | 'to' | 'from';

/** One PromQL query and the metric it yields. */
export interface MetricsQuery {
  readonly metric: MetricName;
  readonly promql: string;
}

/** The five queries of one view and how to read their results. */
export interface ViewPlan {
  readonly view: View;
  readonly side: Side;
  /** Labels that identify an item in the results (the peer, for edges). */
  readonly identity: Identity;
  /** In {@link METRIC_NAMES} order. */
  readonly queries: readonly MetricsQuery[];
}

/** A validated request turned into queries. */
export interface MetricsPlan {
  readonly mesh: MeshName;
  readonly kind: ResourceKind;
  /** Namespace of the resource; undefined for `Namespace`. */
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly edges: boolean;
  readonly windowMs: number;
  /** The window as Go prints it (`30s`, `1m0s`). */
  readonly window: string;
  readonly views: readonly ViewPlan[];
}

/** A plan, or the diagnostics that prevented one. */
export interface PlanResult {
  readonly plan?: MetricsPlan;
  readonly diagnostics: readonly Diagnostic[];
}

const QUANTILES: Readonly<Record<string, string>> = {
  p99_response_latency: '0.99',
  p90_response_latency: '0.9',
  p50_response_latency: '0.5',
};

/** What an omitted name or namespace matches inside a regular expression. */
const ANY_NAME = '[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?';
const ANY: Readonly<Record<string, string>> = {
  namespace: ANY_NAME,
  name: ANY_NAME,
  mesh: '.+',
  consulNamespace: '.+',
};
const PLACEHOLDER = /\{(namespace|name|mesh|consulNamespace)\}/g;

type Values = Readonly<Record<string, string | undefined>>;

function fill(text: string, values: Values, regex: boolean): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key];
    if (value !== undefined) return regex ? escapeRegexLiteral(value) : value;
    if (regex) return ANY[key] ?? '.+';
    throw new Error(`template value ${whole} is unset inside a literal matcher`);
  });
}

function renderMatcher(m: MatcherTemplate, values: Values): LabelMatcher {
  if (m.op === '=~' || m.op === '!~') return { ...m, value: fill(m.value, values, true) };
  const only = /^\{(\w+)\}$/.exec(m.value);
  // An omitted name selects every resource: `label="{name}"` becomes `label!=""`.
  if (m.op === '=' && only?.[1] !== undefined && values[only[1]] === undefined) {
    return { label: m.label, op: '!=', value: '' };
  }
  return { ...m, value: fill(m.value, values, false) };
}

function matchersOf(view: ViewTemplate, values: Values): LabelMatcher[] {
  const matchers = view.matchers.map((m) => renderMatcher(m, values));
  const derived = new Set((view.derive ?? []).map((d) => d.label));
  for (const label of [view.identity.namespace, view.identity.name]) {
    if (label === undefined || derived.has(label)) continue;
    const pinned = matchers.some(
      (m) => m.label === label && (m.op === '=~' || (m.op === '=' && m.value !== '')),
    );
    const nonEmpty = matchers.some((m) => m.label === label && m.op === '!=' && m.value === '');
    if (!pinned && !nonEmpty) matchers.push({ label, op: '!=', value: '' });
  }
  return matchers;
}

function groupBy(identity: Identity): string[] {
  return [identity.namespace, identity.name].filter((l): l is string => l !== undefined);
}

function derived(expr: string, view: ViewTemplate, values: Values): string {
  return withDerivedLabels(
    expr,
    (view.derive ?? []).map((d) => ({ ...d, regex: fill(d.regex, values, true) })),
  );
}

/** Builds the five PromQL queries of a view. */
export function viewQueries(
  view: ViewTemplate,
  success: SuccessRule,
  values: Values,
  windowMs: number,
): MetricsQuery[] {
  const range = promqlRange(windowMs);
  const matchers = matchersOf(view, values);
  const by = groupBy(view.identity);
  const count = (failure: boolean): string => {
    const rule: LabelMatcher = {
      label: success.label,
      op: failure ? '=~' : '!~',
      value: success.failure,
    };
    const expr = derived(
      `increase(${selector(view.counter, [...matchers, rule])}[${range}])`,
      view,
      values,
    );
    return `sum by (${by.join(', ')}) (${expr})`;
  };
  const latency = (quantile: string): string => {
    const expr = derived(`rate(${selector(view.histogram, matchers)}[${range}])`, view, values);
    return `histogram_quantile(${quantile}, sum by (${[...by, 'le'].join(', ')}) (${expr}))`;
  };
  return METRIC_NAMES.map((metric) => {
    if (metric === 'success_count') return { metric, promql: count(false) };
    if (metric === 'failure_count') return { metric, promql: count(true) };
    return { metric, promql: latency(QUANTILES[metric] ?? '0.5') };
  });
}

function diagnostic(id: MetricsMessageId, data: DiagnosticData): Diagnostic {
  return createDiagnostic(METRICS_SOURCE, metricsMessages, id, { data });
}

function checkName(
  value: string | undefined,
  what: string,
  check: (v: string) => string | undefined,
): Diagnostic[] {
  if (value === undefined) return [];
  const reason = check(value);
  return reason === undefined ? [] : [diagnostic('invalid-name', { value, what, reason })];
}

function checkOptions(
  mesh: MeshName,
  options: MeshOptions,
  defaults: Readonly<Record<string, string>>,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const [key, value] of Object.entries(options.labels ?? {})) {
    if (!Object.hasOwn(defaults, key)) {
      problems.push(
        diagnostic('unknown-label-key', { mesh, key, known: Object.keys(defaults).join(', ') }),
      );
    } else if (!isLabelName(value)) {
      problems.push(diagnostic('invalid-label-name', { key, value }));
    }
  }
  if (options.success !== undefined) {
    if (!isLabelName(options.success.label)) {
      problems.push(
        diagnostic('invalid-label-name', { key: 'the success rule', value: options.success.label }),
      );
    }
    const reason = checkRe2(options.success.failure);
    if (reason !== undefined) {
      problems.push(
        diagnostic('invalid-failure-regex', { value: options.success.failure, reason }),
      );
    }
  }
  problems.push(...checkName(options.consulNamespace, 'Consul namespace', checkDns1123Label));
  problems.push(
    ...checkName(options.appMeshName, 'App Mesh mesh name', (v) =>
      /^[A-Za-z0-9_-]{1,255}$/.test(v) ? undefined : "must be 1-255 letters, digits, '-' and '_'",
    ),
  );
  return problems;
}

function checkWindow(text: string): { ms?: number; problems: Diagnostic[] } {
  const parsed = parseGoDuration(text);
  let reason: string | undefined;
  if (!parsed.ok) reason = parsed.reason;
  else if (parsed.value <= 0n) reason = 'it must be longer than zero';
  else if (parsed.value % 1_000_000n !== 0n) reason = 'it must be a whole number of milliseconds';
  else if (parsed.value / 1_000_000n > BigInt(Number.MAX_SAFE_INTEGER)) reason = 'it is too long';
  if (reason !== undefined || !parsed.ok) {
    return { problems: [diagnostic('invalid-window', { value: text, reason: reason ?? '' })] };
  }
  return { ms: Number(parsed.value / 1_000_000n), problems: [] };
}

/**
 * Validates a request and builds its queries: names must be Kubernetes names, label overrides
 * Prometheus label names, the window a positive Go duration. Never throws on bad input; the
 * problems come back as `metrics/*` diagnostics.
 */
export function planTrafficMetrics(request: MetricsRequest): PlanResult {
  const { mesh, kind } = request;
  if (!(MESHES as readonly string[]).includes(mesh)) {
    return { diagnostics: [diagnostic('unknown-mesh', { value: mesh, known: MESHES.join(', ') })] };
  }
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) {
    const known = RESOURCE_KINDS.join(', ');
    return { diagnostics: [diagnostic('unknown-kind', { value: kind, known })] };
  }
  const template = MESH_TEMPLATES[mesh];
  const options = request.options ?? {};
  const problems: Diagnostic[] = [];
  const isNamespace = kind === 'Namespace';
  const namespace = isNamespace ? undefined : request.namespace;
  const name = request.name;
  if (isNamespace) {
    problems.push(...checkName(name, 'namespace name', checkDns1123Label));
  } else if (namespace === undefined) {
    problems.push(diagnostic('namespace-required', { kind }));
  } else {
    problems.push(...checkName(namespace, 'namespace name', checkDns1123Label));
    problems.push(...checkName(name, `${kind} name`, checkDns1123Subdomain));
  }
  const edges = request.edges === true;
  if (edges && name === undefined) problems.push(diagnostic('name-required', { kind }));
  const windowText = request.window ?? '30s';
  const window = checkWindow(windowText);
  problems.push(...window.problems);
  problems.push(...checkOptions(mesh, options, template.labels));
  if (problems.length > 0 || window.ms === undefined) return { diagnostics: problems };

  const labels = { ...template.labels, ...options.labels };
  const kinds = template.kinds(labels, {
    consulNamespace: options.consulNamespace ?? 'default',
    consulNamespaceMirroring: options.consulNamespaceMirroring === true,
    appMeshName: options.appMeshName,
  });
  const kindTemplate = kinds[kind];
  if (kindTemplate === undefined) {
    return { diagnostics: [diagnostic('unsupported-kind', { mesh: template.title, kind })] };
  }
  const success = options.success ?? template.success;
  const values: Values = {
    namespace: isNamespace ? name : namespace,
    name: isNamespace ? undefined : name,
    mesh: options.appMeshName,
    consulNamespace: options.consulNamespace ?? 'default',
  };
  const plan = (view: View, t: ViewTemplate): ViewPlan => ({
    view,
    side: t.side,
    identity: t.identity,
    queries: viewQueries(t, success, values, window.ms ?? 0),
  });
  let views: ViewPlan[];
  if (!edges) {
    views = [plan('resource', kindTemplate.resource)];
  } else if (typeof kindTemplate.edges === 'string') {
    const reason = kindTemplate.edges;
    return {
      diagnostics: [diagnostic('unsupported-edges', { mesh: template.title, kind, reason })],
    };
  } else {
    views = [plan('to', kindTemplate.edges.to), plan('from', kindTemplate.edges.from)];
  }
  return {
    plan: {
      mesh,
      kind,
      namespace,
      name,
      edges,
      windowMs: window.ms,
      window: formatGoDuration(BigInt(window.ms) * 1_000_000n),
      views,
    },
    diagnostics: [],
  };
}
