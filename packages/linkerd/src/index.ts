/**
 * @meshlingo/linkerd: SMI to Linkerd policy and routing resources (Server, HTTPRoute,
 * AuthorizationPolicy, MeshTLSAuthentication, ServiceProfile, TCPRoute) and back, with an
 * evaluator of Linkerd's authorization and routing semantics.
 */
import { defineAdapter } from '@meshlingo/core';
import { linkerdCapabilities } from './capabilities.js';
import { emitLinkerd } from './emit/index.js';
import { authorizeLinkerd, routeLinkerd } from './evaluator.js';
import { ingestLinkerd } from './ingest/index.js';
import { linkerdMessages } from './messages.js';
import { isLinkerdGroup, READ_KINDS } from './native.js';
import { LinkerdOptionsSchema } from './options.js';

/** The Linkerd adapter. */
export const linkerdAdapter = defineAdapter({
  name: 'linkerd',
  packageName: '@meshlingo/linkerd',
  description:
    'Linkerd policy (Server, AuthorizationPolicy, HTTPRoute) and traffic splitting (HTTPRoute, ServiceProfile)',
  meshVersions: '>=2.12 (stable 2.12-2.14, version-2.15 to version-2.20 edge releases)',
  nativeKinds: [
    'Server',
    'MeshTLSAuthentication',
    'NetworkAuthentication',
    'HTTPRoute',
    'AuthorizationPolicy',
    'ServerAuthorization',
    'ServiceProfile',
    'TCPRoute',
  ].flatMap((kind) =>
    Object.entries(READ_KINDS)
      .filter(([, kinds]) => Object.hasOwn(kinds, kind))
      .map(([group, kinds]) => ({ group, kind, versions: kinds[kind] ?? [] })),
  ),
  capabilities: linkerdCapabilities,
  messages: linkerdMessages,
  optionsSchema: LinkerdOptionsSchema,
  shareTolerance: 0.00001,
  emit: emitLinkerd,
  ingest: ingestLinkerd,
  // Gateway API kinds belong to the gateway-api adapter and SMI TrafficSplits to core; both are
  // still read when handed over directly.
  claims: (object) => isLinkerdGroup(object.apiVersion),
  evaluator: { authorize: authorizeLinkerd, route: routeLinkerd },
});

export default linkerdAdapter;

export { linkerdCapabilities } from './capabilities.js';
export { authorizeLinkerd, matchRequest, routeLinkerd } from './evaluator.js';
export { identityMatches, identityOf, parseIdentity } from './identity.js';
export type { IdentitySettings, ParsedIdentity } from './identity.js';
export { linkerdMessages } from './messages.js';
export type { LinkerdMessages } from './messages.js';
export { DEFAULT_CLUSTER_NETWORKS, DEFAULT_POLICIES, LinkerdOptionsSchema } from './options.js';
export type { DefaultPolicy, LinkerdOptions } from './options.js';
export { SMI_ANNOTATION } from './smi-annotation.js';
export { targetApis } from './versions.js';
export type { TargetApis } from './versions.js';
