import { z } from 'zod';

/** Linkerd's default inbound policy values (`proxy.defaultInboundPolicy`, Server `accessPolicy`). */
export const DEFAULT_POLICIES = [
  'all-unauthenticated',
  'all-authenticated',
  'cluster-unauthenticated',
  'cluster-authenticated',
  'deny',
  'audit',
] as const;

/** One of {@link DEFAULT_POLICIES}. */
export type DefaultPolicy = (typeof DEFAULT_POLICIES)[number];

/** Linkerd's `clusterNetworks` install default. */
export const DEFAULT_CLUSTER_NETWORKS = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fd00::/8',
] as const;

/** Options of the Linkerd adapter (`--set linkerd.KEY=VALUE`). */
export const LinkerdOptionsSchema = z.strictObject({
  /**
   * Linkerd release the output targets, `2.12` or later (AuthorizationPolicy appeared in 2.12).
   * It picks the API versions: Server v1beta3 from 2.16, policy HTTPRoute v1beta3 from 2.14,
   * Service-parent HTTPRoutes from 2.13, TCPRoute splits from 2.17.
   */
  linkerdVersion: z
    .string()
    .regex(/^2\.(1[2-9]|[2-9][0-9])$/, 'expected a Linkerd release from 2.12 on, such as "2.18"')
    .default('2.18'),
  /** Identity trust domain (`identityTrustDomain`), used in identity strings. */
  trustDomain: z.string().min(1).default('cluster.local'),
  /** Cluster DNS domain, used in ServiceProfile names and authorities. */
  clusterDomain: z.string().min(1).default('cluster.local'),
  /** Namespace of the Linkerd control plane, part of every identity string. */
  controlPlaneNamespace: z.string().min(1).default('linkerd'),
  /**
   * How SMI's default deny is reproduced: `off` (ports no Server covers follow
   * `clusterDefaultPolicy`, reported), `namespace` (emit the namespace annotation
   * `config.linkerd.io/default-inbound-policy: deny`), or `cluster` (the cluster is installed
   * with `proxy.defaultInboundPolicy=deny`; nothing to emit).
   */
  defaultDeny: z.enum(['off', 'namespace', 'cluster']).default('off'),
  /** The cluster's `proxy.defaultInboundPolicy` when `defaultDeny` is `off`. */
  clusterDefaultPolicy: z.enum(DEFAULT_POLICIES).default('all-unauthenticated'),
  /**
   * How TrafficSplits are written: `http-route` (HTTPRoute with a Service parent and weighted
   * backendRefs, Linkerd 2.13+) or `service-profile` (ServiceProfile dstOverrides, older setups).
   */
  splitStyle: z.enum(['http-route', 'service-profile']).default('http-route'),
  /** API group of emitted HTTPRoutes: Linkerd's own `policy` group or Gateway API's `gateway` group. */
  routeGroup: z.enum(['policy', 'gateway']).default('policy'),
  /** MeshTLSAuthentication sources as `identityRefs` (default) or identity strings. */
  identityStyle: z.enum(['refs', 'strings']).default('refs'),
  /**
   * Paths of kubelet HTTP GET probes. Once a route is attached to a Server, Linkerd no longer
   * authorizes probes by itself; listed paths get an unauthenticated probe route.
   */
  probePaths: z.array(z.string().regex(/^\//, 'a path starts with /')).default([]),
  /** Networks allowed to send probes (`policyController.probeNetworks`). */
  probeNetworks: z.array(z.string()).default(['0.0.0.0/0', '::/0']),
  /** The cluster's pod networks (`clusterNetworks`), for `cluster-*` policies and ServerAuthorizations. */
  clusterNetworks: z.array(z.string()).default([...DEFAULT_CLUSTER_NETWORKS]),
});

/** Validated options of the Linkerd adapter. */
export type LinkerdOptions = z.infer<typeof LinkerdOptionsSchema>;
