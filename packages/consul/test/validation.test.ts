import { parseYamlStream, toManifests, type Manifest } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { parseConsulObject, type ParseIssue } from '../src/index.js';
import { fromConsul, withCode } from './support.js';

function manifest(yaml: string): Manifest {
  const [m] = toManifests(parseYamlStream({ path: 'v.yaml', text: yaml }).documents).manifests;
  if (m === undefined) throw new Error('no object');
  return m;
}

const entry = (kind: string, spec: string, name = 'api'): string =>
  `apiVersion: consul.hashicorp.com/v1alpha1
kind: ${kind}
metadata: {name: ${name}, namespace: shop}
spec:
${spec}
`;

function parse(yaml: string): {
  parsed: ReturnType<typeof parseConsulObject>;
  issues: ParseIssue[];
} {
  const issues: ParseIssue[] = [];
  return { parsed: parseConsulObject(manifest(yaml), 'default', issues), issues };
}

/** The paths of the errors the parser found; the object must be rejected. */
function rejected(yaml: string): string[] {
  const { parsed, issues } = parse(yaml);
  expect(parsed).toBeUndefined();
  return issues.filter((i) => i.severity === 'error').map((i) => i.path.join('.'));
}

/** The object must be accepted; returns its warnings' paths. */
function accepted(yaml: string): {
  parsed: NonNullable<ReturnType<typeof parseConsulObject>>;
  warnings: string[];
} {
  const { parsed, issues } = parse(yaml);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  if (parsed === undefined) throw new Error('rejected');
  return { parsed, warnings: issues.map((i) => i.path.join('.')) };
}

const source = (s: string): string =>
  entry('ServiceIntentions', `  destination: {name: api}\n  sources:\n${s}`);
const permission = (http: string): string =>
  source(`    - name: web\n      permissions: [{action: allow, http: ${http}}]`);

describe('ServiceIntentions rules of Consul and the consul-k8s webhook (research/consul.md 3.5)', () => {
  it('needs a destination name and at least one source', () => {
    expect(rejected(entry('ServiceIntentions', '  sources: [{name: web, action: allow}]'))).toEqual(
      ['spec.destination.name'],
    );
    expect(
      rejected(entry('ServiceIntentions', '  destination: {name: api}\n  sources: []')),
    ).toEqual(['spec.sources']);
  });

  it('needs a source name, once per source, and no wildcard partition, peer or sameness group', () => {
    expect(rejected(source('    - {action: allow}'))).toEqual(['spec.sources.0.name']);
    expect(
      rejected(source('    - {name: web, action: allow}\n    - {name: web, action: deny}')),
    ).toEqual(['spec.sources.1']);
    // The same name from another peer is another source.
    accepted(
      source('    - {name: web, action: allow}\n    - {name: web, peer: dc2, action: deny}'),
    );
    expect(rejected(source('    - {name: web, peer: "*", action: allow}'))).toEqual([
      'spec.sources.0.peer',
    ]);
    expect(rejected(source('    - {name: web, samenessGroup: "*", action: allow}'))).toEqual([
      'spec.sources.0.samenessGroup',
    ]);
  });

  it('needs action or permissions, never both, and no permissions on a "*" destination', () => {
    expect(rejected(source('    - {name: web}'))).toEqual(['spec.sources.0']);
    expect(
      rejected(
        source(
          '    - name: web\n      action: allow\n      permissions: [{action: allow, http: {pathPrefix: /}}]',
        ),
      ),
    ).toEqual(['spec.sources.0']);
    expect(
      rejected(
        entry(
          'ServiceIntentions',
          '  destination: {name: "*"}\n  sources:\n    - name: web\n      permissions: [{action: allow, http: {pathPrefix: /}}]',
        ),
      ),
    ).toEqual(['spec.sources.0.permissions']);
  });

  it('needs an action and HTTP conditions in every permission', () => {
    expect(
      rejected(source('    - name: web\n      permissions: [{http: {pathPrefix: /}}]')),
    ).toEqual(['spec.sources.0.permissions.0.action']);
    expect(rejected(source('    - name: web\n      permissions: [{action: deny}]'))).toEqual([
      'spec.sources.0.permissions.0.http',
    ]);
    expect(rejected(permission('{}'))).toEqual(['spec.sources.0.permissions.0.http']);
  });

  it('allows one path condition, starting with "/" unless it is a valid RE2 regex', () => {
    const at = 'spec.sources.0.permissions.0.http';
    expect(rejected(permission('{pathExact: /a, pathPrefix: /b}'))).toEqual([at]);
    expect(rejected(permission('{pathPrefix: api}'))).toEqual([`${at}.pathPrefix`]);
    expect(rejected(permission('{pathExact: api}'))).toEqual([`${at}.pathExact`]);
    expect(rejected(permission('{pathRegex: "/(?=admin)"}'))).toEqual([`${at}.pathRegex`]);
    accepted(permission('{pathRegex: "/api/.*"}'));
  });

  it('takes upper-case methods Consul knows, each once', () => {
    const at = 'spec.sources.0.permissions.0.http.methods';
    expect(rejected(permission('{methods: [get]}'))).toEqual([`${at}.0`]);
    expect(rejected(permission('{methods: [GET, POST, GET]}'))).toEqual([`${at}.2`]);
    expect(rejected(permission('{methods: [FETCH]}'))).toEqual([`${at}.0`]);
  });

  it('needs a named header with exactly one matcher; ignoreCase only with string matchers', () => {
    const at = 'spec.sources.0.permissions.0.http.header.0';
    expect(rejected(permission('{header: [{name: "", exact: a}]}'))).toEqual([`${at}.name`]);
    expect(rejected(permission('{header: [{name: x}]}'))).toEqual([at]);
    expect(rejected(permission('{header: [{name: x, exact: a, prefix: b}]}'))).toEqual([at]);
    expect(rejected(permission('{header: [{name: x, present: true, regex: a}]}'))).toEqual([at]);
    expect(rejected(permission('{header: [{name: x, regex: a, ignoreCase: true}]}'))).toEqual([
      `${at}.ignoreCase`,
    ]);
    expect(rejected(permission('{header: [{name: x, regex: "(a"}]}'))).toEqual([`${at}.regex`]);
    accepted(permission('{header: [{name: x, contains: a, ignoreCase: true}]}'));
    // `present: false` is no matcher at all.
    expect(rejected(permission('{header: [{name: x, present: false}]}'))).toEqual([at]);
  });

  it('limits descriptions to 512 characters', () => {
    expect(
      rejected(source(`    - {name: web, action: allow, description: "${'d'.repeat(513)}"}`)),
    ).toEqual(['spec.sources.0.description']);
    accepted(source(`    - {name: web, action: allow, description: "${'d'.repeat(512)}"}`));
  });

  it('checks field types like the structural schema', () => {
    // Consul's own rules are checked only on objects that fit the schema.
    expect(rejected(entry('ServiceIntentions', '  destination: [api]\n  sources: []'))).toEqual([
      'spec.destination',
    ]);
    expect(rejected(source('    - {name: 7, action: allow}'))).toEqual(['spec.sources.0.name']);
    expect(rejected(source('    - {name: web, action: permit}'))).toEqual([
      'spec.sources.0.action',
    ]);
    expect(
      rejected(entry('ServiceIntentions', '  destination: {name: api}\n  sources: web')),
    ).toEqual(['spec.sources']);
    expect(rejected(permission('{header: [{name: x, present: "yes"}]}'))).toEqual([
      'spec.sources.0.permissions.0.http.header.0.present',
    ]);
    expect(rejected(entry('ServiceIntentions', '  destination: null\n  sources: []'))).toContain(
      'spec.destination',
    );
  });
});

describe('ServiceSplitter rules', () => {
  const splitter = (splits: string): string =>
    entry('ServiceSplitter', `  splits: ${splits}`, 'web');

  it('needs at least one split, weights from 0 to 100 that add up to exactly 100', () => {
    expect(rejected(splitter('[]'))).toEqual(['spec.splits']);
    expect(rejected(splitter('[{weight: 150, service: a}, {weight: -50, service: b}]'))).toEqual([
      'spec.splits.0.weight',
      'spec.splits.1.weight',
    ]);
    expect(rejected(splitter('[{weight: 50, service: a}, {weight: 49.99, service: b}]'))).toEqual([
      'spec.splits',
    ]);
    // Consul rounds each weight to hundredths before adding them up.
    accepted(splitter('[{weight: 50.004, service: a}, {weight: 49.996, service: b}]'));
    expect(
      rejected(
        splitter(
          '[{weight: 33.334, service: a}, {weight: 33.333, service: b}, {weight: 33.333, service: c}]',
        ),
      ),
    ).toEqual(['spec.splits']);
    accepted(splitter('[{weight: 100, service: a}, {weight: 0, service: b}]'));
  });

  it('rejects a repeated target, and a weight that is not a number', () => {
    expect(
      rejected(splitter('[{weight: 50, service: a}, {weight: 50, service: a, serviceSubset: ""}]')),
    ).toEqual(['spec.splits.1']);
    accepted(splitter('[{weight: 50, service: a}, {weight: 50, service: a, serviceSubset: v2}]'));
    expect(rejected(splitter('[{weight: "100", service: a}]'))).toEqual(['spec.splits.0.weight']);
  });
});

describe('ServiceRouter rules', () => {
  const router = (route: string): string =>
    entry('ServiceRouter', `  routes:\n    - ${route}`, 'web');

  it('checks route conditions like intention conditions, but an empty match is allowed', () => {
    expect(rejected(router('{match: {http: {pathPrefix: a}}}'))).toEqual([
      'spec.routes.0.match.http.pathPrefix',
    ]);
    accepted(router('{match: {http: {}}, destination: {service: web-v2}}'));
    expect(rejected(router('{destination: {service: web-v2, numRetries: 1.5}}'))).toEqual([
      'spec.routes.0.destination.numRetries',
    ]);
  });

  it('knows no header contains or ignoreCase: the API server prunes them', () => {
    // Without `contains` the header has no matcher, which Consul rejects.
    const { parsed, issues } = parse(
      router(
        '{match: {http: {header: [{name: x-beta, contains: "yes"}]}}, destination: {service: b}}',
      ),
    );
    expect(parsed).toBeUndefined();
    expect(issues.map((i) => [i.severity, i.path.join('.')])).toEqual([
      ['warning', 'spec.routes.0.match.http.header.0.contains'],
      ['error', 'spec.routes.0.match.http.header.0'],
    ]);
    // `ignoreCase` is pruned: the route is kept and matches case-sensitively.
    const { parsed: kept, warnings } = accepted(
      router(
        '{match: {http: {header: [{name: x-env, exact: Prod, ignoreCase: true}]}}, destination: {service: b}}',
      ),
    );
    expect(warnings).toEqual(['spec.routes.0.match.http.header.0.ignoreCase']);
    expect(
      kept.kind === 'ServiceRouter' && kept.parsed.spec.routes[0]?.match?.http?.header,
    ).toEqual([{ name: 'x-env', exact: 'Prod' }]);
  });
});

describe('ServiceResolver, ProxyDefaults and Mesh rules', () => {
  it('needs valid subset names, an existing default subset, and no redirect with failover', () => {
    expect(
      rejected(
        entry('ServiceResolver', '  subsets: {V1: {filter: "Service.Meta.v == v1"}}', 'web'),
      ),
    ).toEqual(['spec.subsets.V1']);
    expect(
      rejected(
        entry(
          'ServiceResolver',
          '  defaultSubset: v2\n  subsets: {v1: {filter: "Service.Meta.v == v1"}}',
          'web',
        ),
      ),
    ).toEqual(['spec.defaultSubset']);
    expect(
      rejected(
        entry(
          'ServiceResolver',
          "  redirect: {service: api}\n  failover: {'*': {service: b}}",
          'web',
        ),
      ),
    ).toEqual(['spec.redirect']);
    accepted(entry('ServiceResolver', '  redirect: {service: api}\n  failover: {}', 'web'));
    expect(rejected(entry('ServiceResolver', '  subsets: {v1: filter}', 'web'))).toEqual([
      'spec.subsets.v1',
    ]);
  });

  it('takes only the names "global" and "mesh" for the singletons', () => {
    expect(rejected(entry('ProxyDefaults', '  config: {protocol: http}', 'proxy'))).toEqual([
      'metadata.name',
    ]);
    accepted(entry('ProxyDefaults', '  config: {protocol: http}', 'global'));
    expect(rejected(entry('Mesh', '  peering: {peerThroughMeshGateways: true}', 'main'))).toEqual([
      'metadata.name',
    ]);
  });

  it('needs a name and a map as spec; other kinds and versions are not Consul objects', () => {
    expect(
      rejected(
        'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata: {}\nspec: {protocol: http}\n',
      ),
    ).toEqual(['metadata.name']);
    expect(
      rejected(
        'apiVersion: consul.hashicorp.com/v1alpha1\nkind: ServiceDefaults\nmetadata: {name: a}\nspec: http\n',
      ),
    ).toEqual(['spec']);
    expect(
      parse(entry('ServiceDefaults', '  protocol: http').replace('v1alpha1', 'v2beta1')),
    ).toEqual({
      parsed: undefined,
      issues: [],
    });
    expect(parse(entry('ExportedServices', '  services: []', 'default'))).toEqual({
      parsed: undefined,
      issues: [],
    });
  });
});

describe('invalid objects read from Consul', () => {
  it('are reported where they break a rule and never read', () => {
    const result =
      fromConsul(`${entry('ServiceIntentions', '  destination: {name: api}\n  sources: [{name: web, action: allow, peer: "*"}]')}---
${entry('ServiceSplitter', '  splits: [{weight: 60, service: a}, {weight: 60, service: b}]', 'web')}`);
    expect(
      withCode(result, 'consul/invalid-object').map((d) => [d.location?.pointer, d.data?.field]),
    ).toEqual([
      ['/spec/sources/0/peer', 'spec.sources[0].peer'],
      ['/spec/splits', 'spec.splits'],
    ]);
    expect(result.objects).toEqual([]);
  });

  it('kinds SMI cannot describe are left out with what that does', () => {
    const result = fromConsul(`apiVersion: consul.hashicorp.com/v1alpha1
kind: ExportedServices
metadata: {name: default}
spec: {services: [{name: api, consumers: [{peer: dc2}]}]}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: IngressGateway
metadata: {name: gw}
spec: {listeners: []}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: JWTProvider
metadata: {name: okta}
spec: {issuer: okta}
`);
    expect(
      withCode(result, 'consul/unsupported-kind').map((d) => [d.data?.kind, d.effect]),
    ).toEqual([
      ['ExportedServices (consul.hashicorp.com/v1alpha1)', 'narrows-access'],
      ['IngressGateway (consul.hashicorp.com/v1alpha1)', 'changes-routing'],
      ['JWTProvider (consul.hashicorp.com/v1alpha1)', 'cosmetic'],
    ]);
  });
});
