import { portProtocol, type ServiceInfo, type ServicePortInfo } from '@meshlingo/core';

/** How traffic on a Service port is routed: HTTPRoute, GRPCRoute or TCPRoute. */
export type PortKind = 'http' | 'grpc' | 'tcp';

/** A Service port that routes can bind to, and what it carries. */
export interface RoutablePort {
  readonly port: ServicePortInfo;
  readonly kind: PortKind;
  /** False when neither appProtocol nor the port name says the protocol (HTTP is assumed). */
  readonly hinted: boolean;
}

// The name prefixes core's portProtocol reads; a name without one says nothing.
const NAMED_PROTOCOL = /^(http2|https|http|grpc-web|grpc|tcp|tls|udp|mongo|mysql|redis)(?:-|$)/;
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'h2c', 'grpc-web', 'ws']);

/**
 * What a Service port carries. UDP and SCTP ports take no routes here (SMI splits HTTP and
 * TCP). gRPC ports get GRPCRoutes; HTTP ones (http, http2, h2c, grpc-web, ws) HTTPRoutes;
 * any other declared protocol (tcp, tls, https, databases) is opaque TCP. A port that declares
 * nothing is routed as HTTP, which GAMMA meshes detect on the wire.
 */
export function classifyPort(port: ServicePortInfo): RoutablePort | undefined {
  if (port.protocol.toUpperCase() !== 'TCP') return undefined;
  const hinted = port.appProtocol !== undefined || NAMED_PROTOCOL.test(port.name ?? '');
  if (!hinted) return { port, kind: 'http', hinted };
  const protocol = portProtocol(port);
  if (protocol === 'grpc') return { port, kind: 'grpc', hinted };
  return { port, kind: HTTP_PROTOCOLS.has(protocol) ? 'http' : 'tcp', hinted };
}

/** The ports of a Service that routes bind to, in the Service's order. */
export function routablePorts(service: ServiceInfo): RoutablePort[] {
  return service.ports.flatMap((p) => classifyPort(p) ?? []);
}
