import {
  emitWorld,
  loadCrdDirectory,
  propertySettings,
  validateObject,
  worldArbitrary,
  type CrdSet,
} from '@meshlingo/conformance';
import { parseYamlStream, toManifests, type KubeObject } from '@meshlingo/core';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import consul from '../src/index.js';

const crdDir = fileURLToPath(new URL('../../../../shared/crds/consul', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const present = existsSync(crdDir);

let crds: CrdSet | undefined;
let validated = 0;

function problems(objects: readonly KubeObject[]): string[] {
  if (crds === undefined) throw new Error('the Consul CRDs are not loaded');
  const set = crds;
  return objects.flatMap((object) => {
    const result = validateObject(object, set);
    validated += 1;
    const name = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    return [
      ...(result.known ? [] : [`${name}: no CRD defines it`]),
      ...result.diagnostics
        .filter((d) => d.severity !== 'info')
        .map((d) => `${name}: ${d.code} ${d.location?.pointer ?? ''} ${d.message}`),
    ];
  });
}

function readObjects(path: string): KubeObject[] {
  const parsed = parseYamlStream({ path, text: readFileSync(path, 'utf8') });
  return toManifests(parsed.documents).manifests.map((m) => m.object);
}

describe.skipIf(!present)(
  `emitted objects validate against the consul-k8s CRDs (${crdDir}, skipped when absent)`,
  () => {
    beforeAll(async () => {
      const loaded = await loadCrdDirectory([crdDir]);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      crds = loaded.crds;
    });

    it('rejects what the API server rejects (the check can fail)', () => {
      const wrong: KubeObject = {
        apiVersion: 'consul.hashicorp.com/v1alpha1',
        kind: 'ServiceSplitter',
        metadata: { name: 'api', namespace: 'shop' },
        spec: { splits: [{ weight: 'half', service: 'api-v1', subset: 'v1' }] },
      };
      expect(problems([wrong]).length).toBeGreaterThanOrEqual(2);
    });

    const goldens = readdirSync(fixtures).filter((name) =>
      existsSync(join(fixtures, name, 'expected', 'consul.yaml')),
    );
    it.each(goldens)('golden output %s', (name) => {
      const objects = readObjects(join(fixtures, name, 'expected', 'consul.yaml'));
      expect(problems(objects)).toEqual([]);
    });

    const modes = [
      { name: 'one flat namespace, widening', options: {}, onUnrepresentable: 'widen' as const },
      {
        name: 'namespace mirroring, services, default deny',
        options: {
          consul: {
            namespaces: { mode: 'mirroring', prefix: 'k8s-' },
            backends: 'services',
            defaultDeny: true,
          },
        },
        onUnrepresentable: 'narrow' as const,
      },
    ];
    it.each(modes)('random worlds: $name', ({ options, onUnrepresentable }) => {
      fc.assert(
        fc.property(worldArbitrary(), (world) => {
          const emitted = emitWorld(consul, world, { adapterOptions: options, onUnrepresentable });
          expect(problems(emitted.objects)).toEqual([]);
        }),
        propertySettings(),
      );
      expect(validated).toBeGreaterThan(0);
    });
  },
);
