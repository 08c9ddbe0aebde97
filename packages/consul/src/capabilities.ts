import type { CapabilityMatrix } from '@meshlingo/core';

/** What the Consul adapter carries of each SMI feature. */
export const consulCapabilities: CapabilityMatrix = {
  'access.sources': {
    level: 'full',
    note: 'ServiceAccounts are Consul identities with ACLs (the Kubernetes Services selecting them without). Exact with Enterprise namespace mirroring; in one flat Consul namespace same-named ServiceAccounts of different namespaces merge, which is exact only when they have the same grants (else consul/namespace-collapsed).',
  },
  'access.http.path-exact': { level: 'full', note: 'Intention permission `pathExact`.' },
  'access.http.path-prefix': { level: 'full', note: 'Intention permission `pathPrefix`.' },
  'access.http.path-regex': {
    level: 'full',
    note: 'Intention permission `pathRegex` (RE2, whole path), written `(?:R).*` to keep the SMI start anchoring.',
  },
  'access.http.methods': { level: 'full', note: 'Intention permission `methods`.' },
  'access.http.headers': { level: 'full', note: 'Intention permission `header` with `regex`.' },
  'access.tcp.ports': {
    level: 'partial',
    code: 'consul/port-restriction-dropped',
    note: 'TCPRoute without ports is an L4 allow. Intentions cannot restrict ports: exact only when the list covers every container port of the destination.',
  },
  'access.udp.ports': {
    level: 'none',
    code: 'consul/udp-unsupported',
    note: 'Consul service mesh carries TCP only.',
  },
  'access.default-deny': {
    level: 'full',
    note: 'Default deny with ACLs; `defaultDeny: true` writes a `*` to `*` deny intention for clusters that allow by default. Every L7 source ends with a catch-all deny.',
  },
  'split.weights': {
    level: 'full',
    note: 'ServiceSplitter percentages in hundredths (largest remainder), ordered to pass the consul-k8s float32 check.',
  },
  'split.zero-weight': { level: 'full', note: 'Splits with weight 0 are kept.' },
  'split.matches': {
    level: 'full',
    note: 'ServiceRouter on the root whose routes go to a virtual service holding the ServiceSplitter; exact when the root keeps instances (backends as subsets), else consul/root-without-instances.',
  },
  'split.tcp': {
    level: 'none',
    note: 'Consul splits only services with an HTTP-like protocol; the emitter sets one (consul/service-defaults-protocol), which stops non-HTTP traffic (consul/tcp-blocked-by-http).',
  },
  'specs.http.headers': { level: 'full', note: 'ServiceRouter `match.http.header` with `regex`.' },
  metrics: {
    level: 'none',
    note: 'TrafficMetrics is read from Envoy metrics; see @meshlingo/metrics.',
  },
};
