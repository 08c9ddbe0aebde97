import { z } from 'zod';

/** Oldest Istio release the adapter writes for: `networking.istio.io/v1beta1` exists from 1.5. */
export const MIN_MINOR = 5;

/**
 * Options of the Istio adapter (`--set istio.KEY=VALUE` or `adapterOptions.istio`).
 *
 * `istioVersion` is best quoted: YAML reads an unquoted `1.20` as the number 1.2. Numbers are
 * accepted, and a lost trailing zero always lands below 1.5, which is refused, never misread.
 */
export const IstioOptionsSchema = z.strictObject({
  /**
   * The Istio release the output targets (`1.22`, `1.14.3`). It decides the API versions
   * (`v1` from 1.22, `v1beta1` before), relative weights (1.15+) or percentages, and whether
   * AuthorizationPolicy path templates `{*}` / `{**}` may be used (1.22+).
   */
  istioVersion: z
    .union([z.string(), z.number().transform(String)])
    .pipe(
      z
        .string()
        .regex(/^1\.\d{1,3}(\.\d{1,3})?$/, 'a release such as "1.22" or "1.22.3"')
        .refine(
          (v) => Number(v.split('.')[1]) >= MIN_MINOR,
          `Istio 1.${MIN_MINOR} or later (a number such as 1.20 reads as 1.2: quote it)`,
        ),
    )
    .default('1.22'),
  /** The mesh trust domain, the first part of every principal (`<td>/ns/<ns>/sa/<sa>`). */
  trustDomain: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'a DNS-like trust domain')
    .default('cluster.local'),
  /** Other trust domains the mesh accepts as its own (mesh config `trustDomainAliases`). */
  trustDomainAliases: z.array(z.string().regex(/^[A-Za-z0-9.-]+$/)).default([]),
  /** Kubernetes cluster domain for Service host names (`<svc>.<ns>.svc.<clusterDomain>`). */
  clusterDomain: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS domain')
    .default('cluster.local'),
  /** Istio's root namespace (mesh config `rootNamespace`): policies there apply mesh-wide. */
  rootNamespace: z.string().min(1).default('istio-system'),
  /**
   * SMI denies what no TrafficTarget allows; Istio allows traffic to workloads no ALLOW policy
   * selects. `namespaces` writes an allow-nothing policy (`spec: {}`) into every namespace the
   * input and context know; `mesh` writes one into the root namespace; `off` writes none and
   * reports `istio/default-allow`.
   */
  defaultDeny: z.enum(['off', 'namespaces', 'mesh']).default('off'),
  /**
   * How a destination ServiceAccount becomes a workload selector: `workloads` (the pod labels its
   * workloads in the context share, and that no other workload has) or `app-label` (the
   * `app: <serviceAccount>` convention, for inputs without workloads).
   */
  selectorStrategy: z.enum(['workloads', 'app-label']).default('workloads'),
});

/** Options of the Istio adapter, after defaults. */
export type IstioOptions = z.output<typeof IstioOptionsSchema>;

/** The minor release number of the configured Istio version (`1.22.3` gives 22). */
export function istioMinor(options: IstioOptions): number {
  return Number(options.istioVersion.split('.')[1]);
}

/** What the configured Istio version supports. */
export interface IstioFeatures {
  readonly securityApiVersion: string;
  readonly networkingApiVersion: string;
  /** Route weights are relative integers (1.15+), not percentages adding up to 100. */
  readonly relativeWeights: boolean;
  /** AuthorizationPolicy paths may hold `{*}` and `{**}` templates (1.22+). */
  readonly pathTemplates: boolean;
}

/** The API versions and features of the configured Istio version. */
export function featuresOf(options: IstioOptions): IstioFeatures {
  const minor = istioMinor(options);
  const v1 = minor >= 22;
  return {
    securityApiVersion: v1 ? 'security.istio.io/v1' : 'security.istio.io/v1beta1',
    networkingApiVersion: v1 ? 'networking.istio.io/v1' : 'networking.istio.io/v1beta1',
    relativeWeights: minor >= 15,
    pathTemplates: minor >= 22,
  };
}
