import { matchesFully, matchesPathRegex } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import { formatHint, hintedFallback, parseHint } from '../src/common/hint.js';
import { parseServiceHost, virtualServiceAwsName } from '../src/common/hosts.js';
import {
  fromHeaderCondition,
  fromPathMatch,
  toHeaderMatches,
  toPathMatch,
} from '../src/common/http-match.js';
import { selectorSelects, stableLabels } from '../src/common/labels.js';
import { listenerProtocolOf } from '../src/common/protocol.js';
import { weightedNodes } from '../src/common/targets.js';
import { appMeshWeights } from '../src/common/weights.js';

describe('appMeshWeights (research vector F2)', () => {
  it.each([
    [[90, 10], [90, 10], 'verbatim', false],
    [[1, 1], [1, 1], 'verbatim', false],
    [[500, 500], [1, 1], 'reduced', false],
    [[1, 1, 1], [1, 1, 1], 'verbatim', false],
    [[0, 100], [0, 100], 'verbatim', false],
    [[51, 50], [50, 50], 'rounded', false],
    [[2000, 1, 999], [66, 1, 33], 'rounded', true],
  ] as const)('%j becomes %j (%s)', (input, weights, how, bumped) => {
    expect(appMeshWeights(input)).toEqual({ weights, how, bumped });
  });

  it('never exceeds 100 and keeps every positive weight positive', () => {
    for (const input of [
      [1000, 1, 1, 1],
      [7, 7, 7, 7, 7, 7, 7, 7, 7, 7],
      [99, 98, 97],
    ]) {
      const { weights } = appMeshWeights(input);
      expect(weights.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
      input.forEach((w, i) => expect((weights[i] ?? 0) > 0).toBe(w > 0));
    }
  });
});

describe('weightedNodes', () => {
  it('shares a backend weight equally between its nodes, as integers', () => {
    const nodes: Record<string, string[]> = { a: ['a1', 'a2', 'a3'], b: ['b1'] };
    const { targets } = weightedNodes(
      [
        { service: 'a', weight: 1 },
        { service: 'b', weight: 1 },
      ],
      (s) => nodes[s] ?? [],
    );
    expect(targets).toEqual([
      { node: 'a1', weight: 1 },
      { node: 'a2', weight: 1 },
      { node: 'a3', weight: 1 },
      { node: 'b1', weight: 3 },
    ]);
  });

  it('leaves backends without nodes out', () => {
    expect(weightedNodes([{ service: 'x', weight: 5 }], () => []).targets).toEqual([]);
  });
});

describe('path matches', () => {
  it.each([
    [undefined, { prefix: '/' }],
    ['.*', { prefix: '/' }],
    ['/api', { prefix: '/api' }],
    ['/api/.*', { prefix: '/api/' }],
    ['/healthz$', { path: { exact: '/healthz' } }],
    ['/items/[0-9]+$', { path: { regex: '(?:/items/[0-9]+$).*' } }],
    ['api', { path: { regex: '(?:api).*' } }],
  ])('SMI %s is App Mesh %j', (pathRegex, spec) => {
    expect(toPathMatch(pathRegex)).toEqual({ ok: true, value: spec });
  });

  it('refuses regexes App Mesh cannot store', () => {
    expect(toPathMatch(`/${'x'.repeat(260)}[0-9]`)).toMatchObject({ ok: false });
  });

  it('the App Mesh form matches exactly the paths the SMI pathRegex matches', () => {
    const paths = [
      '/',
      '/api',
      '/api/',
      '/api/v1',
      '/apix',
      '/healthz',
      '/healthz/x',
      '/items/7',
      '/items/7/x',
      '/items/',
    ];
    for (const pathRegex of [
      '/api',
      '/api/.*',
      '/healthz$',
      '/items/[0-9]+$',
      '/items/[0-9]+',
      'nothing',
    ]) {
      const converted = toPathMatch(pathRegex);
      if (!converted.ok) throw new Error(converted.reason);
      const spec = converted.value;
      for (const path of paths) {
        const native =
          'prefix' in spec
            ? path.startsWith(spec.prefix)
            : 'exact' in spec.path
              ? path === spec.path.exact
              : matchesFully(spec.path.regex, path);
        expect([pathRegex, path, native]).toEqual([
          pathRegex,
          path,
          matchesPathRegex(pathRegex, path),
        ]);
      }
    }
  });

  it('reads App Mesh paths back into start-anchored SMI regexes', () => {
    expect(fromPathMatch({ prefix: '/' })).toBeUndefined();
    expect(fromPathMatch({ prefix: '/v1.0' })).toBe('/v1\\.0');
    expect(fromPathMatch({ exact: '/a' })).toBe('/a$');
    expect(fromPathMatch({ regex: '(?:/items/[0-9]+$).*' })).toBe('/items/[0-9]+$');
    expect(fromPathMatch({ regex: '/v[0-9]+/x' })).toBe('(?:/v[0-9]+/x)$');
    // A lookalike whose inner part is no regex of its own is wrapped, not unwrapped.
    expect(fromPathMatch({ regex: '(?:a)|(?:b).*' })).toBe('(?:(?:a)|(?:b).*)$');
  });
});

describe('header matches', () => {
  it('writes literals as exact matches and the rest as regexes', () => {
    expect(
      toHeaderMatches([
        { name: 'x-a', value: 'a\\.b' },
        { name: 'x-b', value: '.*Firefox.*' },
        { name: 'x-c', value: '' },
      ]),
    ).toEqual({
      ok: true,
      value: [
        { name: 'x-a', match: { exact: 'a.b' } },
        { name: 'x-b', match: { regex: '.*Firefox.*' } },
        { name: 'x-c', match: { regex: '^$' } },
      ],
    });
  });

  it('refuses more than 10 headers and names longer than 50', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `h${i}`, value: 'v' }));
    expect(toHeaderMatches(many)).toMatchObject({ ok: false });
    expect(toHeaderMatches([{ name: 'x'.repeat(51), value: 'v' }])).toMatchObject({ ok: false });
  });

  it('reads every App Mesh condition as a full-match regex with the same meaning', () => {
    const cases = [
      [{ kind: 'exact', value: 'a.b' }, ['a.b'], ['axb', 'a.bc']],
      [{ kind: 'prefix', value: 'gold' }, ['gold', 'golden'], ['xgold']],
      [{ kind: 'suffix', value: '.com' }, ['a.com'], ['a.comx', 'axcom']],
      [{ kind: 'regex', value: 'v[0-9]+' }, ['v12'], ['v1x']],
      [{ kind: 'present' }, ['', 'anything'], []],
    ] as const;
    for (const [condition, hits, misses] of cases) {
      const regex = fromHeaderCondition(condition);
      for (const h of hits) expect(matchesFully(regex, h)).toBe(true);
      for (const m of misses) expect(matchesFully(regex, m)).toBe(false);
    }
  });
});

describe('service host names', () => {
  const known = (ns: string) => ns === 'shop';
  it.each([
    ['web', { service: 'web', namespace: 'default' }],
    ['web.shop', { service: 'web', namespace: 'shop' }],
    ['web.shop.svc', { service: 'web', namespace: 'shop' }],
    ['web.shop.svc.cluster.local', { service: 'web', namespace: 'shop' }],
    ['web.shop.svc.cluster.local.', { service: 'web', namespace: 'shop' }],
    ['web.example', undefined],
    ['web.shop.svc.other.domain', undefined],
    ['web.shop.pvt.local', undefined],
    ['color.${NS}.svc.cluster.local', undefined],
  ])('%s', (host, expected) => {
    expect(parseServiceHost(host, 'default', 'cluster.local', known)).toEqual(expected);
  });

  it('names VirtualServices by FQDN or short form', () => {
    expect(virtualServiceAwsName('web', 'shop', 'fqdn', 'cluster.local')).toBe(
      'web.shop.svc.cluster.local',
    );
    expect(virtualServiceAwsName('web', 'shop', 'short', 'cluster.local')).toBe('web.shop');
  });
});

describe('listener protocols', () => {
  const port = (p: Partial<{ name: string; appProtocol: string; protocol: string }>) => ({
    port: 80,
    protocol: p.protocol ?? 'TCP',
    ...(p.name !== undefined && { name: p.name }),
    ...(p.appProtocol !== undefined && { appProtocol: p.appProtocol }),
  });
  it.each([
    [{ appProtocol: 'kubernetes.io/h2c' }, { kind: 'listener', protocol: 'http2', explicit: true }],
    [
      { appProtocol: 'grpc', name: 'http' },
      { kind: 'listener', protocol: 'grpc', explicit: true },
    ],
    [{ name: 'http-web' }, { kind: 'listener', protocol: 'http', explicit: true }],
    [{ name: 'https' }, { kind: 'listener', protocol: 'tcp', explicit: true }],
    [{ name: 'tcp-db' }, { kind: 'listener', protocol: 'tcp', explicit: true }],
    [{ name: 'web' }, { kind: 'listener', protocol: 'http2', explicit: false }],
    [{ appProtocol: 'ws' }, { kind: 'listener', protocol: 'http2', explicit: false }],
    [
      { name: 'dns', protocol: 'UDP' },
      { kind: 'unsupported', protocol: 'UDP' },
    ],
  ])('%j', (p, expected) => {
    expect(listenerProtocolOf(port(p), 'http2')).toEqual(expected);
  });
});

describe('labels', () => {
  it('leaves volatile labels out of selectors', () => {
    expect(
      Object.entries(stableLabels({ app: 'web', 'pod-template-hash': 'abc', b: '1' })),
    ).toEqual([
      ['app', 'web'],
      ['b', '1'],
    ]);
  });

  it('evaluates matchLabels and every matchExpressions operator', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'team', operator: 'Exists', values: [] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
      ],
    } as const;
    expect(selectorSelects(selector, { app: 'web', tier: 'a', team: 'x' })).toBe(true);
    expect(selectorSelects(selector, { app: 'web', tier: 'c', team: 'x' })).toBe(false);
    expect(selectorSelects(selector, { app: 'web', tier: 'a', team: 'x', track: 'canary' })).toBe(
      false,
    );
    expect(selectorSelects(selector, { app: 'web', tier: 'a' })).toBe(false);
    expect(selectorSelects(selector, { app: 'web', tier: 'a', team: 'x', legacy: '' })).toBe(false);
  });
});

describe('the router hint annotation', () => {
  it('is written only with something to say and read defensively', () => {
    expect(formatHint({ routes: [] })).toBeUndefined();
    const text = formatHint({
      fallback: ['r-default'],
      routes: [{ route: 'r', group: 'g', match: 'm' }],
    });
    expect(parseHint(text)).toEqual({
      fallback: ['r-default'],
      routes: [{ route: 'r', group: 'g', match: 'm' }],
    });
    expect(parseHint('{not json')).toEqual({});
    expect(parseHint('{"routes":[{"route":1}]}')).toEqual({});
    expect(parseHint('{"__proto__":{"x":1}}')).toEqual({});
  });

  it('says whether a route goes to the root only when it was written', () => {
    expect(hintedFallback({}, 'r')).toBeUndefined();
    expect(hintedFallback({ fallback: ['r'] }, 'r')).toBe(true);
    expect(hintedFallback({ fallback: [] }, 'r')).toBe(false);
  });
});
