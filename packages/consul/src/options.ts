import { z } from 'zod';

const NamespacesSchema = z
  .discriminatedUnion('mode', [
    /** Consul community edition (or Enterprise without namespaces): one flat service namespace. */
    z.strictObject({ mode: z.literal('none') }),
    /** Enterprise, `connectInject.consulNamespaces.mirroringK8S`: namespace `X` is Consul namespace `<prefix>X`. */
    z.strictObject({ mode: z.literal('mirroring'), prefix: z.string().default('') }),
    /** Enterprise, one Consul destination namespace for every Kubernetes namespace. */
    z.strictObject({ mode: z.literal('single'), namespace: z.string().min(1) }),
  ])
  .prefault({ mode: 'none' });

/** Options of the Consul adapter (`--set consul.KEY=VALUE`). */
export const ConsulOptionsSchema = z.strictObject({
  /** Consul version of the target cluster, `1.MINOR`; gates version-dependent advice. */
  consulVersion: z
    .string()
    .regex(/^1\.(9|[1-9][0-9])$/, 'must be 1.9 or later, written 1.MINOR')
    .default('1.21'),
  /**
   * ACLs enabled (the consul-k8s default with `global.acls.manageSystemACLs`): a pod may only
   * register the Consul service named like its ServiceAccount, so ServiceAccounts are identities.
   * Without ACLs the identity is the Kubernetes Service name, resolved through the context.
   */
  acls: z.boolean().default(true),
  /** Consul Enterprise namespaces: how Kubernetes namespaces map to Consul namespaces. */
  namespaces: NamespacesSchema,
  /** Consul Enterprise admin partition of this installation; sources in other partitions are remote. */
  partition: z.string().min(1).default('default'),
  /**
   * The cluster's default intention policy (`default_intention_policy`, else the ACL default).
   * Unset: `deny` with ACLs, `allow` without.
   */
  defaultPolicy: z.enum(['allow', 'deny']).optional(),
  /** Also write the cluster-wide `*` to `*` deny intention (opt-in: it affects every service). */
  defaultDeny: z.boolean().default(false),
  /** Protocol written in the ServiceDefaults of services that need L7 features. */
  protocol: z.enum(['http', 'http2', 'grpc']).default('http'),
  /**
   * How TrafficSplit backends are written: `services` (each backend is its own Consul service),
   * `subsets` (backends whose Service selects a subset of the root's pods become ServiceResolver
   * subsets of the root), or `auto` (subsets where the context shows they are, services otherwise).
   */
  backends: z.enum(['auto', 'services', 'subsets']).default('auto'),
  /** Record the SMI each object came from in an annotation, so reading it back restores names exactly. */
  embedSmi: z.boolean().default(true),
  naming: z
    .strictObject({
      /** Infix of the virtual service that carries a split with matches: `<root>-<infix>-<split>`. */
      splitInfix: z
        .string()
        .regex(/^[a-z0-9-]*$/)
        .default('smi'),
      /** Name of the default-deny ServiceIntentions. */
      defaultDeny: z.string().min(1).default('meshlingo-default-deny'),
      /** Namespace of the default-deny ServiceIntentions (the Consul installation's, by convention). */
      defaultDenyNamespace: z.string().min(1).default('consul'),
    })
    .prefault({}),
});

/** Validated options of the Consul adapter. */
export type ConsulOptions = z.infer<typeof ConsulOptionsSchema>;

/** The default intention policy the options describe. */
export function defaultPolicyOf(options: ConsulOptions): 'allow' | 'deny' {
  return options.defaultPolicy ?? (options.acls ? 'deny' : 'allow');
}

/** The minor version of `consulVersion` (`1.21` gives 21). */
export function consulMinor(options: ConsulOptions): number {
  return Number(options.consulVersion.split('.')[1] ?? '0');
}

/** True when Consul Enterprise namespaces are in use. */
export function usesNamespaces(options: ConsulOptions): boolean {
  return options.namespaces.mode !== 'none';
}
