import { z } from 'zod';

/** metrics.smi-spec.io */
export const METRICS_GROUP = 'metrics.smi-spec.io';

/** A core/v1 ObjectReference as TrafficMetrics uses it. */
export const ObjectReferenceSchema = z.strictObject({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  apiVersion: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});

/** The standard metric names. */
export const METRIC_NAMES = [
  'p99_response_latency',
  'p90_response_latency',
  'p50_response_latency',
  'success_count',
  'failure_count',
] as const;

const MetricSchema = z.strictObject({
  name: z.string(),
  unit: z.string().optional(),
  /** A Kubernetes quantity string, such as `"10m"` or `"1204"`. */
  value: z.union([z.string(), z.number()]),
});

const metadata = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
});

function trafficMetrics<const V extends string>(apiVersion: V, withV2Fields: boolean) {
  const edge = z.strictObject({
    direction: z.enum(['to', 'from']),
    ...(withV2Fields && { side: z.enum(['client', 'server']).optional() }),
    resource: ObjectReferenceSchema.nullable().optional(),
  });
  return z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal('TrafficMetrics'),
    metadata: metadata.optional(),
    timestamp: z.string(),
    window: z.string(),
    resource: ObjectReferenceSchema.nullable(),
    edge: edge.nullable().optional(),
    ...(withV2Fields && {
      backend: z
        .strictObject({ apex: z.string(), name: z.string(), weight: z.number() })
        .nullable()
        .optional(),
    }),
    metrics: z.array(MetricSchema),
  });
}

/** metrics.smi-spec.io/v1alpha1 TrafficMetrics (what the reference metrics server serves). */
export const TrafficMetricsV1alpha1Schema = trafficMetrics('metrics.smi-spec.io/v1alpha1', false);
export type TrafficMetricsV1alpha1 = z.infer<typeof TrafficMetricsV1alpha1Schema>;

/** metrics.smi-spec.io/v1alpha2 TrafficMetrics: adds `edge.side` and `backend`. */
export const TrafficMetricsV1alpha2Schema = trafficMetrics('metrics.smi-spec.io/v1alpha2', true);
export type TrafficMetricsV1alpha2 = z.infer<typeof TrafficMetricsV1alpha2Schema>;

function trafficMetricsList<const V extends string, T extends z.ZodType>(apiVersion: V, item: T) {
  return z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal('TrafficMetricsList'),
    metadata: metadata.optional(),
    resource: ObjectReferenceSchema.nullable().optional(),
    selector: z.looseObject({}).nullable().optional(),
    items: z.array(item),
  });
}

/** metrics.smi-spec.io/v1alpha1 TrafficMetricsList. */
export const TrafficMetricsListV1alpha1Schema = trafficMetricsList(
  'metrics.smi-spec.io/v1alpha1',
  TrafficMetricsV1alpha1Schema,
);
/** metrics.smi-spec.io/v1alpha2 TrafficMetricsList. */
export const TrafficMetricsListV1alpha2Schema = trafficMetricsList(
  'metrics.smi-spec.io/v1alpha2',
  TrafficMetricsV1alpha2Schema,
);
