import type { Manifest, SubjectNode } from '@meshlingo/core';
import type {
  HttpRouteRecord,
  MeshTlsRecord,
  NativeRecord,
  NetworkAuthenticationRecord,
  ServerRecord,
} from '../native.js';

/** A Linkerd authorization (AuthorizationPolicy or ServerAuthorization) read for SMI. */
export interface Authorization {
  readonly manifest: Manifest;
  readonly name: string;
  readonly namespace: string;
  /** ServiceAccounts it admits; what SMI cannot name was reported and left out. */
  readonly sources: readonly SubjectNode[];
  /** Server-level (one or more Servers) or route-level. */
  readonly on:
    | { readonly kind: 'servers'; readonly servers: readonly ServerRecord[] }
    | { readonly kind: 'route'; readonly route: HttpRouteRecord };
}

/** Lookups over the records of one ingest. */
export interface RecordIndex {
  readonly servers: (namespace: string) => readonly ServerRecord[];
  readonly server: (namespace: string, name: string) => ServerRecord | undefined;
  readonly route: (namespace: string, group: string, name: string) => HttpRouteRecord | undefined;
  readonly meshTls: (namespace: string, name: string) => MeshTlsRecord | undefined;
  readonly network: (namespace: string, name: string) => NetworkAuthenticationRecord | undefined;
}

/** Builds the lookups. */
export function indexRecords(records: readonly NativeRecord[]): RecordIndex {
  const find = <K extends NativeRecord['kind']>(
    kind: K,
    ns: string,
    name: string,
    group?: string,
  ) =>
    records.find(
      (r): r is Extract<NativeRecord, { kind: K }> =>
        r.kind === kind &&
        r.namespace === ns &&
        r.name === name &&
        (group === undefined || (r.kind === 'HTTPRoute' && r.group === group)),
    );
  return {
    servers: (ns) =>
      records.filter((r): r is ServerRecord => r.kind === 'Server' && r.namespace === ns),
    server: (ns, name) => find('Server', ns, name),
    route: (ns, group, name) => find('HTTPRoute', ns, name, group),
    meshTls: (ns, name) => find('MeshTLSAuthentication', ns, name),
    network: (ns, name) => find('NetworkAuthentication', ns, name),
  };
}
