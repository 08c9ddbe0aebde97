import type { CapabilityMatrix } from '@meshlingo/core';

/** How well Istio carries each SMI feature (docs tables and conformance are generated from it). */
export const istioCapabilities: CapabilityMatrix = {
  'access.sources': {
    level: 'full',
    note: 'Principals `<trustDomain>/ns/<ns>/sa/<sa>`; the destination needs its workloads in the context (selector by pod labels).',
  },
  'access.http.path-exact': { level: 'full', note: 'Exact `paths` entries.' },
  'access.http.path-prefix': { level: 'full', note: '`prefix*` paths.' },
  'access.http.path-regex': {
    level: 'partial',
    code: 'istio/path-not-representable',
    note: 'Finite alternations expand exactly, `[^/]+` segments become `{*}` templates (Istio 1.22+); other regexes are refused, narrowed or widened.',
  },
  'access.http.methods': { level: 'full', note: 'Operation `methods`.' },
  'access.http.headers': {
    level: 'partial',
    code: 'istio/header-not-representable',
    note: '`when: request.headers[...]` holds exact, prefix*, *suffix and presence only.',
  },
  'access.tcp.ports': {
    level: 'full',
    note: 'Operation `ports` (container ports). Beside HTTP rules each port needs a known protocol (Service port name or appProtocol).',
  },
  'access.udp.ports': {
    level: 'none',
    code: 'istio/udp-not-supported',
    note: 'Istio does not proxy UDP; UDP traffic is outside every policy.',
  },
  'access.default-deny': {
    level: 'full',
    note: 'Opt-in `defaultDeny: namespaces | mesh` writes allow-nothing policies; off, `istio/default-allow` says what stays open.',
  },
  'split.weights': {
    level: 'full',
    note: 'Relative weights from Istio 1.15; percentages (largest remainder) before.',
  },
  'split.zero-weight': { level: 'full', note: 'Destinations with weight 0 stay listed.' },
  'split.matches': {
    level: 'full',
    note: 'One matched route (RE2 regexes allowed) plus a fallback route to the root Service.',
  },
  'split.tcp': {
    level: 'full',
    note: 'A `tcp` route with the same weights when the root Service has TCP ports.',
  },
  'specs.http.headers': {
    level: 'full',
    note: 'Header matches (exact or regex) in VirtualService match blocks.',
  },
  metrics: {
    level: 'none',
    note: 'Istio has no configuration object for metrics; see @meshlingo/metrics.',
  },
};
