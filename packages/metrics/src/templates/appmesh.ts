import type { ResourceKind } from '../kinds.js';
import {
  defineMesh,
  eq,
  re,
  type DerivedLabelTemplate,
  type KindTemplate,
  type ViewTemplate,
} from './types.js';

const COUNTER = 'envoy_cluster_upstream_rq_xx';
const HISTOGRAM = 'envoy_cluster_upstream_rq_time_bucket';

/** Characters Kubernetes uses for generated name suffixes (`rand.String`, pod-template-hash). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
/** Any DNS-1123 subdomain, for peers whose name is not given. */
const ANY_NAME = '[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?';

/** What follows the workload name in the name of each of its pods. */
const POD_SUFFIX: Readonly<Record<'Deployment' | 'StatefulSet' | 'DaemonSet', string>> = {
  Deployment: `-${SAFE}{1,10}-${SAFE}{5}`,
  StatefulSet: '-[0-9]+',
  DaemonSet: `-${SAFE}{5}`,
};

const WORKLOAD = 'meshlingo_workload';
const PEER = 'meshlingo_peer';
const PEER_NAMESPACE = 'meshlingo_peer_namespace';

/** `cds_egress_<mesh>_<virtual node>_<namespace>_<protocol>_<port>`, the name and namespace captured. */
const EGRESS = (name: string, namespace: string): string =>
  `cds_egress_{mesh}_${name}_${namespace}_[a-z0-9]+_[0-9]+`;

/**
 * AWS App Mesh (Envoy sidecars), scraped with the `kubernetes_namespace` and
 * `kubernetes_pod_name` labels of Flagger's App Mesh Prometheus. Resource numbers come from the
 * ingress cluster (`cds_ingress_*`, requests the sidecar forwards to the local app, server side);
 * edges from egress clusters (`cds_egress_<mesh>_<virtual node>_…`, client side). Workloads are
 * recognised by the names of their pods (Deployment `NAME-<hash>-<suffix>`, StatefulSet
 * `NAME-<ordinal>`, DaemonSet `NAME-<suffix>`); a peer is read from the virtual node name, which
 * the App Mesh controller makes `<name>_<namespace>`, assuming the virtual node is named after its
 * workload.
 */
export const appMeshTemplate = defineMesh({
  mesh: 'appmesh',
  title: 'AWS App Mesh',
  labels: {
    namespace: 'kubernetes_namespace',
    pod: 'kubernetes_pod_name',
    cluster: 'envoy_cluster_name',
  },
  success: { label: 'envoy_response_code_class', failure: '5' },
  kinds: (l) => {
    const view = (
      side: ViewTemplate['side'],
      matchers: ViewTemplate['matchers'],
      identity: ViewTemplate['identity'],
      derive: readonly DerivedLabelTemplate[] = [],
    ): ViewTemplate => ({
      side,
      counter: COUNTER,
      histogram: HISTOGRAM,
      matchers,
      identity,
      ...(derive.length > 0 && { derive }),
    });
    const ingress = re(l.cluster, 'cds_ingress_{mesh}_.+');
    const egress = re(l.cluster, EGRESS('[a-z0-9.-]+', '[a-z0-9-]+'));
    const peerFromCluster = (label: string, group: string): DerivedLabelTemplate => ({
      label,
      from: l.cluster,
      regex: EGRESS('([a-z0-9.-]+)', '([a-z0-9-]+)'),
      replacement: group,
    });
    const workload = (suffix: string): KindTemplate => ({
      resource: view(
        'server',
        [eq(l.namespace, '{namespace}'), re(l.pod, `{name}${suffix}`), ingress],
        { namespace: l.namespace, name: WORKLOAD },
        [{ label: WORKLOAD, from: l.pod, regex: `({name})${suffix}`, replacement: '$1' }],
      ),
      edges: {
        to: view(
          'client',
          [eq(l.namespace, '{namespace}'), re(l.pod, `{name}${suffix}`), egress],
          { namespace: PEER_NAMESPACE, name: PEER },
          [peerFromCluster(PEER, '$1'), peerFromCluster(PEER_NAMESPACE, '$2')],
        ),
        from: view(
          'client',
          [re(l.cluster, EGRESS('{name}', '{namespace}')), re(l.pod, `${ANY_NAME}${suffix}`)],
          { namespace: l.namespace, name: PEER },
          [{ label: PEER, from: l.pod, regex: `(${ANY_NAME})${suffix}`, replacement: '$1' }],
        ),
      },
    });
    const kinds: Partial<Record<ResourceKind, KindTemplate>> = {
      Deployment: workload(POD_SUFFIX.Deployment),
      StatefulSet: workload(POD_SUFFIX.StatefulSet),
      DaemonSet: workload(POD_SUFFIX.DaemonSet),
      Pod: {
        resource: view('server', [eq(l.namespace, '{namespace}'), eq(l.pod, '{name}'), ingress], {
          namespace: l.namespace,
          name: l.pod,
        }),
        edges: 'App Mesh egress clusters name the peer virtual node, never the peer pod',
      },
      Namespace: {
        resource: view('server', [eq(l.namespace, '{namespace}'), ingress], {
          namespace: l.namespace,
        }),
        edges: {
          to: view(
            'client',
            [eq(l.namespace, '{namespace}'), egress],
            { namespace: PEER_NAMESPACE },
            [peerFromCluster(PEER_NAMESPACE, '$2')],
          ),
          from: view('client', [re(l.cluster, EGRESS('[a-z0-9.-]+', '{namespace}'))], {
            namespace: l.namespace,
          }),
        },
      },
    };
    return kinds;
  },
});
