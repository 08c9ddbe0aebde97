import {
  accessRequestArbitrary,
  assertRoundTripProperty,
  assertSemanticProperty,
  checkDeclaredLosses,
  emitWorld,
  ingestObjects,
  propertySettings,
  worldArbitrary,
  worldYaml,
} from '@meshlingo/conformance';
import { authorize, type Diagnostic } from '@meshlingo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

// Property runs are seeded (MESHLINGO_SEED) and sized (MESHLINGO_PROPERTY_RUNS); a larger count
// needs more than vitest's default 5 s.
const TIMEOUT = 120_000;

const lossy = (d: Diagnostic): boolean =>
  d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic');

describe('appmesh through the conformance harness', () => {
  it(
    'round-trips random worlds within its full features (splits, weights, matches, TCP)',
    () => {
      assertRoundTripProperty(appMeshAdapter);
    },
    TIMEOUT,
  );

  it(
    'means what the SMI means within its full features',
    () => {
      assertSemanticProperty(appMeshAdapter);
    },
    TIMEOUT,
  );

  for (const mode of ['error', 'narrow', 'widen'] as const) {
    it(
      `never allows more than SMI without a widens-access diagnostic (every feature, ${mode})`,
      () => {
        assertSemanticProperty(appMeshAdapter, { allFeatures: true, onUnrepresentable: mode });
      },
      TIMEOUT,
    );
  }

  it(
    'reports the declared code whenever a feature it cannot carry is used',
    () => {
      // One TrafficTarget per world: with several, another one may allow all of a destination, and
      // the restriction of the first then no longer matters (and is rightly not reported).
      fc.assert(
        fc.property(worldArbitrary({ maxTargets: 1 }), (world) => {
          const problems = checkDeclaredLosses(appMeshAdapter, world);
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${worldYaml(world)}`);
        }),
        propertySettings(),
      );
    },
    TIMEOUT,
  );

  it(
    'reads the access it wrote back into TrafficTargets that allow the same requests',
    () => {
      let lossless = 0;
      const worlds = worldArbitrary({ features: new Set(['access.sources', 'access.tcp.ports']) });
      fc.assert(
        fc.property(
          worlds.chain((world) =>
            fc.tuple(
              fc.constant(world),
              fc.array(accessRequestArbitrary(world), { minLength: 1, maxLength: 20 }),
            ),
          ),
          ([world, requests]) => {
            const emitted = emitWorld(appMeshAdapter, world);
            if (emitted.diagnostics.some(lossy)) return;
            lossless += 1;
            const back = ingestObjects(appMeshAdapter, emitted.objects, world);
            expect(back.diagnostics.filter(lossy)).toEqual([]);
            for (const request of requests) {
              const want = authorize(emitted.model, request).allowed;
              const got = authorize(back.model, request).allowed;
              if (want !== got)
                throw new Error(
                  `SMI ${want}, read back ${got}: ${JSON.stringify(request)}\n${worldYaml(world)}`,
                );
            }
          },
        ),
        propertySettings(),
      );
      expect(lossless).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
