import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  convert,
  defineAdapter,
  defineMessages,
  FEATURE_IDS,
  manifestOrigin,
  readInput,
  type Adapter,
  type CapabilityMatrix,
  type EmitArea,
  type MessageCatalog,
} from '../src/index.js';

const messages = defineMessages({
  'no-regex': { severity: 'error', message: 'regex {pattern} not supported' },
  seen: { severity: 'info', message: 'saw {kind}' },
});

function fakeAdapter(
  name: string,
  support: { access: boolean; routing: boolean },
  seenAreas: EmitArea[][] = [],
): Adapter<{ flag: boolean }, typeof messages> {
  const capabilities = Object.fromEntries(
    FEATURE_IDS.map((id) => [
      id,
      {
        level:
          (id === 'access.sources' && !support.access) ||
          (id === 'split.weights' && !support.routing)
            ? 'none'
            : 'full',
      },
    ]),
  ) as CapabilityMatrix;
  return defineAdapter({
    name,
    packageName: `@test/${name}`,
    description: 'test adapter',
    meshVersions: '*',
    nativeKinds: [{ group: `${name}.example.org`, kind: 'Thing', versions: ['v1'] }],
    capabilities,
    messages,
    optionsSchema: z.strictObject({ flag: z.boolean().default(false) }),
    shareTolerance: 0,
    emit(model, ctx) {
      seenAreas.push([...ctx.areas].sort());
      const objects = [];
      if (ctx.areas.has('access')) {
        for (const t of model.trafficTargets) {
          objects.push({
            apiVersion: `${name}.example.org/v1`,
            kind: 'Thing',
            metadata: { name: t.name, namespace: t.namespace },
            spec: { flag: ctx.options.flag },
          });
        }
      }
      for (const g of model.httpRouteGroups) {
        for (const m of g.matches) {
          if (m.pathRegex?.includes('[') === true) {
            const action = ctx.unrepresentable('no-regex', {
              at: { origin: m.origin, field: ['pathRegex'] },
              data: { pattern: m.pathRegex },
            });
            expect(['omit', 'narrow', 'widen']).toContain(action);
          }
        }
      }
      return objects;
    },
    ingest(manifests, ctx) {
      for (const m of manifests)
        ctx.report('seen', { at: { manifest: m, field: ['spec'] }, data: { kind: m.object.kind } });
      const first = manifests[0];
      if (first === undefined) throw new Error('nothing claimed');
      if (first.object.metadata?.name === 'explode') throw new Error('boom');
      return {
        trafficTargets: [],
        httpRouteGroups: [],
        tcpRoutes: [
          { name: 'from-native', namespace: 'shop', ports: [1], origin: manifestOrigin(first) },
        ],
        udpRoutes: [],
        trafficSplits: [],
        identityBindings: [],
      };
    },
    claims: (o) => o.apiVersion.startsWith(`${name}.example.org/`),
    evaluator: {
      authorize: () => ({ allowed: false }),
      route: (_o, r) => ({ backends: [{ service: r.service, weight: 1 }] }),
    },
  });
}

const smi = `apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: shop}
spec:
  matches:
    - {name: m, pathRegex: "/items/[0-9]+"}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: HTTPRouteGroup, name: g}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

describe('convert', () => {
  it('gives each area to the first target that supports it when targets compose', () => {
    const routingAreas: EmitArea[][] = [];
    const accessAreas: EmitArea[][] = [];
    const routing = fakeAdapter('routing', { access: false, routing: true }, routingAreas);
    const access = fakeAdapter('access', { access: true, routing: true }, accessAreas);
    const result = convert(smi, { to: [routing, access], onUnrepresentable: 'narrow' });
    expect(routingAreas).toEqual([['routing']]);
    expect(accessAreas).toEqual([['access']]);
    expect(result.objects.map((o) => o.apiVersion)).toEqual(['access.example.org/v1']);
  });

  it('reports unrepresentable restrictions by mode, with the effect and the exact position', () => {
    const target = fakeAdapter('mesh', { access: true, routing: true });
    for (const [mode, severity, effect] of [
      ['error', 'error', 'narrows-access'],
      ['narrow', 'warning', 'narrows-access'],
      ['widen', 'warning', 'widens-access'],
    ] as const) {
      const { diagnostics } = convert(smi, { to: [target], onUnrepresentable: mode });
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        code: 'mesh/no-regex',
        severity,
        effect,
        data: { pattern: '/items/[0-9]+', onUnrepresentable: mode },
        location: { file: '<input>', line: 6, column: 17, pointer: '/spec/matches/0/pathRegex' },
      });
    }
  });

  it('validates adapter options and passes parsed options on', () => {
    const target = fakeAdapter('mesh', { access: true, routing: true });
    const bad = convert(smi, {
      to: [target],
      adapterOptions: { mesh: { flag: 'yes' } },
      onUnrepresentable: 'narrow',
    });
    expect(bad.diagnostics.map((d) => d.code)).toContain('core/invalid-options');
    expect(bad.objects).toEqual([]);
    const good = convert(smi, {
      to: [target],
      adapterOptions: { mesh: { flag: true } },
      onUnrepresentable: 'narrow',
    });
    expect(good.objects[0]).toMatchObject({ spec: { flag: true } });
  });

  it('lets from-adapters ingest the native objects they claim, located in the input', () => {
    const native = fakeAdapter('native', { access: true, routing: true });
    const text = `${smi}---\napiVersion: native.example.org/v1\nkind: Thing\nmetadata: {name: n, namespace: shop}\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`;
    const result = convert(text, { to: ['smi'], from: [native] });
    expect(result.model.tcpRoutes.map((r) => r.name)).toEqual(['from-native']);
    expect(result.diagnostics.find((d) => d.code === 'native/seen')).toMatchObject({
      location: { line: 19, column: 1, pointer: '/spec' },
      data: { kind: 'Thing' },
    });
    expect(result.passthrough.map((m) => m.object.kind)).toEqual(['ConfigMap']);
  });

  it('turns an adapter crash into a diagnostic instead of crashing', () => {
    const native = fakeAdapter('native', { access: true, routing: true });
    const result = readInput(
      'apiVersion: native.example.org/v1\nkind: Thing\nmetadata: {name: explode}\n',
      { from: [native] },
    );
    expect(result.diagnostics.map((d) => d.code)).toContain('core/adapter-error');
  });

  it('rejects adapter objects that do not meet the contract', () => {
    expect(() =>
      defineAdapter({ name: 'Bad Name' } as unknown as Adapter<unknown, MessageCatalog>),
    ).toThrow(/invalid adapter/);
  });

  it('writes SMI at chosen versions and sorts output by kind, namespace and name', () => {
    const result = convert(smi, {
      to: ['smi'],
      smiVersions: { access: 'v1alpha1', specs: 'v1alpha2' },
    });
    expect(result.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
      'specs.smi-spec.io/v1alpha2 HTTPRouteGroup',
      'access.smi-spec.io/v1alpha1 TrafficTarget',
    ]);
    expect(result.diagnostics).toEqual([]);
  });
});

describe('objects handed to the API', () => {
  it('get the same checks as parsed documents', () => {
    const result = readInput([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' } },
      { kind: 'NoVersion' },
      'not an object',
    ] as unknown as Parameters<typeof readInput>[0]);
    expect(result.diagnostics.map((d) => [d.code, d.location?.docIndex])).toEqual([
      ['core/missing-type', 1],
      ['core/not-an-object', 2],
    ]);
    expect(result.passthrough.map((m) => m.object.kind)).toEqual(['ConfigMap']);
  });
});
