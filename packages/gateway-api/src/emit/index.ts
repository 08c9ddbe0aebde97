import {
  coreMessages,
  createDiagnostic,
  deriveName,
  formatPointer,
  generatedMetadata,
  largestRemainder,
  MANAGED_BY_LABEL,
  safeRecord,
  type EmitContext,
  type KubeObject,
  type MeshModel,
  type ResourceRef,
  type TrafficSplitNode,
} from '@meshlingo/core';
import type { AnnotatedMatch } from '../annotation.js';
import type { gatewayApiMessages } from '../messages.js';
import { servedKinds, type GatewayApiOptions } from '../options.js';
import { routablePorts, type RoutablePort } from '../ports.js';
import type { RouteKindName } from '../types.js';
import { emitGrpcRoute, grpcRejection } from './grpc-route.js';
import { emitHttpRoute } from './http-route.js';
import { matchProblems, type SmiMatchSpec } from './matches.js';
import type { RouteTarget } from './rules.js';
import { emitTcpRoute } from './tcp-route.js';

/** The context the gateway-api emitter runs with. */
export type GatewayApiEmitContext = EmitContext<GatewayApiOptions, typeof gatewayApiMessages>;

const MAX_BACKENDS = 16;
const MAX_WEIGHT = 1_000_000;

/**
 * SMI to Gateway API (GAMMA). TrafficSplits become routes whose parent is the root Service, one
 * per Service port; TrafficTargets have no Gateway API form and are reported when this target
 * writes the access area (alone, or first in a composition).
 */
export function emitModel(model: MeshModel, ctx: GatewayApiEmitContext): KubeObject[] {
  if (ctx.areas.has('access')) {
    for (const target of model.trafficTargets)
      ctx.unrepresentable('traffic-target-not-supported', {
        at: { origin: target.origin },
        data: { namespace: target.namespace, name: target.name },
        narrowEffect: 'narrows-access',
        widenEffect: 'widens-access',
      });
  }
  if (!ctx.areas.has('routing')) return [];
  reportUnusedSpecs(model, ctx);
  return model.trafficSplits.flatMap((split) => emitSplit(split, ctx));
}

function reportUnusedSpecs(model: MeshModel, ctx: GatewayApiEmitContext): void {
  const used = new Set<string>();
  for (const t of model.trafficTargets)
    for (const r of t.rules) used.add(`${r.kind}/${t.namespace}/${r.name}`);
  for (const s of model.trafficSplits)
    for (const m of s.matches ?? []) used.add(`HTTPRouteGroup/${s.namespace}/${m.name}`);
  const specs = [
    ...model.httpRouteGroups.map((n) => ['HTTPRouteGroup', n] as const),
    ...model.tcpRoutes.map((n) => ['TCPRoute', n] as const),
    ...model.udpRoutes.map((n) => ['UDPRoute', n] as const),
  ];
  for (const [kind, node] of specs)
    if (!used.has(`${kind}/${node.namespace}/${node.name}`))
      ctx.report('route-spec-unused', {
        at: { origin: node.origin },
        data: { kind, namespace: node.namespace, name: node.name },
      });
}

function reportMissingService(split: TrafficSplitNode, ctx: GatewayApiEmitContext): void {
  const base = split.origin.location;
  ctx.sink(
    createDiagnostic('core', coreMessages, 'missing-context', {
      data: { what: 'root Service', name: `${split.namespace}/${split.service}` },
      resource: split.origin.resource,
      ...(base !== undefined && {
        location: {
          ...base,
          pointer: `${base.pointer ?? ''}${formatPointer(['spec', 'service'])}`,
        },
      }),
    }),
  );
}

/**
 * The SMI matches of a split's groups, with the conditions no route can hold dealt with through
 * `onUnrepresentable`: `narrow` leaves the match out, `widen` the condition. Undefined when the
 * split has no matches; `omit` when the split must not be written.
 */
function splitEntries(
  split: TrafficSplitNode,
  ctx: GatewayApiEmitContext,
): AnnotatedMatch[] | undefined | 'omit' {
  if (split.matches === undefined || split.matches.length === 0) return undefined;
  const entries: AnnotatedMatch[] = [];
  for (const ref of split.matches) {
    const group = ctx.index.httpRouteGroup(split.namespace, ref.name);
    for (const match of group?.matches ?? []) {
      let spec: SmiMatchSpec | undefined = match;
      let problem = matchProblems(match)[0];
      while (spec !== undefined && problem !== undefined) {
        const action = ctx.unrepresentable('match-not-representable', {
          at: { origin: match.origin, field: problem.field },
          data: { match: match.name, group: ref.name, reason: problem.reason },
          narrowEffect: 'changes-routing',
          widenEffect: 'changes-routing',
        });
        if (action === 'omit') return 'omit';
        spec = action === 'widen' ? problem.without : undefined;
        problem = spec === undefined ? undefined : matchProblems(spec)[0];
      }
      if (spec !== undefined)
        entries.push({
          group: ref.name,
          name: spec.name,
          ...(spec.pathRegex !== undefined && { pathRegex: spec.pathRegex }),
          ...(spec.methods !== undefined && { methods: spec.methods }),
          ...(spec.headers !== undefined && { headers: spec.headers }),
        });
    }
  }
  return entries;
}

/** The split's weights, scaled when one is above the Gateway API maximum. */
function splitWeights(split: TrafficSplitNode, ctx: GatewayApiEmitContext): number[] {
  const weights = split.backends.map((b) => b.weight);
  if (weights.every((w) => w <= MAX_WEIGHT)) return weights;
  ctx.report('weights-scaled', {
    at: { origin: split.origin, field: ['spec', 'backends'] },
    data: { namespace: split.namespace, name: split.name },
  });
  return largestRemainder(weights, MAX_WEIGHT);
}

interface PlannedRoute {
  readonly kind: RouteKindName;
  readonly port: RoutablePort;
}

/** Which route kind each Service port gets; ports without a route are reported or left alone. */
function planRoutes(
  split: TrafficSplitNode,
  ports: readonly RoutablePort[],
  entries: readonly AnnotatedMatch[] | undefined,
  ctx: GatewayApiEmitContext,
): PlannedRoute[] {
  const served = servedKinds(ctx.options);
  const rejection = ctx.options.grpcRoutes ? grpcRejection(entries) : undefined;
  const planned: PlannedRoute[] = [];
  for (const port of ports) {
    const data = { namespace: split.namespace, service: split.service, port: port.port.port };
    const at = { origin: split.origin, field: ['spec', 'service'] };
    if (port.kind === 'tcp') {
      // With matches, SMI sends non-HTTP traffic to the root Service, which is what a port
      // without routes does.
      if (entries !== undefined) continue;
      if (served.TCPRoute === undefined) {
        ctx.report('tcp-route-not-served', {
          at,
          data: { ...data, version: ctx.options.version, channel: ctx.options.channel },
        });
        continue;
      }
      planned.push({ kind: 'TCPRoute', port });
    } else if (port.kind === 'grpc' && ctx.options.grpcRoutes && rejection === undefined) {
      planned.push({ kind: 'GRPCRoute', port });
    } else {
      if (port.kind === 'grpc' && rejection !== undefined)
        ctx.report('grpc-as-http', { at, data: { ...data, ...rejection } });
      if (!port.hinted) ctx.report('port-protocol-assumed', { at, data });
      planned.push({ kind: 'HTTPRoute', port });
    }
  }
  return planned;
}

function userLabels(split: TrafficSplitNode): [string, string][] {
  return Object.entries(split.labels ?? {}).filter(([k]) => k !== MANAGED_BY_LABEL);
}

function userAnnotations(split: TrafficSplitNode): [string, string][] {
  return Object.entries(split.annotations ?? {}).filter(([k]) => !k.startsWith('meshlingo.io/'));
}

function emitSplit(split: TrafficSplitNode, ctx: GatewayApiEmitContext): KubeObject[] {
  const service = ctx.cluster.service(split.namespace, split.service);
  if (service === undefined) {
    reportMissingService(split, ctx);
    return [];
  }
  const at = { origin: split.origin, field: ['spec', 'service'] };
  const names = { namespace: split.namespace, service: split.service, name: split.name };
  if (service.type === 'ExternalName')
    ctx.report('root-service-external', { at, data: { ...names, type: service.type } });
  const ports = routablePorts(service);
  if (ports.length === 0) {
    ctx.report('no-routable-port', { at, data: names });
    return [];
  }
  if (split.backends.length > MAX_BACKENDS) {
    ctx.report('too-many-backends', {
      at: { origin: split.origin, field: ['spec', 'backends'] },
      data: { namespace: split.namespace, name: split.name, count: split.backends.length },
    });
    return [];
  }
  const entries = splitEntries(split, ctx);
  if (entries === 'omit') return [];
  const weights = splitWeights(split, ctx);
  const planned = planRoutes(split, ports, entries, ctx);
  checkBackendPorts(split, planned, ctx);
  const served = servedKinds(ctx.options);
  const sources: ResourceRef[] = [
    split.origin.resource,
    ...(split.matches ?? []).flatMap(
      (m) => ctx.index.httpRouteGroup(split.namespace, m.name)?.origin.resource ?? [],
    ),
  ];
  const out: KubeObject[] = [];
  for (const { kind, port } of planned) {
    const number = port.port.port;
    const several = planned.filter((p) => p.kind === kind).length > 1;
    const name = ctx.names.claim(
      kind,
      split.namespace,
      several ? deriveName([split.name, number]) : split.name,
    );
    const meta = generatedMetadata(name, split.namespace, sources, {
      labels: safeRecord(userLabels(split)),
      annotations: safeRecord(userAnnotations(split)),
    });
    const target: RouteTarget = {
      apiVersion: served[kind] ?? 'v1',
      name,
      namespace: split.namespace,
      labels: meta.labels,
      annotations: meta.annotations,
      service: split.service,
      port: number,
      backendRefs: split.backends.map((b, i) => ({
        name: b.service,
        port: number,
        weight: weights[i] ?? b.weight,
      })),
      ruleNames: served.ruleNames,
    };
    const result =
      kind === 'TCPRoute'
        ? { ok: true as const, object: emitTcpRoute(target), regex: false }
        : kind === 'GRPCRoute'
          ? { ...emitGrpcRoute(target, entries), regex: false }
          : emitHttpRoute(target, entries);
    if (!result.ok) {
      ctx.report('too-many-matches', {
        at: { origin: split.origin, field: ['spec', 'matches'] },
        data: { namespace: split.namespace, name: split.name, count: result.count },
      });
      return [];
    }
    if (result.regex)
      ctx.report('regex-path', {
        at: { origin: split.origin, field: ['spec', 'matches'] },
        data: { kind, namespace: split.namespace, name },
      });
    out.push(result.object);
  }
  return out;
}

/** Warns about backends whose Service (when known) lacks a port a route sends them traffic on. */
function checkBackendPorts(
  split: TrafficSplitNode,
  planned: readonly PlannedRoute[],
  ctx: GatewayApiEmitContext,
): void {
  split.backends.forEach((backend) => {
    const service = ctx.cluster.service(split.namespace, backend.service);
    if (service === undefined) return;
    for (const { port } of planned) {
      if (service.ports.some((p) => p.port === port.port.port)) continue;
      ctx.report('backend-port-missing', {
        at: { origin: backend.origin, field: ['service'] },
        data: { namespace: split.namespace, service: backend.service, port: port.port.port },
      });
    }
  });
}
