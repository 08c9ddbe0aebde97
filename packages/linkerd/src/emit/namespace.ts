import { generatedMetadata, type KubeObject, type ResourceRef } from '@meshlingo/core';

/** The annotation that sets a namespace's default inbound policy. */
export const DEFAULT_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';

/**
 * A Namespace patch setting the default inbound policy to `deny`: ports no Server covers then
 * refuse everything, as in SMI. The proxy injector copies it onto pods it injects afterwards.
 */
export function defaultDenyNamespace(name: string, refs: readonly ResourceRef[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: generatedMetadata(name, undefined, refs, {
      annotations: { [DEFAULT_POLICY_ANNOTATION]: 'deny' },
    }),
  };
}
