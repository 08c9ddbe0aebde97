import { readInput, route, shares, type RouteRequest } from '@meshlingo/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import consul, { routeConsul, toUnits, webhookAccepts, webhookOrder } from '../src/index.js';
import { emitDirect, env, specOf, toConsul, withCode } from './support.js';

/** Every order of a list (small lists only). */
function orders(n: number): number[][] {
  if (n === 0) return [[]];
  return orders(n - 1).flatMap((rest) =>
    Array.from({ length: n }, (_, i) => [...rest.slice(0, i), n - 1, ...rest.slice(i)]),
  );
}

const pick = (units: readonly number[], order: readonly number[]): number[] =>
  order.map((i) => units[i] ?? 0);

const ascending = (units: readonly number[]): number[] => [...units].sort((a, b) => a - b);

const split = (
  weights: readonly number[],
  name = 's',
): string => `apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: ${name}, namespace: default}
spec:
  service: web
  backends: [${weights.map((w, i) => `{service: b${i}, weight: ${w}}`).join(', ')}]
`;

const request: RouteRequest = {
  namespace: 'default',
  service: 'web',
  protocol: 'http',
  http: { path: '/', method: 'GET', headers: {} },
};

/** The largest difference between the SMI shares and the shares Consul routes with. */
function shareError(result: ReturnType<typeof toConsul>): number {
  const want = shares(route(result.model, request));
  const got = shares(routeConsul(result.objects, request, env()));
  let worst = 0;
  for (const service of new Set([...want.keys(), ...got.keys()]))
    worst = Math.max(worst, Math.abs((want.get(service) ?? 0) - (got.get(service) ?? 0)));
  return worst;
}

/** The weights of an emitted ServiceSplitter, in list order, as hundredths. */
function emittedUnits(result: ReturnType<typeof toConsul>, name = 'web'): number[] {
  const splits = specOf(result, 'ServiceSplitter', name).splits as { weight: number }[];
  return splits.map((s) => Math.round(s.weight * 100));
}

describe('the consul-k8s float32 check (research/consul.md 4.5.3)', () => {
  it('tries every order of up to six splits when neither the SMI order nor ascending passes', () => {
    const units = [1643, 2808, 1987, 2812, 750];
    expect(webhookAccepts(units)).toBe(false);
    expect(webhookAccepts(ascending(units))).toBe(false);
    const result = webhookOrder(units);
    expect(result.change).toBe('reordered');
    expect(result.units).toEqual(units);
    expect([...result.order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(webhookAccepts(pick(units, result.order))).toBe(true);
  });

  it('moves 0.01 from the largest split to the next when no order passes', () => {
    const units = [370, 3210, 3210, 3210];
    // No order of these four weights adds up to exactly 100 in float32.
    expect(orders(4).some((o) => webhookAccepts(pick(units, o)))).toBe(false);
    const result = webhookOrder(units);
    expect(result.change).toBe('nudged');
    expect(result.units).toEqual([370, 3209, 3211, 3210]);
    expect(webhookAccepts(pick(result.units, result.order))).toBe(true);
  });

  it('moves 0.01 the other way when only that passes', () => {
    const units = [3094, 1151, 1151, 1151, 1151, 1151, 1151];
    const result = webhookOrder(units);
    expect(result.change).toBe('nudged');
    expect(result.units).toEqual([3095, 1150, 1151, 1151, 1151, 1151, 1151]);
    expect(webhookAccepts(pick(result.units, result.order))).toBe(true);
  });

  it('never moves more than 0.01: the weights then stay as they are, unverified', () => {
    // Moving 0.03 would pass, but would put a share 0.0003 off, beyond the declared tolerance.
    const units = [364, 1606, 1606, 1606, 1606, 1606, 1606];
    expect(webhookAccepts(ascending([364, 1603, 1609, 1606, 1606, 1606, 1606]))).toBe(true);
    const result = webhookOrder(units);
    expect(result).toEqual({ order: [0, 1, 2, 3, 4, 5, 6], units, change: 'unverified' });
    expect(webhookAccepts(units)).toBe(false);
  });

  it('keeps every weight, sums to 100 and moves a share by at most 0.01 %', () => {
    const unitsArb = fc
      .array(fc.integer({ min: 0, max: 10000 }), { minLength: 0, maxLength: 7 })
      .map((cuts) => {
        const sorted = [...cuts].sort((a, b) => a - b);
        return [...sorted, 10000].map((c, i) => c - (i === 0 ? 0 : (sorted[i - 1] ?? 0)));
      });
    fc.assert(
      fc.property(unitsArb, (units) => {
        const result = webhookOrder(units);
        expect([...result.order].sort((a, b) => a - b)).toEqual(units.map((_, i) => i));
        expect(result.units.reduce((a, b) => a + b, 0)).toBe(10000);
        result.units.forEach((u, i) => {
          expect(Math.abs(u - (units[i] ?? 0))).toBeLessThanOrEqual(1);
          expect(u).toBeGreaterThanOrEqual(0);
        });
        if (result.change !== 'unverified')
          expect(webhookAccepts(pick(result.units, result.order))).toBe(true);
        if (result.change === 'none') expect(webhookAccepts(units)).toBe(true);
        if (result.change !== 'nudged') expect(result.units).toEqual(units);
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it('reports weights that are not whole hundredths, and keeps weight 0', () => {
    expect(toUnits([1, 1, 1])).toEqual({ units: [3334, 3333, 3333], exact: false });
    expect(toUnits([90, 10, 0])).toEqual({ units: [9000, 1000, 0], exact: true });
  });
});

describe('emitted ServiceSplitters pass the webhook or say why not', () => {
  it('nudges by 0.01 % and calls it cosmetic: the shares stay within the tolerance', () => {
    const result = toConsul(split([370, 3210, 3210, 3210]));
    expect(withCode(result, 'consul/weights-nudged')).toMatchObject([
      { severity: 'info', effect: 'cosmetic', data: { service: 'web', amount: 0.01 } },
    ]);
    const units = emittedUnits(result);
    expect(units.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(webhookAccepts(units)).toBe(true);
    expect(shareError(result)).toBeLessThanOrEqual(consul.shareTolerance + 1e-9);
  });

  it('leaves weights no small nudge fixes as they are, with a warning (no silent 0.03 % move)', () => {
    const result = toConsul(split([364, 1606, 1606, 1606, 1606, 1606, 1606]));
    expect(withCode(result, 'consul/weights-nudged')).toEqual([]);
    expect(withCode(result, 'consul/weights-unverified')).toMatchObject([
      { severity: 'warning', data: { service: 'web' } },
    ]);
    expect(emittedUnits(result)).toEqual([364, 1606, 1606, 1606, 1606, 1606, 1606]);
    expect(shareError(result)).toBeLessThan(1e-9);
  });

  it('warns when neither order nor nudge gets past the webhook', () => {
    const result = toConsul(split([322, 1613, 1613, 1613, 1613, 1613, 1613]));
    expect(withCode(result, 'consul/weights-unverified')).toMatchObject([
      { severity: 'warning', data: { service: 'web' } },
    ]);
    expect(webhookAccepts(emittedUnits(result))).toBe(false);
  });

  it('reorders by trying every order when ascending does not pass either', () => {
    const result = toConsul(split([1643, 2808, 1987, 2812, 750]));
    const [reordered] = withCode(result, 'consul/splits-reordered');
    const order = String(reordered?.data?.order).split(',');
    expect(order).not.toEqual(['b4', 'b0', 'b2', 'b1', 'b3']);
    expect([...order].sort()).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(webhookAccepts(emittedUnits(result))).toBe(true);
    expect(shareError(result)).toBeLessThan(1e-9);
  });

  it('adds up the weights of a backend listed twice (Consul rejects a repeated target)', () => {
    const read = readInput(split([1, 1]));
    const [s] = read.model.trafficSplits;
    if (s === undefined) throw new Error('no TrafficSplit read');
    const [b0, b1] = s.backends;
    if (b0 === undefined || b1 === undefined) throw new Error('no backends read');
    const twice = { ...b0, weight: 2, origin: b1.origin };
    const model = { ...read.model, trafficSplits: [{ ...s, backends: [b0, b1, twice] }] };
    const emitted = emitDirect(model);
    const duplicate = emitted.diagnostics.filter((d) => d.code === 'consul/duplicate-backend');
    expect(duplicate).toMatchObject([
      { severity: 'info', effect: 'cosmetic', data: { service: 'b0' } },
    ]);
    expect(duplicate[0]?.location?.pointer).toBe('/spec/backends/1');
    const splitter = emitted.objects.find((o) => o.kind === 'ServiceSplitter');
    expect(splitter?.spec).toEqual({
      splits: [
        { weight: 75, service: 'b0' },
        { weight: 25, service: 'b1' },
      ],
    });
  });
});
