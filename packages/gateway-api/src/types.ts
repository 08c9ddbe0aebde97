/** API group of Gateway API kinds. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** API group of experimental Gateway API kinds (XMesh, XBackendTrafficPolicy, ...). */
export const GATEWAY_X_GROUP = 'gateway.networking.x-k8s.io';

/** The route kinds this adapter reads and writes, in Gateway API's precedence order (GEP-1294). */
export const ROUTE_KINDS = ['GRPCRoute', 'HTTPRoute', 'TCPRoute'] as const;
/** A route kind this adapter reads and writes. */
export type RouteKindName = (typeof ROUTE_KINDS)[number];

/**
 * On each generated HTTPRoute and GRPCRoute: the SMI matches behind every rule but the fallback,
 * as compact JSON, so reading the route back restores match names, group names and the exact
 * pathRegex and header texts. It is only trusted when it still produces the route's matches.
 */
export const MATCHES_ANNOTATION = 'meshlingo.io/smi-matches';

/** A parentRef to a Service (GAMMA). `group` must be written: its default is the Gateway group. */
export interface ServiceParentRef {
  readonly group: '';
  readonly kind: 'Service';
  readonly name: string;
  readonly port: number;
}

/** A backendRef to a Service; a Service backend needs a port. */
export interface ServiceBackendRef {
  readonly name: string;
  readonly port: number;
  readonly weight?: number;
}

/** HTTPRoute path match. */
export interface HTTPPathMatch {
  readonly type: 'Exact' | 'PathPrefix' | 'RegularExpression';
  readonly value: string;
}

/** HTTPRoute and GRPCRoute header match. */
export interface HeaderMatch {
  readonly type: 'Exact' | 'RegularExpression';
  readonly name: string;
  readonly value: string;
}

/** One HTTPRouteMatch. */
export interface HTTPRouteMatch {
  readonly path?: HTTPPathMatch;
  readonly headers?: readonly HeaderMatch[];
  readonly method?: string;
}

/** One GRPCRouteMatch. */
export interface GRPCRouteMatch {
  readonly method?: { readonly type: 'Exact'; readonly service?: string; readonly method?: string };
  readonly headers?: readonly HeaderMatch[];
}

/** A rule of an HTTPRoute or GRPCRoute as this adapter writes it. */
export interface RouteRule<Match> {
  readonly name?: string;
  readonly matches?: readonly Match[];
  readonly backendRefs: readonly ServiceBackendRef[];
}
