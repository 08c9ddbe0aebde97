import type { Capability, CapabilityMatrix } from '@meshlingo/core';

const accessNone: Capability = {
  level: 'none',
  code: 'gateway-api/traffic-target-not-supported',
  note: 'Gateway API defines no authorization; compose `--to gateway-api,istio` (or linkerd) to carry TrafficTargets.',
};

/** What the gateway-api adapter carries, per core feature. */
export const gatewayApiCapabilities: CapabilityMatrix = {
  'access.sources': accessNone,
  'access.http.path-exact': accessNone,
  'access.http.path-prefix': accessNone,
  'access.http.path-regex': accessNone,
  'access.http.methods': accessNone,
  'access.http.headers': accessNone,
  'access.tcp.ports': accessNone,
  'access.udp.ports': accessNone,
  'access.default-deny': {
    level: 'none',
    note: 'No Gateway API resource denies traffic; deny-by-default is the mesh configuration.',
  },
  'split.weights': {
    level: 'full',
    note: 'backendRef weights per Service port, with explicit ports from the root Service.',
  },
  'split.zero-weight': { level: 'full', note: 'backendRefs keep weight 0.' },
  'split.matches': {
    level: 'full',
    note: 'One rule per SMI match plus a fallback rule to the root Service; regex paths use a `.*` regex fallback so they keep precedence.',
  },
  'split.tcp': {
    level: 'full',
    note: 'TCPRoute v1 from Gateway API v1.6; before v1.6 only v1alpha2 in the experimental channel, else gateway-api/tcp-route-not-served.',
  },
  'specs.http.headers': {
    level: 'full',
    note: 'Exact for literal values, RegularExpression otherwise.',
  },
  metrics: { level: 'none', note: 'Gateway API has no metrics API; see @meshlingo/metrics.' },
};
