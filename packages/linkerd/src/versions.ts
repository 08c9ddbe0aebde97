import type { LinkerdOptions } from './options.js';

/** The Linkerd policy API group. */
export const POLICY_GROUP = 'policy.linkerd.io';
/** The group of ServiceProfile. */
export const PROFILE_GROUP = 'linkerd.io';
/** The Gateway API group, whose HTTPRoute and TCPRoute Linkerd honours. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** API versions of the objects written for one Linkerd release. */
export interface TargetApis {
  readonly minor: number;
  readonly server: string;
  readonly httpRoute: string;
  readonly authorizationPolicy: string;
  readonly meshTls: string;
  readonly networkAuthentication: string;
  readonly serviceProfile: string;
  /** Undefined before 2.17, which first honours TCPRoute. */
  readonly tcpRoute?: string;
  /** True when the Server version has `accessPolicy` (v1beta3, 2.16+). */
  readonly accessPolicy: boolean;
  /** True when HTTPRoutes may have a Service parent and weighted backendRefs (2.13+). */
  readonly serviceRoutes: boolean;
}

/** The minor number of a `2.N` release string. */
export function minorOf(version: string): number {
  return Number(version.split('.')[1] ?? '0');
}

/** The API versions to write for the options' Linkerd release and route group. */
export function targetApis(options: LinkerdOptions): TargetApis {
  const minor = minorOf(options.linkerdVersion);
  const policyRoute = minor >= 14 ? 'v1beta3' : minor >= 13 ? 'v1beta2' : /* 2.12 */ 'v1beta1';
  // Linkerd bundles Gateway API v1.1.1 (HTTPRoute v1) from 2.18; before that v1beta1.
  const gatewayRoute = minor >= 18 ? 'v1' : 'v1beta1';
  return {
    minor,
    server: `${POLICY_GROUP}/${minor >= 16 ? 'v1beta3' : minor >= 15 ? 'v1beta2' : 'v1beta1'}`,
    httpRoute:
      options.routeGroup === 'gateway' && minor >= 14
        ? `${GATEWAY_GROUP}/${gatewayRoute}`
        : `${POLICY_GROUP}/${policyRoute}`,
    authorizationPolicy: `${POLICY_GROUP}/v1alpha1`,
    meshTls: `${POLICY_GROUP}/v1alpha1`,
    networkAuthentication: `${POLICY_GROUP}/v1alpha1`,
    serviceProfile: `${PROFILE_GROUP}/v1alpha2`,
    ...(minor >= 17 && { tcpRoute: `${GATEWAY_GROUP}/v1alpha2` }),
    accessPolicy: minor >= 16,
    serviceRoutes: minor >= 13,
  };
}

/** The group part of an apiVersion. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
