import type { HttpMatchNode } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { networksAdmit, parseCidr } from '../src/cidr.js';
import {
  compareConds,
  condIntersection,
  condsOfMatch,
  dominates,
  type Cond,
} from '../src/conditions.js';
import { hasTopLevelAlternation, literalPrefix, prefersShortMatches } from '../src/regex.js';

const origin = { resource: { apiVersion: 'v1', kind: 'X', name: 'x' } };
const cond = (m: Partial<HttpMatchNode>): Cond => {
  const [c] = condsOfMatch({ name: 'm', origin, ...m });
  if (c === undefined) throw new Error('no condition');
  return c;
};

describe('parseCidr', () => {
  it('reads single addresses as host networks', () => {
    expect(parseCidr('10.1.2.3')).toEqual({ version: 4, bits: 0x0a010203n, prefix: 32 });
    expect(parseCidr('fd00::1')).toEqual({
      version: 6,
      bits: (0xfd00n << 112n) | 1n,
      prefix: 128,
    });
    expect(parseCidr('::')).toEqual({ version: 6, bits: 0n, prefix: 128 });
  });

  it('keeps the network bits only', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ version: 4, bits: 0x0a000000n, prefix: 8 });
    expect(parseCidr('fd00:1:2:3:4:5:6:7/16')).toEqual({
      version: 6,
      bits: 0xfd00n << 112n,
      prefix: 16,
    });
  });

  it('rejects text that is not an IP network', () => {
    for (const text of [
      '10.0.0/8',
      '10.0.0.256/8',
      '10.0.0.0/8/9',
      '10.0.0.0/x',
      '10.0.0.0/-1',
      'fd00::/129',
      'fd00:xyz::/8',
      '1:2:3/64',
      '1:2:3:4:5:6:7:8::/64',
      'fd00::1::/8',
    ])
      expect(parseCidr(text), text).toBeUndefined();
  });

  it('admits no cluster network it cannot read, through no exception it cannot read', () => {
    expect(networksAdmit([{ cidr: '0.0.0.0/0' }], ['cluster'])).toBe(false);
    expect(networksAdmit([{ cidr: '0.0.0.0/0', except: ['elsewhere'] }], ['10.0.0.0/8'])).toBe(
      false,
    );
    expect(networksAdmit([{ cidr: 'anywhere' }, { cidr: '10.0.0.0/8' }], ['10.0.0.0/8'])).toBe(
      true,
    );
  });
});

describe('conditions: more', () => {
  it('keeps header conditions sorted by name, one per name', () => {
    expect(
      cond({
        headers: [
          { name: 'X-B', value: '1' },
          { name: 'x-a', value: '2' },
        ],
      }).headers.map((h) => h.key),
    ).toEqual(['x-a', 'x-b']);
    expect(
      cond({
        headers: [
          { name: 'X-A', value: '1' },
          { name: 'x-a', value: '2' },
        ],
      }).headers,
    ).toHaveLength(1);
  });

  it('intersects a header regex with a value it matches as that value', () => {
    const regex = cond({ headers: [{ name: 'x', value: 'v[0-9]+' }] });
    const exact = cond({ headers: [{ name: 'X', value: 'v1' }] });
    expect(condIntersection(regex, exact)).toEqual(exact);
    expect(condIntersection(exact, regex)).toEqual(exact);
  });

  it('intersects conditions on different headers into both, sorted', () => {
    expect(
      condIntersection(
        cond({ headers: [{ name: 'y', value: '1' }] }),
        cond({ headers: [{ name: 'x', value: '2' }] }),
      ),
    ).toEqual(
      cond({
        headers: [
          { name: 'x', value: '2' },
          { name: 'y', value: '1' },
        ],
      }),
    );
  });

  it('orders conditions of equal rank totally', () => {
    const get = cond({ pathRegex: '/api', methods: ['GET'] });
    const put = cond({ pathRegex: '/api', methods: ['PUT'] });
    expect(compareConds(get, get)).toBe(0);
    expect(compareConds(get, put)).not.toBe(0);
    expect(Math.sign(compareConds(get, put))).toBe(-Math.sign(compareConds(put, get)));
  });

  it("follows linkerd2-proxy's preference: path length, then method, then headers", () => {
    const exact = cond({ pathRegex: '/healthz$' });
    const header = cond({ headers: [{ name: 'x', value: '1' }] });
    // Any path of two characters or more beats the implicit `/` of a match without a path.
    expect(dominates(exact, header)).toBe(true);
    const api = cond({ pathRegex: '/api' });
    const apiGet = cond({ pathRegex: '/api', methods: ['GET'] });
    expect(dominates(apiGet, api)).toBe(true);
    expect(dominates(api, apiGet)).toBe(false);
    const apiHeader = cond({ pathRegex: '/api', headers: [{ name: 'x', value: '1' }] });
    expect(dominates(apiGet, apiHeader)).toBe(true);
    expect(dominates(apiHeader, api)).toBe(true);
  });
});

describe('regex scanning', () => {
  it('skips character classes, with a leading ] or an escaped one', () => {
    expect(hasTopLevelAlternation('[^|]a')).toBe(false);
    expect(hasTopLevelAlternation('[]|]a')).toBe(false);
    expect(hasTopLevelAlternation('[\\]|]a')).toBe(false);
    expect(hasTopLevelAlternation('[^]]a|b')).toBe(true);
  });

  it('finds lazy quantifiers, which may end the leftmost-first match early', () => {
    expect(prefersShortMatches('/a+?')).toBe(true);
    expect(prefersShortMatches('/a{1,3}?b')).toBe(true);
    expect(prefersShortMatches('/a+b?')).toBe(false);
    expect(prefersShortMatches('/a\\+?')).toBe(false);
  });

  it('reads literal prefixes after a start anchor and up to a class escape', () => {
    expect(literalPrefix('^/api/v1')).toBe('/api/v1');
    expect(literalPrefix('/api\\d+')).toBe('/api');
  });
});
