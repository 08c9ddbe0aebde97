import {
  generatedMetadata,
  type KubeObject,
  type ResourceRef,
  type SubjectNode,
} from '@meshlingo/core';
import { identityOf } from '../identity.js';
import type { LinkerdOptions } from '../options.js';
import { SMI_ANNOTATION } from '../smi-annotation.js';
import type { TargetApis } from '../versions.js';

/**
 * The sources of one TrafficTarget: `identityRefs` to ServiceAccounts (independent of the trust
 * domain) or, with `identityStyle: strings`, their identity strings. It carries the TrafficTarget
 * and its route objects in the `meshlingo.io/smi` annotation.
 */
export function meshTlsAuthenticationObject(args: {
  readonly name: string;
  readonly namespace: string;
  readonly sources: readonly SubjectNode[];
  readonly options: LinkerdOptions;
  readonly apis: TargetApis;
  readonly refs: readonly ResourceRef[];
  readonly smi: string;
}): KubeObject {
  const spec =
    args.options.identityStyle === 'strings'
      ? { identities: args.sources.map((s) => identityOf(s, args.options)) }
      : {
          identityRefs: args.sources.map((s) => ({
            kind: 'ServiceAccount',
            name: s.name,
            namespace: s.namespace,
          })),
        };
  return {
    apiVersion: args.apis.meshTls,
    kind: 'MeshTLSAuthentication',
    metadata: generatedMetadata(args.name, args.namespace, args.refs, {
      annotations: { [SMI_ANNOTATION]: args.smi },
    }),
    spec,
  };
}
