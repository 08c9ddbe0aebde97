import type { KubeObject, ResourceRef } from '@meshlingo/core';
import { consulObject, type ConsulEmitContext } from './context.js';

/** A subset of a service: the instances whose service metadata has these values. */
export interface SubsetPlan {
  readonly name: string;
  /** Metadata key and value pairs, from the labels the backend Service adds to the root selector. */
  readonly meta: readonly (readonly [string, string])[];
}

/** A go-bexpr filter over the catalog entry: `Service.Meta.version == "v1"`, joined with `and`. */
export function subsetFilter(meta: readonly (readonly [string, string])[]): string {
  return meta.map(([k, v]) => `Service.Meta.${k} == ${JSON.stringify(v)}`).join(' and ');
}

/** The ServiceResolver of a root service whose split backends are subsets. */
export function emitServiceResolver(
  ctx: ConsulEmitContext,
  root: string,
  namespace: string,
  subsets: readonly SubsetPlan[],
  refs: readonly ResourceRef[],
): KubeObject {
  const sorted = [...subsets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return consulObject(ctx, 'ServiceResolver', root, namespace, refs, {
    subsets: Object.fromEntries(sorted.map((s) => [s.name, { filter: subsetFilter(s.meta) }])),
  });
}
