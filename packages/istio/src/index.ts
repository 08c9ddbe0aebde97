/**
 * @meshlingo/istio: SMI to Istio (AuthorizationPolicy, VirtualService) and back, with an Istio
 * semantics evaluator.
 */
import { defineAdapter, type KubeObject } from '@meshlingo/core';
import { istioCapabilities } from './capabilities.js';
import { emitIstio } from './emit/index.js';
import { authorize, route } from './evaluator.js';
import { ingestIstio } from './ingest/index.js';
import { istioMessages } from './messages.js';
import { IstioOptionsSchema } from './options.js';

const ISTIO_GROUPS = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'rbac.istio.io',
]);

/** True for the objects the Istio adapter reads (every `*.istio.io` API group). */
export function claimsIstio(object: KubeObject): boolean {
  return ISTIO_GROUPS.has(object.apiVersion.split('/')[0] ?? '');
}

/** The Istio adapter. */
export const istioAdapter = defineAdapter({
  name: 'istio',
  packageName: '@meshlingo/istio',
  description: 'Istio: AuthorizationPolicy and VirtualService (security/networking v1, v1beta1)',
  meshVersions: '>=1.5 <=1.30',
  nativeKinds: [
    { group: 'security.istio.io', kind: 'AuthorizationPolicy', versions: ['v1', 'v1beta1'] },
    {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
    },
    {
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      versions: ['v1', 'v1beta1', 'v1alpha3'],
    },
    { group: 'security.istio.io', kind: 'PeerAuthentication', versions: ['v1', 'v1beta1'] },
  ],
  capabilities: istioCapabilities,
  messages: istioMessages,
  optionsSchema: IstioOptionsSchema,
  // Percentages (Istio before 1.15) put each share within 1 % of the SMI share.
  shareTolerance: 0.01,
  emit: emitIstio,
  ingest: ingestIstio,
  claims: claimsIstio,
  evaluator: { authorize, route },
});

export default istioAdapter;

export { istioCapabilities } from './capabilities.js';
/** Istio's authorization and routing decisions over native objects (named apart from core's SMI ones). */
export { authorize as authorizeIstio, route as routeIstio } from './evaluator.js';
export { istioMessages } from './messages.js';
export type { IstioMessages } from './messages.js';
export type { IstioFeatures, IstioOptions } from './options.js';
export { featuresOf, IstioOptionsSchema } from './options.js';
export type { CompiledPatterns, PatternFailure, UnrepresentableBranch } from './patterns.js';
export {
  compileHeaderRegex,
  compilePathRegex,
  headerRegexOfPattern,
  matchesPathPattern,
  matchesPattern,
  pathRegexOfPattern,
} from './patterns.js';
export { SMI_ANNOTATION } from './smi-annotation.js';
