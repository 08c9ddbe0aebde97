import { matchesPathRegex } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  compileHeaderRegex,
  compilePathRegex,
  headerRegexOfPattern,
  matchesHeaderPattern,
  matchesPathPattern,
  matchesPattern,
  pathRegexOfPattern,
} from '../src/patterns.js';

const exact = (patterns: string[]) => ({ patterns, any: false, unrepresentable: [] });

describe('compilePathRegex (research TV7, start-anchored SMI semantics)', () => {
  it.each([
    ['', { patterns: [], any: true, unrepresentable: [] }],
    ['.*', { patterns: [], any: true, unrepresentable: [] }],
    ['/', exact(['/*'])],
    ['/metrics', exact(['/metrics*'])],
    ['/metrics$', exact(['/metrics'])],
    ['^/metrics$', exact(['/metrics'])],
    ['/api/.*', exact(['/api/*'])],
    ['/v1/(users|groups)', exact(['/v1/users*', '/v1/groups*'])],
    ['/v1/(?:users|groups)$', exact(['/v1/users', '/v1/groups'])],
    ['/api/v[12]/x$', exact(['/api/v1/x', '/api/v2/x'])],
    ['/docs/?$', exact(['/docs', '/docs/'])],
    ['/files/[^/]+/meta$', exact(['/files/{*}/meta'])],
    ['/files/[^/]+/.*', exact(['/files/{*}/{**}'])],
    ['/a/\\.well-known$', exact(['/a/.well-known'])],
  ])('%j', (regex, want) => {
    expect(compilePathRegex(regex, true)).toEqual(want);
  });

  it.each([
    ['.*\\.js', 'contains', '*'],
    ['/users/[0-9]+', 'unbounded', '/users/*'],
    ['(?i)/admin', 'flags', '*'],
    ['/api/.+', 'shape', '/api/*'],
    ['/a\\*b$', 'wildcard-literal', '/a*'],
    ['/x/[a-z]{1,20}$', 'too-many', '/x/*'],
    ['/x\\b', 'unsupported-syntax', '/x*'],
  ])('%j has no pattern form (%s), widens to %s', (regex, reason, widened) => {
    const compiled = compilePathRegex(regex, true);
    expect(compiled.patterns).toEqual([]);
    expect(compiled.unrepresentable).toEqual([{ source: regex, reason, widened }]);
  });

  it('needs Istio 1.22 for segment templates', () => {
    expect(compilePathRegex('/files/[^/]+/meta$', false).unrepresentable[0]?.reason).toBe(
      'needs-templates',
    );
  });

  it('keeps the representable branches of an alternation', () => {
    expect(compilePathRegex('/a|/b/[0-9]+', true)).toEqual({
      patterns: ['/a*'],
      any: false,
      unrepresentable: [{ source: '/b/[0-9]+', reason: 'unbounded', widened: '/b/*' }],
    });
  });

  it('gives patterns that match exactly the paths the SMI regex matches', () => {
    const paths = [
      '/',
      '/api',
      '/api/',
      '/api/v1',
      '/apiary',
      '/v1/users',
      '/v1/users/7',
      '/v1/groupsx',
      '/files/a/meta',
      '/files/a/b/meta',
      '/files//meta',
      '/docs',
      '/docs/',
      '/docs/x',
      '/metrics',
      '/x.js',
    ];
    for (const regex of [
      '/api',
      '/api/.*',
      '/api$',
      '/v1/(users|groups)',
      '/files/[^/]+/meta$',
      '/docs/?$',
      '/',
      '.*',
    ]) {
      const compiled = compilePathRegex(regex, true);
      for (const path of paths) {
        const native = compiled.any || compiled.patterns.some((p) => matchesPathPattern(p, path));
        expect([regex, path, native]).toEqual([regex, path, matchesPathRegex(regex, path)]);
      }
    }
  });
});

describe('compileHeaderRegex (whole-value SMI semantics)', () => {
  it.each([
    ['true', ['true']],
    ['bookbuyer-.*', ['bookbuyer-*']],
    ['.*-beta', ['*-beta']],
    ['.*', ['*']],
    ['a|b', ['a', 'b']],
    ['1\\.0', ['1.0']],
  ])('%j', (regex, patterns) => {
    expect(compileHeaderRegex(regex)).toEqual(exact(patterns));
  });

  it.each([
    ['.*Firefox.*', 'contains'],
    ['.+', 'shape'],
    ['[0-9]+', 'unbounded'],
  ])('%j is refused (%s)', (regex, reason) => {
    expect(compileHeaderRegex(regex).unrepresentable[0]?.reason).toBe(reason);
  });
});

describe('reading patterns back as SMI regexes', () => {
  it.each([
    ['/x', '/x$'],
    ['/x*', '/x'],
    ['*.js', '.*\\.js$'],
    ['*', undefined],
    ['/files/{*}/meta', '/files/[^/]+/meta$'],
    ['/files/{**}', '/files/'],
    ['/{**}/tail', '/.*/tail$'],
  ])('path %j', (pattern, regex) => {
    expect(pathRegexOfPattern(pattern)).toBe(regex);
  });

  it.each([
    ['v1', 'v1'],
    ['v1*', 'v1.*'],
    ['*.example.org', '.*\\.example\\.org'],
    ['*', '.*'],
  ])('header %j', (pattern, regex) => {
    expect(headerRegexOfPattern(pattern)).toBe(regex);
  });

  it('round-trips every pattern form through SMI with the same meaning', () => {
    const paths = [
      '/x',
      '/x/',
      '/xy',
      '/a.js',
      '/files/a/meta',
      '/files/a/b',
      '/files/',
      '/q/tail',
      '/tail',
    ];
    for (const pattern of ['/x', '/x*', '*.js', '/files/{*}/meta', '/files/{**}', '/{**}/tail']) {
      const regex = pathRegexOfPattern(pattern) ?? '';
      for (const path of paths)
        expect([pattern, path, matchesPathPattern(pattern, path)]).toEqual([
          pattern,
          path,
          matchesPathRegex(regex, path),
        ]);
    }
  });
});

describe('Istio string matching', () => {
  it('treats * alone, leading and trailing * as wildcards, a middle * as text', () => {
    expect(matchesPattern('*', 'x')).toBe(true);
    expect(matchesPattern('*', '')).toBe(false);
    expect(matchesPattern('*.com', 'a.com')).toBe(true);
    expect(matchesPattern('/api/*', '/api/v1/x')).toBe(true);
    expect(matchesPattern('/api/*/users', '/api/v1/users')).toBe(false);
    expect(matchesPattern('/api/*/users', '/api/*/users')).toBe(true);
    expect(matchesPattern('Example.COM', 'example.com', true)).toBe(true);
  });

  it('matches templates like Envoy: {*} is one segment, {**} any number', () => {
    expect(matchesPathPattern('/files/{*}/meta', '/files/a/meta')).toBe(true);
    expect(matchesPathPattern('/files/{*}/meta', '/files/a/b/meta')).toBe(false);
    expect(matchesPathPattern('/files/{*}/meta', '/files//meta')).toBe(false);
    expect(matchesPathPattern('/files/{**}', '/files/')).toBe(true);
    expect(matchesPathPattern('/files/{**}', '/files/a/b')).toBe(true);
    expect(matchesPathPattern('/a/{**}/{*}', '/a/b/c')).toBe(false);
  });

  it('treats a header * as presence, empty value included', () => {
    expect(matchesHeaderPattern('*', '')).toBe(true);
    expect(matchesHeaderPattern('*', undefined)).toBe(false);
    expect(matchesHeaderPattern('v*', 'v1')).toBe(true);
  });
});
