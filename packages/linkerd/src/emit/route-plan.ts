import { compareConds, condContains, condIntersection, condKey, type Cond } from '../conditions.js';
import type { Grant, RouteGrant, ServerPlan } from './access-plan.js';

/** Who a route authorizes: TrafficTarget grants, plus the probe networks for probe paths. */
export interface RouteAuthorization {
  readonly grants: readonly Grant[];
  readonly probes: boolean;
}

/** One HTTPRoute to write: its matches in order and the route-level authorization. */
export interface PlannedRoute {
  readonly conds: readonly Cond[];
  readonly authorization: RouteAuthorization;
  /** Every grant whose matches the route's matches come from (Server-level ones included). */
  readonly from: readonly Grant[];
}

/** A pair of overlapping matches that cannot be authorized exactly. */
export interface Overlap {
  readonly first: Cond;
  readonly second: Cond;
  /** The grants authorized on either match. */
  readonly grants: readonly Grant[];
}

/** The routes of one Server and what could not be planned exactly. */
export interface RoutePlan {
  /** Grants authorized on the Server itself (every route, and non-HTTP connections). */
  readonly serverLevel: readonly Grant[];
  /** In Linkerd's tie-break order: earlier routes win equal matches. */
  readonly routes: readonly PlannedRoute[];
  readonly overlaps: readonly Overlap[];
  /** Route-level grants with TCPRoute rules whose sources lose non-HTTP access. */
  readonly nonHttpDenied: readonly Grant[];
}

/** Most matches in one HTTPRoute rule (policy.linkerd.io CRD `maxItems`). */
export const MATCHES_PER_RULE = 8;
/** Most rules in one HTTPRoute (policy.linkerd.io CRD `maxItems`). */
export const RULES_PER_ROUTE = 16;
const MAX_CONDS = 256;

const everything: Cond = { headers: [] };

interface Entry {
  readonly cond: Cond;
  readonly grants: Grant[];
  readonly probes: boolean;
  readonly from: Grant[];
}

function sourceSet(entry: Entry): string {
  const keys = new Set(entry.grants.flatMap((g) => g.sourceKeys));
  if (entry.probes) keys.add('\u0000probes');
  return [...keys].sort().join(',');
}

/**
 * Plans the HTTPRoutes of one Server so that Linkerd's "one route per request" authorizes each
 * request exactly for the union of the grants whose matches it satisfies:
 *
 * - Server-level policies apply to every route and to non-HTTP connections, so grants for the
 *   whole port go there. A grant with TCPRoute and HTTP rules goes there too when the routes of
 *   the Server allow nothing beyond its own matches (Linkerd answers 404 off the routes).
 * - Every match gets the grants whose own matches contain it; the intersection of overlapping
 *   matches is added as a match of its own, so the request lands on a match carrying the union.
 * - Matches are ordered so a contained match comes first, which decides Linkerd's ties.
 */
export function planRoutes(plan: ServerPlan, probeConds: readonly Cond[]): RoutePlan {
  const routeLevel: RouteGrant[] = [...plan.routeLevel];
  if (routeLevel.length === 0)
    return { serverLevel: plan.portLevel, routes: [], overlaps: [], nonHttpDenied: [] };

  const serverLevel: Grant[] = [...plan.portLevel];
  const promoted = new Set<RouteGrant>();
  if (plan.portLevel.length === 0) {
    for (const candidate of routeLevel) {
      if (!candidate.tcp) continue;
      const coversAll = routeLevel.every((other) =>
        other.conds.every((c) => candidate.conds.some((own) => condContains(own, c))),
      );
      if (coversAll) promoted.add(candidate);
    }
  }
  for (const r of promoted) serverLevel.push(r.grant);
  const authorizedOnRoutes = routeLevel.filter((r) => !promoted.has(r));

  const owners: { cond: Cond; grant?: Grant; authorized: boolean }[] = [
    ...routeLevel.flatMap((r) =>
      r.conds.map((cond) => ({ cond, grant: r.grant, authorized: !promoted.has(r) })),
    ),
    ...probeConds.map((cond) => ({ cond, authorized: true })),
  ];
  const entryFor = (cond: Cond): Entry => {
    const grants: Grant[] = [];
    const from: Grant[] = [];
    let probes = false;
    for (const owner of owners) {
      if (!condContains(owner.cond, cond)) continue;
      if (owner.grant === undefined) probes = true;
      else if (!from.includes(owner.grant)) from.push(owner.grant);
      if (owner.authorized && owner.grant !== undefined && !grants.includes(owner.grant))
        grants.push(owner.grant);
    }
    return { cond, grants, probes, from };
  };

  const entries = new Map<string, Entry>();
  const add = (cond: Cond): boolean => {
    const key = condKey(cond);
    if (entries.has(key)) return false;
    entries.set(key, entryFor(cond));
    return true;
  };
  for (const owner of owners) add(owner.cond);
  // Ports also granted as a whole need every other request routed, or they would get 404.
  if (plan.portLevel.length > 0) add(everything);

  const overlaps: Overlap[] = [];
  const reported = new Set<string>();
  let changed = true;
  while (changed) {
    if (entries.size >= MAX_CONDS) {
      // Too many overlapping matches to close under intersection: report the rest as overlaps.
      const [first, second] = [...entries.values()];
      if (first !== undefined && second !== undefined)
        overlaps.push({
          first: first.cond,
          second: second.cond,
          grants: [...first.grants, ...second.grants],
        });
      break;
    }
    changed = false;
    const list = [...entries.values()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (a === undefined || b === undefined) continue;
        if (condContains(a.cond, b.cond) || condContains(b.cond, a.cond)) continue;
        if (sourceSet(a) === sourceSet(b)) continue;
        const meet = condIntersection(a.cond, b.cond);
        if (meet === 'empty') continue;
        if (meet === 'unknown') {
          const key = `${condKey(a.cond)}|${condKey(b.cond)}`;
          if (!reported.has(key)) {
            reported.add(key);
            overlaps.push({
              first: a.cond,
              second: b.cond,
              grants: [...new Set([...a.grants, ...b.grants])],
            });
          }
          continue;
        }
        if (add(meet)) changed = true;
      }
    }
  }

  const ordered = [...entries.values()].sort((a, b) => compareConds(a.cond, b.cond));
  const routes: { conds: Cond[]; authorization: RouteAuthorization; from: Grant[] }[] = [];
  const perRoute = MATCHES_PER_RULE * RULES_PER_ROUTE;
  for (const entry of ordered) {
    const last = routes.at(-1);
    const same =
      last !== undefined &&
      last.conds.length < perRoute &&
      last.authorization.probes === entry.probes &&
      last.authorization.grants.length === entry.grants.length &&
      last.authorization.grants.every((g) => entry.grants.includes(g));
    if (same) {
      last.conds.push(entry.cond);
      for (const g of entry.from) if (!last.from.includes(g)) last.from.push(g);
    } else {
      routes.push({
        conds: [entry.cond],
        authorization: { grants: entry.grants, probes: entry.probes },
        from: [...entry.from],
      });
    }
  }

  const serverKeys = new Set(serverLevel.flatMap((g) => g.sourceKeys));
  const nonHttpDenied = authorizedOnRoutes
    .filter((r) => r.tcp && r.grant.sourceKeys.some((k) => !serverKeys.has(k)))
    .map((r) => r.grant);
  return { serverLevel, routes, overlaps, nonHttpDenied };
}
