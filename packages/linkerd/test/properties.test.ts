import fc from 'fast-check';
import {
  assertRoundTripProperty,
  assertSemanticProperty,
  checkDeclaredLosses,
  checkRoundTrip,
  fullFeatures,
  propertySettings,
  worldArbitrary,
  worldYaml,
} from '@meshlingo/conformance';
import { describe, it } from 'vitest';
import linkerd from '../src/index.js';

// The cluster denies by default, as SMI does; without it every emit reports default-allow.
const denyByDefault = { linkerd: { defaultDeny: 'cluster' } };

describe('linkerd through the conformance harness', () => {
  it('round-trips random worlds within its full features', { timeout: 60_000 }, () => {
    assertRoundTripProperty(linkerd, { adapterOptions: denyByDefault });
  });

  it(
    'round-trips worlds whose TrafficTargets have only TCPRoute rules',
    { timeout: 60_000 },
    () => {
      // access.tcp.ports is partial (TCPRoute with HTTP rules may lose non-HTTP access), so the
      // kit leaves TCPRoutes out of the full-features worlds; TCP-only targets are exact.
      const features = new Set([
        ...fullFeatures(linkerd.capabilities),
        'access.tcp.ports' as const,
      ]);
      for (const id of [
        'access.http.path-exact',
        'access.http.path-prefix',
        'access.http.path-regex',
        'access.http.methods',
        'access.http.headers',
      ] as const)
        features.delete(id);
      fc.assert(
        fc.property(worldArbitrary({ features }), (world) => {
          const problems = checkRoundTrip(linkerd, world, { adapterOptions: denyByDefault });
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${worldYaml(world)}`);
        }),
        propertySettings(),
      );
    },
  );

  it('means what the SMI means, within its full features', { timeout: 60_000 }, () => {
    assertSemanticProperty(linkerd, { adapterOptions: denyByDefault });
  });

  it(
    'never allows more than the SMI without saying so, for every feature',
    { timeout: 60_000 },
    () => {
      assertSemanticProperty(linkerd, { adapterOptions: denyByDefault, allFeatures: true });
    },
  );

  it(
    'never allows more than the SMI without saying so, with the cluster default policy',
    { timeout: 60_000 },
    () => {
      assertSemanticProperty(linkerd, { allFeatures: true, onUnrepresentable: 'narrow' });
    },
  );

  it('reports the features it declares none', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(worldArbitrary(), (world) => {
        const problems = checkDeclaredLosses(linkerd, world, { onUnrepresentable: 'narrow' });
        if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${worldYaml(world)}`);
      }),
      propertySettings(),
    );
  });
});
