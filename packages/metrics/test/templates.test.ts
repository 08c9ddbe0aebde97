import { describe, expect, test } from 'vitest';
import {
  MESH_TEMPLATES,
  MESHES,
  planTrafficMetrics,
  RESOURCE_KINDS,
  type MetricsPlan,
  type MetricsRequest,
} from '../src/index.js';

function plan(request: MetricsRequest): MetricsPlan {
  const result = planTrafficMetrics(request);
  expect(result.diagnostics).toEqual([]);
  if (result.plan === undefined) throw new Error('no plan');
  return result.plan;
}

/** The queries of a plan as `view metric: promql`. */
function queries(request: MetricsRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const view of plan(request).views) {
    for (const q of view.queries) out[`${view.view} ${q.metric}`] = q.promql;
  }
  return out;
}

const web = { kind: 'Deployment', namespace: 'shop', name: 'web' } as const;

describe('Istio', () => {
  test('deployment resource: server side, 5xx are failures, rate over the window', () => {
    const q = queries({ mesh: 'istio', ...web, window: '1m' });
    expect(q['resource success_count']).toBe(
      'sum by (destination_workload_namespace, destination_workload) (increase(istio_requests_total{reporter="destination", destination_workload_namespace="shop", destination_workload="web", response_code!~"5.."}[60s]))',
    );
    expect(q['resource failure_count']).toBe(
      'sum by (destination_workload_namespace, destination_workload) (increase(istio_requests_total{reporter="destination", destination_workload_namespace="shop", destination_workload="web", response_code=~"5.."}[60s]))',
    );
    expect(q['resource p99_response_latency']).toBe(
      'histogram_quantile(0.99, sum by (destination_workload_namespace, destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace="shop", destination_workload="web"}[60s])))',
    );
    expect(q['resource p90_response_latency']).toContain('histogram_quantile(0.9, ');
    expect(q['resource p50_response_latency']).toContain('histogram_quantile(0.5, ');
  });

  test('edges: to at the client (reporter=source), from at the server, unknown peers left out', () => {
    const q = queries({ mesh: 'istio', ...web, edges: true });
    expect(q['to success_count']).toBe(
      'sum by (destination_workload_namespace, destination_workload) (increase(istio_requests_total{reporter="source", source_workload_namespace="shop", source_workload="web", destination_workload!="unknown", destination_workload_namespace!="", destination_workload!="", response_code!~"5.."}[30s]))',
    );
    expect(q['from p50_response_latency']).toBe(
      'histogram_quantile(0.5, sum by (source_workload_namespace, source_workload, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_workload_namespace="shop", destination_workload="web", source_workload!="unknown", source_workload_namespace!="", source_workload!=""}[30s])))',
    );
    const views = plan({ mesh: 'istio', ...web, edges: true }).views;
    expect(views.map((v) => [v.view, v.side])).toEqual([
      ['to', 'client'],
      ['from', 'server'],
    ]);
  });

  test('pods by scrape labels, namespaces by workload namespace', () => {
    const pod = queries({ mesh: 'istio', kind: 'Pod', namespace: 'shop', name: 'web-0' });
    expect(pod['resource success_count']).toBe(
      'sum by (namespace, pod) (increase(istio_requests_total{reporter="destination", namespace="shop", pod="web-0", response_code!~"5.."}[30s]))',
    );
    const ns = queries({ mesh: 'istio', kind: 'Namespace', name: 'shop', edges: true });
    expect(ns['from failure_count']).toBe(
      'sum by (source_workload_namespace) (increase(istio_requests_total{reporter="destination", destination_workload_namespace="shop", source_workload!="unknown", source_workload_namespace!="", response_code=~"5.."}[30s]))',
    );
  });

  test('label names and the success rule are configurable', () => {
    const q = queries({
      mesh: 'istio',
      kind: 'Pod',
      namespace: 'shop',
      name: 'web-0',
      options: {
        labels: { pod: 'kubernetes_pod_name', namespace: 'kubernetes_namespace' },
        success: { label: 'response_code', failure: '[45]..|0' },
      },
    });
    expect(q['resource failure_count']).toBe(
      'sum by (kubernetes_namespace, kubernetes_pod_name) (increase(istio_requests_total{reporter="destination", kubernetes_namespace="shop", kubernetes_pod_name="web-0", response_code=~"[45]..|0"}[30s]))',
    );
  });
});

describe('Linkerd', () => {
  test('inbound for resources, outbound with dst_* labels for both edge directions', () => {
    const r = queries({ mesh: 'linkerd', kind: 'StatefulSet', namespace: 'data', name: 'db' });
    expect(r['resource success_count']).toBe(
      'sum by (namespace, statefulset) (increase(response_total{direction="inbound", namespace="data", statefulset="db", classification!~"failure"}[30s]))',
    );
    const e = queries({ mesh: 'linkerd', ...web, edges: true });
    expect(e['to failure_count']).toBe(
      'sum by (dst_namespace, dst_deployment) (increase(response_total{direction="outbound", namespace="shop", deployment="web", dst_namespace!="", dst_deployment!="", classification=~"failure"}[30s]))',
    );
    expect(e['from p99_response_latency']).toBe(
      'histogram_quantile(0.99, sum by (namespace, deployment, le) (rate(response_latency_ms_bucket{direction="outbound", dst_namespace="shop", dst_deployment="web", namespace!="", deployment!=""}[30s])))',
    );
    expect(plan({ mesh: 'linkerd', ...web, edges: true }).views.map((v) => v.side)).toEqual([
      'client',
      'client',
    ]);
  });

  test('pods and daemonsets have their own labels', () => {
    const pod = queries({
      mesh: 'linkerd',
      kind: 'Pod',
      namespace: 'shop',
      name: 'p',
      edges: true,
    });
    expect(pod['to success_count']).toContain('sum by (dst_namespace, dst_pod)');
    const ds = queries({ mesh: 'linkerd', kind: 'DaemonSet', namespace: 'kube', name: 'agent' });
    expect(ds['resource success_count']).toContain('daemonset="agent"');
  });
});

describe('Consul', () => {
  test('public listener for resources, upstream clusters for edges', () => {
    const q = queries({ mesh: 'consul', ...web, edges: true });
    expect(q['to success_count']).toBe(
      'sum by (consul_destination_service) (increase(envoy_cluster_upstream_rq_xx{namespace="shop", consul_source_service="web", consul_destination_service!="", envoy_response_code_class!~"5"}[30s]))',
    );
    expect(q['from success_count']).toBe(
      'sum by (namespace, consul_source_service) (increase(envoy_cluster_upstream_rq_xx{consul_destination_namespace="default", consul_destination_service="web", namespace!="", consul_source_service!="", envoy_response_code_class!~"5"}[30s]))',
    );
    const r = queries({ mesh: 'consul', ...web });
    expect(r['resource p50_response_latency']).toBe(
      'histogram_quantile(0.5, sum by (namespace, consul_source_service, le) (rate(envoy_http_downstream_rq_time_bucket{envoy_http_conn_manager_prefix="public_listener", namespace="shop", consul_source_service="web"}[30s])))',
    );
  });

  test('a Consul namespace, or mirroring', () => {
    const fixed = queries({
      mesh: 'consul',
      ...web,
      edges: true,
      options: { consulNamespace: 'team-a' },
    });
    expect(fixed['from success_count']).toContain('consul_destination_namespace="team-a"');
    const mirrored = queries({
      mesh: 'consul',
      ...web,
      edges: true,
      options: { consulNamespaceMirroring: true },
    });
    expect(mirrored['from success_count']).toContain('consul_destination_namespace="shop"');
    expect(mirrored['to success_count']).toContain(
      'sum by (consul_destination_namespace, consul_destination_service)',
    );
    const ns = planTrafficMetrics({ mesh: 'consul', kind: 'Namespace', name: 'shop', edges: true });
    expect(ns.diagnostics.map((d) => d.code)).toEqual(['metrics/unsupported-edges']);
    const nsMirrored = planTrafficMetrics({
      mesh: 'consul',
      kind: 'Namespace',
      name: 'shop',
      edges: true,
      options: { consulNamespaceMirroring: true },
    });
    expect(nsMirrored.diagnostics).toEqual([]);
  });
});

describe('App Mesh', () => {
  test('ingress cluster for resources, workloads recognised by pod names', () => {
    const q = queries({ mesh: 'appmesh', ...web, options: { appMeshName: 'global' } });
    expect(q['resource success_count']).toBe(
      'sum by (kubernetes_namespace, meshlingo_workload) (label_replace(increase(envoy_cluster_upstream_rq_xx{kubernetes_namespace="shop", kubernetes_pod_name=~"web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}", envoy_cluster_name=~"cds_ingress_global_.+", envoy_response_code_class!~"5"}[30s]), "meshlingo_workload", "$1", "kubernetes_pod_name", "(web)-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}"))',
    );
    const sts = queries({ mesh: 'appmesh', kind: 'StatefulSet', namespace: 'data', name: 'db' });
    expect(sts['resource success_count']).toContain('kubernetes_pod_name=~"db-[0-9]+"');
    expect(sts['resource success_count']).toContain('envoy_cluster_name=~"cds_ingress_.+_.+"');
  });

  test('edges from egress cluster names; names are escaped inside regexes', () => {
    const q = queries({
      mesh: 'appmesh',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web.v2',
      edges: true,
      options: { appMeshName: 'mesh_1' },
    });
    expect(q['to success_count']).toContain(
      'label_replace(label_replace(increase(envoy_cluster_upstream_rq_xx{kubernetes_namespace="shop", kubernetes_pod_name=~"web\\\\.v2-',
    );
    expect(q['to success_count']).toContain(
      '"meshlingo_peer", "$1", "envoy_cluster_name", "cds_egress_mesh_1_([a-z0-9.-]+)_([a-z0-9-]+)_[a-z0-9]+_[0-9]+"',
    );
    expect(q['from success_count']).toContain(
      'envoy_cluster_name=~"cds_egress_mesh_1_web\\\\.v2_shop_[a-z0-9]+_[0-9]+"',
    );
  });
});

describe('every mesh', () => {
  test.each(MESHES)('%s: five queries per view, no edges for pods except Linkerd', (mesh) => {
    for (const kind of RESOURCE_KINDS) {
      const base =
        kind === 'Namespace' ? { kind, name: 'shop' } : { kind, namespace: 'shop', name: 'web' };
      const resource = plan({ mesh, ...base });
      expect(resource.views).toHaveLength(1);
      expect(resource.views[0]?.queries.map((q) => q.metric)).toEqual([
        'p99_response_latency',
        'p90_response_latency',
        'p50_response_latency',
        'success_count',
        'failure_count',
      ]);
      expect(resource.views[0]?.side).toBe('server');
      const edges = planTrafficMetrics({ mesh, ...base, edges: true });
      const unsupported =
        (kind === 'Pod' && mesh !== 'linkerd') || (kind === 'Namespace' && mesh === 'consul');
      expect(edges.plan === undefined, `${mesh} ${kind}`).toBe(unsupported);
    }
  });

  test.each(MESHES)(
    '%s: a list selects every name with a non-empty label or a name pattern',
    (mesh) => {
      const q = queries({ mesh, kind: 'Deployment', namespace: 'shop' });
      const success = q['resource success_count'] ?? '';
      expect(success).not.toContain('"web"');
      expect(success).toMatch(/!=""|\[a-z0-9\]\(\?:\[-\.a-z0-9\]\*\[a-z0-9\]\)\?/);
    },
  );

  test.each(MESHES)('%s: every default label name can be overridden', (mesh) => {
    const labels = Object.fromEntries(
      Object.keys(MESH_TEMPLATES[mesh].labels).map((key) => [key, `x_${key}`]),
    );
    const all = RESOURCE_KINDS.flatMap((kind) => {
      const base =
        kind === 'Namespace' ? { kind, name: 'shop' } : { kind, namespace: 'shop', name: 'web' };
      return [false, true].flatMap((edges) => {
        const r = planTrafficMetrics({ mesh, ...base, edges, options: { labels } });
        return r.plan?.views.flatMap((v) => v.queries.map((q) => q.promql)) ?? [];
      });
    }).join('\n');
    for (const value of Object.values(MESH_TEMPLATES[mesh].labels)) {
      expect(all).not.toMatch(new RegExp(`[{ (,]${value}(=|!=|=~|!~|,|\\))`));
    }
  });
});
