import type { Manifest, ResourceRef } from '@meshlingo/core';
import type { HeaderCondition } from '../common/http-match.js';
import type { LabelSelector } from '../common/labels.js';
import type { ListenerProtocol } from '../common/protocol.js';
import type { Path } from './cursor.js';

/**
 * App Mesh objects of either API version (v1beta2, legacy v1beta1), read into one plain shape
 * that ingest and the evaluator share. Paths point back into the manifests for diagnostics.
 */

/** A resolved reference: namespaces are always explicit. */
export interface ObjectKey {
  readonly namespace: string;
  readonly name: string;
}

/** What every parsed object keeps of its manifest. */
export interface ParsedObject extends ObjectKey {
  readonly manifest: Manifest;
  readonly legacy: boolean;
  /** Objects named by its `meshlingo.io/source` annotation (empty for hand-written objects). */
  readonly sources: readonly ResourceRef[];
}

/** A Mesh. */
export interface ParsedMesh extends ParsedObject {
  /** Absent means the AWS default, DROP_ALL. */
  readonly egress?: 'DROP_ALL' | 'ALLOW_ALL';
  /** Absent selects no namespace; an empty selector selects all. */
  readonly namespaceSelector?: LabelSelector;
}

/** A listener's port mapping. */
export interface ParsedListener {
  readonly port: number;
  readonly protocol: ListenerProtocol;
  readonly path: Path;
}

/** How a VirtualNode finds its endpoints. */
export type ParsedDiscovery =
  | { readonly kind: 'dns'; readonly hostname: string; readonly path: Path }
  | {
      readonly kind: 'cloud-map';
      readonly namespaceName: string;
      readonly serviceName: string;
      readonly path: Path;
    };

/** One backend of a VirtualNode: a VirtualService by reference or (v1beta1) by AWS name. */
export type ParsedBackend =
  | { readonly kind: 'ref'; readonly ref: ObjectKey; readonly path: Path }
  | { readonly kind: 'aws-name'; readonly awsName: string; readonly path: Path };

/** A VirtualNode. */
export interface ParsedNode extends ParsedObject {
  /** Absent selects no pods (v1beta1 nodes are matched to the workload of the same name). */
  readonly selector?: LabelSelector;
  readonly listeners: readonly ParsedListener[];
  readonly discovery?: ParsedDiscovery;
  readonly backends: readonly ParsedBackend[];
}

/** One header (or gRPC metadata) condition of a route match. */
export interface ParsedHeader {
  readonly name: string;
  readonly condition:
    HeaderCondition | { readonly kind: 'range'; readonly start: number; readonly end: number };
  readonly invert: boolean;
  readonly path: Path;
}

/** The path part of an HTTP route match. */
export type ParsedPath =
  { readonly prefix: string } | { readonly exact: string } | { readonly regex: string };

/** The match of an `httpRoute` or `http2Route`. */
export interface ParsedHttpMatch {
  readonly path: ParsedPath;
  readonly method?: string;
  readonly headers: readonly ParsedHeader[];
  /** Query parameter conditions (exact value, or presence). */
  readonly query: readonly {
    readonly name: string;
    readonly exact?: string;
    readonly path: Path;
  }[];
  readonly scheme?: { readonly value: string; readonly path: Path };
}

/** The match of a `grpcRoute`. */
export interface ParsedGrpcMatch {
  readonly serviceName?: string;
  readonly methodName?: string;
  readonly metadata: readonly ParsedHeader[];
}

/** One weighted target; `node` is absent for targets given by ARN. */
export interface ParsedTarget {
  readonly node?: ObjectKey;
  readonly weight: number;
  readonly port?: number;
  readonly path: Path;
}

/** One route of a VirtualRouter (or of a v1beta1 VirtualService). */
export interface ParsedRoute {
  readonly name: string;
  readonly priority?: number;
  readonly kind: 'http' | 'http2' | 'grpc' | 'tcp';
  /** For `http` and `http2` routes. */
  readonly http?: ParsedHttpMatch;
  /** For `grpc` routes. */
  readonly grpc?: ParsedGrpcMatch;
  /** `match.port`: the router listener the route belongs to. */
  readonly port?: number;
  readonly targets: readonly ParsedTarget[];
  readonly path: Path;
}

/** A VirtualRouter, or the router a v1beta1 VirtualService embeds. */
export interface ParsedRouter extends ParsedObject {
  readonly listeners: readonly ParsedListener[];
  readonly routes: readonly ParsedRoute[];
}

/** Who provides a VirtualService. */
export type ParsedProvider =
  | { readonly kind: 'node'; readonly ref: ObjectKey }
  | { readonly kind: 'router'; readonly ref: ObjectKey }
  | { readonly kind: 'embedded'; readonly router: ParsedRouter };

/** A VirtualService. */
export interface ParsedVirtualService extends ParsedObject {
  /** The host name clients dial (`spec.awsName`, else the controller default `<name>.<namespace>`). */
  readonly awsName: string;
  readonly provider?: ParsedProvider;
}

/** Every App Mesh object of an input, read. */
export interface ParsedObjects {
  readonly meshes: readonly ParsedMesh[];
  readonly nodes: readonly ParsedNode[];
  readonly routers: readonly ParsedRouter[];
  readonly services: readonly ParsedVirtualService[];
}
