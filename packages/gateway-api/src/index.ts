/**
 * @meshlingo/gateway-api: the Gateway API (GAMMA) adapter for meshlingo. SMI TrafficSplits and
 * their HTTPRouteGroup matches to HTTPRoute, GRPCRoute and TCPRoute objects with Service
 * parents, and back, with an evaluator of Gateway API routing.
 */
import { gatewayApiAdapter } from './adapter.js';

export { gatewayApiAdapter };
export default gatewayApiAdapter;
export { gatewayApiCapabilities } from './capabilities.js';
export type { GatewayApiMessageId } from './messages.js';
export { gatewayApiMessages } from './messages.js';
export type {
  GatewayApiChannel,
  GatewayApiOptions,
  GatewayApiVersion,
  ServedKinds,
} from './options.js';
export {
  GATEWAY_API_CHANNELS,
  GATEWAY_API_VERSIONS,
  GatewayApiOptionsSchema,
  servedKinds,
} from './options.js';
export { authorizeGatewayApi, routeGatewayApi } from './evaluator.js';
export { GATEWAY_GROUP, MATCHES_ANNOTATION } from './types.js';
