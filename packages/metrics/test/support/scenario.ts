/**
 * Synthetic mesh traffic shared by the Prometheus fixture (which turns it into Istio-, Linkerd-,
 * Consul- and App Mesh-shaped series) and the tests (which compute the expected numbers from
 * it on their own). Every rate is a whole number of requests per second and every latency a
 * fixed value, so counters grow linearly and the expected values are exact.
 */

/** The workload kinds of the scenario. */
export type WorkloadKind = 'Deployment' | 'StatefulSet';

/** A workload and its pods. */
export interface Workload {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly pods: readonly string[];
}

/** Requests per second by response code. */
export interface Rates {
  readonly ok: number;
  readonly notFound: number;
  readonly error: number;
}

/** Traffic from one pod to another (`from` undefined: a caller outside the mesh). */
export interface Flow {
  readonly from?: { readonly workload: Workload; readonly pod: string };
  readonly to: { readonly workload: Workload; readonly pod: string };
  readonly rates: Rates;
  /** Server-side latency of successful (200, 404) and failed (503) requests, in ms. */
  readonly latencyMs: { readonly ok: number; readonly error: number };
}

/** Client-measured latency: the server's plus the network, here twice the server's. */
export const CLIENT_LATENCY_FACTOR = 2;

/** End of the data, and the evaluation time of the tests: 2025-06-01T12:00:00Z. */
export const END = 1_748_779_200;
/** Seconds of data before {@link END}. */
export const SPAN = 180;
/** Seconds between samples. */
export const STEP = 15;
/** Counters start as if the proxies had been serving for an hour. */
export const UPTIME = 3_600;
/** The App Mesh mesh name in cluster names. */
export const APP_MESH_NAME = 'shop-mesh';

const loadgen: Workload = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'loadgen',
  pods: ['loadgen-7b9c5d6f8-q2w4r'],
};
const web: Workload = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  pods: ['web-5d8f7c9b6d-x2x4z', 'web-5d8f7c9b6d-p7k9t'],
};
const webApi: Workload = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web-api',
  pods: ['web-api-6f5b8d9c7-k2l4m'],
};
const api: Workload = {
  kind: 'Deployment',
  namespace: 'shop',
  name: 'api',
  pods: ['api-8c6d4f5b9-m5n6p'],
};
const db: Workload = { kind: 'StatefulSet', namespace: 'data', name: 'db', pods: ['db-0'] };
const cache: Workload = {
  kind: 'StatefulSet',
  namespace: 'data',
  name: 'cache',
  pods: ['cache-0'],
};

/** Every workload. */
export const WORKLOADS: readonly Workload[] = [loadgen, web, webApi, api, db, cache];

function at(workload: Workload, index = 0): { workload: Workload; pod: string } {
  return { workload, pod: workload.pods[index] ?? '' };
}

/** The traffic. */
export const FLOWS: readonly Flow[] = [
  {
    from: at(loadgen),
    to: at(web, 0),
    rates: { ok: 6, notFound: 1, error: 1 },
    latencyMs: { ok: 40, error: 400 },
  },
  {
    from: at(loadgen),
    to: at(web, 1),
    rates: { ok: 4, notFound: 0, error: 1 },
    latencyMs: { ok: 20, error: 300 },
  },
  { to: at(web, 0), rates: { ok: 2, notFound: 0, error: 0 }, latencyMs: { ok: 60, error: 60 } },
  {
    from: at(loadgen),
    to: at(webApi),
    rates: { ok: 2, notFound: 0, error: 0 },
    latencyMs: { ok: 10, error: 10 },
  },
  {
    from: at(web, 0),
    to: at(api),
    rates: { ok: 5, notFound: 0, error: 0 },
    latencyMs: { ok: 8, error: 8 },
  },
  {
    from: at(web, 1),
    to: at(api),
    rates: { ok: 3, notFound: 1, error: 2 },
    latencyMs: { ok: 15, error: 900 },
  },
  {
    from: at(web, 0),
    to: at(db),
    rates: { ok: 1, notFound: 0, error: 0 },
    latencyMs: { ok: 4, error: 4 },
  },
  {
    from: at(api),
    to: at(db),
    rates: { ok: 7, notFound: 0, error: 1 },
    latencyMs: { ok: 3, error: 50 },
  },
  {
    from: at(db),
    to: at(cache),
    rates: { ok: 2, notFound: 0, error: 0 },
    latencyMs: { ok: 2, error: 2 },
  },
];

/** Istio's and Envoy's default request-duration buckets (ms), without `+Inf`. */
export const ENVOY_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
  1800000, 3600000,
];

/** Linkerd proxy latency buckets (ms), without `+Inf`. */
export const LINKERD_BUCKETS = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000,
  20000, 30000, 40000, 50000,
];
