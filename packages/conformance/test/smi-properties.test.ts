import fc from 'fast-check';
import {
  readSmi,
  SMI_VERSIONS,
  smiAdapter,
  toManifests,
  parseYamlStream,
  toYamlStream,
  writeSmi,
  type Diagnostic,
  type SmiVersions,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { worldArbitrary } from '../src/arbitraries.js';
import {
  assertRoundTripProperty,
  assertSemanticProperty,
  propertySettings,
  worldYaml,
} from '../src/harness.js';
import { normalizeModel } from '../src/normalize.js';

const versionsArbitrary: fc.Arbitrary<SmiVersions> = fc.record({
  access: fc.constantFrom(...SMI_VERSIONS.access),
  specs: fc.constantFrom(...SMI_VERSIONS.specs),
  split: fc.constantFrom(...SMI_VERSIONS.split),
});

function reread(yaml: string) {
  const parsed = parseYamlStream({ path: 'written.yaml', text: yaml });
  return readSmi(toManifests(parsed.documents).manifests);
}

const lossy = (d: Diagnostic): boolean =>
  d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic');

describe('SMI versions', () => {
  it('random hub models written at any versions and read back give the same hub model on lossless paths', () => {
    let lossless = 0;
    let lossyRuns = 0;
    fc.assert(
      fc.property(worldArbitrary(), versionsArbitrary, (world, versions) => {
        const hub = writeSmi(world.model);
        const original = reread(toYamlStream(hub.objects)).model;
        const written = writeSmi(original, { versions });
        if (written.diagnostics.some(lossy)) {
          // Lossy paths must say so; nothing else to compare.
          lossyRuns += 1;
          return;
        }
        lossless += 1;
        const back = reread(toYamlStream(written.objects));
        expect(back.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        // One TrafficTarget per port (fan-out) renames objects; the meaning must still be equal.
        const fannedOut = written.diagnostics.some((d) => d.code === 'smi/fan-out');
        const level = fannedOut ? 'semantic' : 'exact';
        const want = normalizeModel(original, level);
        const got = normalizeModel(back.model, level);
        if (JSON.stringify(want) !== JSON.stringify(got)) {
          throw new Error(
            `versions ${JSON.stringify(versions)} changed the model\n${worldYaml(world)}`,
          );
        }
      }),
      propertySettings(60),
    );
    expect(lossless).toBeGreaterThan(0);
    expect(lossyRuns).toBeGreaterThan(0);
  });

  it('a lossy down-conversion is reported with an effect, never silently', () => {
    fc.assert(
      fc.property(worldArbitrary(), versionsArbitrary, (world, versions) => {
        const written = writeSmi(world.model, { versions, onUnrepresentable: 'widen' });
        const back = reread(toYamlStream(written.objects));
        const same =
          JSON.stringify(normalizeModel(world.model, 'semantic')) ===
          JSON.stringify(normalizeModel(back.model, 'semantic'));
        if (!same)
          expect(
            written.diagnostics.some((d) => d.effect !== undefined && d.effect !== 'cosmetic'),
          ).toBe(true);
      }),
      propertySettings(60),
    );
  });
});

describe('the smi adapter through the conformance harness', () => {
  it('round-trips random worlds at the hub versions', () => {
    assertRoundTripProperty(smiAdapter);
  });

  it('means what the SMI means (its evaluator is the reference one)', () => {
    assertSemanticProperty(smiAdapter, { runs: 10 });
  });
});
