import { describe, expect, it } from 'vitest';
import {
  checkQualifiedName,
  classifyPath,
  createNameAllocator,
  deriveName,
  formatQuantity,
  formatSourceAnnotation,
  isPlaceholder,
  largestRemainder,
  parseQuantity,
  parseSourceAnnotation,
  pathRegexFor,
  pointerToFieldPath,
  renderText,
  scaleToIntegers,
  toKrmResults,
  type Diagnostic,
} from '../src/index.js';

describe('quantities', () => {
  it('parses Kubernetes quantities exactly', () => {
    expect(parseQuantity('500m')).toEqual({ num: 1n, den: 2n });
    expect(parseQuantity('1.5')).toEqual({ num: 3n, den: 2n });
    expect(parseQuantity('2Ki')).toEqual({ num: 2048n, den: 1n });
    expect(parseQuantity('1e3')).toEqual({ num: 1000n, den: 1n });
    expect(parseQuantity(0.25)).toEqual({ num: 1n, den: 4n });
    expect(parseQuantity('-1')).toEqual({ num: -1n, den: 1n });
    for (const bad of ['', 'abc', '1.2.3', '5 m', '1KiB'])
      expect(parseQuantity(bad)).toBeUndefined();
  });

  it('scales to the smallest integers with the same ratios and formats decimals', () => {
    expect(scaleToIntegers([parseQuantity('1')!, parseQuantity('500m')!])).toEqual([2n, 1n]);
    expect(
      scaleToIntegers([parseQuantity('0')!, parseQuantity('0.3')!, parseQuantity('0.7')!]),
    ).toEqual([0n, 3n, 7n]);
    expect(formatQuantity({ num: 10123n, den: 1000n })).toBe('10.123');
    expect(formatQuantity({ num: 1n, den: 3n })).toBeUndefined();
  });
});

describe('largestRemainder', () => {
  it('sums exactly, never goes negative, keeps zeros, breaks ties by position', () => {
    expect(largestRemainder([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(largestRemainder([2, 1], 100)).toEqual([67, 33]);
    expect(largestRemainder([0, 5], 100)).toEqual([0, 100]);
    expect(largestRemainder([1, 999999], 100)).toEqual([0, 100]);
    expect(() => largestRemainder([0, 0], 100)).toThrow();
  });
});

describe('names and annotations', () => {
  it('derives valid, bounded, deterministic names', () => {
    expect(deriveName(['Foo_Bar', 'HTTP Route', 7])).toBe('foo-bar-http-route-7');
    expect(deriveName(['9lives'])).toBe('x-9lives');
    const long = deriveName(['a'.repeat(80)]);
    expect(long).toHaveLength(63);
    expect(long).toBe(deriveName(['a'.repeat(80)]));
    expect(long).not.toBe(deriveName(['a'.repeat(81)]));
  });

  it('hands out unique names per kind and namespace', () => {
    const names = createNameAllocator();
    names.reserve('TCPRoute', 'ns', 'x');
    expect(names.claim('TCPRoute', 'ns', 'x')).toBe('x-2');
    expect(names.claim('TCPRoute', 'other', 'x')).toBe('x');
    expect(names.claim('HTTPRouteGroup', 'ns', 'x')).toBe('x');
  });

  it('formats and parses the source annotation', () => {
    const refs = [
      {
        apiVersion: 'split.smi-spec.io/v1alpha4',
        kind: 'TrafficSplit',
        namespace: 'shop',
        name: 'b',
      },
      { apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'a' },
    ];
    const value = formatSourceAnnotation(refs);
    expect(value).toBe('split.smi-spec.io/v1alpha4/TrafficSplit/shop/b,v1/Service/shop/a');
    expect(parseSourceAnnotation(value)).toEqual(refs);
    expect(parseSourceAnnotation('garbage,,a/b')).toEqual([]);
  });

  it('checks label keys and spots placeholders', () => {
    expect(checkQualifiedName('app.kubernetes.io/name')).toBeUndefined();
    expect(checkQualifiedName('-bad')).toBeDefined();
    expect(isPlaceholder('<NAMESPACE>')).toBe(true);
    expect(isPlaceholder('{{ .Values.ns }}')).toBe(true);
    expect(isPlaceholder('shop')).toBe(false);
  });
});

describe('path shapes', () => {
  it('classifies start-anchored pathRegex as exact, prefix or regex', () => {
    expect(classifyPath('/healthz$')).toEqual({ kind: 'exact', path: '/healthz' });
    expect(classifyPath('/api/.*')).toEqual({ kind: 'prefix', prefix: '/api/' });
    expect(classifyPath('/api')).toEqual({ kind: 'prefix', prefix: '/api' });
    expect(classifyPath('/v1\\.0/x')).toEqual({ kind: 'prefix', prefix: '/v1.0/x' });
    expect(classifyPath('.*')).toEqual({ kind: 'prefix', prefix: '' });
    expect(classifyPath('/items/[0-9]+')).toEqual({ kind: 'regex' });
    expect(pathRegexFor({ kind: 'exact', path: '/a.b' })).toBe('/a\\.b$');
  });
});

describe('diagnostic renderings', () => {
  const d: Diagnostic = {
    code: 'smi/unknown-match',
    severity: 'error',
    message: 'HTTPRouteGroup g has no match named "x"',
    source: 'smi',
    resource: {
      apiVersion: 'access.smi-spec.io/v1alpha3',
      kind: 'TrafficTarget',
      namespace: 'ns',
      name: 't',
    },
    location: { file: 'a.yaml', docIndex: 2, pointer: '/spec/rules/0', line: 14, column: 7 },
    hint: 'check the name',
  };
  it('renders text as file:line:col severity message [code]', () => {
    expect(renderText([d])).toBe(
      'a.yaml:14:7 error HTTPRouteGroup g has no match named "x" (/spec/rules/0) [smi/unknown-match]\n  hint: check the name\n',
    );
  });
  it('renders kustomize results', () => {
    expect(pointerToFieldPath('/spec/rules/0/matches')).toBe('spec.rules[0].matches');
    expect(toKrmResults([d])[0]).toEqual({
      message: d.message,
      severity: 'error',
      resourceRef: {
        apiVersion: 'access.smi-spec.io/v1alpha3',
        kind: 'TrafficTarget',
        name: 't',
        namespace: 'ns',
      },
      field: { path: 'spec.rules[0]' },
      file: { path: 'a.yaml', index: 2 },
      tags: { code: 'smi/unknown-match' },
    });
  });
});
