import fc from 'fast-check';
import {
  FEATURE_IDS,
  toYamlStream,
  writeSmi,
  type AccessRequest,
  type BackendNode,
  type CapabilityMatrix,
  type ClusterContext,
  type FeatureId,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type HttpMethod,
  type KubeObject,
  type MeshModel,
  type Origin,
  type PortRouteNode,
  type RouteRequest,
  type RuleNode,
  type ServiceInfo,
  type TrafficSplitNode,
  type TrafficTargetNode,
  type WorkloadInfo,
} from '@meshlingo/core';

/** A generated cluster: SMI model, the context it needs, and the same context as Kubernetes objects. */
export interface World {
  readonly model: MeshModel;
  readonly context: ClusterContext;
  readonly contextObjects: readonly KubeObject[];
}

/** Limits for {@link worldArbitrary}. */
export interface WorldOptions {
  /** Only features in this set are generated (default: all). Use {@link fullFeatures} for an adapter. */
  readonly features?: ReadonlySet<FeatureId>;
  readonly maxTargets?: number;
  readonly maxSplits?: number;
}

/** The features an adapter declares `full`. */
export function fullFeatures(capabilities: CapabilityMatrix): Set<FeatureId> {
  return new Set(FEATURE_IDS.filter((id) => capabilities[id].level === 'full'));
}

/** A world as YAML: the SMI objects at the hub versions, then the context objects. */
export function worldToYaml(world: World): string {
  return toYamlStream([...writeSmi(world.model).objects, ...world.contextObjects]);
}

const NAMESPACES = ['shop', 'ops'] as const;
const ACCOUNTS = ['api', 'web', 'db'] as const;
const HTTP_PORT = 8080;
const TCP_PORT = 9090;
const UDP_PORT = 5353;
const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** Paths the generated patterns are about; requests use them so matches are hit and missed. */
export const PATH_POOL = [
  '/',
  '/api',
  '/api/v1',
  '/api/v1/items',
  '/api/v10',
  '/items/7',
  '/items/x',
  '/healthz',
  '/metrics',
  '/static/app.js',
] as const;
/** Header values requests draw from. */
export const HEADER_POOL = {
  'x-beta': ['true', 'false'],
  'user-agent': ['Mozilla/5.0 Firefox/120', 'curl/8.0'],
} as const;

const PATH_SHAPES: { readonly feature: FeatureId; readonly pattern: string }[] = [
  { feature: 'access.http.path-exact', pattern: '/healthz$' },
  { feature: 'access.http.path-exact', pattern: '/api/v1$' },
  { feature: 'access.http.path-prefix', pattern: '/api' },
  { feature: 'access.http.path-prefix', pattern: '/api/.*' },
  { feature: 'access.http.path-prefix', pattern: '/static/.*' },
  { feature: 'access.http.path-regex', pattern: '/items/[0-9]+$' },
  { feature: 'access.http.path-regex', pattern: '/api/v[0-9]+/items' },
];

const HEADER_SHAPES = [
  { name: 'x-beta', value: 'true' },
  { name: 'user-agent', value: '.*Firefox.*' },
] as const;

function origin(kind: string, apiVersion: string, namespace: string, name: string): Origin {
  return { resource: { apiVersion, kind, namespace, name } };
}

function allowed(options: WorldOptions, feature: FeatureId): boolean {
  return options.features === undefined || options.features.has(feature);
}

function contextFor(namespaces: readonly string[]): {
  context: ClusterContext;
  objects: KubeObject[];
} {
  const services: ServiceInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const objects: KubeObject[] = [];
  for (const ns of namespaces) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const sa of ACCOUNTS) {
      objects.push({
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace: ns },
      });
      for (const version of ['v1', 'v2'] as const) {
        const labels = { app: sa, version };
        const deployment: WorkloadInfo = {
          kind: 'Deployment',
          name: `${sa}-${version}`,
          namespace: ns,
          serviceAccount: sa,
          podLabels: labels,
          containerPorts: [
            { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
            { name: 'tcp', containerPort: TCP_PORT, protocol: 'TCP' },
            { name: 'udp', containerPort: UDP_PORT, protocol: 'UDP' },
          ],
          origin: origin('Deployment', 'apps/v1', ns, `${sa}-${version}`),
        };
        workloads.push(deployment);
        objects.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: deployment.name, namespace: ns },
          spec: {
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: sa,
                containers: [
                  {
                    name: sa,
                    image: `example.org/${sa}:${version}`,
                    ports: deployment.containerPorts.map((p) => ({
                      name: p.name,
                      containerPort: p.containerPort,
                      protocol: p.protocol,
                    })),
                  },
                ],
              },
            },
          },
        });
      }
      for (const [name, selector] of [
        [sa, { app: sa }],
        [`${sa}-v1`, { app: sa, version: 'v1' }],
        [`${sa}-v2`, { app: sa, version: 'v2' }],
      ] as const) {
        const ports = [
          {
            name: 'http',
            port: HTTP_PORT,
            targetPort: HTTP_PORT,
            protocol: 'TCP',
            appProtocol: 'http',
          },
          { name: 'tcp', port: TCP_PORT, targetPort: TCP_PORT, protocol: 'TCP' },
        ];
        services.push({
          name,
          namespace: ns,
          selector,
          ports,
          origin: origin('Service', 'v1', ns, name),
        });
        objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace: ns },
          spec: { selector, ports },
        });
      }
    }
  }
  const byKey = <T extends { namespace?: string; name: string }>(list: T[]): T[] =>
    list.sort((a, b) =>
      `${a.namespace ?? ''}/${a.name}` < `${b.namespace ?? ''}/${b.name}` ? -1 : 1,
    );
  return {
    context: {
      namespaces: namespaces.map((name) => ({
        name,
        labels: {},
        annotations: {},
        origin: origin('Namespace', 'v1', '', name),
      })),
      serviceAccounts: byKey(
        namespaces.flatMap((ns) =>
          ACCOUNTS.map((name) => ({
            name,
            namespace: ns,
            origin: origin('ServiceAccount', 'v1', ns, name),
          })),
        ),
      ),
      services: byKey(services),
      workloads: byKey(workloads),
    },
    objects,
  };
}

function matchArbitrary(
  options: WorldOptions,
  name: string,
  forSplit: boolean,
): fc.Arbitrary<HttpMatchNode | undefined> {
  const shapes = PATH_SHAPES.filter((s) => forSplit || allowed(options, s.feature));
  const headersOk = allowed(options, forSplit ? 'specs.http.headers' : 'access.http.headers');
  const methodsOk = forSplit || allowed(options, 'access.http.methods');
  return fc
    .record({
      path:
        shapes.length === 0
          ? fc.constant(undefined)
          : fc.option(fc.constantFrom(...shapes.map((s) => s.pattern)), { nil: undefined }),
      methods: methodsOk
        ? fc.option(fc.subarray([...METHODS], { minLength: 1, maxLength: 3 }), { nil: undefined })
        : fc.constant(undefined),
      headers: headersOk
        ? fc.subarray<{ name: string; value: string }>([...HEADER_SHAPES], { maxLength: 2 })
        : fc.constant<{ name: string; value: string }[]>([]),
    })
    .map(({ path, methods, headers }) => {
      if (path === undefined && methods === undefined && headers.length === 0) return undefined;
      return {
        name,
        ...(path !== undefined && { pathRegex: path }),
        ...(methods !== undefined && { methods }),
        ...(headers.length > 0 && {
          headers: headers.map((h) => ({ name: h.name, value: h.value })),
        }),
        origin: origin('HTTPRouteGroup', 'specs.smi-spec.io/v1alpha4', 'x', name),
      };
    });
}

function groupArbitrary(
  options: WorldOptions,
  namespace: string,
  name: string,
  forSplit: boolean,
): fc.Arbitrary<HTTPRouteGroupNode | undefined> {
  return fc
    .array(fc.nat(), { minLength: 1, maxLength: 3 })
    .chain((slots) => fc.tuple(...slots.map((_, i) => matchArbitrary(options, `m${i}`, forSplit))))
    .map((matches) => {
      const kept = matches.filter((m): m is HttpMatchNode => m !== undefined);
      if (kept.length === 0) return undefined;
      const o = origin('HTTPRouteGroup', 'specs.smi-spec.io/v1alpha4', namespace, name);
      return { name, namespace, matches: kept.map((m) => ({ ...m, origin: o })), origin: o };
    });
}

/**
 * Random valid hub models with the context they need: Namespaces `shop` and `ops`, the
 * ServiceAccounts `api`, `web`, `db` with `v1`/`v2` Deployments and Services (`api`, `api-v1`,
 * `api-v2`, ...; ports 8080 http, 9090 tcp), TrafficTargets with HTTP, TCP and UDP rules, and
 * TrafficSplits over the versioned Services. Only the features in `options.features` are used,
 * so an adapter is tested within what it declares `full`.
 */
export function worldArbitrary(options: WorldOptions = {}): fc.Arbitrary<World> {
  const maxTargets = options.maxTargets ?? 3;
  const maxSplits = options.maxSplits ?? 2;
  return fc.subarray([...NAMESPACES], { minLength: 1 }).chain((namespaces) => {
    const { context, objects } = contextFor(namespaces);
    const ns = fc.constantFrom(...namespaces);
    const sa = fc.constantFrom(...ACCOUNTS);
    const access = allowed(options, 'access.sources');
    const target = (
      i: number,
    ): fc.Arbitrary<
      | {
          target: TrafficTargetNode;
          groups: HTTPRouteGroupNode[];
          routes: { tcp: PortRouteNode[]; udp: PortRouteNode[] };
        }
      | undefined
    > =>
      fc
        .record({
          namespace: ns,
          destination: sa,
          sources: fc.uniqueArray(fc.record({ namespace: ns, name: sa }), {
            minLength: 1,
            maxLength: 3,
            selector: (s) => `${s.namespace}/${s.name}`,
          }),
          group: fc.option(fc.constant(0), { nil: undefined }),
          selectSome: fc.boolean(),
          tcpPorts: allowed(options, 'access.tcp.ports')
            ? fc.option(fc.subarray([HTTP_PORT, TCP_PORT]), { nil: undefined })
            : fc.constant(undefined),
          udp: allowed(options, 'access.udp.ports') ? fc.boolean() : fc.constant(false),
        })
        .chain((t) =>
          (t.group === undefined
            ? fc.constant(undefined)
            : groupArbitrary(options, t.namespace, `routes-${i}`, false)
          ).map((group) => {
            const tt = `tt-${i}`;
            const o = origin('TrafficTarget', 'access.smi-spec.io/v1alpha3', t.namespace, tt);
            const rules: RuleNode[] = [];
            if (group !== undefined) {
              const names =
                t.selectSome && group.matches.length > 1
                  ? [group.matches[0]?.name ?? 'm0']
                  : undefined;
              rules.push({
                kind: 'HTTPRouteGroup',
                name: group.name,
                ...(names !== undefined && { matches: names }),
                origin: o,
              });
            }
            const tcp: PortRouteNode[] = [];
            if (t.tcpPorts !== undefined) {
              tcp.push({
                name: `tcp-${i}`,
                namespace: t.namespace,
                ports: t.tcpPorts,
                origin: origin('TCPRoute', 'specs.smi-spec.io/v1alpha4', t.namespace, `tcp-${i}`),
              });
              rules.push({ kind: 'TCPRoute', name: `tcp-${i}`, origin: o });
            }
            const udp: PortRouteNode[] = [];
            if (t.udp) {
              udp.push({
                name: `udp-${i}`,
                namespace: t.namespace,
                ports: [UDP_PORT],
                origin: origin('UDPRoute', 'specs.smi-spec.io/v1alpha4', t.namespace, `udp-${i}`),
              });
              rules.push({ kind: 'UDPRoute', name: `udp-${i}`, origin: o });
            }
            if (rules.length === 0) return undefined;
            const target: TrafficTargetNode = {
              name: tt,
              namespace: t.namespace,
              destination: {
                kind: 'ServiceAccount',
                name: t.destination,
                namespace: t.namespace,
                origin: o,
              },
              sources: t.sources.map((s) => ({
                kind: 'ServiceAccount' as const,
                name: s.name,
                namespace: s.namespace,
                origin: o,
              })),
              rules,
              origin: o,
            };
            return { target, groups: group === undefined ? [] : [group], routes: { tcp, udp } };
          }),
        );
    const split = (
      root: { namespace: string; service: string },
      i: number,
    ): fc.Arbitrary<{ split: TrafficSplitNode; groups: HTTPRouteGroupNode[] }> =>
      fc
        .record({
          weights: fc
            .tuple(fc.nat({ max: 100 }), fc.nat({ max: 100 }))
            .filter(
              ([a, b]) => a + b > 0 && (allowed(options, 'split.zero-weight') || (a > 0 && b > 0)),
            ),
          withMatches: allowed(options, 'split.matches') ? fc.boolean() : fc.constant(false),
        })
        .chain((s) =>
          (s.withMatches
            ? groupArbitrary(options, root.namespace, `split-routes-${i}`, true)
            : fc.constant(undefined)
          ).map((group) => {
            const name = `split-${i}`;
            const o = origin('TrafficSplit', 'split.smi-spec.io/v1alpha4', root.namespace, name);
            const backends: BackendNode[] = [
              { service: `${root.service}-v1`, weight: s.weights[0], origin: o },
              { service: `${root.service}-v2`, weight: s.weights[1], origin: o },
            ];
            return {
              split: {
                name,
                namespace: root.namespace,
                service: root.service,
                backends,
                ...(group !== undefined && {
                  matches: [{ kind: 'HTTPRouteGroup' as const, name: group.name, origin: o }],
                }),
                origin: o,
              },
              groups: group === undefined ? [] : [group],
            };
          }),
        );
    const roots = fc.uniqueArray(fc.record({ namespace: ns, service: sa }), {
      maxLength: allowed(options, 'split.weights') ? maxSplits : 0,
      selector: (r) => `${r.namespace}/${r.service}`,
    });
    return fc
      .tuple(
        access
          ? fc
              .array(fc.nat(), { maxLength: maxTargets })
              .chain((slots) => fc.tuple(...slots.map((_, i) => target(i))))
          : fc.constant([]),
        roots.chain((rs) => fc.tuple(...rs.map((r, i) => split(r, i)))),
      )
      .map(([targets, splits]) => {
        const ts = targets.filter((t): t is NonNullable<typeof t> => t !== undefined);
        const model: MeshModel = {
          trafficTargets: ts.map((t) => t.target),
          httpRouteGroups: [...ts.flatMap((t) => t.groups), ...splits.flatMap((s) => s.groups)],
          tcpRoutes: ts.flatMap((t) => t.routes.tcp),
          udpRoutes: ts.flatMap((t) => t.routes.udp),
          trafficSplits: splits.map((s) => s.split),
          identityBindings: [],
        };
        const world: World = { model, context, contextObjects: objects };
        // Counterexamples print as the YAML a user could run, not as nested JSON.
        Object.defineProperty(world, fc.toStringMethod, { value: () => `\n${worldToYaml(world)}` });
        return world;
      });
  });
}

const httpRequest = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.constantFrom(...PATH_POOL),
  headers: fc.record(
    {
      'x-beta': fc.constantFrom(...HEADER_POOL['x-beta']),
      'user-agent': fc.constantFrom(...HEADER_POOL['user-agent']),
    },
    { requiredKeys: [] },
  ),
});

/**
 * Random access requests between the workloads of a world, on its ports and paths. `protocols`
 * limits them (a mesh that does not proxy UDP, for one, lets all UDP through by design).
 */
export function accessRequestArbitrary(
  world: World,
  protocols: readonly AccessRequest['protocol'][] = ['http', 'tcp', 'udp'],
): fc.Arbitrary<AccessRequest> {
  const workloads = world.context.workloads;
  return fc
    .record({
      source: fc.constantFrom(...workloads),
      destination: fc.constantFrom(...workloads),
      kind: fc.constantFrom(...protocols),
      http: httpRequest,
    })
    .map(({ source, destination, kind, http }) => {
      const port = kind === 'udp' ? UDP_PORT : kind === 'http' ? HTTP_PORT : TCP_PORT;
      return {
        source: { namespace: source.namespace, name: source.serviceAccount },
        destination: {
          namespace: destination.namespace,
          name: destination.serviceAccount,
          podLabels: destination.podLabels,
          service: destination.serviceAccount,
        },
        protocol: kind,
        port,
        ...(kind === 'http' && { http }),
      };
    });
}

/** Random HTTP requests to the Services of a world (split roots and others). */
export function routeRequestArbitrary(world: World): fc.Arbitrary<RouteRequest> {
  const roots = world.context.services.filter((s) => !/-v[12]$/.test(s.name));
  return fc
    .record({ service: fc.constantFrom(...roots), http: httpRequest })
    .map(({ service, http }) => ({
      namespace: service.namespace,
      service: service.name,
      port: HTTP_PORT,
      protocol: 'http' as const,
      http,
    }));
}
