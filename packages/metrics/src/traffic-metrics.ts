import { createDiagnostic, METRIC_NAMES, METRICS_GROUP, type Diagnostic } from '@meshlingo/core';
import { formatTimestamp } from './duration.js';
import { KIND_RESOURCES, type Direction, type MetricName, type Side } from './kinds.js';
import { METRICS_SOURCE, metricsMessages } from './messages.js';
import type { MetricsPlan, View, ViewPlan } from './plan.js';
import type { Sample } from './prometheus.js';
import { decimalToMilli, formatMilliQuantity } from './quantity.js';

/** The TrafficMetrics versions this package writes. */
export type TrafficMetricsVersion = 'v1alpha1' | 'v1alpha2';

/** The unit of the three latency metrics: milliseconds, as smi-sdk-go and smi-metrics write. */
export const LATENCY_UNIT = 'ms';

/** A core/v1 ObjectReference to the resource or peer the numbers belong to. */
export interface ObjectReference {
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** One metric; `value` is a Kubernetes quantity string. */
export interface TrafficMetric {
  readonly name: MetricName;
  readonly unit?: typeof LATENCY_UNIT;
  readonly value: string;
}

/** The edge of an item; `resource: null` for a resource's own numbers. */
export interface TrafficMetricsEdge {
  readonly direction: Direction;
  /** Only in v1alpha2. */
  readonly side?: Side;
  readonly resource: ObjectReference | null;
}

/** A `metrics.smi-spec.io` TrafficMetrics object. */
export interface TrafficMetrics {
  readonly apiVersion: `${typeof METRICS_GROUP}/${TrafficMetricsVersion}`;
  readonly kind: 'TrafficMetrics';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly selfLink: string;
    readonly creationTimestamp: string;
  };
  /** RFC 3339, second precision: the end of the window, when the queries were evaluated. */
  readonly timestamp: string;
  /** Go duration (`30s`, `1m0s`). */
  readonly window: string;
  readonly resource: ObjectReference;
  readonly edge: TrafficMetricsEdge;
  /** The five standard metrics, in {@link METRIC_NAMES} order. */
  readonly metrics: readonly TrafficMetric[];
}

/** A `metrics.smi-spec.io` TrafficMetricsList: every resource of a kind, or a resource's edges. */
export interface TrafficMetricsList {
  readonly apiVersion: `${typeof METRICS_GROUP}/${TrafficMetricsVersion}`;
  readonly kind: 'TrafficMetricsList';
  readonly metadata: { readonly selfLink: string };
  readonly resource: ObjectReference;
  readonly items: readonly TrafficMetrics[];
}

/** The mapped object and what was noticed on the way. */
export interface BuildResult {
  readonly object: TrafficMetrics | TrafficMetricsList;
  readonly diagnostics: readonly Diagnostic[];
}

/** How to write the objects. */
export interface BuildOptions {
  /** Evaluation time of the queries; written at second precision. */
  readonly time: Date;
  readonly version: TrafficMetricsVersion;
}

interface Item {
  readonly view: View;
  readonly side: Side;
  readonly ref: ObjectReference;
  readonly values: Map<MetricName, bigint>;
}

function refKey(ref: ObjectReference): string {
  return JSON.stringify([ref.kind, ref.namespace ?? '', ref.name ?? '']);
}

function describeRef(ref: ObjectReference): string {
  const base = `${ref.kind} ${ref.name ?? ''}`;
  return ref.namespace === undefined ? base : `${base} in ${ref.namespace}`;
}

/** The reference an item's labels name, or the labels that are missing. */
function identify(
  plan: MetricsPlan,
  view: ViewPlan,
  labels: Readonly<Record<string, string>>,
): ObjectReference | string[] {
  const missing: string[] = [];
  const read = (label: string | undefined, fallback: string | undefined): string | undefined => {
    if (label === undefined) return fallback;
    const value = Object.hasOwn(labels, label) ? labels[label] : undefined;
    if (typeof value !== 'string' || value === '') missing.push(label);
    return value;
  };
  const namespace = read(view.identity.namespace, plan.namespace);
  if (plan.kind === 'Namespace') {
    return missing.length > 0 || namespace === undefined
      ? missing
      : { kind: 'Namespace', name: namespace };
  }
  const name = read(view.identity.name, view.view === 'resource' ? plan.name : undefined);
  if (missing.length > 0 || namespace === undefined || name === undefined) return missing;
  return { kind: plan.kind, namespace, name };
}

function selfLink(version: TrafficMetricsVersion, ref: ObjectReference): string {
  const base = `/apis/${METRICS_GROUP}/${version}`;
  if (ref.kind === 'Namespace')
    return `${base}/namespaces${ref.name === undefined ? '' : `/${ref.name}`}`;
  const plural = KIND_RESOURCES[ref.kind as keyof typeof KIND_RESOURCES];
  const path = `${base}/namespaces/${ref.namespace ?? ''}/${plural}`;
  return ref.name === undefined ? path : `${path}/${ref.name}`;
}

function metricsOf(values: ReadonlyMap<MetricName, bigint>): TrafficMetric[] {
  return METRIC_NAMES.map((name) => {
    const value = formatMilliQuantity(values.get(name) ?? 0n);
    return name.endsWith('_latency') ? { name, unit: LATENCY_UNIT, value } : { name, value };
  });
}

function compareRefs(a: ObjectReference, b: ObjectReference): number {
  const ka = `${a.namespace ?? ''}\u0000${a.name ?? ''}`;
  const kb = `${b.namespace ?? ''}\u0000${b.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Maps the vectors returned for a plan's queries (`results[v][q]` for view `v`, query `q`) to
 * a TrafficMetrics object (one named resource) or a TrafficMetricsList (every resource of a kind,
 * or the edges of a resource). Values are rounded to thousandths and written as exact Kubernetes
 * quantities; latencies carry unit `ms`. A metric without a finite sample (no series, or `NaN`
 * from `histogram_quantile` when nothing was requested) is written as `0`. A named resource with
 * no samples at all still gets an object, all zeros, with a `metrics/no-data` note.
 */
export function buildTrafficMetrics(
  plan: MetricsPlan,
  results: readonly (readonly (readonly Sample[])[])[],
  options: BuildOptions,
): BuildResult {
  const { version } = options;
  const apiVersion = `${METRICS_GROUP}/${version}` as const;
  const timestamp = formatTimestamp(options.time);
  const diagnostics: Diagnostic[] = [];
  const items = new Map<string, Item>();
  const warned = new Set<string>();
  const warn = (
    id: 'series-without-identity' | 'duplicate-series',
    data: Record<string, string>,
  ): void => {
    const key = `${id}|${JSON.stringify(data)}`;
    if (warned.has(key)) return;
    warned.add(key);
    diagnostics.push(createDiagnostic(METRICS_SOURCE, metricsMessages, id, { data }));
  };

  plan.views.forEach((view, v) => {
    view.queries.forEach((query, q) => {
      const seen = new Set<string>();
      for (const sample of results[v]?.[q] ?? []) {
        const ref = identify(plan, view, sample.labels);
        if (Array.isArray(ref)) {
          warn('series-without-identity', { metric: query.metric, labels: ref.join(', ') });
          continue;
        }
        const key = `${view.view}|${refKey(ref)}`;
        if (seen.has(key)) {
          warn('duplicate-series', { metric: query.metric, resource: describeRef(ref) });
          continue;
        }
        seen.add(key);
        let item = items.get(key);
        if (item === undefined) {
          item = { view: view.view, side: view.side, ref, values: new Map() };
          items.set(key, item);
        }
        const milli = decimalToMilli(sample.value);
        if (milli !== undefined) item.values.set(query.metric, milli);
      }
    });
  });

  const resourceRef: ObjectReference =
    plan.kind === 'Namespace'
      ? { kind: 'Namespace', ...(plan.name !== undefined && { name: plan.name }) }
      : {
          kind: plan.kind,
          ...(plan.namespace !== undefined && { namespace: plan.namespace }),
          ...(plan.name !== undefined && { name: plan.name }),
        };
  const edgeOf = (
    direction: Direction,
    side: Side,
    peer: ObjectReference | null,
  ): TrafficMetricsEdge =>
    version === 'v1alpha2' ? { direction, side, resource: peer } : { direction, resource: peer };
  const object = (
    subject: ObjectReference,
    edge: TrafficMetricsEdge,
    values: ReadonlyMap<MetricName, bigint>,
    link: string,
  ): TrafficMetrics => ({
    apiVersion,
    kind: 'TrafficMetrics',
    metadata: {
      name: subject.name ?? '',
      ...(subject.namespace !== undefined && { namespace: subject.namespace }),
      selfLink: link,
      creationTimestamp: timestamp,
    },
    timestamp,
    window: plan.window,
    resource: subject,
    edge,
    metrics: metricsOf(values),
  });

  const all = [...items.values()];
  const resourceView = plan.views[0];
  if (!plan.edges && plan.name !== undefined && resourceView !== undefined) {
    const item = items.get(`resource|${refKey(resourceRef)}`);
    if (item === undefined) {
      diagnostics.push(
        createDiagnostic(METRICS_SOURCE, metricsMessages, 'no-data', {
          data: { what: 'request', resource: describeRef(resourceRef), window: plan.window },
        }),
      );
    }
    const edge = edgeOf('from', resourceView.side, null);
    return {
      object: object(resourceRef, edge, item?.values ?? new Map(), selfLink(version, resourceRef)),
      diagnostics,
    };
  }
  if (!plan.edges) {
    const list = all
      .sort((a, b) => compareRefs(a.ref, b.ref))
      .map((item) =>
        object(item.ref, edgeOf('from', item.side, null), item.values, selfLink(version, item.ref)),
      );
    return {
      object: {
        apiVersion,
        kind: 'TrafficMetricsList',
        metadata: { selfLink: selfLink(version, resourceRef) },
        resource: resourceRef,
        items: list,
      },
      diagnostics,
    };
  }
  const edgesLink = `${selfLink(version, resourceRef)}/edges`;
  const order: Record<View, number> = { resource: 0, to: 1, from: 2 };
  const list = all
    .sort((a, b) => order[a.view] - order[b.view] || compareRefs(a.ref, b.ref))
    .map((item) =>
      object(
        resourceRef,
        edgeOf(item.view === 'to' ? 'to' : 'from', item.side, item.ref),
        item.values,
        edgesLink,
      ),
    );
  return {
    object: {
      apiVersion,
      kind: 'TrafficMetricsList',
      metadata: { selfLink: edgesLink },
      resource: resourceRef,
      items: list,
    },
    diagnostics,
  };
}
