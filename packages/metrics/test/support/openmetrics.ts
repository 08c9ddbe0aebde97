/**
 * Writes the scenario as OpenMetrics text with timestamps, the input of
 * `promtool tsdb create-blocks-from openmetrics`: one file with Istio-, Linkerd-, Consul- and App
 * Mesh-shaped series over {@link SPAN} seconds ending at {@link END}.
 */
import {
  APP_MESH_NAME,
  CLIENT_LATENCY_FACTOR,
  END,
  ENVOY_BUCKETS,
  FLOWS,
  LINKERD_BUCKETS,
  SPAN,
  STEP,
  UPTIME,
  type Flow,
  type Workload,
} from './scenario.js';

type Labels = Readonly<Record<string, string>>;

interface Family {
  readonly type: 'counter' | 'histogram' | undefined;
  /** Series key to name, labels and per-second growth. */
  readonly series: Map<string, { name: string; labels: Labels; perSecond: number }>;
}

class Exposition {
  private readonly families = new Map<string, Family>();

  private add(
    family: string,
    type: Family['type'],
    name: string,
    labels: Labels,
    perSecond: number,
  ): void {
    let f = this.families.get(family);
    if (f === undefined) {
      f = { type, series: new Map() };
      this.families.set(family, f);
    }
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    const existing = f.series.get(key);
    if (existing === undefined) f.series.set(key, { name, labels, perSecond });
    else existing.perSecond += perSecond;
  }

  /** A counter growing by `perSecond`; `_total` names get a counter TYPE, Envoy's stay untyped. */
  counter(name: string, labels: Labels, perSecond: number): void {
    const typed = name.endsWith('_total');
    this.add(
      typed ? name.slice(0, -'_total'.length) : name,
      typed ? 'counter' : undefined,
      name,
      labels,
      perSecond,
    );
  }

  /** `perSecond` observations of `latency` ms in a cumulative histogram. */
  histogram(
    family: string,
    labels: Labels,
    buckets: readonly number[],
    latency: number,
    perSecond: number,
  ): void {
    for (const le of buckets) {
      this.add(
        family,
        'histogram',
        `${family}_bucket`,
        { ...labels, le: String(le) },
        latency <= le ? perSecond : 0,
      );
    }
    this.add(family, 'histogram', `${family}_bucket`, { ...labels, le: '+Inf' }, perSecond);
    this.add(family, 'histogram', `${family}_sum`, labels, latency * perSecond);
    this.add(family, 'histogram', `${family}_count`, labels, perSecond);
  }

  text(): string {
    const lines: string[] = [];
    for (const [family, f] of this.families) {
      if (f.type !== undefined) lines.push(`# TYPE ${family} ${f.type}`);
      for (const s of f.series.values()) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(',');
        for (let t = END - SPAN; t <= END; t += STEP) {
          const value = s.perSecond * (UPTIME + t - (END - SPAN));
          lines.push(`${s.name}{${labels}} ${value} ${t}`);
        }
      }
    }
    lines.push('# EOF');
    return `${lines.join('\n')}\n`;
  }
}

/** Response codes of a flow with their rates and server-side latency. */
function codes(flow: Flow): { code: string; rate: number; latency: number }[] {
  return [
    { code: '200', rate: flow.rates.ok, latency: flow.latencyMs.ok },
    { code: '404', rate: flow.rates.notFound, latency: flow.latencyMs.ok },
    { code: '503', rate: flow.rates.error, latency: flow.latencyMs.error },
  ].filter((c) => c.rate > 0);
}

function istio(out: Exposition): void {
  for (const flow of FLOWS) {
    const { to, from } = flow;
    for (const { code, rate, latency } of codes(flow)) {
      const common = {
        source_workload: from?.workload.name ?? 'unknown',
        source_workload_namespace: from?.workload.namespace ?? 'unknown',
        destination_workload: to.workload.name,
        destination_workload_namespace: to.workload.namespace,
        destination_service: `${to.workload.name}.${to.workload.namespace}.svc.cluster.local`,
        response_code: code,
      };
      const server = {
        reporter: 'destination',
        ...common,
        namespace: to.workload.namespace,
        pod: to.pod,
      };
      out.counter('istio_requests_total', server, rate);
      out.histogram('istio_request_duration_milliseconds', server, ENVOY_BUCKETS, latency, rate);
      if (from === undefined) continue;
      const client = {
        reporter: 'source',
        ...common,
        namespace: from.workload.namespace,
        pod: from.pod,
      };
      out.counter('istio_requests_total', client, rate);
      out.histogram(
        'istio_request_duration_milliseconds',
        client,
        ENVOY_BUCKETS,
        latency * CLIENT_LATENCY_FACTOR,
        rate,
      );
    }
  }
}

function kindLabel(w: Workload): string {
  return w.kind.toLowerCase();
}

function linkerd(out: Exposition): void {
  for (const flow of FLOWS) {
    const { to, from } = flow;
    for (const { code, rate, latency } of codes(flow)) {
      const classification = code.startsWith('5') ? 'failure' : 'success';
      const inbound = {
        direction: 'inbound',
        namespace: to.workload.namespace,
        pod: to.pod,
        [kindLabel(to.workload)]: to.workload.name,
        status_code: code,
        tls: 'true',
      };
      out.counter('response_total', { ...inbound, classification }, rate);
      out.histogram('response_latency_ms', inbound, LINKERD_BUCKETS, latency, rate);
      if (from === undefined) continue;
      const outbound = {
        direction: 'outbound',
        namespace: from.workload.namespace,
        pod: from.pod,
        [kindLabel(from.workload)]: from.workload.name,
        dst_namespace: to.workload.namespace,
        [`dst_${kindLabel(to.workload)}`]: to.workload.name,
        dst_pod: to.pod,
        status_code: code,
        tls: 'true',
      };
      out.counter('response_total', { ...outbound, classification }, rate);
      out.histogram(
        'response_latency_ms',
        outbound,
        LINKERD_BUCKETS,
        latency * CLIENT_LATENCY_FACTOR,
        rate,
      );
    }
  }
}

const TRUST_DOMAIN = '5e7d3b2a-1c4f-4b8e-9a6d-2f0c8e1b7a93.consul';

function consul(out: Exposition): void {
  for (const flow of FLOWS) {
    const { to, from } = flow;
    for (const { code, rate, latency } of codes(flow)) {
      const codeClass = code.slice(0, 1);
      const sidecar = {
        consul_source_service: to.workload.name,
        consul_source_namespace: 'default',
        local_cluster: to.workload.name,
        namespace: to.workload.namespace,
        pod: to.pod,
      };
      const listener = { envoy_http_conn_manager_prefix: 'public_listener', ...sidecar };
      out.counter(
        'envoy_http_downstream_rq_xx',
        { ...listener, envoy_response_code_class: codeClass },
        rate,
      );
      out.histogram('envoy_http_downstream_rq_time', listener, ENVOY_BUCKETS, latency, rate);
      // The sidecar forwards inbound requests to the app through local_app: not an edge.
      const localApp = { envoy_cluster_name: 'local_app', ...sidecar };
      out.counter(
        'envoy_cluster_upstream_rq_xx',
        { ...localApp, envoy_response_code_class: codeClass },
        rate,
      );
      out.histogram('envoy_cluster_upstream_rq_time', localApp, ENVOY_BUCKETS, latency, rate);
      if (from === undefined) continue;
      const upstream = {
        envoy_cluster_name: `${to.workload.name}.default.dc1.internal.${TRUST_DOMAIN}`,
        consul_source_service: from.workload.name,
        consul_source_namespace: 'default',
        local_cluster: from.workload.name,
        consul_destination_service: to.workload.name,
        consul_destination_namespace: 'default',
        consul_destination_datacenter: 'dc1',
        namespace: from.workload.namespace,
        pod: from.pod,
      };
      out.counter(
        'envoy_cluster_upstream_rq_xx',
        { ...upstream, envoy_response_code_class: codeClass },
        rate,
      );
      out.histogram(
        'envoy_cluster_upstream_rq_time',
        upstream,
        ENVOY_BUCKETS,
        latency * CLIENT_LATENCY_FACTOR,
        rate,
      );
    }
  }
}

function appMesh(out: Exposition): void {
  for (const flow of FLOWS) {
    const { to, from } = flow;
    const node = `${APP_MESH_NAME}_${to.workload.name}_${to.workload.namespace}_http_8080`;
    for (const { code, rate, latency } of codes(flow)) {
      const codeClass = code.slice(0, 1);
      const ingress = {
        envoy_cluster_name: `cds_ingress_${node}`,
        kubernetes_namespace: to.workload.namespace,
        kubernetes_pod_name: to.pod,
      };
      out.counter(
        'envoy_cluster_upstream_rq_xx',
        { ...ingress, envoy_response_code_class: codeClass },
        rate,
      );
      out.histogram('envoy_cluster_upstream_rq_time', ingress, ENVOY_BUCKETS, latency, rate);
      if (from === undefined) continue;
      const egress = {
        envoy_cluster_name: `cds_egress_${node}`,
        kubernetes_namespace: from.workload.namespace,
        kubernetes_pod_name: from.pod,
      };
      out.counter(
        'envoy_cluster_upstream_rq_xx',
        { ...egress, envoy_response_code_class: codeClass },
        rate,
      );
      out.histogram(
        'envoy_cluster_upstream_rq_time',
        egress,
        ENVOY_BUCKETS,
        latency * CLIENT_LATENCY_FACTOR,
        rate,
      );
    }
  }
  // Calls to AWS services leave through an egress cluster that names no virtual node.
  const aws = {
    envoy_cluster_name: `cds_egress_${APP_MESH_NAME}_amazonaws`,
    kubernetes_namespace: 'shop',
    kubernetes_pod_name: 'api-8c6d4f5b9-m5n6p',
  };
  out.counter('envoy_cluster_upstream_rq_xx', { ...aws, envoy_response_code_class: '2' }, 3);
  out.histogram('envoy_cluster_upstream_rq_time', aws, ENVOY_BUCKETS, 30, 3);
}

/** The whole scenario as one OpenMetrics document. */
export function scenarioOpenMetrics(): string {
  const out = new Exposition();
  istio(out);
  linkerd(out);
  consul(out);
  appMesh(out);
  return out.text();
}
