import type { CapabilityMatrix } from '@meshlingo/core';

/** What the Linkerd adapter carries of each SMI feature. */
export const linkerdCapabilities: CapabilityMatrix = {
  'access.sources': {
    level: 'full',
    note: 'MeshTLSAuthentication identityRefs (or identity strings) per TrafficTarget; destinations through Server podSelectors built from the workloads.',
  },
  'access.http.path-exact': { level: 'full', note: 'HTTPRoute `Exact` path.' },
  'access.http.path-prefix': {
    level: 'full',
    note: 'RegularExpression `<prefix>.*` (Linkerd PathPrefix is segment-wise, SMI prefixes are not).',
  },
  'access.http.path-regex': {
    level: 'full',
    code: 'linkerd/route-overlap',
    note: 'RegularExpression `(?:R).*`; two different regexes that overlap on one Server for different sources are reported.',
  },
  'access.http.methods': { level: 'full', note: 'One HTTPRoute match per method.' },
  'access.http.headers': {
    level: 'full',
    note: 'Exact for literal values, RegularExpression (matching the whole value) otherwise.',
  },
  'access.tcp.ports': {
    level: 'partial',
    code: 'linkerd/non-http-denied',
    note: 'TCPRoute-only rules become Server-level authorizations. With HTTP rules too, non-HTTP connections stay allowed only when no other grant shares the Server.',
  },
  'access.udp.ports': {
    level: 'none',
    code: 'linkerd/udp-unsupported',
    note: 'Linkerd does not proxy UDP.',
  },
  'access.default-deny': {
    level: 'partial',
    code: 'linkerd/default-allow',
    note: 'Opt-in with `defaultDeny: namespace` (annotation) or `cluster` (install value); off, uncovered ports follow the cluster default policy.',
  },
  'split.weights': {
    level: 'full',
    note: 'HTTPRoute (Service parent) weighted backendRefs, or ServiceProfile dstOverrides.',
  },
  'split.zero-weight': { level: 'full', note: 'backendRefs with weight 0.' },
  'split.matches': {
    level: 'full',
    code: 'linkerd/split-matches-unsupported',
    note: 'HTTPRoute rules plus a fallback rule to the root Service; not with the service-profile style.',
  },
  'split.tcp': {
    level: 'partial',
    code: 'linkerd/split-tcp-unsupported',
    note: 'TCPRoute for non-HTTP Service ports from Linkerd 2.17; HTTP ports split HTTP requests only.',
  },
  'specs.http.headers': { level: 'full', note: 'HTTPRoute header matches in split rules.' },
  metrics: {
    level: 'none',
    note: 'Linkerd metrics come from linkerd-viz Prometheus; see @meshlingo/metrics.',
  },
};
