import {
  EMPTY_MODEL,
  type Effect,
  type IngestContext,
  type Manifest,
  type MeshModel,
  type SubjectNode,
} from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import {
  readAllNative,
  recordsOf,
  sameKind,
  type HttpRouteRecord,
  type MeshTlsRecord,
  type NativeProblem,
  type NativeRecord,
} from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { DEFAULT_POLICY_ANNOTATION } from '../emit/namespace.js';
import { POLICY_GROUP } from '../versions.js';
import { ingestAccess } from './access.js';
import { indexRecords, type Authorization } from './authorization.js';
import { policyAuthorization } from './authorization-policy.js';
import { httpRouteSplits, reportRouteExtras, ruleSpaces, type RuleSpace } from './http-route.js';
import { meshTlsSources } from './mesh-tls-authentication.js';
import { restore } from './restore.js';
import { serverAuthorization } from './server-authorization.js';
import { resolveServer } from './server.js';
import { profileService, profileSplit } from './service-profile.js';
import { mergeSplits } from './split.js';
import type { SplitDefinition } from './split-definition.js';
import { tcpRouteSplits } from './tcp-route.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** What SMI loses with each kind it has nothing for. */
const KIND_EFFECTS: Readonly<Record<string, Effect>> = {
  EgressNetwork: 'widens-access',
  HTTPLocalRateLimitPolicy: 'cosmetic',
  ExternalWorkload: 'cosmetic',
  GRPCRoute: 'changes-routing',
  TLSRoute: 'changes-routing',
};

function reportProblem(problem: NativeProblem, ctx: Ctx): void {
  const { manifest } = problem;
  const { kind, apiVersion } = manifest.object;
  if (problem.kind === 'unknown-kind') {
    const effect = Object.hasOwn(KIND_EFFECTS, kind) ? KIND_EFFECTS[kind] : undefined;
    ctx.report('unsupported-kind', {
      at: { manifest, field: ['kind'] },
      data: { kind, apiVersion },
      ...(effect !== undefined && { effect }),
    });
  } else if (problem.kind === 'unknown-version') {
    ctx.report('unknown-version', {
      at: { manifest, field: ['apiVersion'] },
      data: { kind, apiVersion, versions: problem.versions },
    });
  } else {
    ctx.report('invalid-object', {
      at: { manifest, field: problem.path },
      data: { kind, reason: problem.reason },
    });
  }
}

function hasServerParent(route: HttpRouteRecord): boolean {
  return route.parentRefs.some((p) => p.group === POLICY_GROUP && sameKind(p.kind, 'Server'));
}

/** Reads Linkerd objects as written into SMI, reporting everything SMI cannot carry. */
function readNativeModel(manifests: readonly Manifest[], ctx: Ctx): MeshModel {
  const { records, problems } = readAllNative(manifests);
  for (const p of problems) reportProblem(p, ctx);
  const index = indexRecords(records);

  const spaces = new Map<HttpRouteRecord, RuleSpace[]>();
  const spacesOf = (route: HttpRouteRecord): RuleSpace[] => {
    let s = spaces.get(route);
    if (s === undefined) {
      s = ruleSpaces(route, ctx);
      spaces.set(route, s);
    }
    return s;
  };
  const routes = recordsOf(records, 'HTTPRoute');
  for (const route of routes) {
    if (hasServerParent(route)) {
      spacesOf(route);
      reportRouteExtras(route, false, ctx);
      route.parentRefs.forEach((p, i) => {
        if (
          p.group === POLICY_GROUP &&
          sameKind(p.kind, 'Server') &&
          index.server(route.namespace, p.name) === undefined
        )
          ctx.report('dangling-reference', {
            at: { manifest: route.manifest, field: ['spec', 'parentRefs', i] },
            data: {
              kind: 'HTTPRoute',
              name: `${route.namespace}/${route.name}`,
              target: `Server ${p.name}`,
            },
          });
      });
    }
  }

  const servers = recordsOf(records, 'Server').map((s) => resolveServer(s, ctx));
  const meshTlsCache = new Map<MeshTlsRecord, SubjectNode[]>();
  const meshTls = (record: MeshTlsRecord): SubjectNode[] => {
    let sources = meshTlsCache.get(record);
    if (sources === undefined) {
      sources = meshTlsSources(record, ctx);
      meshTlsCache.set(record, sources);
    }
    return sources;
  };
  const authorizations: Authorization[] = [
    ...recordsOf(records, 'AuthorizationPolicy').flatMap(
      (p) => policyAuthorization(p, index, meshTls, ctx) ?? [],
    ),
    ...recordsOf(records, 'ServerAuthorization').flatMap(
      (s) => serverAuthorization(s, index, ctx) ?? [],
    ),
  ];
  const access = ingestAccess({ servers, routes, authorizations, spaces: spacesOf }, ctx);

  const profiled = new Set<string>();
  const definitions: SplitDefinition[] = [];
  for (const profile of recordsOf(records, 'ServiceProfile')) {
    const service = profileService(profile, ctx.options.clusterDomain);
    if (service !== undefined) profiled.add(`${profile.namespace}/${service}`);
    const d = profileSplit(profile, ctx);
    if (d !== undefined) definitions.push(d);
  }
  const outbound = [
    ...routes.filter((r) => !hasServerParent(r)),
    ...recordsOf(records, 'TCPRoute'),
  ];
  for (const route of outbound) {
    const shadowedBy = route.parentRefs.find(
      (p) => profiled.has(`${route.namespace}/${p.name}`) && sameKind(p.kind, 'Service'),
    );
    if (shadowedBy !== undefined) {
      ctx.report('route-ignored', {
        at: { manifest: route.manifest, field: ['spec', 'parentRefs'] },
        data: {
          route: `${route.namespace}/${route.name}`,
          reason: `the ServiceProfile of ${shadowedBy.name} takes precedence`,
        },
      });
      continue;
    }
    if (route.kind === 'TCPRoute') {
      definitions.push(...tcpRouteSplits(route, ctx));
    } else {
      reportRouteExtras(route, true, ctx);
      definitions.push(...httpRouteSplits(route, spacesOf(route), ctx));
    }
  }
  const splits = mergeSplits(definitions, ctx);
  return {
    ...EMPTY_MODEL,
    trafficTargets: access.trafficTargets,
    httpRouteGroups: [...access.httpRouteGroups, ...splits.httpRouteGroups],
    tcpRoutes: access.tcpRoutes,
    trafficSplits: splits.trafficSplits,
  };
}

/** SMI denies what no TrafficTarget allows; namespaces whose pods default to allow lose that. */
function reportDefaultPolicy(records: readonly NativeRecord[], ctx: Ctx): void {
  const first = new Map<string, Manifest>();
  for (const r of records)
    if (
      (r.kind === 'Server' ||
        r.kind === 'AuthorizationPolicy' ||
        r.kind === 'ServerAuthorization') &&
      !first.has(r.namespace)
    )
      first.set(r.namespace, r.manifest);
  for (const [namespace, manifest] of first) {
    const annotations = ctx.cluster.namespace(namespace)?.annotations;
    const policy =
      annotations !== undefined && Object.hasOwn(annotations, DEFAULT_POLICY_ANNOTATION)
        ? (annotations[DEFAULT_POLICY_ANNOTATION] ?? '')
        : ctx.options.defaultDeny !== 'off'
          ? 'deny'
          : ctx.options.clusterDefaultPolicy;
    if (policy !== 'deny')
      ctx.report('default-policy', { at: { manifest }, data: { namespace, policy } });
  }
}

function merge(a: MeshModel, b: MeshModel): MeshModel {
  return {
    trafficTargets: [...a.trafficTargets, ...b.trafficTargets],
    httpRouteGroups: [...a.httpRouteGroups, ...b.httpRouteGroups],
    tcpRoutes: [...a.tcpRoutes, ...b.tcpRoutes],
    udpRoutes: [...a.udpRoutes, ...b.udpRoutes],
    trafficSplits: [...a.trafficSplits, ...b.trafficSplits],
    identityBindings: [...a.identityBindings, ...b.identityBindings],
  };
}

/**
 * Linkerd to SMI. Objects meshlingo wrote are restored to the SMI they came from while they are
 * unchanged; everything else is read as Linkerd means it, with a diagnostic for each field SMI
 * cannot carry.
 */
export function ingestLinkerd(manifests: readonly Manifest[], ctx: Ctx): MeshModel {
  const restored = restore(manifests, ctx);
  let model: MeshModel;
  if (restored.kind === 'restored') {
    model = merge(restored.model, readNativeModel(restored.rest, ctx));
  } else {
    if (restored.kind === 'changed') {
      const first = manifests.find((m) => m.object.metadata?.labels !== undefined);
      ctx.report('not-restored', {
        ...(first !== undefined && { at: { manifest: first } }),
        data: { reason: restored.reason },
      });
    }
    model = readNativeModel(manifests, ctx);
  }
  reportDefaultPolicy(readAllNative(manifests).records, ctx);
  return model;
}
