import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import type { NativeMatch } from '../conditions.js';
import { SMI_ANNOTATION } from '../smi-annotation.js';
import { groupOf, POLICY_GROUP } from '../versions.js';
import { MATCHES_PER_RULE } from './route-plan.js';

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * An inbound HTTPRoute: its parent is a Server, its matches are ORed (split into rules of at
 * most 8 matches, the CRD limit), and who may use it is decided by the AuthorizationPolicies
 * that target it plus those of the Server.
 */
export function serverRouteObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly apiVersion: string;
  readonly server: string;
  readonly matches: readonly NativeMatch[];
  readonly refs: readonly ResourceRef[];
}): KubeObject {
  return {
    apiVersion: args.apiVersion,
    kind: 'HTTPRoute',
    metadata: generatedMetadata(args.name, args.namespace, args.refs),
    spec: {
      parentRefs: [{ group: POLICY_GROUP, kind: 'Server', name: args.server }],
      rules: chunks(args.matches, MATCHES_PER_RULE).map((matches) => ({ matches })),
    },
  };
}

/**
 * An outbound HTTPRoute splitting one port of a Service: its parent is the Service (the group is
 * written out, because the policy CRD defaults it to policy.linkerd.io) and backendRefs name the
 * port, which Linkerd requires. With matches, a last rule without backends sends every other
 * request to the Service itself, as SMI does.
 */
export function serviceRouteObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly apiVersion: string;
  readonly service: string;
  readonly port: number;
  readonly matches?: readonly NativeMatch[];
  readonly backends: readonly { readonly service: string; readonly weight: number }[];
  readonly refs: readonly ResourceRef[];
  readonly smi: string;
}): KubeObject {
  const backendRefs = args.backends.map((b) => ({
    name: b.service,
    port: args.port,
    weight: b.weight,
  }));
  const rules =
    args.matches === undefined
      ? [{ backendRefs }]
      : [
          ...chunks(args.matches, MATCHES_PER_RULE).map((matches) => ({ matches, backendRefs })),
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
        ];
  return {
    apiVersion: args.apiVersion,
    kind: 'HTTPRoute',
    metadata: generatedMetadata(args.name, args.namespace, args.refs, {
      annotations: { [SMI_ANNOTATION]: args.smi },
    }),
    spec: {
      parentRefs: [
        {
          group: groupOf(args.apiVersion) === POLICY_GROUP ? 'core' : '',
          kind: 'Service',
          name: args.service,
          port: args.port,
        },
      ],
      rules,
    },
  };
}
