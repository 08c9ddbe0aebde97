import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';
import type { TargetApis } from '../versions.js';

/** A reference as AuthorizationPolicy writes it. */
export interface PolicyRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * An AuthorizationPolicy: one authentication per policy, because all referenced
 * authentications must hold at once (AND), while separate policies add up (OR).
 */
export function authorizationPolicyObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly target: PolicyRef;
  readonly authentication: PolicyRef;
  readonly apis: TargetApis;
  readonly refs: readonly ResourceRef[];
}): KubeObject {
  return {
    apiVersion: args.apis.authorizationPolicy,
    kind: 'AuthorizationPolicy',
    metadata: generatedMetadata(args.name, args.namespace, args.refs),
    spec: {
      targetRef: { ...args.target },
      requiredAuthenticationRefs: [{ ...args.authentication }],
    },
  };
}
