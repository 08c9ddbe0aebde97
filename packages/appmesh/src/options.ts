import { checkDns1123Subdomain, checkLabelValue, checkQualifiedName } from '@meshlingo/core';
import { z } from 'zod';

const dnsSubdomain = z.string().superRefine((value, ctx) => {
  const reason = checkDns1123Subdomain(value);
  if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
});

/**
 * Options of the App Mesh adapter (`--set appmesh.KEY=VALUE`). Every field has a default, so
 * `{}` is valid.
 */
export const AppMeshOptionsSchema = z
  .strictObject({
    /** Name of the Mesh (Kubernetes and AWS name). */
    meshName: dnsSubdomain.default('meshlingo'),
    /** Emit the Mesh object; `false` when the Mesh exists already (it is then not written). */
    createMesh: z.boolean().default(true),
    /** Namespace label the Mesh's `namespaceSelector` matches (its value is the mesh name). */
    namespaceLabel: z
      .string()
      .superRefine((value, ctx) => {
        const reason = checkQualifiedName(value);
        if (reason !== undefined) ctx.addIssue({ code: 'custom', message: reason });
      })
      .default('mesh'),
    /**
     * The Mesh egress filter. `DROP_ALL` (the AWS default) makes VirtualNode backends an
     * allow-list, which is what SMI access means; `ALLOW_ALL` lets every caller reach anything.
     */
    egressFilter: z.enum(['DROP_ALL', 'ALLOW_ALL']).default('DROP_ALL'),
    /**
     * `enforced`: backends come from TrafficTargets only. `permissive`: every VirtualNode gets
     * every VirtualService as a backend (routing then applies to every caller, access is open).
     */
    accessControl: z.enum(['enforced', 'permissive']).default('enforced'),
    /** Listener protocol for Service ports that name none (no appProtocol, no protocol prefix). */
    defaultProtocol: z.enum(['http', 'http2', 'grpc', 'tcp']).default('tcp'),
    /** Cluster DNS domain used in VirtualService names and DNS hostnames. */
    clusterDomain: dnsSubdomain.default('cluster.local'),
    /** VirtualService AWS names: the Service FQDN (`fqdn`) or `<service>.<namespace>` (`short`). */
    virtualServiceNames: z.enum(['fqdn', 'short']).default('fqdn'),
    /** How VirtualNodes find their endpoints: Kubernetes DNS or AWS Cloud Map. */
    discovery: z.enum(['dns', 'cloud-map']).default('dns'),
    /** The Cloud Map namespace (required with `discovery: cloud-map`); services keep their names. */
    cloudMapNamespace: z.string().min(1).max(1024).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.discovery === 'cloud-map' && options.cloudMapNamespace === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['cloudMapNamespace'],
        message: 'required when discovery is cloud-map',
      });
    }
    // The mesh name is also the value of the namespace label.
    const reason = checkLabelValue(options.meshName);
    if (reason !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['meshName'],
        message: `as a label value it ${reason}`,
      });
  });

/** Options of the App Mesh adapter, after defaults. */
export type AppMeshOptions = z.output<typeof AppMeshOptionsSchema>;
