import {
  deriveName,
  manifestOrigin,
  manifestRef,
  sourceMetadata,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type IngestContext,
  type Origin,
  type PortRouteNode,
  type RuleNode,
  type SubjectNode,
  type TrafficTargetNode,
} from '@meshlingo/core';
import {
  condContains,
  condIntersection,
  condKey,
  condsOfMatch,
  dominates,
  type Cond,
} from '../conditions.js';
import type { LinkerdMessages } from '../messages.js';
import {
  attachesToServer,
  byAge,
  uniqueRefs,
  type HttpRouteRecord,
  type ServerRecord,
} from '../native.js';
import type { LinkerdOptions } from '../options.js';
import type { Authorization } from './authorization.js';
import { unionSpace, type RouteSpace, type RuleSpace } from './http-route.js';
import type { ResolvedServer } from './server.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** What access ingest produces. */
export interface AccessModel {
  readonly trafficTargets: TrafficTargetNode[];
  readonly httpRouteGroups: HTTPRouteGroupNode[];
  readonly tcpRoutes: PortRouteNode[];
}

/** The inputs access ingest works on. */
export interface AccessInput {
  readonly servers: readonly ResolvedServer[];
  readonly routes: readonly HttpRouteRecord[];
  readonly authorizations: readonly Authorization[];
  readonly spaces: (route: HttpRouteRecord) => readonly RuleSpace[];
}

const NO_ROUTES = new Set(['opaque', 'TLS', 'gRPC']);
const EVERYTHING: Cond = { headers: [] };

/** A match of a route with its conditions, in Linkerd's tie-break order on its Server. */
interface Entry {
  readonly route: HttpRouteRecord;
  readonly match?: HttpMatchNode;
  readonly cond: Cond;
  readonly order: number;
}

function entriesOf(routes: readonly HttpRouteRecord[], spaces: AccessInput['spaces']): Entry[] {
  const out: Entry[] = [];
  for (const route of routes) {
    for (const rule of spaces(route)) {
      if (rule.space === 'all') out.push({ route, cond: EVERYTHING, order: out.length });
      else
        for (const match of rule.space)
          for (const cond of condsOfMatch(match))
            out.push({ route, match, cond, order: out.length });
    }
  }
  return out;
}

/** The matches among entries that no other entry contains (the union, written without repeats). */
function maximal(entries: readonly Entry[]): Entry[] {
  const unique = new Map<string, Entry>();
  for (const e of entries) if (!unique.has(condKey(e.cond))) unique.set(condKey(e.cond), e);
  const list = [...unique.values()];
  return list.filter((e) => !list.some((o) => o !== e && condContains(o.cond, e.cond)));
}

function keysOf(sources: readonly SubjectNode[]): string[] {
  return [...new Set(sources.map((s) => `${s.namespace}/${s.name}`))].sort();
}

/** What one set of sources may reach on one ServiceAccount. */
interface Reach {
  readonly sources: SubjectNode[];
  readonly serviceAccount: string;
  readonly namespace: string;
  readonly authorizations: Authorization[];
  readonly servers: ServerRecord[];
  /** Ports open as a whole (Server-level on Servers whose routes take every request). */
  readonly ports: Set<number>;
  /** Server-level on Servers with routes: non-HTTP connections plus the routed requests. */
  readonly routed: Map<string, { ports: Set<number>; entries: Entry[] }>;
  /** Route-level: per port, the matches whose routes authorize the sources. */
  readonly http: Map<number, Entry[]>;
}

/**
 * Linkerd authorizations as TrafficTargets, one per set of sources and destination
 * ServiceAccount. Server-level grants on Servers without routes (or whose routes take every
 * request) are TCPRoute rules; Server-level grants on Servers with routes admit non-HTTP
 * connections and the routed requests, which is exactly a TCPRoute plus an HTTPRouteGroup
 * rule; route-level grants admit only requests routed to their routes, which SMI can write only
 * when the same matches are authorized on every port of the ServiceAccount.
 */
export function ingestAccess(input: AccessInput, ctx: Ctx): AccessModel {
  const out: AccessModel = { trafficTargets: [], httpRouteGroups: [], tcpRoutes: [] };
  const resolved = new Map(input.servers.map((s) => [s.record, s]));
  const routesOf = new Map<ServerRecord, HttpRouteRecord[]>();
  for (const s of input.servers) {
    const attached = byAge(input.routes.filter((r) => attachesToServer(r, s.record)));
    if (attached.length > 0 && NO_ROUTES.has(s.record.proxyProtocol)) {
      for (const r of attached)
        ctx.report('route-ignored', {
          at: { manifest: r.manifest, field: ['spec', 'parentRefs'] },
          data: {
            route: `${r.namespace}/${r.name}`,
            reason: `Server ${s.record.name} has proxyProtocol ${s.record.proxyProtocol}`,
          },
        });
      routesOf.set(s.record, []);
    } else {
      routesOf.set(s.record, attached);
    }
  }
  const serverRoutes = (server: ServerRecord): HttpRouteRecord[] => routesOf.get(server) ?? [];
  const space = (route: HttpRouteRecord): RouteSpace =>
    unionSpace(input.spaces(route).map((s) => s.space));

  const reaches = new Map<string, Reach>();
  const reachOf = (a: Authorization, server: ServerRecord, sa: string): Reach => {
    const key = `${server.namespace}/${sa}\u0000${keysOf(a.sources).join(',')}`;
    let r = reaches.get(key);
    if (r === undefined) {
      r = {
        sources: [],
        serviceAccount: sa,
        namespace: server.namespace,
        authorizations: [],
        servers: [],
        ports: new Set(),
        routed: new Map(),
        http: new Map(),
      };
      reaches.set(key, r);
    }
    if (!r.authorizations.includes(a)) r.authorizations.push(a);
    if (!r.servers.includes(server)) r.servers.push(server);
    for (const s of a.sources)
      if (!r.sources.some((x) => x.name === s.name && x.namespace === s.namespace))
        r.sources.push(s);
    return r;
  };

  for (const a of input.authorizations) {
    if (a.sources.length === 0) continue;
    if (a.on.kind === 'servers') {
      for (const server of a.on.servers) {
        const routes = serverRoutes(server);
        for (const d of resolved.get(server)?.destinations ?? []) {
          const reach = reachOf(a, server, d.serviceAccount);
          if (routes.length === 0 || routes.some((r) => space(r) === 'all')) {
            for (const p of d.ports) reach.ports.add(p);
            continue;
          }
          const key = routes.map((r) => `${r.group}/${r.name}`).join(',');
          const shape = reach.routed.get(key) ?? {
            ports: new Set<number>(),
            entries: entriesOf(routes, input.spaces),
          };
          for (const p of d.ports) shape.ports.add(p);
          reach.routed.set(key, shape);
        }
      }
      continue;
    }
    const route = a.on.route;
    const servers = input.servers.filter((s) => serverRoutes(s.record).includes(route));
    if (servers.length === 0)
      ctx.report('dangling-reference', {
        at: { manifest: a.manifest, field: ['spec', 'targetRef'] },
        data: {
          kind: 'AuthorizationPolicy',
          name: `${a.namespace}/${a.name}`,
          target: `HTTPRoute ${route.name} (not attached to a Server)`,
        },
      });
    for (const s of servers) {
      const entries = entriesOf([route], input.spaces);
      for (const d of s.destinations) {
        const reach = reachOf(a, s.record, d.serviceAccount);
        for (const p of d.ports) reach.http.set(p, [...(reach.http.get(p) ?? []), ...entries]);
      }
    }
  }
  for (const s of input.servers) checkPrecedence(s.record, serverRoutes(s.record), input, ctx);

  // Route-level grants on a port where every one of their sources may use the whole port add
  // nothing (Server-level policies apply to every route), so they need no SMI rule.
  const whole = new Map<string, Set<string>>();
  for (const r of reaches.values())
    for (const p of r.ports) {
      const key = `${r.namespace}/${r.serviceAccount}/${p}`;
      whole.set(key, new Set([...(whole.get(key) ?? []), ...keysOf(r.sources)]));
    }
  // An authorization that reaches several ServiceAccounts names one TrafficTarget per account.
  const accounts = new Map<Authorization, Set<string>>();
  for (const r of reaches.values())
    for (const a of r.authorizations)
      accounts.set(a, (accounts.get(a) ?? new Set()).add(`${r.namespace}/${r.serviceAccount}`));
  for (const r of reaches.values()) {
    const first = r.authorizations[0];
    const base =
      first === undefined
        ? []
        : (accounts.get(first)?.size ?? 1) > 1
          ? [first.name, r.serviceAccount]
          : [first.name];
    const open = (port: number): boolean => {
      const keys = whole.get(`${r.namespace}/${r.serviceAccount}/${port}`);
      return keys !== undefined && keysOf(r.sources).every((k) => keys.has(k));
    };
    for (const p of [...r.http.keys()]) if (open(p)) r.http.delete(p);
    assemble(r, base, open, out, ctx);
  }
  return out;
}

/**
 * The TrafficTargets of one reach. `open` says whether its sources may use a port as a whole
 * anyway, which makes HTTP rules there redundant.
 */
function assemble(
  reach: Reach,
  base: readonly string[],
  open: (port: number) => boolean,
  out: AccessModel,
  ctx: Ctx,
): void {
  const ns = reach.namespace;
  const first = reach.authorizations[0];
  if (first === undefined) return;
  const origin: Origin = manifestOrigin(first.manifest);
  const refs = uniqueRefs([
    ...reach.authorizations.map((a) => manifestRef(a.manifest.object)),
    ...reach.servers.map((s) => manifestRef(s.manifest.object)),
  ]);
  const declared = new Set(
    ctx.cluster
      .workloadsOf(ns, reach.serviceAccount)
      .flatMap((w) =>
        w.containerPorts
          .filter((p) => p.protocol.toUpperCase() === 'TCP')
          .map((p) => p.containerPort),
      ),
  );
  const group = (name: string, entries: readonly Entry[]): HTTPRouteGroupNode => {
    const matches = maximal(entries).map((e, i): HttpMatchNode =>
      e.match === undefined
        ? { name: `m${i}`, origin: manifestOrigin(e.route.manifest, ['spec', 'rules']) }
        : { ...e.match, name: `m${i}` },
    );
    const node: HTTPRouteGroupNode = {
      name: ctx.names.claim('HTTPRouteGroup', ns, deriveName([name])),
      namespace: ns,
      ...sourceMetadata(uniqueRefs(entries.map((e) => manifestRef(e.route.manifest.object)))),
      matches,
      origin: manifestOrigin(entries[0]?.route.manifest ?? first.manifest),
    };
    out.httpRouteGroups.push(node);
    return node;
  };

  const targets: { suffix: string; tcp?: number[]; http?: readonly Entry[] }[] = [];
  if (reach.ports.size > 0) targets.push({ suffix: 'ports', tcp: [...reach.ports] });
  for (const shape of reach.routed.values())
    targets.push({ suffix: 'routes', tcp: [...shape.ports], http: shape.entries });
  const byMatches = new Map<string, { ports: number[]; entries: Entry[] }>();
  for (const [port, entries] of reach.http) {
    const key = maximal(entries)
      .map((e) => condKey(e.cond))
      .sort()
      .join('|');
    const slot = byMatches.get(key) ?? { ports: [], entries: [] };
    slot.ports.push(port);
    slot.entries.push(...entries);
    byMatches.set(key, slot);
  }
  for (const slot of byMatches.values()) {
    const ports = [...new Set(slot.ports)].sort((a, b) => a - b);
    if (declared.size > 0 && [...declared].every((p) => ports.includes(p) || open(p))) {
      targets.push({ suffix: 'http', http: slot.entries });
      continue;
    }
    const action = ctx.unrepresentable('route-authorization-ports', {
      at: { manifest: first.manifest, field: ['spec', 'targetRef'] },
      data: {
        name: `${first.namespace}/${first.name}`,
        ports: ports.join(', '),
        serviceAccount: `${ns}/${reach.serviceAccount}`,
      },
    });
    if (action === 'widen') targets.push({ suffix: 'routes', tcp: ports, http: slot.entries });
  }

  for (const t of targets) {
    const name = ctx.names.claim(
      'TrafficTarget',
      ns,
      deriveName([...base, ...(targets.length > 1 ? [t.suffix] : [])]),
    );
    const rules: RuleNode[] = [];
    if (t.tcp !== undefined) {
      const tcp: PortRouteNode = {
        name: ctx.names.claim('TCPRoute', ns, name),
        namespace: ns,
        ...sourceMetadata(refs),
        ports: [...t.tcp].sort((a, b) => a - b),
        origin,
      };
      out.tcpRoutes.push(tcp);
      rules.push({ kind: 'TCPRoute', name: tcp.name, origin });
    }
    if (t.http !== undefined)
      rules.push({ kind: 'HTTPRouteGroup', name: group(name, t.http).name, origin });
    out.trafficTargets.push({
      name,
      namespace: ns,
      ...sourceMetadata(refs),
      destination: {
        kind: 'ServiceAccount',
        name: reach.serviceAccount,
        namespace: ns,
        origin: manifestOrigin(reach.servers[0]?.manifest ?? first.manifest, [
          'spec',
          'podSelector',
        ]),
      },
      sources: reach.sources,
      rules,
      origin,
    });
  }
}

/**
 * A route-level authorization holds only for requests Linkerd routes to its route: the best
 * match on the Server, ties to the older route. When a match of another route that does not
 * admit the same clients may take some of its requests (and no match authorizing them is there
 * first for the overlap), the SMI rule, which admits every request of its matches, allows more.
 */
function checkPrecedence(
  server: ServerRecord,
  routes: readonly HttpRouteRecord[],
  input: AccessInput,
  ctx: Ctx,
): void {
  if (routes.length < 2) return;
  const keys = (list: readonly Authorization[]) => new Set(list.flatMap((a) => keysOf(a.sources)));
  const serverKeys = keys(
    input.authorizations.filter((a) => a.on.kind === 'servers' && a.on.servers.includes(server)),
  );
  const routeKeys = new Map(
    routes.map((r) => [
      r,
      keys(input.authorizations.filter((a) => a.on.kind === 'route' && a.on.route === r)),
    ]),
  );
  const entries = entriesOf(routes, input.spaces);
  const admits = (e: Entry, k: string): boolean =>
    serverKeys.has(k) || (routeKeys.get(e.route)?.has(k) ?? false);
  for (const a of input.authorizations) {
    if (a.on.kind !== 'route' || !routes.includes(a.on.route)) continue;
    const route = a.on.route;
    const mine = keysOf(a.sources);
    const hit = entries
      .filter((e) => e.route === route)
      .flatMap((m) =>
        entries.filter((t) => {
          if (t.route === route || mine.every((k) => admits(t, k))) return false;
          const meet = condIntersection(m.cond, t.cond);
          if (meet === 'empty') return false;
          if (dominates(m.cond, t.cond)) return false;
          if (condContains(t.cond, m.cond) && m.order < t.order) return false;
          // The overlap has a match of its own, earlier in order, that admits the clients.
          return !(
            meet !== 'unknown' &&
            entries.some(
              (c) =>
                condKey(c.cond) === condKey(meet) &&
                c.order < t.order &&
                mine.every((k) => admits(c, k)),
            )
          );
        }),
      )[0];
    if (hit !== undefined)
      ctx.report('route-precedence', {
        at: { manifest: a.manifest, field: ['spec', 'targetRef'] },
        data: { name: `${a.namespace}/${a.name}`, route: route.name, other: hit.route.name },
      });
  }
}
