import {
  emitWorld,
  loadCrdDirectory,
  propertySettings,
  validateManifest,
  validateObject,
  worldArbitrary,
  worldYaml,
  type CrdSet,
} from '@meshlingo/conformance';
import { parseYamlStream, toManifests, type Diagnostic } from '@meshlingo/core';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const crdDir = fileURLToPath(new URL('../../../../shared/crds/appmesh', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const present = existsSync(crdDir);

function problems(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity !== 'info')
    .map((d) => `${d.location?.pointer ?? ''} ${d.code} ${d.message}`);
}

// Every App Mesh object meshlingo writes must be accepted by the real v1beta2 CRDs (types, enums,
// limits, and no field the API server would prune). The legacy v1beta1 CRDs define the same kinds
// and would replace them, so only the v1beta2 files are loaded.
describe.skipIf(!present)(`App Mesh output against the CRDs in ${crdDir}`, () => {
  let crds: CrdSet;
  beforeAll(async () => {
    const files = readdirSync(crdDir)
      .filter((f) => f.startsWith('appmesh.k8s.aws_'))
      .map((f) => join(crdDir, f));
    const loaded = await loadCrdDirectory(files);
    expect(problems(loaded.diagnostics)).toEqual([]);
    crds = loaded.crds;
  });

  const goldens = readdirSync(fixtures)
    .filter((name) => existsSync(join(fixtures, name, 'expected', 'appmesh.yaml')))
    .sort();

  it('has golden outputs to check', () => {
    expect(goldens.length).toBeGreaterThan(10);
  });

  for (const name of goldens) {
    it(`validates fixtures/${name}/expected/appmesh.yaml`, () => {
      const path = join(fixtures, name, 'expected', 'appmesh.yaml');
      const parsed = parseYamlStream({ path, text: readFileSync(path, 'utf8') });
      const { manifests } = toManifests(parsed.documents);
      expect(manifests.length).toBeGreaterThan(0);
      for (const manifest of manifests) {
        const result = validateManifest(manifest, crds);
        expect(result.known).toBe(true);
        expect(problems(result.diagnostics)).toEqual([]);
      }
    });
  }

  it('validates what random worlds emit, in every onUnrepresentable mode', () => {
    fc.assert(
      fc.property(worldArbitrary(), fc.constantFrom('error', 'narrow', 'widen'), (world, mode) => {
        const { objects } = emitWorld(appMeshAdapter, world, { onUnrepresentable: mode });
        for (const object of objects) {
          const result = validateObject(object, crds);
          const found = problems(result.diagnostics);
          if (!result.known || found.length > 0)
            throw new Error(
              `${object.kind} ${object.metadata?.name}: ${found.join('; ')}\n${worldYaml(world)}`,
            );
        }
      }),
      propertySettings(),
    );
  }, 120_000);
});
