import type { HttpMatchNode } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  compareConds,
  condContains,
  condIntersection,
  condsOfMatch,
  dominates,
  nativeMatchOf,
} from '../src/conditions.js';
import {
  endsWithGreedyAny,
  hasTopLevelAlternation,
  headerRegexFromLinkerd,
  headerRegexToLinkerd,
  literalPrefix,
  pathRegexFromLinkerd,
  pathRegexToLinkerd,
} from '../src/regex.js';
import { networksAdmit, parseCidr } from '../src/cidr.js';
import { identityMatches, parseIdentity } from '../src/identity.js';

const origin = { resource: { apiVersion: 'v1', kind: 'X', name: 'x' } };
const cond = (m: Partial<HttpMatchNode>) => {
  const [c] = condsOfMatch({ name: 'm', origin, ...m });
  if (c === undefined) throw new Error('no condition');
  return c;
};

describe('regex forms', () => {
  it('wraps SMI path regexes so the leftmost-first match runs to the end, and reads them back', () => {
    expect(pathRegexToLinkerd('/api/v[0-9]+')).toBe('(?:/api/v[0-9]+).*');
    expect(pathRegexToLinkerd('/static/.*')).toBe('/static/.*');
    expect(pathRegexToLinkerd('/a|/b.*')).toBe('(?:/a|/b.*).*');
    expect(pathRegexFromLinkerd('(?:/api/v[0-9]+).*')).toBe('/api/v[0-9]+');
    expect(pathRegexFromLinkerd('/static/.*')).toBe('/static/.*');
    expect(pathRegexFromLinkerd('/items/[0-9]+')).toBe('(?:/items/[0-9]+)$');
    expect(pathRegexFromLinkerd('(?:a)|(?:b).*')).toBe('(?:(?:a)|(?:b).*)$');
  });

  it('anchors header regexes at the end unless a trailing .* does it', () => {
    expect(headerRegexToLinkerd('.*Firefox.*')).toBe('.*Firefox.*');
    expect(headerRegexToLinkerd('t|True')).toBe('(?:t|True)$');
    expect(headerRegexFromLinkerd('(?:t|True)$')).toBe('t|True');
    expect(headerRegexFromLinkerd('a+')).toBe('a+');
  });

  it('finds top-level alternations, trailing .* and literal prefixes', () => {
    expect(hasTopLevelAlternation('(a|b)c')).toBe(false);
    expect(hasTopLevelAlternation('[|]a|b')).toBe(true);
    expect(endsWithGreedyAny('/a\\.*')).toBe(false);
    expect(endsWithGreedyAny('/a.*?')).toBe(false);
    expect(literalPrefix('/api/v[0-9]+')).toBe('/api/v');
    expect(literalPrefix('/ab*c')).toBe('/a');
    expect(literalPrefix('/ab+c')).toBe('/ab');
    expect(literalPrefix('\\/x\\.y')).toBe('/x.y');
    expect(literalPrefix('/a|/b')).toBe('');
  });
});

describe('conditions', () => {
  it('fans methods out and writes literal headers as Exact', () => {
    const conds = condsOfMatch({
      name: 'm',
      pathRegex: '/api/.*',
      methods: ['GET', 'HEAD'],
      headers: [{ name: 'x-beta', value: 'true' }],
      origin,
    });
    expect(conds.map(nativeMatchOf)).toEqual([
      {
        path: { type: 'RegularExpression', value: '/api/.*' },
        method: 'GET',
        headers: [{ name: 'x-beta', type: 'Exact', value: 'true' }],
      },
      {
        path: { type: 'RegularExpression', value: '/api/.*' },
        method: 'HEAD',
        headers: [{ name: 'x-beta', type: 'Exact', value: 'true' }],
      },
    ]);
    expect(nativeMatchOf(cond({ pathRegex: '/healthz$' }))).toEqual({
      path: { type: 'Exact', value: '/healthz' },
    });
    expect(nativeMatchOf(cond({ pathRegex: '.*', methods: ['*'] }))).toEqual({
      path: { type: 'PathPrefix', value: '/' },
    });
  });

  it('decides containment on paths, methods and headers', () => {
    expect(condContains(cond({ pathRegex: '/api' }), cond({ pathRegex: '/api/v[0-9]+' }))).toBe(
      true,
    );
    expect(condContains(cond({ pathRegex: '/api/v[0-9]+' }), cond({ pathRegex: '/api/v1$' }))).toBe(
      true,
    );
    expect(condContains(cond({ pathRegex: '/api/v[0-9]+' }), cond({ pathRegex: '/api' }))).toBe(
      false,
    );
    expect(condContains(cond({ methods: ['GET'] }), cond({ methods: ['POST'] }))).toBe(false);
    expect(
      condContains(
        cond({ headers: [{ name: 'ua', value: '.*Firefox.*' }] }),
        cond({ headers: [{ name: 'UA', value: 'Firefox' }] }),
      ),
    ).toBe(true);
  });

  it('intersects conditions, or says they are disjoint or cannot be written', () => {
    expect(
      condIntersection(cond({ pathRegex: '/api' }), cond({ headers: [{ name: 'x', value: '1' }] })),
    ).toEqual(cond({ pathRegex: '/api', headers: [{ name: 'x', value: '1' }] }));
    expect(
      condIntersection(cond({ pathRegex: '/items/[0-9]+$' }), cond({ pathRegex: '/api/.*' })),
    ).toBe('empty');
    expect(condIntersection(cond({ methods: ['GET'] }), cond({ methods: ['PUT'] }))).toBe('empty');
    expect(
      condIntersection(
        cond({ headers: [{ name: 'x', value: '1' }] }),
        cond({ headers: [{ name: 'x', value: '2' }] }),
      ),
    ).toBe('empty');
    expect(condIntersection(cond({ pathRegex: '/a[p]i/.*' }), cond({ pathRegex: '/api' }))).toBe(
      'unknown',
    );
    expect(
      condIntersection(
        cond({ headers: [{ name: 'x', value: 'a.*' }] }),
        cond({ headers: [{ name: 'x', value: '.*b' }] }),
      ),
    ).toBe('unknown');
  });

  it('orders contained conditions first and knows when Linkerd prefers one', () => {
    const prefix = cond({ pathRegex: '/api' });
    const exact = cond({ pathRegex: '/api/v1$' });
    expect(compareConds(exact, prefix)).toBeLessThan(0);
    expect(compareConds(cond({ pathRegex: '/api', methods: ['GET'] }), prefix)).toBeLessThan(0);
    expect(dominates(prefix, cond({ headers: [{ name: 'x', value: '1' }] }))).toBe(true);
    expect(dominates(cond({ headers: [{ name: 'x', value: '1' }] }), prefix)).toBe(false);
    expect(dominates(cond({ pathRegex: '/', methods: ['GET'] }), cond({ methods: ['GET'] }))).toBe(
      false,
    );
  });
});

describe('identities and networks', () => {
  const settings = { trustDomain: 'cluster.local', controlPlaneNamespace: 'linkerd' };
  it('reads identity strings back into ServiceAccounts', () => {
    expect(
      parseIdentity('web.shop.serviceaccount.identity.linkerd.cluster.local', settings),
    ).toEqual({
      kind: 'account',
      account: { name: 'web', namespace: 'shop' },
    });
    expect(
      parseIdentity('*.shop.serviceaccount.identity.linkerd.cluster.local', settings).kind,
    ).toBe('wildcard');
    expect(parseIdentity('spiffe://example.org/ns/shop/sa/web', settings).kind).toBe('foreign');
    expect(
      identityMatches(
        '*.shop.serviceaccount.identity.linkerd.cluster.local',
        'web.shop.serviceaccount.identity.linkerd.cluster.local',
      ),
    ).toBe(true);
  });

  it('parses CIDRs and checks that networks admit the cluster networks', () => {
    expect(parseCidr('fd00::/8')?.prefix).toBe(8);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('{IPv6}/64')).toBeUndefined();
    expect(
      networksAdmit([{ cidr: '0.0.0.0/0' }, { cidr: '::/0' }], ['10.0.0.0/8', 'fd00::/8']),
    ).toBe(true);
    expect(networksAdmit([{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], ['10.0.0.0/8'])).toBe(
      false,
    );
    expect(networksAdmit([{ cidr: '10.0.0.0/8' }], ['10.0.0.0/8', 'fd00::/8'])).toBe(false);
  });
});
