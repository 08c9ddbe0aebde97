import type { ResourceKind } from '../kinds.js';
import { defineMesh, eq, type KindTemplate, type ViewTemplate } from './types.js';

const INBOUND_COUNTER = 'envoy_http_downstream_rq_xx';
const INBOUND_HISTOGRAM = 'envoy_http_downstream_rq_time_bucket';
const UPSTREAM_COUNTER = 'envoy_cluster_upstream_rq_xx';
const UPSTREAM_HISTOGRAM = 'envoy_cluster_upstream_rq_time_bucket';

/**
 * Consul service mesh (Envoy sidecars of consul-k8s). A workload is read as the Consul service of
 * the same name (`consul_source_service`, the service that owns the sidecar). Resource numbers
 * come from the sidecar's public listener (`envoy_http_downstream_rq_*`, server side); edges from
 * upstream clusters (`envoy_cluster_upstream_rq_*`, which carry `consul_destination_*`), so both
 * directions are measured at the client. Kubernetes namespaces and pods come from the scrape
 * labels `namespace` and `pod`. Without namespace mirroring the Consul namespace of every service
 * is `consulNamespace` (Consul CE: `default`), so a `to` peer's Kubernetes namespace is unknown
 * and the resource's own namespace is reported.
 */
export const consulTemplate = defineMesh({
  mesh: 'consul',
  title: 'Consul',
  labels: {
    namespace: 'namespace',
    pod: 'pod',
    listener: 'envoy_http_conn_manager_prefix',
    service: 'consul_source_service',
    destinationService: 'consul_destination_service',
    destinationNamespace: 'consul_destination_namespace',
  },
  success: { label: 'envoy_response_code_class', failure: '5' },
  kinds: (l, settings) => {
    const inbound = (
      matchers: ViewTemplate['matchers'],
      identity: ViewTemplate['identity'],
    ): ViewTemplate => ({
      side: 'server',
      counter: INBOUND_COUNTER,
      histogram: INBOUND_HISTOGRAM,
      matchers: [eq(l.listener, 'public_listener'), ...matchers],
      identity,
    });
    const upstream = (
      matchers: ViewTemplate['matchers'],
      identity: ViewTemplate['identity'],
    ): ViewTemplate => ({
      side: 'client',
      counter: UPSTREAM_COUNTER,
      histogram: UPSTREAM_HISTOGRAM,
      matchers,
      identity,
    });
    const mirrored = settings.consulNamespaceMirroring;
    const calleeNamespace = eq(
      l.destinationNamespace,
      mirrored ? '{namespace}' : '{consulNamespace}',
    );
    const workload: KindTemplate = {
      resource: inbound([eq(l.namespace, '{namespace}'), eq(l.service, '{name}')], {
        namespace: l.namespace,
        name: l.service,
      }),
      edges: {
        to: upstream(
          [eq(l.namespace, '{namespace}'), eq(l.service, '{name}')],
          mirrored
            ? { namespace: l.destinationNamespace, name: l.destinationService }
            : { name: l.destinationService },
        ),
        from: upstream([calleeNamespace, eq(l.destinationService, '{name}')], {
          namespace: l.namespace,
          name: l.service,
        }),
      },
    };
    const kinds: Partial<Record<ResourceKind, KindTemplate>> = {
      Deployment: workload,
      StatefulSet: workload,
      DaemonSet: workload,
      Pod: {
        resource: inbound([eq(l.namespace, '{namespace}'), eq(l.pod, '{name}')], {
          namespace: l.namespace,
          name: l.pod,
        }),
        edges: 'Consul metrics name the peer service, never the peer pod',
      },
      Namespace: {
        resource: inbound([eq(l.namespace, '{namespace}')], { namespace: l.namespace }),
        edges: mirrored
          ? {
              to: upstream([eq(l.namespace, '{namespace}')], { namespace: l.destinationNamespace }),
              from: upstream([eq(l.destinationNamespace, '{namespace}')], {
                namespace: l.namespace,
              }),
            }
          : 'without namespace mirroring Consul metrics do not tell the peer namespace',
      },
    };
    return kinds;
  },
});
