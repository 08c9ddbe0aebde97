import type { HttpMatchNode, KubeObject, MeshModel, ResourceRef } from '@meshlingo/core';
import { toCriteria } from '../http-match.js';
import { consulObject, type ConsulEmitContext } from './context.js';

/**
 * The ServiceRouter of a split with matches: one route per SMI match (matches are ORed; the first
 * matching route wins, and all routes go to the same place), each sending the request to the
 * virtual service that holds the split. Requests that match no route stay with the root service.
 */
export function emitServiceRouter(
  ctx: ConsulEmitContext,
  root: string,
  namespace: string,
  matches: readonly HttpMatchNode[],
  virtual: string,
  refs: readonly ResourceRef[],
  fragment: MeshModel,
): KubeObject {
  return consulObject(
    ctx,
    'ServiceRouter',
    root,
    namespace,
    refs,
    {
      routes: matches.map((m) => ({
        match: { http: toCriteria(m) },
        destination: { service: virtual },
      })),
    },
    fragment,
  );
}
