import {
  accessRequestArbitrary,
  assertRoundTripProperty,
  checkDeclaredLosses,
  checkSemantics,
  emitWorld,
  fullFeatures,
  ingestObjects,
  propertySettings,
  routeRequestArbitrary,
  worldArbitrary,
  worldYaml,
  type World,
} from '@meshlingo/conformance';
import { authorize, route, shares, type Diagnostic, type KubeObject } from '@meshlingo/core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import istio, { SMI_ANNOTATION } from '../src/index.js';

// SMI is an allow-list; Istio only matches it with default deny on (off, istio/default-allow
// reports the widening and every comparison would be excused).
const options = { adapterOptions: { istio: { defaultDeny: 'namespaces' } } };
// Istio 1.14: v1beta1 APIs, percentages, no path templates; one mesh-wide default deny.
const older = { adapterOptions: { istio: { defaultDeny: 'mesh', istioVersion: '1.14' } } };

const lossy = (d: Diagnostic): boolean =>
  d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic');

function fail(problems: readonly string[], world: World): void {
  if (problems.length > 0)
    throw new Error(`${problems.join('\n')}\n--- counterexample ---\n${worldYaml(world)}`);
}

/** Random worlds within the full features with requests; UDP is left out (see below). */
const worldsWithRequests = (features = fullFeatures(istio.capabilities)) =>
  worldArbitrary({ features }).chain((world) =>
    fc.tuple(
      fc.constant(world),
      // Istio does not proxy UDP, so no Istio configuration can deny it (the evaluator lets it
      // through, and the capability matrix says `none`); comparing UDP decisions says nothing.
      fc.array(
        accessRequestArbitrary(world).filter((r) => r.protocol !== 'udp'),
        { minLength: 1, maxLength: 20 },
      ),
      fc.array(routeRequestArbitrary(world), { minLength: 1, maxLength: 10 }),
    ),
  );

function stripSmiAnnotation(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    const annotations = { ...o.metadata?.annotations };
    delete annotations[SMI_ANNOTATION];
    return { ...o, metadata: { ...o.metadata, annotations } };
  });
}

describe('istio through the conformance harness', () => {
  it.each([
    ['Istio 1.22', options],
    ['Istio 1.14', older],
  ])('round-trips random worlds within its full features, names restored (%s)', (_, opts) => {
    assertRoundTripProperty(istio, opts);
  });

  it.each([
    ['Istio 1.22', options],
    ['Istio 1.14', older],
  ])(
    'means what the SMI means: Istio decisions and shares equal the SMI reference (%s)',
    (_, opts) => {
      fc.assert(
        fc.property(worldsWithRequests(), ([world, access, routes]) =>
          fail(checkSemantics(istio, world, access, routes, opts), world),
        ),
        propertySettings(),
      );
    },
  );

  it('never allows more than SMI unless it said widens-access, with every feature in play', () => {
    fc.assert(
      fc.property(
        worldsWithRequests(new Set(Object.keys(istio.capabilities) as never)),
        fc.constantFrom('error', 'narrow', 'widen' as const),
        ([world, access, routes], mode) =>
          fail(
            checkSemantics(istio, world, access, routes, { ...options, onUnrepresentable: mode }),
            world,
          ),
      ),
      propertySettings(),
    );
  });

  it('reports the declared code for every feature it cannot carry', () => {
    fc.assert(
      fc.property(worldArbitrary(), (world) =>
        fail(checkDeclaredLosses(istio, world, options), world),
      ),
      propertySettings(),
    );
  });

  it('reads its own output back from the specs alone (no meshlingo.io/smi) with the same meaning', () => {
    fc.assert(
      fc.property(worldsWithRequests(), ([world, access, routes]) => {
        const emitted = emitWorld(istio, world, options);
        const back = ingestObjects(istio, stripSmiAnnotation(emitted.objects), world, options);
        const problems = back.diagnostics
          .filter(lossy)
          .map((d) => `ingest: ${d.code} ${d.message}`);
        for (const request of access) {
          const want = authorize(emitted.model, request).allowed;
          const got = authorize(back.model, request).allowed;
          if (want !== got)
            problems.push(`SMI ${want}, read back ${got}: ${JSON.stringify(request)}`);
        }
        for (const request of routes) {
          const want = JSON.stringify([...shares(route(emitted.model, request))].sort());
          const got = JSON.stringify([...shares(route(back.model, request))].sort());
          if (want !== got)
            problems.push(`shares ${want} became ${got}: ${JSON.stringify(request)}`);
        }
        fail(problems, world);
      }),
      propertySettings(),
    );
  });
});
