/**
 * The features an adapter declares support for. Core owns this list; docs tables and conformance
 * expectations are generated from the adapters' matrices over it.
 */
export const FEATURES = {
  'access.sources': {
    title: 'Access: ServiceAccount sources',
    description: 'TrafficTarget sources and destination identities (ServiceAccounts).',
  },
  'access.http.path-exact': {
    title: 'Access: exact paths',
    description: 'HTTPRouteGroup pathRegex that is a literal path ending in `$`.',
  },
  'access.http.path-prefix': {
    title: 'Access: path prefixes',
    description: 'HTTPRouteGroup pathRegex that is a literal prefix (`/api` or `/api/.*`).',
  },
  'access.http.path-regex': {
    title: 'Access: path regexes',
    description: 'HTTPRouteGroup pathRegex that needs a real regular expression.',
  },
  'access.http.methods': {
    title: 'Access: HTTP methods',
    description: 'HTTPRouteGroup methods in TrafficTarget rules.',
  },
  'access.http.headers': {
    title: 'Access: header conditions',
    description: 'HTTPRouteGroup headers in TrafficTarget rules.',
  },
  'access.tcp.ports': {
    title: 'Access: TCP ports',
    description: 'TCPRoute rules, with or without a port list.',
  },
  'access.udp.ports': {
    title: 'Access: UDP ports',
    description: 'UDPRoute rules.',
  },
  'access.default-deny': {
    title: 'Access: default deny',
    description:
      'Denying traffic no TrafficTarget allows (opt-in for meshes that allow by default).',
  },
  'split.weights': {
    title: 'Split: weighted backends',
    description: 'TrafficSplit backends with relative integer weights.',
  },
  'split.zero-weight': {
    title: 'Split: zero weights',
    description: 'Backends with weight 0 that receive no traffic but stay listed.',
  },
  'split.matches': {
    title: 'Split: matches',
    description:
      'TrafficSplit matches (v1alpha3+): only matching requests are split, others go to the root.',
  },
  'split.tcp': {
    title: 'Split: TCP traffic',
    description: 'Splitting non-HTTP TCP traffic of the root Service.',
  },
  'specs.http.headers': {
    title: 'Specs: header matches in splits',
    description: 'HTTPRouteGroup headers used by TrafficSplit matches.',
  },
  metrics: {
    title: 'Metrics',
    description: 'TrafficMetrics from the mesh telemetry.',
  },
} as const satisfies Record<string, { title: string; description: string }>;

/** A feature id, such as `access.http.path-regex`. */
export type FeatureId = keyof typeof FEATURES;

/** Every feature id, in documentation order. */
export const FEATURE_IDS = Object.keys(FEATURES) as FeatureId[];

/** How well an adapter carries a feature. */
export type CapabilityLevel = 'full' | 'partial' | 'none';

/** One cell of a capability matrix. */
export interface Capability {
  readonly level: CapabilityLevel;
  /** The diagnostic code the adapter emits when the feature is used and the level is not `full`. */
  readonly code?: string;
  /** One line for the docs: what is approximated or why it is missing. */
  readonly note?: string;
}

/** An adapter's support for every feature. */
export type CapabilityMatrix = Readonly<Record<FeatureId, Capability>>;
