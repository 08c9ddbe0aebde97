import { checkDns1035Label, checkDns1123Label } from '@meshlingo/core';

/** A Kubernetes Service named by a host name. */
export interface ServiceHost {
  readonly service: string;
  readonly namespace: string;
}

/** The AWS name meshlingo gives the VirtualService of a Service. */
export function virtualServiceAwsName(
  service: string,
  namespace: string,
  style: 'fqdn' | 'short',
  clusterDomain: string,
): string {
  return style === 'fqdn'
    ? `${service}.${namespace}.svc.${clusterDomain}`
    : `${service}.${namespace}`;
}

/** The DNS name of a Service inside the cluster. */
export function serviceFqdn(service: string, namespace: string, clusterDomain: string): string {
  return `${service}.${namespace}.svc.${clusterDomain}`;
}

/**
 * Reads a host name as a Kubernetes Service: `svc`, `svc.ns`, `svc.ns.svc` or
 * `svc.ns.svc.<clusterDomain>`, with an optional trailing dot (Flagger writes one). A two-part name
 * is only read as `svc.ns` when `isNamespace(ns)` says that namespace exists, since `api.example`
 * may as well be a public host. Anything else is not a Service of this cluster.
 */
export function parseServiceHost(
  host: string,
  defaultNamespace: string,
  clusterDomain: string,
  isNamespace: (name: string) => boolean,
): ServiceHost | undefined {
  const parts = host.replace(/\.$/, '').toLowerCase().split('.');
  const [service = '', namespace = defaultNamespace, svc, ...domain] = parts;
  if (checkDns1035Label(service) !== undefined) return undefined;
  if (parts.length > 1 && checkDns1123Label(namespace) !== undefined) return undefined;
  if (parts.length === 2 && namespace !== defaultNamespace && !isNamespace(namespace))
    return undefined;
  if (parts.length >= 3 && svc !== 'svc') return undefined;
  if (parts.length >= 4 && domain.join('.') !== clusterDomain) return undefined;
  return { service, namespace };
}
