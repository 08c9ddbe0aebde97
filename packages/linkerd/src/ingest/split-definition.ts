import type { BackendNode, HttpMatchNode, Manifest } from '@meshlingo/core';

/** How one Linkerd object splits one Service, before definitions for several ports are merged. */
export interface SplitDefinition {
  readonly manifest: Manifest;
  readonly kind: 'HTTPRoute' | 'TCPRoute' | 'ServiceProfile';
  readonly name: string;
  readonly namespace: string;
  readonly service: string;
  /** Service ports it applies to; `all` without a parentRef port. */
  readonly ports: readonly number[] | 'all';
  readonly backends: readonly BackendNode[];
  /** Requests that are split; absent means all of them. */
  readonly matches?: readonly HttpMatchNode[];
}
