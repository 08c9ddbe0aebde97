import { AdapterTester, type CaseCoreOptions } from '@meshlingo/conformance';
import {
  authorize,
  convert,
  indexContext,
  parseYamlStream,
  route,
  shares,
  smiAdapter,
  toManifests,
  type AccessRequest,
  type KubeObject,
  type RouteRequest,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import istio, { authorizeIstio, IstioOptionsSchema, routeIstio } from '../src/index.js';

/**
 * Istio to SMI, the less travelled paths: mesh-wide and account-splitting selectors, source,
 * operation and `when` fields in every `onUnrepresentable` mode, VirtualService match and
 * destination shapes. Besides the diagnostics (code, data, pointer), the SMI read back is checked
 * against the Istio evaluator on the same objects: equal when the translation is exact, never
 * more (`narrow`) or never less (`widen`) than Istio.
 */

// Two Deployments run as `api` (v1 and v2 pods); `zeta` and `other/lone` are ServiceAccounts
// without workloads.
const context = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: zeta, namespace: shop}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: lone, namespace: other}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: api, version: v1}}
  template:
    metadata: {labels: {app: api, version: v1}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 9090}, {containerPort: 7000}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api-v2, namespace: shop}
spec:
  selector: {matchLabels: {app: api, version: v2}}
  template:
    metadata: {labels: {app: api, version: v2}}
    spec:
      serviceAccountName: api
      containers: [{name: api, image: x, ports: [{containerPort: 8080}, {containerPort: 9090}, {containerPort: 7000}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {serviceAccountName: web, containers: [{name: web, image: x}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: other}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {serviceAccountName: client, containers: [{name: client, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: tcp-admin, port: 9090}, {name: metrics, port: 7000}]
`;

const policy = (spec: string, namespace = 'shop', name = 'p') => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: ${namespace}}
spec: ${spec}
`;

const selectApi = 'selector: {matchLabels: {app: api}}';
const fromWeb = 'from: [{source: {principals: [cluster.local/ns/shop/sa/web]}}]';
const ports = (...p: number[]) =>
  `to: [{operation: {ports: [${p.map((x) => `"${x}"`).join(', ')}]}}]`;

/** Istio workloads without an ALLOW policy are open; SMI denies them. */
const defaultAllow = (workloads: string) => ({
  code: 'istio/workloads-default-allow',
  data: { workloads },
  effect: 'narrows-access' as const,
});
const openToOthers = defaultAllow('Deployment other/client, Deployment shop/web');

const ALL_ACCOUNTS = 'other/client, other/lone, shop/api, shop/web, shop/zeta';

// --- semantic cross-check ----------------------------------------------------------------------

const objectsOf = (yaml: string): KubeObject[] =>
  toManifests(parseYamlStream({ path: 'input.yaml', text: yaml }).documents).manifests.map(
    (m) => m.object,
  );

const SOURCES = [
  ['shop', 'web'],
  ['shop', 'api'],
  ['shop', 'zeta'],
  ['other', 'client'],
  ['other', 'lone'],
] as const;

/** Requests to the v1 pods of `api`: TCP on the TCP port, HTTP on the HTTP port. */
const REQUESTS: AccessRequest[] = SOURCES.flatMap(([namespace, name]) => {
  const base = {
    source: { namespace, name },
    destination: { namespace: 'shop', name: 'api', podLabels: { app: 'api', version: 'v1' } },
  };
  const http = (method: string, path: string, headers?: Record<string, string>) => ({
    ...base,
    protocol: 'http' as const,
    port: 8080,
    http: { method, path, ...(headers !== undefined && { headers }) },
  });
  return [
    { ...base, protocol: 'tcp' as const, port: 9090 },
    http('GET', '/'),
    http('GET', '/x/1'),
    http('POST', '/b'),
    http('PURGE', '/b'),
    http('GET', '/', { 'x-beta': 'v1.2' }),
  ];
});

type Relation = 'same' | 'narrower' | 'wider';

/** Compares Istio's decisions on the input with SMI's on what was read; returns the allowed ones. */
function crossCheck(yaml: string, relation: Relation, core: CaseCoreOptions = {}): string[] {
  const result = convert(yaml, { from: [istio], to: [smiAdapter], context, ...core });
  const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
  const objects = objectsOf(yaml);
  const allowed: string[] = [];
  for (const request of REQUESTS) {
    const native = authorizeIstio(objects, request, env).allowed;
    const smi = authorize(result.model, request).allowed;
    const label = `${request.source.namespace}/${request.source.name} ${request.protocol} ${request.port} ${request.http?.method ?? ''} ${request.http?.path ?? ''}${request.http?.headers === undefined ? '' : ' +header'}`;
    if (relation === 'same') expect([label, smi]).toEqual([label, native]);
    if (relation === 'narrower' && smi) expect([label, native]).toEqual([label, true]);
    if (relation === 'wider' && native) expect([label, smi]).toEqual([label, true]);
    if (smi) allowed.push(label.trim());
  }
  return allowed;
}

// --- AuthorizationPolicy ----------------------------------------------------------------------

const meshWide = policy(`{rules: [{${fromWeb}, ${ports(9090)}}]}`, 'istio-system');
const splitsAccount = (source = '') =>
  policy(`{selector: {matchLabels: {version: v1}}, rules: [{${source}${ports(9090)}}]}`);
const ipThenPrincipal = policy(
  `{${selectApi}, rules: [{from: [{source: {ipBlocks: [10.0.0.0/8], notIpBlocks: [10.1.0.0/16]}}, {source: {principals: [cluster.local/ns/shop/sa/web]}}], ${ports(9090)}}]}`,
);
const jwtThenPrincipal = policy(
  `{${selectApi}, rules: [{from: [{source: {requestPrincipals: ['*']}}, {source: {principals: [cluster.local/ns/shop/sa/web]}}], ${ports(8080)}}]}`,
);
const serviceAccounts = policy(
  `{${selectApi}, rules: [{from: [{source: {serviceAccounts: [web, other/client]}}], ${ports(9090)}}]}`,
);
const hostsThenPort = policy(
  `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {hosts: [api], ports: ["9090"]}}, {operation: {ports: ["8080"]}}]}]}`,
);
const methods = (list: string) =>
  policy(`{${selectApi}, rules: [{${fromWeb}, to: [{operation: {methods: [${list}]}}]}]}`);
const paths = policy(
  `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {paths: ['/a/{**}/{*}', '/b', '/b']}}, {operation: {paths: ['/c/{**}/{*}']}}, {operation: {paths: ['*', '/x'], ports: ["8080"]}}]}]}`,
);
const portConditions = policy(
  `{${selectApi}, rules: [{${fromWeb}, ${ports(9090, 7000)}, when: [{key: destination.port, values: ["9090", "7000", "x"]}, {key: destination.port, values: ["9090", "8080"]}]}]}`,
);
const sourceConditions = policy(
  `{${selectApi}, rules: [{${ports(9090)}, when: [{key: source.namespace, values: ['sh*']}, {key: source.serviceAccount, values: [shop/web, shop/api]}, {key: source.principal, values: ['cluster.local/ns/shop/sa/w*']}]}]}`,
);

const tcpTarget = (
  name: string,
  sources: string,
  route = name,
) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata:
  name: ${route}
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: security.istio.io/v1/AuthorizationPolicy/shop/p
spec:
  matches:
    ports:
      - 9090
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata:
  name: ${name}
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: security.istio.io/v1/AuthorizationPolicy/shop/p
spec:
  destination:
    kind: ServiceAccount
    name: api
    namespace: shop
  rules:
    - kind: TCPRoute
      name: ${route}
  sources:
${sources}`;

const webSource = `    - kind: ServiceAccount
      name: web
      namespace: shop
`;

describe('ingest AuthorizationPolicy: destinations, sources, operations, conditions', () => {
  new AdapterTester({ describe, it }).run(smiAdapter, {
    valid: [
      {
        name: 'a policy in the root namespace without selector covers every known ServiceAccount',
        input: meshWide,
        context,
        from: [istio],
        diagnostics: [
          {
            code: 'istio/destination-expanded',
            pointer: '/spec',
            data: { scope: 'every workload of the mesh', accounts: ALL_ACCOUNTS },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'a namespace-wide policy counts ServiceAccount objects without workloads too',
        input: policy(`{rules: [{${fromWeb}, to: [{operation: {methods: [GET]}}]}]}`),
        context,
        from: [istio],
        diagnostics: [
          defaultAllow('Deployment other/client'),
          {
            code: 'istio/destination-expanded',
            data: {
              scope: 'every workload of namespace shop',
              accounts: 'shop/api, shop/web, shop/zeta',
            },
          },
        ],
      },
      {
        name: 'narrow: a selector that splits a ServiceAccount leaves the account out',
        input: splitsAccount(),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: '',
        diagnostics: [
          defaultAllow('Deployment other/client, Deployment shop/api-v2, Deployment shop/web'),
          {
            code: 'istio/selector-splits-account',
            severity: 'warning',
            pointer: '/spec/selector',
            data: { namespace: 'shop', serviceAccount: 'api', others: 'Deployment/api-v2' },
            effect: 'narrows-access',
          },
          {
            code: 'istio/source-expanded',
            pointer: '/spec/rules/0',
            data: { what: 'any source', accounts: ALL_ACCOUNTS },
          },
        ],
      },
      {
        name: 'widen: a selector that splits a ServiceAccount grants to the whole account',
        input: splitsAccount('from: [{source: {namespaces: [other]}}], '),
        context,
        from: [istio],
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          defaultAllow('Deployment other/client, Deployment shop/api-v2, Deployment shop/web'),
          {
            code: 'istio/selector-splits-account',
            severity: 'warning',
            pointer: '/spec/selector',
            effect: 'widens-access',
          },
          {
            code: 'istio/source-expanded',
            pointer: '/spec/rules/0/from/0/source/namespaces/0',
            data: { what: 'namespace other', accounts: 'other/client, other/lone' },
          },
        ],
      },
      {
        name: 'narrow: a source with IP blocks is left out, the other sources stay',
        input: ipThenPrincipal,
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: tcpTarget('p', webSource),
        diagnostics: [
          openToOthers,
          {
            code: 'istio/source-field-dropped',
            severity: 'warning',
            pointer: '/spec/rules/0/from/0/source/ipBlocks',
            data: { field: 'ipBlocks' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'widen: a JWT-only source becomes any source',
        input: jwtThenPrincipal,
        context,
        from: [istio],
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/source-expanded',
            pointer: '/spec/rules/0/from',
            data: { what: 'any source', accounts: ALL_ACCOUNTS },
          },
          {
            code: 'istio/source-field-dropped',
            pointer: '/spec/rules/0/from/0/source/requestPrincipals',
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'narrow: a principal pattern no known ServiceAccount matches is left out',
        input: policy(
          `{${selectApi}, rules: [{from: [{source: {principals: ['cluster.local/ns/nowhere/*', cluster.local/ns/shop/sa/web]}}], ${ports(9090)}}]}`,
        ),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: tcpTarget('p', webSource),
        diagnostics: [
          openToOthers,
          {
            code: 'istio/source-unresolved',
            pointer: '/spec/rules/0/from/0/source/principals/0',
            data: {
              what: 'principal cluster.local/ns/nowhere/*',
              reason: 'no known ServiceAccount matches',
            },
          },
        ],
      },
      {
        name: 'serviceAccounts name accounts of the policy namespace or namespace/name',
        input: serviceAccounts,
        context,
        from: [istio],
        output: tcpTarget(
          'p',
          `${webSource}    - kind: ServiceAccount
      name: client
      namespace: other
`,
        ),
        diagnostics: [openToOthers],
      },
      {
        name: 'narrow: an operation with hosts is left out; the rule stays HTTP-only',
        input: hostsThenPort,
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/operation-field-dropped',
            severity: 'warning',
            pointer: '/spec/rules/0/to/0/operation/hosts',
            data: { field: 'hosts' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'ports that are not numbers select nothing, so the rule is unusable',
        input: policy(`{${selectApi}, rules: [{${fromWeb}, to: [{operation: {ports: [http]}}]}]}`),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          openToOthers,
          { code: 'istio/rule-unusable', pointer: '/spec/rules/0', data: { rule: 0 } },
        ],
      },
      {
        name: 'methods: * is any method',
        input: policy(
          `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {methods: [GET, '*'], paths: ['/x*']}}]}]}`,
        ),
        context,
        from: [istio],
        diagnostics: [openToOthers],
      },
      {
        name: 'widen: a method SMI cannot name makes the operation any method',
        input: methods('GET, PURGE'),
        context,
        from: [istio],
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/method-not-representable',
            pointer: '/spec/rules/0/to/0/operation/methods/1',
            data: { method: 'PURGE' },
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'narrow: a method SMI cannot name is left out, the others stay',
        input: methods('GET, PURGE'),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/method-not-representable',
            data: { method: 'PURGE' },
            effect: 'narrows-access',
          },
        ],
      },
      {
        name: 'narrow: invalid templates are left out; * is any path; port sets make two targets',
        input: paths,
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/path-pattern-invalid',
            pointer: '/spec/rules/0/to/0/operation/paths/0',
            data: { path: '/a/{**}/{*}' },
          },
          {
            code: 'istio/path-pattern-invalid',
            pointer: '/spec/rules/0/to/1/operation/paths/0',
            data: { path: '/c/{**}/{*}' },
          },
        ],
      },
      {
        name: 'destination.port conditions intersect with the operation ports',
        input: portConditions,
        context,
        from: [istio],
        output: tcpTarget('p', webSource),
        diagnostics: [openToOthers],
      },
      {
        name: 'source keys in when conditions filter the sources',
        input: sourceConditions,
        context,
        from: [istio],
        output: tcpTarget('p', webSource),
        diagnostics: [
          openToOthers,
          { code: 'istio/source-expanded', data: { what: 'any source', accounts: ALL_ACCOUNTS } },
        ],
      },
      {
        name: 'a rule whose conditions exclude every source is unusable',
        input: policy(
          `{${selectApi}, rules: [{${fromWeb}, ${ports(9090)}, when: [{key: source.namespace, values: [other]}]}]}`,
        ),
        context,
        from: [istio],
        output: '',
        diagnostics: [openToOthers, { code: 'istio/rule-unusable', pointer: '/spec/rules/0' }],
      },
      {
        name: 'widen: a header rule on a port of unknown protocol keeps the port',
        input: policy(
          `{${selectApi}, rules: [{${fromWeb}, when: [{key: 'request.headers[X-Beta]', values: ['v1*']}, {key: destination.port, values: ["7000"]}]}]}`,
        ),
        context,
        from: [istio],
        core: { onUnrepresentable: 'widen' },
        diagnostics: [
          openToOthers,
          {
            code: 'istio/http-port-ambiguous',
            pointer: '/spec/rules/0',
            data: { port: 7000, protocol: 'unknown' },
            effect: 'widens-access',
          },
        ],
      },
      {
        name: 'narrow: a policy for a gateway (targetRef) is left out',
        input: policy(`{targetRef: {name: gw}, rules: [{}]}`),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: '',
        diagnostics: [
          defaultAllow(
            'Deployment other/client, Deployment shop/api-v1, Deployment shop/api-v2, Deployment shop/web',
          ),
          {
            code: 'istio/target-refs-unsupported',
            pointer: '/spec/targetRef',
            data: { targets: '?/gw' },
          },
        ],
      },
    ],
    invalid: [
      {
        name: 'a selector that picks only some pods of a ServiceAccount is an error by default',
        input: splitsAccount(),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          defaultAllow('Deployment other/client, Deployment shop/api-v2, Deployment shop/web'),
          {
            code: 'istio/selector-splits-account',
            severity: 'error',
            pointer: '/spec/selector',
            data: { serviceAccount: 'api', others: 'Deployment/api-v2' },
          },
        ],
      },
      {
        name: 'every restricting source field is reported before the policy is left out',
        input: ipThenPrincipal,
        context,
        from: [istio],
        output: '',
        diagnostics: [
          openToOthers,
          {
            code: 'istio/source-field-dropped',
            severity: 'error',
            pointer: '/spec/rules/0/from/0/source/ipBlocks',
          },
          {
            code: 'istio/source-field-dropped',
            severity: 'error',
            pointer: '/spec/rules/0/from/0/source/notIpBlocks',
            data: { field: 'notIpBlocks' },
          },
        ],
      },
      {
        name: 'every restricting operation field is reported before the policy is left out',
        input: policy(
          `{${selectApi}, rules: [{${fromWeb}, to: [{operation: {hosts: [api], notPorts: ["9090"]}}]}]}`,
        ),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          openToOthers,
          {
            code: 'istio/operation-field-dropped',
            severity: 'error',
            pointer: '/spec/rules/0/to/0/operation/hosts',
          },
          {
            code: 'istio/operation-field-dropped',
            severity: 'error',
            pointer: '/spec/rules/0/to/0/operation/notPorts',
            data: { field: 'notPorts' },
          },
        ],
      },
    ],
  });
});

describe('ingest AuthorizationPolicy: SMI read back decides like Istio', () => {
  it.each([
    ['mesh-wide policy', meshWide, 'same', {}],
    ['serviceAccounts', serviceAccounts, 'same', {}],
    ['destination.port conditions', portConditions, 'same', {}],
    ['source conditions', sourceConditions, 'same', {}],
    ['methods: *', methods("GET, '*'"), 'same', {}],
    [
      'invalid templates (Istio never matches them)',
      paths,
      'same',
      { onUnrepresentable: 'narrow' },
    ],
    ['IP blocks, narrowed', ipThenPrincipal, 'narrower', { onUnrepresentable: 'narrow' }],
    ['hosts, narrowed', hostsThenPort, 'narrower', { onUnrepresentable: 'narrow' }],
    ['PURGE, narrowed', methods('GET, PURGE'), 'narrower', { onUnrepresentable: 'narrow' }],
    ['PURGE, widened', methods('GET, PURGE'), 'wider', { onUnrepresentable: 'widen' }],
    ['JWT source, widened', jwtThenPrincipal, 'wider', { onUnrepresentable: 'widen' }],
  ] as const)('%s', (_, yaml, relation, core) => {
    const allowed = crossCheck(yaml, relation, core);
    // Something is allowed, so the comparison is not vacuous.
    expect(allowed.length).toBeGreaterThan(0);
  });

  it('grants exactly the expected requests', () => {
    expect(crossCheck(serviceAccounts, 'same')).toEqual([
      'shop/web tcp 9090',
      'other/client tcp 9090',
    ]);
    expect(crossCheck(methods('GET, PURGE'), 'narrower', { onUnrepresentable: 'narrow' })).toEqual([
      'shop/web http 8080 GET /',
      'shop/web http 8080 GET /x/1',
      'shop/web http 8080 GET / +header',
    ]);
    expect(crossCheck(paths, 'same', { onUnrepresentable: 'narrow' })).toEqual([
      'shop/web http 8080 GET /',
      'shop/web http 8080 GET /x/1',
      'shop/web http 8080 POST /b',
      'shop/web http 8080 PURGE /b',
      'shop/web http 8080 GET / +header',
    ]);
  });
});

// --- VirtualService ---------------------------------------------------------------------------

const virtualService = (spec: string, annotations = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: shop${annotations}}
spec:
  hosts: [api]
${spec}`;

const toRoot = '  - route: [{destination: {host: api}}]';
const matchedSplit = (match: string, route = '[{destination: {host: api-v2}}]') => `  http:
  - match: ${match}
    route: ${route}
${toRoot}`;

const caseInsensitive = virtualService(
  matchedSplit(
    "[{uri: {regex: '/items/[0-9]+'}, ignoreUriCase: true}, {uri: {prefix: /Admin}, ignoreUriCase: true}]",
  ),
);
const folded = virtualService(`  http:
  - match:
    - {name: read, uri: {prefix: /items}, method: {regex: 'GET|HEAD'}, headers: {x-user: {prefix: ad}, x-beta: {}}, statPrefix: items}
    - {name: write-POST, uri: {prefix: /items}, method: {exact: POST}, headers: {x-user: {prefix: ad}, x-beta: {}}}
    - {name: read, uri: {exact: /other}}
    route: [{destination: {host: api-v2}, weight: 1, headers: {request: {set: {x: y}}}}, {destination: {host: api-v1, port: {number: 80}}, weight: 1}]
${toRoot}`);
const oddMethods = virtualService(
  matchedSplit("[{method: {prefix: G}}, {method: {regex: 'GET|PURGE'}}, {uri: {prefix: /b}}]"),
);
const matchedWithTcp = virtualService(`${matchedSplit('[{uri: {prefix: /a}}]')}
  tcp: [{route: [{destination: {host: api}}]}, {route: [{destination: {host: api-v1}}]}]`);

const group = (matches: string) => `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata:
  name: vs
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: networking.istio.io/v1/VirtualService/shop/vs
spec:
  matches:
${matches}---
`;
const split = (backends: string, matched = true) => `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata:
  name: vs
  namespace: shop
  labels:
    app.kubernetes.io/managed-by: meshlingo
  annotations:
    meshlingo.io/source: networking.istio.io/v1/VirtualService/shop/vs
spec:
  service: api
${
  matched
    ? `  matches:
    - kind: HTTPRouteGroup
      name: vs
`
    : ''
}  backends:
${backends}`;
const toV2 = `    - service: api-v2
      weight: 100
`;

describe('ingest VirtualService: matches, destinations and route shapes', () => {
  new AdapterTester({ describe, it }).run(smiAdapter, {
    valid: [
      {
        name: 'ignoreUriCase makes exact and prefix matches case-insensitive, not regexes',
        input: caseInsensitive,
        context,
        from: [istio],
        output:
          group(`    - name: match0
      pathRegex: "(?:/items/[0-9]+)$"
    - name: match1
      pathRegex: "(?i)/Admin"
`) + split(toV2),
      },
      {
        name: 'blocks differing only in method fold; header prefix and presence; names stay unique',
        input: folded,
        context,
        from: [istio],
        output:
          group(`    - name: read
      pathRegex: /items
      methods:
        - GET
        - HEAD
        - POST
      headers:
        - x-user: ad.*
        - x-beta: ".*"
    - name: read-1
      pathRegex: "/other$"
`) +
          split(`    - service: api-v2
      weight: 1
    - service: api-v1
      weight: 1
`),
        diagnostics: [
          {
            code: 'istio/cosmetic-field-dropped',
            pointer: '/spec/http/0/match/0/statPrefix',
            data: { field: 'statPrefix' },
            effect: 'cosmetic',
          },
          {
            code: 'istio/http-field-dropped',
            pointer: '/spec/http/0/route/0/headers',
            data: { field: 'route headers' },
          },
          {
            code: 'istio/destination-port',
            pointer: '/spec/http/0/route/1/destination/port',
            data: { port: '80' },
          },
        ],
      },
      {
        name: 'narrow: match blocks with a method SMI cannot name are left out',
        input: oddMethods,
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output:
          group(`    - name: match2
      pathRegex: /b
`) + split(toV2),
        diagnostics: [
          {
            code: 'istio/method-not-representable',
            pointer: '/spec/http/0/match/0/method',
            data: { method: '{"prefix":"G"}' },
            effect: 'changes-routing',
          },
          {
            code: 'istio/method-not-representable',
            pointer: '/spec/http/0/match/1/method',
            data: { method: 'GET|PURGE' },
          },
        ],
      },
      {
        name: 'widen: a block with a method SMI cannot name matches any method',
        input: virtualService(matchedSplit('[{uri: {prefix: /a}, method: {prefix: G}}]')),
        context,
        from: [istio],
        core: { onUnrepresentable: 'widen' },
        output:
          group(`    - name: match0
      pathRegex: /a
`) + split(toV2),
        diagnostics: [{ code: 'istio/method-not-representable', severity: 'warning' }],
      },
      {
        name: 'narrow: when every match block is left out there is no split',
        input: virtualService(
          matchedSplit("[{queryParams: {v: {exact: '2'}}}, {sourceLabels: {app: web}}]"),
        ),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: '',
        diagnostics: [
          {
            code: 'istio/match-field-dropped',
            pointer: '/spec/http/0/match/0/queryParams',
            data: { field: 'queryParams' },
          },
          {
            code: 'istio/match-field-dropped',
            pointer: '/spec/http/0/match/1/sourceLabels',
            data: { field: 'sourceLabels' },
          },
        ],
      },
      {
        name: 'identical blocks stay two matches; entries that are not objects are skipped',
        input: virtualService(matchedSplit('[{uri: {prefix: /a}}, {uri: {prefix: /a}}, junk]')),
        context,
        from: [istio],
        output:
          group(`    - name: match0
      pathRegex: /a
    - name: match1
      pathRegex: /a
`) + split(toV2),
      },
      {
        name: 'narrow: TCP routes that all match on ports are no split',
        input: virtualService(
          '  tcp: [{match: [{port: 9090}], route: [{destination: {host: api-v1}}]}, {match: [{port: 7000}], route: [{destination: {host: api-v2}}]}]',
        ),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: '',
        diagnostics: [
          { code: 'istio/tcp-route-dropped', pointer: '/spec/tcp/0', data: { index: 0 } },
          { code: 'istio/tcp-route-dropped', pointer: '/spec/tcp/1', data: { index: 1 } },
        ],
      },
      {
        name: 'narrow: a default route that goes nowhere is not the root Service',
        input: virtualService(`  http:
  - match: [{uri: {prefix: /a}}]
    route: [{destination: {host: api-v2}}]
  - route: []`),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output:
          group(`    - name: match0
      pathRegex: /a
`) + split(toV2),
        diagnostics: [{ code: 'istio/route-shape', pointer: '/spec/http/1/route' }],
      },
      {
        name: 'narrow: destinations without a host are left out, a port without number reported',
        input: virtualService(
          '  http: [{route: [{destination: {}, weight: 1}, {weight: 1}, {destination: {host: api-v2, port: {name: http}}, weight: 2}]}]',
        ),
        context,
        from: [istio],
        core: { onUnrepresentable: 'narrow' },
        output: split(
          `    - service: api-v2
      weight: 2
`,
          false,
        ),
        diagnostics: [
          {
            code: 'istio/destination-not-service',
            pointer: '/spec/http/0/route/0/destination/host',
            data: { host: '' },
          },
          {
            code: 'istio/destination-not-service',
            pointer: '/spec/http/0/route/1/destination/host',
          },
          {
            code: 'istio/destination-port',
            pointer: '/spec/http/0/route/2/destination/port',
            data: { port: '?' },
          },
        ],
      },
      {
        name: 'an edited generated object is read from its spec',
        input: virtualService(
          matchedSplit('[{uri: {prefix: /a}}]'),
          ", annotations: {meshlingo.io/smi: 'not json'}",
        ),
        context,
        from: [istio],
        output:
          group(`    - name: match0
      pathRegex: /a
`) + split(toV2),
        diagnostics: [
          {
            code: 'istio/edited-since-generated',
            pointer: '/metadata/annotations',
            data: { kind: 'VirtualService', name: 'shop/vs' },
          },
        ],
      },
      {
        name: 'a group name taken by another object with other matches is renamed',
        input:
          policy(`{${selectApi}, rules: [{${fromWeb}, to: [{operation: {methods: [GET]}}]}]}`) +
          '---' +
          virtualService(matchedSplit('[{uri: {prefix: /a}}]')).replace('name: vs', 'name: p'),
        context,
        from: [istio],
        diagnostics: [
          openToOthers,
          {
            code: 'istio/route-group-renamed',
            data: { group: 'p', kind: 'VirtualService', renamed: 'p-2' },
            effect: 'cosmetic',
          },
        ],
      },
    ],
    invalid: [
      {
        name: 'a block with a method SMI cannot name is an error by default',
        input: virtualService(matchedSplit('[{uri: {prefix: /a}, method: {prefix: G}}]')),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          {
            code: 'istio/method-not-representable',
            severity: 'error',
            pointer: '/spec/http/0/match/0/method',
          },
        ],
      },
      {
        name: 'every destination with weight 0 is no split (istiod rejects it too)',
        input: virtualService(
          '  http: [{route: [{destination: {host: api-v1}, weight: 0}, {destination: {host: api-v2}}]}]',
        ),
        context,
        from: [istio],
        output: '',
        diagnostics: [
          {
            code: 'istio/route-shape',
            severity: 'error',
            pointer: '/spec/http',
            data: { what: 'every destination has weight 0' },
          },
        ],
      },
      {
        name: 'a TCP route of a matched split must go to the root Service',
        input: matchedWithTcp,
        context,
        from: [istio],
        output: '',
        diagnostics: [
          {
            code: 'istio/tcp-route-dropped',
            severity: 'error',
            pointer: '/spec/tcp/1',
            data: { index: 1 },
          },
        ],
      },
    ],
  });
});

describe('ingest VirtualService: SMI read back routes like Istio', () => {
  const requests: RouteRequest[] = [
    ['GET', '/items/7'],
    ['GET', '/ITEMS/7'],
    ['GET', '/admin/x'],
    ['GET', '/ADMIN'],
    ['GET', '/Admin'],
    ['HEAD', '/items'],
    ['POST', '/items/1'],
    ['DELETE', '/items/1'],
    ['GET', '/other'],
    ['GET', '/b'],
  ].flatMap(([method = 'GET', path = '/']) =>
    [undefined, { 'x-user': 'admin', 'x-beta': '' }].map((headers) => ({
      namespace: 'shop',
      service: 'api',
      port: 80,
      protocol: 'http' as const,
      http: { method, path, ...(headers !== undefined && { headers }) },
    })),
  );

  it.each([
    ['ignoreUriCase', caseInsensitive, {}],
    ['folded methods and headers', folded, {}],
    ['methods, narrowed (a dropped block routes to the root)', oddMethods, {}],
  ])('%s', (_, yaml) => {
    const result = convert(yaml, {
      from: [istio],
      to: [smiAdapter],
      context,
      onUnrepresentable: 'narrow',
    });
    const env = { options: IstioOptionsSchema.parse({}), cluster: indexContext(result.context) };
    const objects = objectsOf(yaml);
    const split: string[] = [];
    for (const request of requests) {
      const label = `${request.http?.method ?? ''} ${request.http?.path ?? ''} ${request.http?.headers === undefined ? '' : '+headers'}`;
      const native = Object.fromEntries(shares(routeIstio(objects, request, env)));
      const smi = Object.fromEntries(shares(route(result.model, request)));
      if (yaml === oddMethods) {
        // Narrowed: the SMI split only ever routes what Istio routes the same way.
        if (smi.api === undefined) expect([label, smi]).toEqual([label, native]);
      } else expect([label, smi]).toEqual([label, native]);
      if (smi.api === undefined) split.push(label.trim());
    }
    expect(split.length).toBeGreaterThan(0);
    if (yaml === caseInsensitive)
      expect(split).toEqual([
        'GET /items/7',
        'GET /items/7 +headers',
        'GET /admin/x',
        'GET /admin/x +headers',
        'GET /ADMIN',
        'GET /ADMIN +headers',
        'GET /Admin',
        'GET /Admin +headers',
        'POST /items/1',
        'POST /items/1 +headers',
        'DELETE /items/1',
        'DELETE /items/1 +headers',
      ]);
  });
});
