import type { ResourceKind } from '../kinds.js';
import { defineMesh, eq, ne, type KindTemplate, type ViewTemplate } from './types.js';

const COUNTER = 'istio_requests_total';
const HISTOGRAM = 'istio_request_duration_milliseconds_bucket';

/**
 * Istio standard metrics (telemetry v2): `istio_requests_total` and
 * `istio_request_duration_milliseconds`. Istio is the one mesh that reports both sides of a call
 * (`reporter="source"` is the client proxy, `reporter="destination"` the server proxy), so resource
 * numbers and `from` edges are measured at the server and `to` edges at the client. Workloads are
 * matched by `destination_workload`/`source_workload`, which carry the owner name without a kind.
 * Callers outside the mesh (workload `unknown`) count in resource totals but are not edges.
 */
export const istioTemplate = defineMesh({
  mesh: 'istio',
  title: 'Istio',
  labels: {
    reporter: 'reporter',
    sourceWorkload: 'source_workload',
    sourceNamespace: 'source_workload_namespace',
    destinationWorkload: 'destination_workload',
    destinationNamespace: 'destination_workload_namespace',
    pod: 'pod',
    namespace: 'namespace',
  },
  success: { label: 'response_code', failure: '5..' },
  kinds: (l) => {
    const view = (
      side: ViewTemplate['side'],
      matchers: ViewTemplate['matchers'],
      identity: ViewTemplate['identity'],
    ): ViewTemplate => ({ side, counter: COUNTER, histogram: HISTOGRAM, matchers, identity });
    const server = eq(l.reporter, 'destination');
    const client = eq(l.reporter, 'source');
    const destination = { namespace: l.destinationNamespace, name: l.destinationWorkload };
    const source = { namespace: l.sourceNamespace, name: l.sourceWorkload };
    const workload: KindTemplate = {
      resource: view(
        'server',
        [server, eq(l.destinationNamespace, '{namespace}'), eq(l.destinationWorkload, '{name}')],
        destination,
      ),
      edges: {
        to: view(
          'client',
          [
            client,
            eq(l.sourceNamespace, '{namespace}'),
            eq(l.sourceWorkload, '{name}'),
            ne(l.destinationWorkload, 'unknown'),
          ],
          destination,
        ),
        from: view(
          'server',
          [
            server,
            eq(l.destinationNamespace, '{namespace}'),
            eq(l.destinationWorkload, '{name}'),
            ne(l.sourceWorkload, 'unknown'),
          ],
          source,
        ),
      },
    };
    const kinds: Partial<Record<ResourceKind, KindTemplate>> = {
      Deployment: workload,
      StatefulSet: workload,
      DaemonSet: workload,
      Pod: {
        resource: view('server', [server, eq(l.namespace, '{namespace}'), eq(l.pod, '{name}')], {
          namespace: l.namespace,
          name: l.pod,
        }),
        edges: 'Istio metrics name the peer workload, never the peer pod',
      },
      Namespace: {
        resource: view('server', [server, eq(l.destinationNamespace, '{namespace}')], {
          namespace: l.destinationNamespace,
        }),
        edges: {
          to: view(
            'client',
            [client, eq(l.sourceNamespace, '{namespace}'), ne(l.destinationWorkload, 'unknown')],
            { namespace: l.destinationNamespace },
          ),
          from: view(
            'server',
            [server, eq(l.destinationNamespace, '{namespace}'), ne(l.sourceWorkload, 'unknown')],
            { namespace: l.sourceNamespace },
          ),
        },
      },
    };
    return kinds;
  },
});
