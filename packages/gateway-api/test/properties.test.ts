import {
  assertRoundTripProperty,
  assertSemanticProperty,
  checkDeclaredLosses,
  checkSemantics,
  emitWorld,
  fullFeatures,
  ingestObjects,
  propertySettings,
  routeRequestArbitrary,
  worldArbitrary,
  worldYaml,
} from '@meshlingo/conformance';
import { route, shares, type KubeObject } from '@meshlingo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter, MATCHES_ANNOTATION } from '../src/index.js';

function withoutMeshlingoAnnotations(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      annotations: Object.fromEntries(
        Object.entries(o.metadata?.annotations ?? {}).filter(
          ([k]) => !k.startsWith('meshlingo.io/'),
        ),
      ),
    },
  }));
}

describe('gateway-api properties', () => {
  it('round trip: emit then ingest restores the model exactly (full features)', () => {
    assertRoundTripProperty(gatewayApiAdapter);
  });

  it('round trip on the experimental channel', () => {
    assertRoundTripProperty(gatewayApiAdapter, {
      adapterOptions: { 'gateway-api': { channel: 'experimental' } },
    });
  });

  it('semantics: routes send every request where the SMI reference sends it', () => {
    assertSemanticProperty(gatewayApiAdapter);
  });

  it('semantics hold with every feature in use (losses are reported, access never widens)', () => {
    assertSemanticProperty(gatewayApiAdapter, { allFeatures: true, onUnrepresentable: 'narrow' });
  });

  it('semantics hold for Gateway API v1.5 (no TCPRoute in standard: reported)', () => {
    assertSemanticProperty(gatewayApiAdapter, {
      adapterOptions: { 'gateway-api': { version: 'v1.5' } },
    });
  });

  it('semantics on requests aimed at the roots of splits with matches', () => {
    const worlds = worldArbitrary({
      features: fullFeatures(gatewayApiAdapter.capabilities),
    }).filter((w) => w.model.trafficSplits.some((s) => s.matches !== undefined));
    fc.assert(
      fc.property(
        worlds.chain((world) =>
          fc.tuple(
            fc.constant(world),
            fc.array(
              routeRequestArbitrary(world).filter((r) =>
                world.model.trafficSplits.some(
                  (s) =>
                    s.matches !== undefined &&
                    s.namespace === r.namespace &&
                    s.service === r.service,
                ),
              ),
              { minLength: 5, maxLength: 20 },
            ),
          ),
        ),
        ([world, requests]) => {
          const problems = checkSemantics(gatewayApiAdapter, world, [], requests);
          if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${worldYaml(world)}`);
        },
      ),
      propertySettings(),
    );
  });

  it('routes without meshlingo annotations still read back to splits that route the same', () => {
    const worlds = worldArbitrary({ features: fullFeatures(gatewayApiAdapter.capabilities) });
    let compared = 0;
    fc.assert(
      fc.property(
        worlds.chain((world) =>
          fc.tuple(
            fc.constant(world),
            fc.array(routeRequestArbitrary(world), { minLength: 1, maxLength: 10 }),
          ),
        ),
        ([world, requests]) => {
          const emitted = emitWorld(gatewayApiAdapter, world);
          const stripped = withoutMeshlingoAnnotations(emitted.objects);
          expect(
            stripped.some((o) => o.metadata?.annotations?.[MATCHES_ANNOTATION] !== undefined),
          ).toBe(false);
          const back = ingestObjects(gatewayApiAdapter, stripped, world);
          const losses = back.diagnostics.filter(
            (d) => d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic'),
          );
          if (losses.length > 0)
            throw new Error(`${losses.map((d) => d.code).join(', ')}\n${worldYaml(world)}`);
          for (const request of requests) {
            const want = shares(route(emitted.model, request));
            const got = shares(route(back.model, request));
            for (const service of new Set([...want.keys(), ...got.keys()]))
              if (Math.abs((want.get(service) ?? 0) - (got.get(service) ?? 0)) > 1e-9)
                throw new Error(
                  `${service} differs for ${JSON.stringify(request)}\n${worldYaml(world)}`,
                );
            compared += 1;
          }
        },
      ),
      propertySettings(),
    );
    expect(compared).toBeGreaterThan(0);
  });

  it('features declared none report their code', () => {
    fc.assert(
      fc.property(worldArbitrary(), (world) => {
        const problems = checkDeclaredLosses(gatewayApiAdapter, world);
        if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${worldYaml(world)}`);
      }),
      propertySettings(),
    );
  });
});
