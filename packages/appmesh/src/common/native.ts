import type { ListenerProtocol } from './protocol.js';

/** The API group of App Mesh's Kubernetes objects. */
export const APPMESH_GROUP = 'appmesh.k8s.aws';
/** The version meshlingo writes (the only one the current controller serves). */
export const APPMESH_API_VERSION = `${APPMESH_GROUP}/v1beta2`;

/** A reference to another App Mesh object; the namespace defaults to the referrer's. */
export interface RefSpec {
  readonly namespace?: string;
  readonly name: string;
}

/** `portMapping` of a listener. */
export interface PortMappingSpec {
  readonly port: number;
  readonly protocol: ListenerProtocol;
}

/** `match` of one HTTP header (or gRPC metadata) condition. */
export interface HeaderMatchSpec {
  readonly name: string;
  readonly match?: { readonly exact: string } | { readonly regex: string };
}

/** Path part of an `httpRoute.match`: exactly one of `prefix` and `path`. */
export type PathMatchSpec =
  | { readonly prefix: string }
  | { readonly path: { readonly exact: string } | { readonly regex: string } };

/** `httpRoute.match` / `http2Route.match` as meshlingo writes it. */
export type HttpRouteMatchSpec = PathMatchSpec & {
  readonly method?: string;
  readonly headers?: readonly HeaderMatchSpec[];
  readonly port?: number;
};

/** One weighted target of a route. */
export interface WeightedTargetSpec {
  readonly virtualNodeRef: RefSpec;
  readonly weight: number;
  readonly port?: number;
}

/** The action of a route. */
export interface RouteActionSpec {
  readonly weightedTargets: readonly WeightedTargetSpec[];
}

/** One route of a VirtualRouter, as meshlingo writes it. */
export type RouteSpec = { readonly name: string; readonly priority: number } & (
  | { readonly httpRoute: { match: HttpRouteMatchSpec; action: RouteActionSpec } }
  | { readonly http2Route: { match: HttpRouteMatchSpec; action: RouteActionSpec } }
  | { readonly grpcRoute: { match: { port?: number }; action: RouteActionSpec } }
  | { readonly tcpRoute: { match?: { port: number }; action: RouteActionSpec } }
);
