import {
  assertRoundTripProperty,
  assertSemanticProperty,
  checkDeclaredLosses,
  checkSemantics,
  emitWorld,
  fullFeatures,
  ingestObjects,
  propertySettings,
  PATH_POOL,
  worldArbitrary,
  worldYaml,
  type World,
} from '@meshlingo/conformance';
import {
  authorize,
  route,
  shares,
  type AccessRequest,
  type HttpRequestInfo,
  type RouteRequest,
} from '@meshlingo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import consul from '../src/index.js';

const mirroring = { consul: { namespaces: { mode: 'mirroring', prefix: 'k8s-' } } };

const HEADERS = [{}, { 'x-beta': 'true', 'user-agent': 'Mozilla/5.0 Firefox/120' }];
const GRID_HTTP: HttpRequestInfo[] = PATH_POOL.flatMap((path) =>
  ['GET', 'POST'].flatMap((method) => HEADERS.map((headers) => ({ method, path, headers }))),
);

/**
 * Every pair of ServiceAccounts of a world, over TCP, UDP and a grid of HTTP requests (every path
 * the generators use, two methods, with and without the headers they test): random requests
 * rarely hit a generated rule, a grid always does.
 */
function requestGrid(world: World): { access: AccessRequest[]; routes: RouteRequest[] } {
  const bySa = new Map(
    world.context.workloads.map((w) => [`${w.namespace}/${w.serviceAccount}`, w]),
  );
  const access: AccessRequest[] = [];
  for (const source of bySa.values())
    for (const destination of bySa.values()) {
      const base = {
        source: { namespace: source.namespace, name: source.serviceAccount },
        destination: {
          namespace: destination.namespace,
          name: destination.serviceAccount,
          podLabels: destination.podLabels,
          service: destination.serviceAccount,
        },
      };
      access.push(
        { ...base, protocol: 'tcp', port: 9090 },
        { ...base, protocol: 'udp', port: 5353 },
      );
      for (const http of GRID_HTTP) access.push({ ...base, protocol: 'http', port: 8080, http });
    }
  const routes: RouteRequest[] = world.context.services
    .filter((s) => !/-v[12]$/.test(s.name))
    .flatMap((s) =>
      GRID_HTTP.map((http) => ({
        namespace: s.namespace,
        service: s.name,
        port: 8080,
        protocol: 'http' as const,
        http,
      })),
    );
  return { access, routes };
}

function assertGrid(options: Parameters<typeof checkSemantics>[4], features?: 'all'): void {
  fc.assert(
    fc.property(
      worldArbitrary(features === 'all' ? {} : { features: fullFeatures(consul.capabilities) }),
      (world) => {
        const { access, routes } = requestGrid(world);
        const problems = checkSemantics(consul, world, access, routes, options);
        if (problems.length > 0)
          throw new Error(`${problems.slice(0, 5).join('\n')}\n${worldYaml(world)}`);
      },
    ),
    propertySettings(),
  );
}

describe('consul through the conformance harness', () => {
  it('round-trips random worlds within its full features (Enterprise namespace mirroring)', () => {
    assertRoundTripProperty(consul, { adapterOptions: mirroring });
  });

  it('means what the SMI means with Enterprise namespace mirroring', () => {
    assertSemanticProperty(consul, { adapterOptions: mirroring });
  });

  it('means what the SMI means in one flat Consul namespace (collapses reported)', () => {
    assertSemanticProperty(consul);
  });

  it('never allows more than the SMI without saying so, over every feature and narrowing', () => {
    assertSemanticProperty(consul, { allFeatures: true, onUnrepresentable: 'narrow' });
  });

  it('decides every request of a grid like the SMI (mirroring, full features)', () => {
    assertGrid({ adapterOptions: mirroring });
  });

  it('decides every request of a grid like the SMI in one flat Consul namespace, or reports it', () => {
    assertGrid({});
  });

  it('decides every request of a grid like the SMI without ACLs (identities from Services)', () => {
    assertGrid({
      adapterOptions: { consul: { ...mirroring.consul, acls: false, defaultDeny: true } },
    });
  });

  it('never allows more than the SMI without saying so on a grid, over every feature', () => {
    assertGrid({ onUnrepresentable: 'widen' }, 'all');
  });

  it('reports the declared losses whenever a feature it cannot carry is used', () => {
    fc.assert(
      fc.property(worldArbitrary(), (world) => {
        expect(checkDeclaredLosses(consul, world, { onUnrepresentable: 'narrow' })).toEqual([]);
      }),
      propertySettings(),
    );
  });
});

describe('reading Consul back without the SMI annotation', () => {
  const options = {
    consul: { namespaces: { mode: 'mirroring', prefix: 'k8s-' }, embedSmi: false },
  };
  it('gives SMI that allows and routes like the original (SMI reference evaluator on both)', () => {
    let compared = 0;
    fc.assert(
      fc.property(worldArbitrary({ features: fullFeatures(consul.capabilities) }), (world) => {
        const { access, routes } = requestGrid(world);
        const emitted = emitWorld(consul, world, { adapterOptions: options });
        const back = ingestObjects(consul, emitted.objects, world, { adapterOptions: options });
        const lossy = back.diagnostics.filter(
          (d) => d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic'),
        );
        expect(lossy.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        for (const request of access) {
          compared += 1;
          expect(authorize(back.model, request).allowed, JSON.stringify(request)).toBe(
            authorize(emitted.model, request).allowed,
          );
        }
        for (const request of routes) {
          const want = shares(route(emitted.model, request));
          const got = shares(route(back.model, request));
          for (const service of new Set([...want.keys(), ...got.keys()]))
            expect(
              Math.abs((want.get(service) ?? 0) - (got.get(service) ?? 0)),
              `${service} ${JSON.stringify(request)}`,
            ).toBeLessThanOrEqual(consul.shareTolerance + 1e-9);
        }
      }),
      propertySettings(),
    );
    expect(compared).toBeGreaterThan(0);
  });
});
