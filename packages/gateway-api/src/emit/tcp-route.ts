import type { KubeObject } from '@meshlingo/core';
import { GATEWAY_GROUP } from '../types.js';
import { routeMetadata, serviceParent, type RouteTarget } from './rules.js';

/**
 * The TCPRoute for one opaque-TCP port of a TrafficSplit without matches: its single rule (v1
 * allows exactly one) splits connections over the weighted backends.
 */
export function emitTcpRoute(target: RouteTarget): KubeObject {
  return {
    apiVersion: `${GATEWAY_GROUP}/${target.apiVersion}`,
    kind: 'TCPRoute',
    metadata: routeMetadata(target, undefined),
    spec: { parentRefs: [serviceParent(target)], rules: [{ backendRefs: target.backendRefs }] },
  };
}
