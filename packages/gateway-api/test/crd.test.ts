import {
  emitWorld,
  fullFeatures,
  loadCrdDirectory,
  propertySettings,
  runCase,
  validateObject,
  worldArbitrary,
  type CrdSet,
} from '@meshlingo/conformance';
import type { KubeObject } from '@meshlingo/core';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewayApiAdapter, type GatewayApiChannel } from '../src/index.js';
import { parseOptions } from './support.js';

const crdRoot = fileURLToPath(new URL('../../../../shared/crds/gateway-api', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const present = existsSync(crdRoot);

const crds = new Map<GatewayApiChannel, CrdSet>();
let celEvaluated = 0;

function problems(objects: readonly KubeObject[], channel: GatewayApiChannel): string[] {
  const set = crds.get(channel);
  if (set === undefined) throw new Error(`no CRDs loaded for ${channel}`);
  return objects.flatMap((object) => {
    const result = validateObject(object, set);
    celEvaluated += result.cel.evaluated;
    const name = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    return [
      ...(result.known ? [] : [`${name}: no ${channel} CRD defines it`]),
      ...result.diagnostics
        .filter((d) => d.severity !== 'info')
        // Targeting v1.5 writes TCPRoute v1alpha2, which the v1.6.1 CRDs here serve as deprecated.
        .filter(
          (d) => !(d.code === 'crd/deprecated-version' && object.apiVersion.endsWith('/v1alpha2')),
        )
        .map((d) => `${name}: ${d.code} ${d.location?.pointer ?? ''} ${d.message}`),
    ];
  });
}

describe.skipIf(!present)('emitted objects validate against the Gateway API v1.6.1 CRDs', () => {
  beforeAll(async () => {
    for (const channel of ['standard', 'experimental'] as const) {
      const loaded = await loadCrdDirectory([join(crdRoot, channel)]);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      crds.set(channel, loaded.crds);
    }
  });

  const cases = readdirSync(fixtures).filter((name) =>
    existsSync(join(fixtures, name, 'expected', 'gateway-api.yaml')),
  );
  it.each(cases)('golden case %s', (name) => {
    const dir = join(fixtures, name);
    const read = (file: string) =>
      existsSync(join(dir, file))
        ? { path: file, text: readFileSync(join(dir, file), 'utf8') }
        : undefined;
    const options = parseOptions(read('options.yaml')?.text);
    const context = read('context.yaml');
    const input = read('input.yaml');
    if (input === undefined) throw new Error(`${name} has no input`);
    const result = runCase(gatewayApiAdapter, {
      input: [input],
      ...(context !== undefined && { context: [context] }),
      options: options.adapters,
      core: options.core,
    });
    const own = options.adapters['gateway-api'] as { channel?: GatewayApiChannel } | undefined;
    expect(problems(result.objects, own?.channel ?? 'standard')).toEqual([]);
  });

  it.each([
    { channel: 'standard' as const, options: {} },
    { channel: 'experimental' as const, options: { channel: 'experimental' } },
    { channel: 'experimental' as const, options: { version: 'v1.5', channel: 'experimental' } },
  ])('random worlds, $channel channel $options', ({ channel, options }) => {
    const worlds = fc.sample(
      worldArbitrary({ features: fullFeatures(gatewayApiAdapter.capabilities) }),
      propertySettings(),
    );
    let objects = 0;
    for (const world of worlds) {
      const emitted = emitWorld(gatewayApiAdapter, world, {
        adapterOptions: { 'gateway-api': options },
      });
      objects += emitted.objects.length;
      expect(problems(emitted.objects, channel)).toEqual([]);
    }
    expect(objects).toBeGreaterThan(0);
  });

  it('the check can fail: the CEL rule for Service backend ports rejects a backendRef without one', () => {
    const broken: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'broken', namespace: 'shop' },
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }],
        rules: [{ backendRefs: [{ name: 'web-v1' }] }],
      },
    };
    expect(problems([broken], 'standard').join('\n')).toContain(
      'Must have port for Service reference',
    );
  });

  it('evaluated CEL rules along the way', () => {
    expect(celEvaluated).toBeGreaterThan(0);
  });
});
