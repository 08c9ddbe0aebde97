import {
  safeRecord,
  selectedMatches,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type KubeObject,
  type MeshModel,
  type PortRouteNode,
  type ResourceRef,
  type TrafficTargetNode,
  type WorkloadInfo,
} from '@meshlingo/core';
import { LossTracker, type IstioEmitContext } from '../context.js';
import {
  containerPortProtocol,
  principalOf,
  tcpContainerPorts,
  type PortProtocol,
} from '../identity.js';
import { featuresOf } from '../options.js';
import { compileHeaderRegex, compilePathRegex, type CompiledPatterns } from '../patterns.js';
import { encodeFragment } from '../smi-annotation.js';
import { metadataFor } from './metadata.js';

/**
 * TrafficTarget to AuthorizationPolicy (action ALLOW) in the destination namespace, and the
 * opt-in default-deny policies. Semantics carried (design.md "Semantics decisions"): sources are
 * principals; each HTTP match is an operation (methods, paths) and its headers `when`
 * conditions; TCPRoute ports are operation ports. Because an ALLOW rule with any HTTP field
 * vanishes on TCP ports (istio/istio#37920), HTTP matches and plain port grants are separate
 * rules, and each port goes to one of them by its protocol.
 */

/** An operation before it becomes YAML. */
interface Operation {
  readonly ports?: readonly string[];
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
}

/** A compiled HTTP match: its operation fields and its header conditions. */
interface HttpGrant {
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
  readonly when: readonly { readonly key: string; readonly values: readonly string[] }[];
}

/** The pods a policy selects: labels (undefined = the whole namespace) and their workloads. */
interface Selection {
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly workloads: readonly WorkloadInfo[];
}

function selectDestination(
  target: TrafficTargetNode,
  ctx: IstioEmitContext,
  track: LossTracker,
): Selection | undefined {
  const dest = target.destination;
  if (dest.kind !== 'ServiceAccount') {
    track.unrepresentable('identity-binding-unsupported', {
      at: { origin: dest.origin },
      data: { name: `${dest.namespace}/${dest.name}` },
      canWiden: false,
    });
    return undefined;
  }
  const workloads = ctx.cluster.workloadsOf(dest.namespace, dest.name);
  if (ctx.options.selectorStrategy === 'app-label') {
    track.report('selector-by-convention', {
      at: { origin: dest.origin },
      data: { namespace: dest.namespace, serviceAccount: dest.name },
    });
    return { labels: safeRecord([['app', dest.name]]), workloads };
  }
  const found = ctx.cluster.selectorFor(dest.namespace, dest.name);
  if (found.ok) return { labels: found.labels, workloads: found.workloads };
  const action = track.unrepresentable('selector-unresolved', {
    at: { origin: dest.origin },
    data: { namespace: dest.namespace, serviceAccount: dest.name, reason: found.reason },
  });
  return action === 'widen' ? { labels: undefined, workloads } : undefined;
}

/**
 * Chooses patterns for one regex, following `onUnrepresentable`; undefined drops the match.
 * `narrow` keeps the branches that have a pattern, `widen` adds the broader ones. `*` alone is any
 * path, or a header that is present.
 */
function choosePatterns(
  compiled: CompiledPatterns,
  report: (branch: CompiledPatterns['unrepresentable'][number]) => 'omit' | 'narrow' | 'widen',
): string[] | undefined {
  if (compiled.any) return ['*'];
  const first = compiled.unrepresentable[0];
  if (first === undefined) return [...compiled.patterns];
  const action = report(first);
  if (action === 'omit') return undefined;
  if (action === 'narrow')
    return compiled.patterns.length === 0 ? undefined : [...compiled.patterns];
  const patterns = new Set([
    ...compiled.patterns,
    ...compiled.unrepresentable.map((b) => b.widened),
  ]);
  return patterns.has('*') ? ['*'] : [...patterns];
}

/**
 * One SMI match as an HTTP grant, or undefined when it is left out (narrow) or the object must be
 * left out (`omit` sets `failed`).
 */
function compileMatch(
  match: HttpMatchNode,
  ctx: IstioEmitContext,
  track: LossTracker,
  state: { failed: boolean },
): HttpGrant | undefined {
  const templates = featuresOf(ctx.options).pathTemplates;
  // With `error` every problem of the match is reported before it is left out.
  const failed = (): undefined => {
    if (ctx.core.onUnrepresentable === 'error') state.failed = true;
    return undefined;
  };
  let dropped = false;
  let paths: string[] | undefined;
  if (match.pathRegex !== undefined) {
    const pathRegex = match.pathRegex;
    const chosen = choosePatterns(compilePathRegex(pathRegex, templates), (branch) =>
      track.unrepresentable('path-not-representable', {
        at: { origin: match.origin, field: ['pathRegex'] },
        data: {
          pathRegex,
          branch: branch.source,
          reason: branch.reason,
          widened: branch.widened,
        },
      }),
    );
    if (chosen === undefined) dropped = true;
    // `*` is every path: no `paths` restriction at all.
    else if (!chosen.includes('*')) paths = chosen;
  }
  const when: { key: string; values: string[] }[] = [];
  for (const header of match.headers ?? []) {
    if (dropped && ctx.core.onUnrepresentable !== 'error') break;
    const chosen = choosePatterns(compileHeaderRegex(header.value), (branch) =>
      track.unrepresentable('header-not-representable', {
        at: { origin: match.origin, field: ['headers'] },
        data: {
          header: header.name,
          value: header.value,
          reason: branch.reason,
          widened: branch.widened,
        },
      }),
    );
    if (chosen === undefined) {
      dropped = true;
      continue;
    }
    const key = `request.headers[${header.name.toLowerCase()}]`;
    const same = when.find((w) => w.key === key);
    // Two conditions on one header must both hold; Istio ANDs `when` entries, so keep both.
    if (same === undefined || JSON.stringify(same.values) !== JSON.stringify(chosen))
      when.push({ key, values: chosen });
  }
  if (dropped) return failed();
  const methods =
    match.methods === undefined || match.methods.includes('*') ? undefined : [...match.methods];
  return {
    ...(methods !== undefined && { methods }),
    ...(paths !== undefined && { paths }),
    when,
  };
}

function operationYaml(op: Operation): Record<string, unknown> {
  return {
    operation: {
      ...(op.ports !== undefined && { ports: [...op.ports] }),
      ...(op.methods !== undefined && { methods: [...op.methods] }),
      ...(op.paths !== undefined && { paths: [...op.paths] }),
    },
  };
}

function isEmpty(op: Operation): boolean {
  return op.ports === undefined && op.methods === undefined && op.paths === undefined;
}

/**
 * The rules carrying HTTP grants, each limited to `ports` (undefined = any port). Grants with the
 * same header conditions share a rule. A grant with no field at all gets `paths: ["*"]` so its rule
 * keeps an HTTP field and stays off TCP ports, where SMI does not allow plain TCP.
 */
function httpRules(
  grants: readonly HttpGrant[],
  ports: readonly string[] | undefined,
  from: unknown,
): Record<string, unknown>[] {
  const byWhen = new Map<string, { when: HttpGrant['when']; ops: Operation[] }>();
  for (const g of grants) {
    const key = JSON.stringify(g.when);
    const entry = byWhen.get(key) ?? { when: g.when, ops: [] };
    entry.ops.push({
      ...(ports !== undefined && { ports }),
      ...(g.methods !== undefined && { methods: g.methods }),
      ...(g.paths !== undefined && { paths: g.paths }),
    });
    byWhen.set(key, entry);
  }
  const rules: Record<string, unknown>[] = [];
  for (const { when, ops } of byWhen.values()) {
    const unique = [...new Map(ops.map((op) => [JSON.stringify(op), op])).values()];
    let to: Operation[] | undefined = unique;
    if (when.length > 0) {
      // The `when` conditions are HTTP fields already; an empty operation means any request.
      if (unique.some(isEmpty)) to = undefined;
    } else {
      const anyHttp = unique.find(isEmpty);
      if (anyHttp !== undefined) to = [{ paths: ['*'] }];
    }
    rules.push({
      from,
      ...(to !== undefined && { to: to.map(operationYaml) }),
      ...(when.length > 0 && {
        when: when.map((w) => ({ key: w.key, values: [...w.values] })),
      }),
    });
  }
  return rules;
}

interface TargetParts {
  readonly groups: HTTPRouteGroupNode[];
  readonly tcp: PortRouteNode[];
}

/** The AuthorizationPolicy rules of one TrafficTarget, or undefined when it must be left out. */
function buildRules(
  target: TrafficTargetNode,
  selection: Selection,
  principals: readonly string[],
  ctx: IstioEmitContext,
  track: LossTracker,
  parts: TargetParts,
): Record<string, unknown>[] | undefined {
  const state = { failed: false };
  let hasHttp = false;
  const grants: HttpGrant[] = [];
  let tcp: 'none' | 'any' | Set<number> = 'none';
  for (const rule of target.rules) {
    if (rule.kind === 'HTTPRouteGroup') {
      const group = ctx.index.httpRouteGroup(target.namespace, rule.name);
      if (group === undefined) continue;
      if (!parts.groups.includes(group)) parts.groups.push(group);
      hasHttp = true;
      for (const match of selectedMatches(group, rule)) {
        const grant = compileMatch(match, ctx, track, state);
        if (grant !== undefined) grants.push(grant);
      }
    } else if (rule.kind === 'TCPRoute') {
      const route = ctx.index.tcpRoute(target.namespace, rule.name);
      if (route === undefined) continue;
      if (!parts.tcp.includes(route)) parts.tcp.push(route);
      if (route.ports.length === 0) tcp = 'any';
      else if (tcp !== 'any') tcp = new Set([...(tcp === 'none' ? [] : tcp), ...route.ports]);
    } else {
      const route = ctx.index.udpRoute(target.namespace, rule.name);
      const action = track.unrepresentable('udp-not-supported', {
        at: { origin: rule.origin },
        data: {
          route: rule.name,
          ports: route === undefined || route.ports.length === 0 ? 'all' : route.ports.join(', '),
        },
        canWiden: false,
        narrowEffect: 'widens-access',
      });
      if (action === 'omit') state.failed = true;
    }
  }
  if (state.failed) return undefined;
  const from = [{ source: { principals: [...principals] } }];
  // HTTPRouteGroup rules whose every match was left out allow no HTTP at all.
  if (hasHttp && grants.length === 0 && tcp === 'none') return [];
  if (!hasHttp) {
    if (tcp === 'none') return [];
    if (tcp === 'any') return [{ from }];
    return [{ from, to: [operationYaml({ ports: [...tcp].sort((a, b) => a - b).map(String) })] }];
  }
  if (tcp === 'none') return httpRules(grants, undefined, from);

  // HTTP matches AND TCP ports: HTTP ports need a match, TCP ports take any connection.
  const dest = target.destination;
  const candidates =
    tcp === 'any' ? tcpContainerPorts(selection.workloads) : [...tcp].sort((a, b) => a - b);
  const httpPorts: number[] = [];
  const tcpPorts: number[] = [];
  let anyPortAsTcp = false;
  const classify = (port: number | 'any', protocol: PortProtocol): void => {
    if (protocol === 'http') {
      if (port !== 'any') httpPorts.push(port);
      return;
    }
    if (protocol === 'tcp' || protocol === 'tls') {
      if (port !== 'any') tcpPorts.push(port);
      return;
    }
    const action = track.unrepresentable('tcp-port-protocol-unknown', {
      at: { origin: target.origin, field: ['spec', 'rules'] },
      data: { port: String(port), namespace: dest.namespace, serviceAccount: dest.name },
    });
    if (action === 'omit') state.failed = true;
    else if (action === 'widen') {
      if (port === 'any') anyPortAsTcp = true;
      else tcpPorts.push(port);
    } else if (port !== 'any') httpPorts.push(port);
  };
  if (tcp === 'any' && candidates.length === 0) classify('any', 'auto');
  for (const port of candidates)
    classify(port, containerPortProtocol(port, selection.workloads, ctx.cluster));
  if (state.failed) return undefined;
  const rules: Record<string, unknown>[] = [];
  if (tcp === 'any') rules.push(...httpRules(grants, undefined, from));
  else if (httpPorts.length > 0) rules.push(...httpRules(grants, httpPorts.map(String), from));
  if (anyPortAsTcp) rules.push({ from });
  else if (tcpPorts.length > 0)
    rules.push({ from, to: [operationYaml({ ports: tcpPorts.map(String) })] });
  if (tcpPorts.length > 0 && grants.length > 0)
    track.report('http-matches-skip-tcp-port', {
      at: { origin: target.origin, field: ['spec', 'rules'] },
      data: { name: `${target.namespace}/${target.name}`, ports: tcpPorts.join(', ') },
    });
  return rules;
}

function principalsOf(
  target: TrafficTargetNode,
  ctx: IstioEmitContext,
  track: LossTracker,
): string[] | undefined {
  const out: string[] = [];
  for (const source of target.sources) {
    if (source.kind !== 'ServiceAccount') {
      const action = track.unrepresentable('identity-binding-unsupported', {
        at: { origin: source.origin },
        data: { name: `${source.namespace}/${source.name}` },
        canWiden: false,
      });
      if (action === 'omit') return undefined;
      continue;
    }
    const p = principalOf(ctx.options.trustDomain, source.namespace, source.name);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

function emitTarget(target: TrafficTargetNode, ctx: IstioEmitContext): KubeObject | undefined {
  const track = new LossTracker(ctx);
  const selection = selectDestination(target, ctx, track);
  const principals = principalsOf(target, ctx, track);
  if (selection === undefined || principals === undefined) return undefined;
  const parts: TargetParts = { groups: [], tcp: [] };
  const rules =
    principals.length === 0 ? [] : buildRules(target, selection, principals, ctx, track, parts);
  if (rules === undefined) return undefined;
  if (rules.length === 0) {
    track.report('no-usable-rules', {
      at: { origin: target.origin },
      data: { name: `${target.namespace}/${target.name}` },
    });
    return undefined;
  }
  const namespace = target.destination.namespace;
  const spec = {
    ...(selection.labels !== undefined && {
      selector: { matchLabels: safeRecord(Object.entries(selection.labels)) },
    }),
    action: 'ALLOW',
    rules,
  };
  const sources: ResourceRef[] = [
    target.origin.resource,
    ...parts.groups.map((g) => g.origin.resource),
    ...parts.tcp.map((r) => r.origin.resource),
  ];
  const fragment = track.isLossy
    ? undefined
    : encodeFragment(spec, {
        trafficTarget: target,
        httpRouteGroups: parts.groups,
        tcpRoutes: parts.tcp,
      });
  return {
    apiVersion: featuresOf(ctx.options).securityApiVersion,
    kind: 'AuthorizationPolicy',
    metadata: metadataFor(
      ctx.names.claim('AuthorizationPolicy', namespace, target.name),
      namespace,
      sources,
      fragment,
    ),
    spec,
  };
}

/** Namespaces default deny covers in `namespaces` mode: every one the input and context know. */
function knownNamespaces(model: MeshModel, ctx: IstioEmitContext): string[] {
  const names = new Set<string>();
  const c = ctx.cluster.context;
  for (const n of c.namespaces) names.add(n.name);
  for (const list of [c.serviceAccounts, c.services, c.workloads])
    for (const x of list) names.add(x.namespace);
  for (const t of model.trafficTargets) {
    names.add(t.destination.namespace);
    for (const s of t.sources) names.add(s.namespace);
  }
  names.delete(ctx.options.rootNamespace);
  return [...names].sort();
}

function defaultDeny(model: MeshModel, ctx: IstioEmitContext): KubeObject[] {
  const mode = ctx.options.defaultDeny;
  if (mode === 'off') {
    if (model.trafficTargets.length > 0) ctx.report('default-allow');
    return [];
  }
  const namespaces = mode === 'mesh' ? [ctx.options.rootNamespace] : knownNamespaces(model, ctx);
  ctx.report('default-deny', {
    data: {
      mode,
      scope:
        mode === 'mesh'
          ? `the mesh (root namespace ${ctx.options.rootNamespace})`
          : namespaces.length === 0
            ? 'no namespace (none is known)'
            : `namespaces ${namespaces.join(', ')}`,
    },
  });
  return namespaces.map((namespace) => ({
    apiVersion: featuresOf(ctx.options).securityApiVersion,
    kind: 'AuthorizationPolicy',
    metadata: metadataFor(
      ctx.names.claim('AuthorizationPolicy', namespace, 'default-deny'),
      namespace,
      [],
      undefined,
    ),
    spec: {},
  }));
}

/** Every AuthorizationPolicy of the model: one per TrafficTarget, then the default-deny ones. */
export function emitAuthorizationPolicies(model: MeshModel, ctx: IstioEmitContext): KubeObject[] {
  const out: KubeObject[] = [];
  for (const target of model.trafficTargets) {
    const policy = emitTarget(target, ctx);
    if (policy !== undefined) out.push(policy);
  }
  out.push(...defaultDeny(model, ctx));
  return out;
}
