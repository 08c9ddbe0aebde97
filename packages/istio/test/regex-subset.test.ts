import { matchesFully, matchesPathRegex } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import {
  compileHeaderRegex,
  compilePathRegex,
  isPathTemplate,
  matchesHeaderPattern,
  matchesPathPattern,
  validPathTemplate,
} from '../src/patterns.js';
import { expandRegex, literalPrefix, topLevelBranches } from '../src/regex-subset.js';

/**
 * The RE2 subset reader behind `pathRegex` and header translation. Every compiled pattern set is
 * checked against RE2 itself: exact patterns must match what the SMI regex matches (start-anchored
 * for paths, whole value for headers); when a branch has no pattern form, the kept patterns must
 * never match more (`narrow`) and the widened ones never less (`widen`).
 */

/** Request paths with RFC 3986 path characters only (what `{*}` segments accept). */
const PATHS = [
  '/',
  '/a',
  '/A',
  '/a/',
  '/ab',
  '/abc',
  '/a/b',
  '/a/b/c',
  '/a//c',
  '/a{x',
  '/a{xy',
  '/aa',
  '/aaa',
  '/Api',
  '/api',
  '/api/x',
  '/api/',
  '/v0',
  '/v1',
  '/v9',
  '/v11',
  '/v12',
  '/v21',
  '/v3',
  '/vx',
  '/docs',
  '/docs/',
  '/docs//',
  '/files//meta',
  '/files/x/meta',
  '/files/xy/meta',
  '/files/x/y/meta',
  '/files/1.0',
  '/files/1x0',
  '/a.b',
  '/aXb',
  '/x.js',
  '/x/y.js',
  '/xjs',
  '/a+',
  '/a$',
  '/$x',
  '//a',
  '/a/b/x',
  '/q/c',
  '/qq/c',
  'a|b',
  'A',
  'B',
  'D',
];

/** Header values (no control characters: HTTP header values cannot hold a newline). */
const VALUES = [
  '',
  'a',
  'b',
  'ab',
  'a|b',
  'x',
  'v1',
  'v2',
  'v12',
  'v3',
  'beta',
  'x-beta',
  '1.0',
  '1x0',
  'Api',
  'A',
  'C',
  'D',
  'a b',
  'a\tb',
];

function checkPaths(regex: string): void {
  const compiled = compilePathRegex(regex, true);
  const widened = [...compiled.patterns, ...compiled.unrepresentable.map((b) => b.widened)];
  for (const path of PATHS) {
    const smi = matchesPathRegex(regex, path);
    const kept = compiled.any || compiled.patterns.some((p) => matchesPathPattern(p, path));
    if (compiled.unrepresentable.length === 0) {
      expect([regex, path, kept]).toEqual([regex, path, smi]);
    } else {
      // narrow: never more than SMI; widen: never less.
      if (kept) expect([regex, path, 'narrow', smi]).toEqual([regex, path, 'narrow', true]);
      if (smi)
        expect([regex, path, 'widen', widened.some((p) => matchesPathPattern(p, path))]).toEqual([
          regex,
          path,
          'widen',
          true,
        ]);
    }
  }
}

function checkValues(regex: string): void {
  const compiled = compileHeaderRegex(regex);
  for (const value of VALUES) {
    const smi = matchesFully(regex, value);
    const kept = compiled.patterns.some((p) => matchesHeaderPattern(p, value));
    if (compiled.unrepresentable.length === 0)
      expect([regex, value, kept]).toEqual([regex, value, smi]);
    else if (kept) expect([regex, value, 'narrow', smi]).toEqual([regex, value, 'narrow', true]);
  }
}

describe('compilePathRegex: RE2 syntax the reader expands exactly', () => {
  it.each([
    // Perl classes and escapes
    ['/v\\d$', ['/v0', '/v1', '/v2', '/v3', '/v4', '/v5', '/v6', '/v7', '/v8', '/v9']],
    ['/[\\d]$', ['/0', '/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8', '/9']],
    ['/a\\sb$', ['/a\tb', '/a\nb', '/a\fb', '/a\rb', '/a b']],
    ['/\\x41pi$', ['/Api']],
    ['/\\x{41}pi$', ['/Api']],
    ['/\\x2Fa', ['//a*']],
    ['/x\\t$', ['/x\t']],
    ['/a\\+', ['/a+*']],
    ['/a\\$', ['/a$*']],
    ['/\\$x', ['/$x*']],
    // \A and \z are ^ and $
    ['\\A/api\\z', ['/api']],
    // \Q...\E quotes literally, to the end when \E is missing
    ['\\Q/a.b\\E$', ['/a.b']],
    ['/files/\\Q1.0', ['/files/1.0*']],
    ['\\Qx\\E/', ['x/*']],
    // Character classes: ranges with escapes, a trailing '-', a Perl class inside
    ['/[\\x41-\\x43]$', ['/A', '/B', '/C']],
    ['/[a-\\x63]$', ['/a', '/b', '/c']],
    ['/[a-]x$', ['/-x', '/ax']],
    // Counted and lazy repetition
    ['/v[12]{2}$', ['/v11', '/v12', '/v21', '/v22']],
    ['/a{2}$', ['/aa']],
    ['/docs/??$', ['/docs', '/docs/']],
    ['/a{x', ['/a{x*']],
    // Named groups
    ['/v1/(?P<kind>users|groups)$', ['/v1/users', '/v1/groups']],
    ['/v1/(?<kind>users|groups)$', ['/v1/users', '/v1/groups']],
    // Repeated "any text" collapses; an end-anchored suffix
    ['/a.*.*', ['/a*']],
    ['.*\\.js$', ['*.js']],
    ['/a/(b|.*)', ['/a/b*', '/a/*']],
    // Segments: [^/]{1,} is [^/]+, [^/]* may also be empty, [^/\n] is still "not a slash"
    ['/a/[^/]{1,}$', ['/a/{*}']],
    ['/files/[^/]*/meta$', ['/files//meta', '/files/{*}/meta']],
    ['/[^/\\n]+/c$', ['/{*}/c']],
    // An alternation with a branch that can never match a path (^$)
    ['(?:^$|/a$)', ['/a']],
    ['/x$|/y', ['/x', '/y*']],
  ])('%j', (regex, patterns) => {
    expect(compilePathRegex(regex, true)).toEqual({ patterns, any: false, unrepresentable: [] });
    checkPaths(regex);
  });

  it('gives no pattern for a regex that only matches the empty path', () => {
    // Every request path starts with `/`; `^$` matches none and needs no pattern.
    expect(compilePathRegex('^$', true)).toEqual({ patterns: [], any: false, unrepresentable: [] });
  });

  it.each([
    ['/a/\\w+', 'unbounded', '/a/*'],
    ['/a/[^a]*', 'unbounded', '/a/*'],
    ['/(?:a|b)*', 'unbounded', '/*'],
    ['/a\\.+', 'unbounded', '/a*'],
    ['/a/\\w', 'shape', '/a/*'],
    ['/a/.{2,}', 'shape', '/a/*'],
    ['/a/[^a]', 'shape', '/a/*'],
    ['/[\\D]', 'shape', '/*'],
    ['/[\\W]x', 'shape', '/*'],
    ['/a\\Sb', 'shape', '/a*'],
    ['/a[^\\n]', 'shape', '/a*'],
    ['/a/./b$', 'shape', '/a/*'],
    ['/files/[^/]{2,}/meta$', 'shape', '/files/*'],
    // templates: {**} must be the last operator, literals must be path characters and start with /
    ['/a/.*/[^/]+$', 'shape', '/a/*'],
    ['/a b/[^/]+$', 'shape', '/a b/*'],
    ['a/[^/]+$', 'shape', 'a/*'],
    ['/a/\\{x\\}/[^/]+$', 'wildcard-literal', '/a/{x}/*'],
    ['/a\\Q*\\E', 'wildcard-literal', '/a*'],
    ['/v[0-9][0-9]$', 'too-many', '/v*'],
    ['/[ab]{0,4}$', 'too-many', '/*'],
    ['/(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q)', 'too-many', '/*'],
    ['/a^b', 'anchor', '/a*'],
    ['/a$b', 'anchor', '/a*'],
    ['[[:alpha:]]', 'unsupported-syntax', '*'],
    ['/a(', 'invalid', '/a*'],
  ])('%j has no pattern form (%s), widens to %j', (regex, reason, widened) => {
    expect(compilePathRegex(regex, true)).toEqual({
      patterns: [],
      any: false,
      unrepresentable: [{ source: regex, reason, widened }],
    });
    checkPaths(regex);
  });

  it('keeps the branches of a class alternation that have a form, splitting at the right `|`', () => {
    // `]` right after `[^` is a member, so the `|` inside is not a branch separator.
    expect(compilePathRegex('/[^]|]|/b', true)).toEqual({
      patterns: ['/b*'],
      any: false,
      unrepresentable: [{ source: '/[^]|]', reason: 'shape', widened: '/*' }],
    });
    checkPaths('/[^]|]|/b');
  });

  it('needs templates (Istio 1.22+) for segment operators only', () => {
    expect(compilePathRegex('/files/[^/]*/meta$', false)).toEqual({
      patterns: [],
      any: false,
      unrepresentable: [
        { source: '/files/[^/]*/meta$', reason: 'needs-templates', widened: '/files/*' },
      ],
    });
    expect(compilePathRegex('/v[12]{2}$', false).patterns).toEqual([
      '/v11',
      '/v12',
      '/v21',
      '/v22',
    ]);
  });
});

describe('compileHeaderRegex: whole-value matching', () => {
  it.each([
    ['v[12]', ['v1', 'v2']],
    ['\\Qa|b\\E', ['a|b']],
    ['v{x', ['v{x']],
    ['a\\sb', ['a\tb', 'a\nb', 'a\fb', 'a\rb', 'a b']],
    ['\\x41', ['A']],
    ['1\\.0|x', ['1.0', 'x']],
    ['.*-beta', ['*-beta']],
  ])('%j', (regex, patterns) => {
    expect(compileHeaderRegex(regex)).toEqual({ patterns, any: false, unrepresentable: [] });
    checkValues(regex);
  });

  it.each([
    ['', 'empty'],
    ['a\\*', 'wildcard-literal'],
    ['a.b', 'shape'],
    ['[^a]', 'shape'],
    ['v[0-9][0-9]', 'too-many'],
    ['a^b', 'anchor'],
  ])('%j is refused (%s)', (regex, reason) => {
    const compiled = compileHeaderRegex(regex);
    expect(compiled.patterns).toEqual([]);
    expect(compiled.unrepresentable.map((b) => b.reason)).toEqual([reason]);
    checkValues(regex);
  });
});

describe('expandRegex', () => {
  it('expands to token sequences, recording the end anchor', () => {
    expect(expandRegex('\\A/api\\z')).toEqual({
      ok: true,
      seqs: [{ tokens: [{ k: 'lit', s: '/api' }], end: true }],
    });
    expect(expandRegex('/a/.{2,}')).toEqual({
      ok: true,
      seqs: [
        {
          tokens: [{ k: 'lit', s: '/a/' }, { k: 'char' }, { k: 'char' }, { k: 'star' }],
          end: false,
        },
      ],
    });
    // At least two non-slash characters: one open character, then a segment's worth.
    expect(expandRegex('/[^/]{2,}')).toEqual({
      ok: true,
      seqs: [{ tokens: [{ k: 'lit', s: '/' }, { k: 'char' }, { k: 'seg' }], end: false }],
    });
    expect(expandRegex('/x[^/]*')).toEqual({
      ok: true,
      seqs: [
        { tokens: [{ k: 'lit', s: '/x' }], end: false },
        { tokens: [{ k: 'lit', s: '/x' }, { k: 'seg' }], end: false },
      ],
    });
  });

  it.each([
    ['(', 'invalid'],
    ['(?i)x', 'flags'],
    ['(?s:.)', 'flags'],
    ['x+', 'unbounded'],
    ['[^a]+', 'unbounded'],
    ['[ab]{0,4}', 'too-many'],
    ['[a-z]{1,20}', 'too-many'],
    ['[0-9][0-9]', 'too-many'],
    ['x\\b', 'unsupported-syntax'],
    ['\\pL', 'unsupported-syntax'],
    ['[[:digit:]]', 'unsupported-syntax'],
    ['a^', 'anchor'],
    ['$a', 'anchor'],
  ])('%j fails with %s', (regex, reason) => {
    expect(expandRegex(regex)).toEqual({ ok: false, reason });
  });
});

describe('topLevelBranches', () => {
  it.each([
    ['a|b', ['a', 'b']],
    ['(a|b)|c', ['(a|b)', 'c']],
    ['[|]|c', ['[|]', 'c']],
    ['[]|]|c', ['[]|]', 'c']],
    ['[^]|]|c', ['[^]|]', 'c']],
    ['a\\||b', ['a\\|', 'b']],
    ['\\Qa|b\\E|c', ['\\Qa|b\\E', 'c']],
    ['x\\Qa|b', ['x\\Qa|b']],
  ])('%j', (regex, branches) => {
    expect(topLevelBranches(regex)).toEqual(branches);
  });
});

describe('literalPrefix (what widen falls back to)', () => {
  it.each([
    ['^/users/[0-9]+', '/users/'],
    ['/a\\.b', '/a.b'],
    ['/a\\.+', '/a'],
    ['/ab?', '/a'],
    ['/ab{2}', '/a'],
    ['/a\\d', '/a'],
    ['/a\\', '/a'],
    ['/a(b)', '/a'],
  ])('%j starts with %j', (regex, prefix) => {
    expect(literalPrefix(regex)).toBe(prefix);
    // Every path the regex matches starts with the prefix.
    for (const path of PATHS)
      if (matchesPathRegex(regex, path)) expect(path.startsWith(prefix)).toBe(true);
  });
});

describe('path templates', () => {
  it.each([
    ['/a/{*}', true],
    ['/a/{*}/', true],
    ['/a/{**}', true],
    ['a/{*}', false],
    ['/a//{*}', false],
    ['/a b/{*}', false],
    ['/{**}/{*}', false],
    ['/a{*}', false],
  ])('%j is valid: %s', (template, valid) => {
    expect(isPathTemplate(template)).toBe(true);
    expect(validPathTemplate(template)).toBe(valid);
  });

  it('never matches with an invalid template (istiod rejects it)', () => {
    expect(matchesPathPattern('/a//{*}', '/a//b')).toBe(false);
    expect(matchesPathPattern('a/{*}', 'a/b')).toBe(false);
    expect(matchesPathPattern('/a/{*}/', '/a/b/')).toBe(true);
  });

  it('treats braces without an operator as literal text', () => {
    expect(isPathTemplate('/a/{x}')).toBe(false);
    expect(matchesPathPattern('/a/{x}*', '/a/{x}/y')).toBe(true);
  });
});
