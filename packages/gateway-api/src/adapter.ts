import { defineAdapter } from '@meshlingo/core';
import { gatewayApiCapabilities } from './capabilities.js';
import { emitModel } from './emit/index.js';
import { authorizeGatewayApi, routeGatewayApi } from './evaluator.js';
import { ingestManifests } from './ingest/index.js';
import { gatewayApiMessages } from './messages.js';
import { GatewayApiOptionsSchema } from './options.js';
import { GATEWAY_GROUP, GATEWAY_X_GROUP } from './types.js';

/**
 * The Gateway API (GAMMA) adapter: SMI TrafficSplits (with their HTTPRouteGroup matches) to
 * HTTPRoute, GRPCRoute and TCPRoute objects whose parent is the root Service, and those routes
 * back to SMI. Gateway API has no authorization, so TrafficTargets are only reported.
 */
export const gatewayApiAdapter = defineAdapter({
  name: 'gateway-api',
  packageName: '@meshlingo/gateway-api',
  description: 'Gateway API for service meshes (GAMMA): HTTPRoute, GRPCRoute, TCPRoute',
  meshVersions: 'Gateway API v1.1-v1.6',
  nativeKinds: [
    { group: GATEWAY_GROUP, kind: 'HTTPRoute', versions: ['v1', 'v1beta1'] },
    { group: GATEWAY_GROUP, kind: 'GRPCRoute', versions: ['v1'] },
    { group: GATEWAY_GROUP, kind: 'TCPRoute', versions: ['v1', 'v1alpha2'] },
  ],
  capabilities: gatewayApiCapabilities,
  messages: gatewayApiMessages,
  optionsSchema: GatewayApiOptionsSchema,
  shareTolerance: 0,
  emit: emitModel,
  ingest: ingestManifests,
  // design.md: gateway.networking.k8s.io kinds belong to this adapter for `--from auto`.
  claims: (object) => {
    const group = object.apiVersion.split('/')[0];
    return (
      object.apiVersion.includes('/') && (group === GATEWAY_GROUP || group === GATEWAY_X_GROUP)
    );
  },
  evaluator: { authorize: authorizeGatewayApi, route: routeGatewayApi },
});
