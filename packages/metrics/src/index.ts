/**
 * @meshlingo/metrics: SMI TrafficMetrics (`metrics.smi-spec.io`) computed from Prometheus for
 * Istio, Linkerd, Consul and AWS App Mesh: declarative per-mesh query templates, a Prometheus
 * instant-query client and the mapping of vector results to TrafficMetrics objects.
 */

export type { Direction, MetricName, ResourceKind, Side } from './kinds.js';
export { KIND_RESOURCES, parseResourceKind, RESOURCE_KINDS } from './kinds.js';
export type { Parsed } from './duration.js';
export { formatGoDuration, formatTimestamp, parseGoDuration, parseTime } from './duration.js';
export { decimalToMilli, formatMilliQuantity } from './quantity.js';
export type { LabelMatcher, LabelReplace, MatchOp } from './promql.js';
export { isLabelName, promqlRange, promqlString, selector, withDerivedLabels } from './promql.js';
export type { MetricsMessageId } from './messages.js';
export { METRICS_SOURCE, metricsMessages } from './messages.js';
export type {
  DerivedLabelTemplate,
  Identity,
  KindTemplate,
  MatcherTemplate,
  MeshName,
  MeshSettings,
  MeshTemplate,
  SuccessRule,
  ViewTemplate,
} from './templates/types.js';
export { defineMesh, eq, MESHES, ne, re } from './templates/types.js';
export { appMeshTemplate } from './templates/appmesh.js';
export { consulTemplate } from './templates/consul.js';
export { istioTemplate } from './templates/istio.js';
export { linkerdTemplate } from './templates/linkerd.js';
export { MESH_TEMPLATES } from './templates/index.js';
export type {
  MeshOptions,
  MetricsPlan,
  MetricsQuery,
  MetricsRequest,
  PlanResult,
  View,
  ViewPlan,
} from './plan.js';
export { planTrafficMetrics, viewQueries } from './plan.js';
export type {
  PrometheusClient,
  PrometheusClientOptions,
  PrometheusFailure,
  PrometheusFailureKind,
  QueryOutcome,
  Sample,
} from './prometheus.js';
export { createPrometheusClient } from './prometheus.js';
export type {
  BuildOptions,
  BuildResult,
  ObjectReference,
  TrafficMetric,
  TrafficMetrics,
  TrafficMetricsEdge,
  TrafficMetricsList,
  TrafficMetricsVersion,
} from './traffic-metrics.js';
export { buildTrafficMetrics, LATENCY_UNIT } from './traffic-metrics.js';
export type { FetchOptions, MetricsResult } from './fetch.js';
export { failureDiagnostic, fetchTrafficMetrics } from './fetch.js';
export { renderTrafficMetricsTable } from './table.js';
