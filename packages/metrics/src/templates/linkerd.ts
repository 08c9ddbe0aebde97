import type { ResourceKind } from '../kinds.js';
import { defineMesh, eq, type KindTemplate, type ViewTemplate } from './types.js';

const COUNTER = 'response_total';
const HISTOGRAM = 'response_latency_ms_bucket';

/**
 * Linkerd proxy metrics as the linkerd-viz Prometheus scrapes them: `response_total` (with the
 * proxy's `classification`) and `response_latency_ms`. Resource numbers come from inbound
 * (server-side) series, labelled by the scrape with `namespace` and the pod's owner
 * (`deployment`, `statefulset`, `daemonset`, `pod`). Only outbound series name the peer
 * (`dst_*` labels), so both edge directions are measured at the client.
 */
export const linkerdTemplate = defineMesh({
  mesh: 'linkerd',
  title: 'Linkerd',
  labels: {
    direction: 'direction',
    namespace: 'namespace',
    deployment: 'deployment',
    statefulset: 'statefulset',
    daemonset: 'daemonset',
    pod: 'pod',
    dstNamespace: 'dst_namespace',
    dstDeployment: 'dst_deployment',
    dstStatefulset: 'dst_statefulset',
    dstDaemonset: 'dst_daemonset',
    dstPod: 'dst_pod',
  },
  success: { label: 'classification', failure: 'failure' },
  kinds: (l) => {
    const view = (
      side: ViewTemplate['side'],
      matchers: ViewTemplate['matchers'],
      identity: ViewTemplate['identity'],
    ): ViewTemplate => ({ side, counter: COUNTER, histogram: HISTOGRAM, matchers, identity });
    const inbound = eq(l.direction, 'inbound');
    const outbound = eq(l.direction, 'outbound');
    const owned = (own: string, dst: string): KindTemplate => ({
      resource: view('server', [inbound, eq(l.namespace, '{namespace}'), eq(own, '{name}')], {
        namespace: l.namespace,
        name: own,
      }),
      edges: {
        to: view('client', [outbound, eq(l.namespace, '{namespace}'), eq(own, '{name}')], {
          namespace: l.dstNamespace,
          name: dst,
        }),
        from: view('client', [outbound, eq(l.dstNamespace, '{namespace}'), eq(dst, '{name}')], {
          namespace: l.namespace,
          name: own,
        }),
      },
    });
    const kinds: Partial<Record<ResourceKind, KindTemplate>> = {
      Deployment: owned(l.deployment, l.dstDeployment),
      StatefulSet: owned(l.statefulset, l.dstStatefulset),
      DaemonSet: owned(l.daemonset, l.dstDaemonset),
      Pod: owned(l.pod, l.dstPod),
      Namespace: {
        resource: view('server', [inbound, eq(l.namespace, '{namespace}')], {
          namespace: l.namespace,
        }),
        edges: {
          to: view('client', [outbound, eq(l.namespace, '{namespace}')], {
            namespace: l.dstNamespace,
          }),
          from: view('client', [outbound, eq(l.dstNamespace, '{namespace}')], {
            namespace: l.namespace,
          }),
        },
      },
    };
    return kinds;
  },
});
