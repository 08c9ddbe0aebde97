import type { CapabilityMatrix } from '@meshlingo/core';

/** What the App Mesh adapter carries of each SMI feature (docs and conformance read this). */
export const appMeshCapabilities: CapabilityMatrix = {
  'access.sources': {
    level: 'partial',
    code: 'appmesh/client-side-enforcement',
    note: "ServiceAccounts become the backends of their workloads' VirtualNodes (egress DROP_ALL): enforced in the caller's Envoy, for whole VirtualServices.",
  },
  'access.http.path-exact': {
    level: 'none',
    code: 'appmesh/route-restriction',
    note: 'A backend grants every path of a VirtualService; onUnrepresentable decides.',
  },
  'access.http.path-prefix': {
    level: 'none',
    code: 'appmesh/route-restriction',
    note: 'A backend grants every path of a VirtualService; onUnrepresentable decides.',
  },
  'access.http.path-regex': {
    level: 'none',
    code: 'appmesh/route-restriction',
    note: 'A backend grants every path of a VirtualService; onUnrepresentable decides.',
  },
  'access.http.methods': {
    level: 'none',
    code: 'appmesh/route-restriction',
    note: 'A backend grants every method; onUnrepresentable decides.',
  },
  'access.http.headers': {
    level: 'none',
    code: 'appmesh/route-restriction',
    note: 'A backend grants every request; onUnrepresentable decides.',
  },
  'access.tcp.ports': {
    level: 'partial',
    code: 'appmesh/port-restriction',
    note: 'TCPRoutes covering every port of a Service are exact; a backend cannot grant some ports only.',
  },
  'access.udp.ports': {
    level: 'none',
    code: 'appmesh/udp-not-supported',
    note: 'App Mesh proxies TCP only; UDP bypasses the sidecar.',
  },
  'access.default-deny': {
    level: 'partial',
    code: 'appmesh/client-side-enforcement',
    note: 'Egress DROP_ALL denies what no backend allows, for meshed callers only.',
  },
  'split.weights': {
    level: 'full',
    note: 'Weights are divided by their common divisor or rounded to add up to 100 (each share within 1 %).',
  },
  'split.zero-weight': { level: 'full' },
  'split.matches': {
    level: 'full',
    note: "One route per match and method by priority; unmatched requests go evenly to the root Service's VirtualNodes.",
  },
  'split.tcp': { level: 'full', note: 'tcpRoute weighted targets.' },
  'specs.http.headers': {
    level: 'full',
    note: 'Literal values become exact matches, others regex matches (RE2, whole value).',
  },
  metrics: {
    level: 'none',
    note: 'TrafficMetrics is read-only data; see @meshlingo/metrics (App Mesh Envoy stats).',
  },
};
