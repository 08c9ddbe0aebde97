import {
  resolveTargetPort,
  type ContextIndex,
  type ServicePortInfo,
  type WorkloadInfo,
} from '@meshlingo/core';

/**
 * Names as Istio writes them: peer principals (`<trust domain>/ns/<ns>/sa/<sa>`, the SPIFFE ID
 * without `spiffe://`), Service hosts, and the protocol Istio gives a port.
 */

/** The principal of a ServiceAccount. */
export function principalOf(
  trustDomain: string,
  namespace: string,
  serviceAccount: string,
): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** A principal split into trust domain, namespace and ServiceAccount, when it has that shape. */
export function parsePrincipal(
  principal: string,
): { trustDomain: string; namespace: string; serviceAccount: string } | undefined {
  const m = /^(?:spiffe:\/\/)?([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  if (m === null) return undefined;
  return { trustDomain: m[1] ?? '', namespace: m[2] ?? '', serviceAccount: m[3] ?? '' };
}

/**
 * The trust domains a policy principal stands for (pilot `trustdomain.Bundle`): `cluster.local`,
 * the mesh trust domain and its aliases all mean "this mesh".
 */
export function isLocalTrustDomain(
  trustDomain: string,
  local: string,
  aliases: readonly string[],
): boolean {
  return trustDomain === 'cluster.local' || trustDomain === local || aliases.includes(trustDomain);
}

/** The host name of a Service: `<name>.<namespace>.svc.<clusterDomain>`. */
export function serviceHost(name: string, namespace: string, clusterDomain: string): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/**
 * The Service a VirtualService host or destination names: a short name is resolved in the
 * VirtualService's namespace (Istio's rule), a full name must be `<name>.<ns>.svc.<clusterDomain>`.
 * Anything else (external names, wildcards, `name.ns`) is not a Kubernetes Service host.
 */
export function parseServiceHost(
  host: string,
  namespace: string,
  clusterDomain: string,
): { name: string; namespace: string } | undefined {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host)) return { name: host, namespace };
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p)))
    return undefined;
  return { name: parts[0] ?? '', namespace: parts[1] ?? '' };
}

/** How Istio treats a port: HTTP (parsed), TCP (opaque), TLS, UDP (not proxied) or sniffed. */
export type PortProtocol = 'http' | 'tcp' | 'tls' | 'udp' | 'auto';

const HTTP_PROTOCOLS = new Set(['http', 'http2', 'h2c', 'grpc', 'grpc-web']);
const TLS_PROTOCOLS = new Set(['https', 'tls']);
const TCP_PROTOCOLS = new Set(['tcp', 'mongo', 'mysql', 'redis']);

function protocolOfName(name: string): PortProtocol {
  const lower = name.toLowerCase();
  if (HTTP_PROTOCOLS.has(lower)) return 'http';
  if (TLS_PROTOCOLS.has(lower)) return 'tls';
  if (TCP_PROTOCOLS.has(lower)) return 'tcp';
  return 'auto';
}

/**
 * The protocol Istio picks for a Service port (docs "Protocol Selection"): `appProtocol`, else the
 * port name prefix before `-`, else protocol sniffing (`auto`). UDP ports are never proxied.
 */
export function servicePortProtocol(port: ServicePortInfo): PortProtocol {
  if (port.protocol.toUpperCase() === 'UDP') return 'udp';
  if (port.appProtocol !== undefined)
    return protocolOfName(port.appProtocol.replace(/^kubernetes\.io\//, ''));
  const prefix = (port.name ?? '').split('-')[0] ?? '';
  return protocolOfName(prefix);
}

/**
 * The protocol of a container port of some workloads, from the Services that select them: one
 * protocol when all Service ports targeting it agree, `auto` when none targets it or they differ.
 */
export function containerPortProtocol(
  port: number,
  workloads: readonly WorkloadInfo[],
  cluster: ContextIndex,
): PortProtocol {
  const found = new Set<PortProtocol>();
  for (const w of workloads) {
    for (const service of cluster.servicesOf(w)) {
      for (const sp of service.ports) {
        if (resolveTargetPort(sp, [w]) === port) found.add(servicePortProtocol(sp));
      }
    }
  }
  const [only] = found;
  return found.size === 1 && only !== undefined ? only : 'auto';
}

/** The TCP container ports the workloads declare, sorted. */
export function tcpContainerPorts(workloads: readonly WorkloadInfo[]): number[] {
  const ports = new Set<number>();
  for (const w of workloads)
    for (const p of w.containerPorts)
      if (p.protocol.toUpperCase() !== 'UDP' && p.protocol.toUpperCase() !== 'SCTP')
        ports.add(p.containerPort);
  return [...ports].sort((a, b) => a - b);
}
