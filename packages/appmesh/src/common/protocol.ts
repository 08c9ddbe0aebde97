import type { ServicePortInfo } from '@meshlingo/core';

/** The protocols of App Mesh listeners (`PortProtocol` in the CRDs). */
export type ListenerProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

/** Every listener protocol. */
export const LISTENER_PROTOCOLS: readonly ListenerProtocol[] = ['http', 'http2', 'grpc', 'tcp'];

/** How a Service port maps to a listener protocol. */
export type PortProtocolResult =
  | { readonly kind: 'listener'; readonly protocol: ListenerProtocol; readonly explicit: boolean }
  | { readonly kind: 'unsupported'; readonly protocol: string };

// Application protocols (appProtocol values and Istio-style name prefixes) and what App Mesh
// listener carries them. Encrypted or non-HTTP protocols are carried as plain TCP.
const APPLICATION: Readonly<Record<string, ListenerProtocol>> = {
  http: 'http',
  'grpc-web': 'http',
  http2: 'http2',
  h2c: 'http2',
  grpc: 'grpc',
  tcp: 'tcp',
  https: 'tcp',
  tls: 'tcp',
  mongo: 'tcp',
  mysql: 'tcp',
  redis: 'tcp',
};

/**
 * The listener protocol of a Service port: its `appProtocol` (`kubernetes.io/h2c` included),
 * else the prefix of its name (`http-web`, `grpc`, `tcp-db`), else `fallback` (not explicit).
 * UDP and SCTP ports are unsupported: App Mesh proxies TCP only.
 */
export function listenerProtocolOf(
  port: ServicePortInfo,
  fallback: ListenerProtocol,
): PortProtocolResult {
  const l4 = port.protocol.toUpperCase();
  if (l4 !== 'TCP') return { kind: 'unsupported', protocol: l4 };
  const app = port.appProtocol?.toLowerCase().replace(/^kubernetes\.io\//, '');
  if (app !== undefined && Object.hasOwn(APPLICATION, app))
    return { kind: 'listener', protocol: APPLICATION[app] ?? fallback, explicit: true };
  const prefix = /^(http2|https|http|grpc-web|grpc|h2c|tcp|tls|mongo|mysql|redis)(?:-|$)/.exec(
    port.name ?? '',
  )?.[1];
  if (app === undefined && prefix !== undefined)
    return { kind: 'listener', protocol: APPLICATION[prefix] ?? fallback, explicit: true };
  return { kind: 'listener', protocol: fallback, explicit: false };
}

/** True when a listener of this protocol carries HTTP requests (and only those). */
export function isHttpLike(protocol: ListenerProtocol): boolean {
  return protocol !== 'tcp';
}
