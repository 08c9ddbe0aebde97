import { readInputFiles, parseYamlStream, toManifests } from '@meshlingo/core';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrdDirectory, validateManifest, type CrdSet } from '../../src/crd/index.js';
import { findings, validateYaml } from './helpers.js';

// The real upstream CRDs live in `shared/`, beside the repository; a clone without it skips these tests.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const shared = join(repoRoot, '..', 'shared');
const missing = !existsSync(join(shared, 'crds'));
const title = missing
  ? `real upstream CRDs (skipped: ${join(shared, 'crds')} does not exist; CI provides it)`
  : 'real upstream CRDs';

/** Each mesh's CRD directories; App Mesh without its legacy v1beta1 file, which would replace v1beta2. */
const MESHES = {
  istio: ['istio'],
  'gateway-api standard': ['gateway-api/standard'],
  'gateway-api experimental': ['gateway-api/experimental'],
  consul: ['consul'],
  linkerd: ['linkerd'],
  appmesh: [
    'appmesh/appmesh.k8s.aws_meshes.yaml',
    'appmesh/appmesh.k8s.aws_virtualnodes.yaml',
    'appmesh/appmesh.k8s.aws_virtualservices.yaml',
    'appmesh/appmesh.k8s.aws_virtualrouters.yaml',
    'appmesh/appmesh.k8s.aws_virtualgateways.yaml',
    'appmesh/appmesh.k8s.aws_gatewayroutes.yaml',
  ],
  smi: [
    'smi/smi-sdk-go__main__split.yaml',
    'smi/smi-sdk-go__main__access.yaml',
    'smi/smi-sdk-go__main__httproutegroup.yaml',
  ],
} as const;
type Mesh = keyof typeof MESHES;

function errorsOf(
  text: string,
  crds: CrdSet,
): { code: string; pointer: string | undefined; message?: unknown; rule?: unknown }[] {
  return validateYaml(text, crds)
    .flatMap((r) => findings(r))
    .filter((f) => f.code !== 'crd/unknown-kind')
    .map((f) => ({
      code: f.code,
      pointer: f.pointer,
      ...(f.data?.message !== undefined && { message: f.data.message }),
    }));
}

describe.skipIf(missing)(title, () => {
  const sets = new Map<Mesh, CrdSet>();
  const crdsOf = (mesh: Mesh): CrdSet => {
    const crds = sets.get(mesh);
    if (crds === undefined) throw new Error(`${mesh} CRDs were not loaded`);
    return crds;
  };

  beforeAll(async () => {
    for (const [mesh, paths] of Object.entries(MESHES) as [Mesh, readonly string[]][]) {
      const { crds, diagnostics } = await loadCrdDirectory(
        paths.map((p) => join(shared, 'crds', p)),
      );
      const problems = diagnostics.filter((d) => d.severity === 'error');
      if (problems.length > 0)
        throw new Error(`${mesh}: ${problems.map((d) => d.message).join('; ')}`);
      sets.set(mesh, crds);
    }
  });

  it('loads every CRD and reports how many CEL rules it can evaluate', () => {
    const rows = [...sets].map(([mesh, crds]) => {
      const s = crds.celSupport();
      return {
        mesh,
        kinds: crds.versions.length,
        rules: s.total,
        supported: s.supported,
        unsupported: s.unsupported,
        distinct: `${s.distinct.supported}/${s.distinct.total}`,
      };
    });
    console.log(
      'CEL rules per mesh (counted per CRD version; distinct = supported/total distinct rule texts):',
    );
    console.table(rows);
    for (const [mesh, crds] of sets) {
      for (const u of crds.celSupport().unsupportedRules)
        console.log(`unsupported in ${mesh}: ${u.crd} ${u.version}: ${u.rule} (${u.reason})`);
    }
    expect(crdsOf('istio').celSupport()).toMatchObject({ unsupported: 0 });
    expect(crdsOf('istio').celSupport().total).toBeGreaterThan(300);
    expect(crdsOf('gateway-api standard').celSupport()).toMatchObject({ unsupported: 0 });
    // The one experimental rule out of reach: XMesh's `self == oldSelf` needs the old object.
    expect(
      crdsOf('gateway-api experimental')
        .celSupport()
        .unsupportedRules.map((u) => u.rule),
    ).toEqual(['self == oldSelf']);
  });

  describe('Istio', () => {
    const policy = (extra: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-get
  namespace: prod
spec:
  selector:
    matchLabels:
      app: web
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/prod/sa/client"]
${extra}    to:
    - operation:
        methods: ["GET"]
        paths: ["/api/*"]
`;

    it('accepts a valid AuthorizationPolicy', () => {
      expect(errorsOf(policy(''), crdsOf('istio'))).toEqual([]);
    });

    it('reports an unknown field as pruned', () => {
      const text = policy('').replace(
        'paths: ["/api/*"]',
        'paths: ["/api/*"]\n        pathz: ["/x"]',
      );
      expect(errorsOf(text, crdsOf('istio'))).toEqual([
        { code: 'crd/pruned', pointer: '/spec/rules/0/to/0/operation/pathz' },
      ]);
    });

    it('evaluates its CEL rules (serviceAccounts excludes principals)', () => {
      const text = policy('').replace(
        'principals: ["cluster.local/ns/prod/sa/client"]',
        'principals: ["a"]\n        serviceAccounts: ["b"]',
      );
      expect(errorsOf(text, crdsOf('istio'))).toEqual([
        {
          code: 'crd/cel-failed',
          pointer: '/spec/rules/0/from/0/source',
          message: 'Cannot set serviceAccounts with namespaces or principals',
        },
      ]);
    });

    it('checks VirtualService timeouts with duration()', () => {
      const vs = (timeout: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - timeout: ${timeout}
    route:
    - destination:
        host: reviews
        subset: v1
      weight: 100
`;
      expect(errorsOf(vs('5s'), crdsOf('istio'))).toEqual([]);
      expect(errorsOf(vs('500us'), crdsOf('istio'))).toEqual([
        {
          code: 'crd/cel-failed',
          pointer: '/spec/http/0/timeout',
          message: 'must be a valid duration greater than 1ms',
        },
      ]);
      expect(errorsOf(vs('soon'), crdsOf('istio')).map((e) => e.code)).toEqual(['crd/cel-error']);
    });
  });

  describe('Gateway API', () => {
    const route = (rule: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: reviews
  namespace: prod
spec:
  parentRefs:
  - group: ""
    kind: Service
    name: reviews
    port: 9080
  rules:
${rule}`;
    const rewrite = (matchType: string, port = '\n      port: 9080') => `  - matches:
    - path:
        type: ${matchType}
        value: /v1
    filters:
    - type: URLRewrite
      urlRewrite:
        path:
          type: ReplacePrefixMatch
          replacePrefixMatch: /
    backendRefs:
    - name: reviews-v1${port}
`;

    it('accepts a GAMMA HTTPRoute', () => {
      expect(errorsOf(route(rewrite('PathPrefix')), crdsOf('gateway-api standard'))).toEqual([]);
      expect(errorsOf(route(rewrite('PathPrefix')), crdsOf('gateway-api experimental'))).toEqual(
        [],
      );
    });

    it('reports a rule that breaks a CEL rule (ReplacePrefixMatch needs one PathPrefix match)', () => {
      const errors = errorsOf(route(rewrite('Exact')), crdsOf('gateway-api standard'));
      expect(errors.map((e) => [e.code, e.pointer])).toEqual([['crd/cel-failed', '/spec/rules/0']]);
      expect(errors[0]?.message).toContain('replacePrefixMatch');
    });

    it('applies defaults before the rules (a Service backend without port)', () => {
      expect(errorsOf(route(rewrite('PathPrefix', '')), crdsOf('gateway-api standard'))).toEqual([
        {
          code: 'crd/cel-failed',
          pointer: '/spec/rules/0/backendRefs/0',
          message: 'Must have port for Service reference',
        },
      ]);
    });
  });

  describe('Consul, Linkerd, App Mesh and SMI', () => {
    it('Consul ServiceIntentions: valid, and a misspelt field is pruned', () => {
      const intentions = (action: string) => `apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata:
  name: web
spec:
  destination:
    name: web
  sources:
  - name: frontend
    ${action}: allow
`;
      expect(errorsOf(intentions('action'), crdsOf('consul'))).toEqual([]);
      expect(errorsOf(intentions('actoin'), crdsOf('consul'))).toEqual([
        { code: 'crd/pruned', pointer: '/spec/sources/0/actoin' },
      ]);
    });

    it('Linkerd Server: valid, and oneOf of the two selectors is enforced', () => {
      const server = (selector: string) => `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata:
  name: web-http
  namespace: prod
spec:
${selector}  port: http
  proxyProtocol: HTTP/1
`;
      const pods = '  podSelector:\n    matchLabels:\n      app: web\n';
      expect(errorsOf(server(pods), crdsOf('linkerd'))).toEqual([]);
      expect(errorsOf(server(''), crdsOf('linkerd'))).toEqual([
        { code: 'crd/one-of', pointer: '/spec' },
      ]);
    });

    it('App Mesh v1beta2 keeps unknown top-level fields (its root preserves them), not unknown spec fields', () => {
      const node = (port: string, unknown = '') => `apiVersion: appmesh.k8s.aws/v1beta2
kind: VirtualNode
metadata:
  name: web
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: web
  listeners:
  - portMapping:
      port: ${port}
      protocol: http
  serviceDiscovery:
    dns:
      hostname: web.prod.svc.cluster.local
${unknown}topLevelExtra: kept
`;
      expect(errorsOf(node('8080'), crdsOf('appmesh'))).toEqual([]);
      // Preserving unknown fields at the root does not reach into declared properties such as spec.
      expect(errorsOf(node('8080', '  specExtra: pruned\n'), crdsOf('appmesh'))).toEqual([
        { code: 'crd/pruned', pointer: '/spec/specExtra' },
      ]);
      expect(errorsOf(node('"8080"'), crdsOf('appmesh'))).toEqual([
        { code: 'crd/type', pointer: '/spec/listeners/0/portMapping/port' },
      ]);
    });

    it('SMI TrafficSplit: only the newest version is served', () => {
      const split = (version: string) => `apiVersion: split.smi-spec.io/${version}
kind: TrafficSplit
metadata:
  name: reviews
spec:
  service: reviews
  backends:
  - service: reviews-v1
    weight: 90
  - service: reviews-v2
    weight: 10
`;
      expect(errorsOf(split('v1alpha4'), crdsOf('smi'))).toEqual([]);
      expect(errorsOf(split('v1alpha2'), crdsOf('smi')).map((e) => e.code)).toEqual([
        'crd/not-served',
      ]);
    });
  });

  it('validates the upstream Gateway API example manifests', async () => {
    const { files } = await readInputFiles([join(shared, 'corpus', 'gateway-api')]);
    const crds = crdsOf('gateway-api experimental');
    let checked = 0;
    let evaluated = 0;
    const problems: string[] = [];
    for (const file of files) {
      for (const manifest of toManifests(parseYamlStream(file).documents).manifests) {
        const result = validateManifest(manifest, crds);
        if (!result.known) continue;
        checked += 1;
        evaluated += result.cel.evaluated;
        for (const d of result.diagnostics) {
          if (d.severity === 'info') continue;
          problems.push(
            `${relative(shared, file.path)} ${manifest.object.kind} ${d.code} ${d.location?.pointer ?? ''}: ${d.message}`,
          );
        }
      }
    }
    console.log(
      `corpus/gateway-api: ${checked} Gateway API objects checked, ${evaluated} rule evaluations, ${problems.length} findings`,
    );
    for (const p of problems) console.log(`  ${p}`);
    expect(checked).toBeGreaterThan(20);
    // Upstream examples are meant to be valid; none are known to break a rule of these CRDs.
    expect(problems).toEqual([]);
  });
});
