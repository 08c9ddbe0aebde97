import {
  indexModel,
  MANAGED_BY_LABEL,
  selectedMatches,
  SOURCE_ANNOTATION,
  type HttpMatchNode,
  type MeshModel,
} from '@meshlingo/core';

/** How strictly two models are compared. */
export type NormalLevel = 'exact' | 'semantic';

const byJson = (a: unknown, b: unknown): number => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function sorted<T>(list: readonly T[]): T[] {
  return [...list].sort(byJson);
}

function userMeta(
  record: Readonly<Record<string, string>> | undefined,
  drop: string,
): Record<string, string> | undefined {
  if (record === undefined) return undefined;
  const entries = Object.entries(record).filter(
    ([k]) => k !== drop && !k.startsWith('meshlingo.io/'),
  );
  return entries.length === 0
    ? undefined
    : Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function match(m: HttpMatchNode, withName: boolean): unknown {
  return {
    ...(withName && { name: m.name }),
    pathRegex: m.pathRegex ?? null,
    methods: m.methods === undefined || m.methods.includes('*') ? ['*'] : sorted(m.methods),
    headers: sorted((m.headers ?? []).map((h) => ({ name: h.name.toLowerCase(), value: h.value }))),
  };
}

/**
 * A comparable plain-data form of a model. Origins and meshlingo's own metadata are dropped,
 * lists whose order has no meaning (sources, rules, matches, headers, methods, backends, ports)
 * are sorted. `exact` keeps names and structure (what a round trip through annotations must
 * restore); `semantic` flattens each TrafficTarget to the matches and ports it allows and drops
 * the names of route objects, for meshes that cannot keep them.
 */
export function normalizeModel(
  model: MeshModel,
  level: NormalLevel = 'exact',
  keepUserMetadata = false,
): unknown {
  const meta = (node: {
    labels?: Readonly<Record<string, string>>;
    annotations?: Readonly<Record<string, string>>;
  }) =>
    keepUserMetadata
      ? {
          labels: userMeta(node.labels, MANAGED_BY_LABEL) ?? null,
          annotations: userMeta(node.annotations, SOURCE_ANNOTATION) ?? null,
        }
      : {};
  const subject = (s: { kind: string; name: string; namespace: string }) => ({
    kind: s.kind,
    name: s.name,
    namespace: s.namespace,
  });
  if (level === 'exact') {
    return {
      trafficTargets: sorted(
        model.trafficTargets.map((t) => ({
          name: t.name,
          namespace: t.namespace,
          ...meta(t),
          destination: subject(t.destination),
          sources: sorted(t.sources.map(subject)),
          rules: sorted(
            t.rules.map((r) => ({
              kind: r.kind,
              name: r.name,
              matches: r.matches === undefined ? null : sorted(r.matches),
            })),
          ),
        })),
      ),
      httpRouteGroups: sorted(
        model.httpRouteGroups.map((g) => ({
          name: g.name,
          namespace: g.namespace,
          ...meta(g),
          matches: sorted(g.matches.map((m) => match(m, true))),
        })),
      ),
      tcpRoutes: sorted(
        model.tcpRoutes.map((r) => ({
          name: r.name,
          namespace: r.namespace,
          ...meta(r),
          ports: sorted(r.ports),
        })),
      ),
      udpRoutes: sorted(
        model.udpRoutes.map((r) => ({
          name: r.name,
          namespace: r.namespace,
          ...meta(r),
          ports: sorted(r.ports),
        })),
      ),
      trafficSplits: sorted(
        model.trafficSplits.map((s) => ({
          name: s.name,
          namespace: s.namespace,
          ...meta(s),
          service: s.service,
          matches: s.matches === undefined ? null : sorted(s.matches.map((m) => m.name)),
          backends: sorted(s.backends.map((b) => ({ service: b.service, weight: b.weight }))),
        })),
      ),
    };
  }
  const index = indexModel(model);
  return {
    access: mergeFannedOut(
      model.trafficTargets.map((t) => {
        const http = t.rules.flatMap((r) => {
          if (r.kind !== 'HTTPRouteGroup') return [];
          const group = index.httpRouteGroup(t.namespace, r.name);
          return group === undefined ? [] : selectedMatches(group, r).map((m) => match(m, false));
        });
        const ports = (kind: 'TCPRoute' | 'UDPRoute'): 'any' | number[] | null => {
          const rules = t.rules.filter((r) => r.kind === kind);
          if (rules.length === 0) return null;
          const lists = rules.map(
            (r) =>
              (kind === 'TCPRoute' ? index.tcpRoute : index.udpRoute)(t.namespace, r.name)?.ports ??
              [],
          );
          return lists.some((l) => l.length === 0) ? 'any' : sorted([...new Set(lists.flat())]);
        };
        const grant: Grant = {
          destination: subject(t.destination),
          sources: sorted(t.sources.map(subject)),
          http: t.rules.some((r) => r.kind === 'HTTPRouteGroup') ? sorted(http) : null,
          tcp: ports('TCPRoute'),
          udp: ports('UDPRoute'),
        };
        return grant;
      }),
    ),
    splits: sorted(
      model.trafficSplits.map((s) => ({
        namespace: s.namespace,
        service: s.service,
        matches:
          s.matches === undefined
            ? null
            : sorted(
                s.matches.flatMap(
                  (m) =>
                    index
                      .httpRouteGroup(s.namespace, m.name)
                      ?.matches.map((x) => match(x, false)) ?? [],
                ),
              ),
        backends: sorted(reduceWeights(s.backends)),
      })),
    ),
  };
}

interface Grant {
  readonly destination: unknown;
  readonly sources: unknown;
  readonly http: unknown;
  readonly tcp: 'any' | number[] | null;
  readonly udp: unknown;
}

/**
 * Grants that differ only in their TCP ports are one grant with the union of the ports (what
 * writing one TrafficTarget per port, for access v1alpha1/v1alpha2, produces).
 */
function mergeFannedOut(grants: readonly Grant[]): Grant[] {
  const merged = new Map<string, Grant>();
  for (const g of grants) {
    const key = JSON.stringify({ ...g, tcp: g.tcp === null ? null : 'set' });
    const prev = merged.get(key);
    if (prev === undefined || prev.tcp === null || g.tcp === null) {
      merged.set(key, g);
      continue;
    }
    const tcp =
      prev.tcp === 'any' || g.tcp === 'any' ? 'any' : sorted([...new Set([...prev.tcp, ...g.tcp])]);
    merged.set(key, { ...g, tcp });
  }
  return sorted([...merged.values()]);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Backends with weights divided by their greatest common divisor (same shares, one spelling). */
function reduceWeights(
  backends: readonly { service: string; weight: number }[],
): { service: string; weight: number }[] {
  const g = backends.reduce((acc, b) => gcd(acc, b.weight), 0) || 1;
  return backends.map((b) => ({ service: b.service, weight: b.weight / g }));
}
