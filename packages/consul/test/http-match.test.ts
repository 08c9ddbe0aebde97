import {
  matchesHttp,
  type HttpMatchNode,
  type HttpRequestInfo,
  type Origin,
} from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { fromCriteria, toCriteria, unwrapPrefixRegex } from '../src/http-match.js';
import { criteriaMatch } from '../src/index.js';
import type { HttpCriteria } from '../src/native.js';

const origin: Origin = {
  resource: { apiVersion: 'v1', kind: 'X', namespace: 'default', name: 'x' },
};

const PATHS = [
  '/',
  '/api',
  '/API',
  '/api/v1',
  '/apix',
  '/a.b',
  '/aXb',
  '/v1/items',
  '/other',
  '/a+b',
];
const METHODS = ['GET', 'POST', 'DELETE'];
const HEADERS: Record<string, string>[] = [
  {},
  { 'x-env': 'prod' },
  { 'X-Env': 'PROD' },
  { 'x-env': 'prod.eu' },
  { 'x-env': 'preprod' },
  { 'x-env': 'a.b' },
  { 'x-env': 'aXb' },
  { 'x-env': '' },
];
const REQUESTS: HttpRequestInfo[] = PATHS.flatMap((path) =>
  METHODS.flatMap((method) => HEADERS.map((headers) => ({ path, method, headers }))),
);

type Criteria = HttpCriteria & { caseInsensitive?: boolean };

/** Consul conditions of every kind meshlingo reads; literals with regex metacharacters. */
const CONSUL: Criteria[] = [
  { pathExact: '/api' },
  { pathExact: '/a.b' },
  { pathPrefix: '/api' },
  { pathPrefix: '/a+b' },
  { pathPrefix: '/' },
  { pathPrefix: '/API', caseInsensitive: true },
  { pathExact: '/api', caseInsensitive: true },
  { pathRegex: '/v[0-9]+/.*' },
  { pathRegex: '(?:/api).*' },
  { pathRegex: '(?:/a)|(?:/o).*' },
  { methods: ['GET', 'DELETE'] },
  { header: [{ name: 'x-env', exact: 'prod' }] },
  { header: [{ name: 'x-env', exact: 'a.b' }] },
  { header: [{ name: 'x-env', exact: 'prod', ignoreCase: true }] },
  { header: [{ name: 'x-env', prefix: 'pr' }] },
  { header: [{ name: 'x-env', prefix: 'PR', ignoreCase: true }] },
  { header: [{ name: 'x-env', suffix: '.eu' }] },
  { header: [{ name: 'x-env', suffix: 'PROD', ignoreCase: true }] },
  { header: [{ name: 'x-env', contains: 'rod' }] },
  { header: [{ name: 'x-env', contains: '.' }] },
  { header: [{ name: 'x-env', regex: 'pre.*' }] },
  { header: [{ name: 'x-env', present: true }] },
  { pathPrefix: '/api', methods: ['POST'], header: [{ name: 'X-ENV', exact: 'prod' }] },
];

describe('Consul conditions read as SMI matches (research/consul.md 5.1)', () => {
  it.each(CONSUL.map((c) => [JSON.stringify(c), c] as const))(
    'decide like Consul: %s',
    (_title, criteria) => {
      const read = fromCriteria(criteria, []);
      if (!read.ok) throw new Error('not readable');
      const match: HttpMatchNode = { ...read.match, name: 'm', origin };
      for (const request of REQUESTS)
        expect(matchesHttp(match, request), JSON.stringify(request)).toBe(
          criteriaMatch(criteria, request),
        );
    },
  );

  it('an inverted header has no SMI form', () => {
    expect(
      fromCriteria(
        {
          header: [
            { name: 'a', exact: 'b' },
            { name: 'x', exact: 'y', invert: true },
          ],
        },
        ['spec'],
      ),
    ).toEqual({
      ok: false,
      problems: [{ reason: 'header-invert', path: ['spec', 'header', 1], header: 'x' }],
    });
  });
});

describe('SMI matches written as Consul conditions', () => {
  const SMI: Omit<HttpMatchNode, 'name' | 'origin'>[] = [
    {},
    { pathRegex: '/api' },
    { pathRegex: '/api$' },
    { pathRegex: '/a\\.b' },
    { pathRegex: '/v[0-9]+' },
    { pathRegex: '/v[0-9]+/.*' },
    { pathRegex: '.*' },
    { pathRegex: 'api' },
    { methods: ['*'] },
    { methods: ['GET', 'GET'] },
    { headers: [{ name: 'x-env', value: 'pr.*' }] },
    { pathRegex: '/api', methods: ['POST'], headers: [{ name: 'x-env', value: 'prod' }] },
  ];

  it.each(SMI.map((m) => [JSON.stringify(m), m] as const))('decide like SMI: %s', (_title, m) => {
    const match: HttpMatchNode = { ...m, name: 'm', origin };
    const criteria = toCriteria(match);
    // Consul rejects an empty http block and exact or prefix paths without a leading "/".
    expect(Object.keys(criteria).length).toBeGreaterThan(0);
    for (const path of [criteria.pathExact, criteria.pathPrefix])
      if (path !== undefined) expect(path.startsWith('/')).toBe(true);
    for (const request of REQUESTS)
      expect(criteriaMatch(criteria, request), JSON.stringify(request)).toBe(
        matchesHttp(match, request),
      );
  });
});

describe('recognising the (?:R).* meshlingo writes', () => {
  it.each([
    ['(?:/a).*', '/a'],
    ['(?:/(a|b)(c)).*', '/(a|b)(c)'],
    ['(?:[)]).*', '[)]'],
    ['(?:[]a)]).*', '[]a)]'],
    ['(?:[^]a)]).*', '[^]a)]'],
    ['(?:[\\])]).*', '[\\])]'],
    ['(?:a\\)b).*', 'a\\)b'],
  ])('%s is (?:R).* with R = %s', (pattern, inner) => {
    expect(unwrapPrefixRegex(pattern)).toBe(inner);
    expect(`(?:${inner}).*`).toBe(pattern);
  });

  it.each(['(?:/a)|(?:/b).*', '(?:/a\\).*', '/a.*', '(?:/a)', '(?:[)].*'])(
    '%s is not one group around everything before .*',
    (pattern) => {
      expect(unwrapPrefixRegex(pattern)).toBeUndefined();
    },
  );
});
