import {
  deriveName,
  largestRemainder,
  portProtocol,
  type EmitContext,
  type KubeObject,
  type MeshModel,
  type ResourceRef,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { condsOfMatch, nativeMatchOf, type NativeMatch } from '../conditions.js';
import type { LinkerdMessages } from '../messages.js';
import { reduceWeights } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { smiAnnotation } from '../smi-annotation.js';
import type { TargetApis } from '../versions.js';
import { serviceRouteObject } from './http-route.js';
import { MATCHES_PER_RULE, RULES_PER_ROUTE } from './route-plan.js';
import { serviceProfileObject } from './service-profile.js';
import { tcpRouteObject } from './tcp-route.js';

type Ctx = EmitContext<LinkerdOptions, LinkerdMessages>;

/** HTTPRoute backend weights are integers from 0 to 1,000,000 (CRD). */
const MAX_WEIGHT = 1_000_000;

/** Application protocols whose traffic Linkerd routes as HTTP. */
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'h2c', 'grpc', 'grpc-web']);

function routeWeights(split: TrafficSplitNode, ctx: Ctx): number[] {
  const weights = split.backends.map((b) => b.weight);
  if (Math.max(...weights) <= MAX_WEIGHT) return weights;
  const reduced = reduceWeights(weights);
  if (Math.max(...reduced) <= MAX_WEIGHT) return reduced;
  ctx.report('weights-rescaled', {
    at: { origin: split.origin, field: ['spec', 'backends'] },
    data: { split: `${split.namespace}/${split.name}` },
  });
  return largestRemainder(reduced, MAX_WEIGHT);
}

/** The native matches of a split's HTTPRouteGroups. */
function splitMatches(split: TrafficSplitNode, ctx: Ctx): NativeMatch[] {
  return (split.matches ?? []).flatMap((ref) =>
    (ctx.index.httpRouteGroup(split.namespace, ref.name)?.matches ?? []).flatMap((match) =>
      condsOfMatch(match).map(nativeMatchOf),
    ),
  );
}

function splitSmi(split: TrafficSplitNode, ctx: Ctx): string {
  return smiAnnotation({
    trafficSplits: [split],
    httpRouteGroups: (split.matches ?? []).flatMap(
      (m) => ctx.index.httpRouteGroup(split.namespace, m.name) ?? [],
    ),
  });
}

function splitRefs(split: TrafficSplitNode, ctx: Ctx): ResourceRef[] {
  return [
    split.origin.resource,
    ...(split.matches ?? []).flatMap((m) => {
      const group = ctx.index.httpRouteGroup(split.namespace, m.name);
      return group === undefined ? [] : [group.origin.resource];
    }),
  ];
}

function asProfile(split: TrafficSplitNode, ctx: Ctx, apis: TargetApis): KubeObject[] {
  if (split.matches !== undefined && split.matches.length > 0) {
    const action = ctx.unrepresentable('split-matches-unsupported', {
      at: { origin: split.origin, field: ['spec', 'matches'] },
      data: { split: `${split.namespace}/${split.name}` },
      narrowEffect: 'changes-routing',
      widenEffect: 'changes-routing',
    });
    if (action !== 'widen') return [];
  }
  return [
    serviceProfileObject({
      service: split.service,
      namespace: split.namespace,
      clusterDomain: ctx.options.clusterDomain,
      backends: split.backends,
      apis,
      refs: splitRefs(split, ctx),
      smi: splitSmi(split, ctx),
    }),
  ];
}

function asRoutes(split: TrafficSplitNode, ctx: Ctx, apis: TargetApis): KubeObject[] {
  const service = ctx.cluster.service(split.namespace, split.service);
  if (service === undefined) {
    ctx.report('split-no-service', {
      at: { origin: split.origin, field: ['spec', 'service'] },
      data: { namespace: split.namespace, service: split.service, split: split.name },
    });
    return [];
  }
  const hasMatches = split.matches !== undefined && split.matches.length > 0;
  const matches = hasMatches ? splitMatches(split, ctx) : undefined;
  const weights = routeWeights(split, ctx);
  const backends = split.backends.map((b, i) => ({ service: b.service, weight: weights[i] ?? 0 }));
  const refs = splitRefs(split, ctx);
  const smi = splitSmi(split, ctx);
  const out: KubeObject[] = [];
  for (const port of service.ports) {
    const data = { service: `${split.namespace}/${split.service}`, port: port.port };
    const at = { origin: split.origin, field: ['spec', 'service'] };
    if (port.protocol.toUpperCase() !== 'TCP') {
      ctx.report('split-udp-port', { at, data });
      continue;
    }
    for (const b of split.backends) {
      const backend = ctx.cluster.service(split.namespace, b.service);
      if (backend !== undefined && !backend.ports.some((p) => p.port === port.port))
        ctx.report('backend-port-missing', {
          at: { origin: b.origin },
          data: { backend: `${split.namespace}/${b.service}`, port: port.port },
        });
    }
    const http = HTTP_PROTOCOLS.has(portProtocol(port));
    const base = deriveName([split.name, port.port]);
    if (!http && !hasMatches) {
      if (apis.tcpRoute !== undefined) {
        out.push(
          tcpRouteObject({
            name: ctx.names.claim('TCPRoute', split.namespace, base),
            namespace: split.namespace,
            apiVersion: apis.tcpRoute,
            service: split.service,
            port: port.port,
            backends,
            refs,
            smi,
          }),
        );
        continue;
      }
      ctx.report('split-tcp-unsupported', {
        at,
        data: { ...data, version: ctx.options.linkerdVersion },
      });
    }
    // The last rule of each route is the fallback to the root Service.
    const perRoute = MATCHES_PER_RULE * (RULES_PER_ROUTE - 1);
    const parts =
      matches === undefined
        ? [undefined]
        : Array.from({ length: Math.max(1, Math.ceil(matches.length / perRoute)) }, (_, i) =>
            matches.slice(i * perRoute, (i + 1) * perRoute),
          );
    parts.forEach((part, i) => {
      out.push(
        serviceRouteObject({
          name: ctx.names.claim(
            'HTTPRoute',
            split.namespace,
            i === 0 ? base : deriveName([base, i + 1]),
          ),
          namespace: split.namespace,
          apiVersion: apis.httpRoute,
          service: split.service,
          port: port.port,
          ...(part !== undefined && { matches: part }),
          backends,
          refs,
          smi,
        }),
      );
    });
  }
  return out;
}

/**
 * Writes the TrafficSplits: per root Service port an HTTPRoute with weighted backendRefs (or a
 * TCPRoute for ports that do not carry HTTP), or one ServiceProfile with dstOverrides.
 */
export function emitSplits(model: MeshModel, ctx: Ctx, apis: TargetApis): KubeObject[] {
  let style = ctx.options.splitStyle;
  const [first] = model.trafficSplits;
  if (style === 'http-route' && !apis.serviceRoutes && first !== undefined) {
    ctx.report('split-style-unsupported', {
      at: { origin: first.origin },
      data: { version: ctx.options.linkerdVersion },
    });
    style = 'service-profile';
  }
  return model.trafficSplits.flatMap((split) =>
    style === 'service-profile' ? asProfile(split, ctx, apis) : asRoutes(split, ctx, apis),
  );
}
