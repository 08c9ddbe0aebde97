import fc from 'fast-check';
import { loadManifests, writeSmi, type KubeObject } from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldArbitrary } from '../src/arbitraries.js';
import { loadCrdDirectory, validateObject, type CrdSet } from '../src/crd/index.js';
import { propertySettings } from '../src/harness.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const crdDir = join(repo, '..', 'shared', 'crds', 'smi');
const reference = ['access', 'httproutegroup', 'tcproute', 'udproute', 'split'].map((n) =>
  join(crdDir, `smi-sdk-go__main__${n}.yaml`),
);
const HUB = [
  'access.smi-spec.io/v1alpha3',
  'specs.smi-spec.io/v1alpha4',
  'split.smi-spec.io/v1alpha4',
];

let crds: CrdSet;
beforeAll(async () => {
  if (existsSync(crdDir)) crds = (await loadCrdDirectory(reference)).crds;
});

function problems(object: KubeObject): string[] {
  const result = validateObject(object, crds);
  expect(
    result.known,
    `${object.apiVersion} ${object.kind} is not served by the reference CRDs`,
  ).toBe(true);
  return result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${object.kind} ${object.metadata?.name ?? ''}: ${d.code} ${d.message}`);
}

describe.skipIf(!existsSync(crdDir))(`SMI output against the reference CRDs (${crdDir})`, () => {
  it('every golden SMI output at the hub versions is accepted', () => {
    const fixtures = join(repo, 'fixtures');
    let checked = 0;
    for (const name of readdirSync(fixtures)) {
      const path = join(fixtures, name, 'expected', 'smi.yaml');
      if (!existsSync(path)) continue;
      const { manifests } = loadManifests(readFileSync(path, 'utf8'));
      for (const m of manifests.filter((x) => HUB.includes(x.object.apiVersion))) {
        expect(problems(m.object)).toEqual([]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('every object written for a random model is accepted', () => {
    fc.assert(
      fc.property(worldArbitrary(), (world) => {
        for (const object of writeSmi(world.model).objects) expect(problems(object)).toEqual([]);
      }),
      propertySettings(40),
    );
  });
});
