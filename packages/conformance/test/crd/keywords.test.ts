import { describe, expect, it } from 'vitest';
import { loadCrdSet, validateObject } from '../../src/crd/index.js';
import { checkSpec, codes, findings, widget, widgetCrd } from './helpers.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

describe('types', () => {
  const schema = obj({
    o: { type: 'object' },
    a: { type: 'array', items: { type: 'string' } },
    s: { type: 'string' },
    i: { type: 'integer' },
    n: { type: 'number' },
    b: { type: 'boolean' },
  });

  it('accepts values of the declared types', () => {
    const result = checkSpec(schema, { o: {}, a: ['x'], s: 'x', i: 3, n: 1.5, b: false });
    expect(findings(result)).toEqual([]);
  });

  it('accepts whole numbers for number and integral floats for integer', () => {
    expect(codes(checkSpec(schema, { n: 2, i: 4.0 }))).toEqual([]);
  });

  it('reports each mismatch with the expected and actual type', () => {
    const result = checkSpec(schema, { o: [], a: {}, s: 1, i: 1.5, n: 'x', b: 'true' });
    expect(findings(result)).toEqual([
      {
        code: 'crd/type',
        pointer: '/spec/o',
        data: { field: 'spec.o', expected: 'object', actual: 'array' },
      },
      {
        code: 'crd/type',
        pointer: '/spec/a',
        data: { field: 'spec.a', expected: 'array', actual: 'object' },
      },
      {
        code: 'crd/type',
        pointer: '/spec/s',
        data: { field: 'spec.s', expected: 'string', actual: 'integer' },
      },
      {
        code: 'crd/type',
        pointer: '/spec/i',
        data: { field: 'spec.i', expected: 'integer', actual: 'number' },
      },
      {
        code: 'crd/type',
        pointer: '/spec/n',
        data: { field: 'spec.n', expected: 'number', actual: 'string' },
      },
      {
        code: 'crd/type',
        pointer: '/spec/b',
        data: { field: 'spec.b', expected: 'boolean', actual: 'string' },
      },
    ]);
  });

  it('checks list items against items', () => {
    const result = checkSpec(schema, { a: ['x', 2] });
    expect(findings(result)).toEqual([
      {
        code: 'crd/type',
        pointer: '/spec/a/1',
        data: { field: 'spec.a[1]', expected: 'string', actual: 'integer' },
      },
    ]);
  });
});

describe('enum', () => {
  const schema = obj({
    mode: { type: 'string', enum: ['A', 'B'] },
    n: { type: 'integer', enum: [1, 2] },
  });

  it('accepts listed values', () => {
    expect(codes(checkSpec(schema, { mode: 'B', n: 2 }))).toEqual([]);
  });

  it('reports the value and the allowed ones', () => {
    expect(findings(checkSpec(schema, { mode: 'C', n: 3 }))).toEqual([
      {
        code: 'crd/enum',
        pointer: '/spec/mode',
        data: { field: 'spec.mode', value: 'C', allowed: 'A, B' },
      },
      {
        code: 'crd/enum',
        pointer: '/spec/n',
        data: { field: 'spec.n', value: 3, allowed: '1, 2' },
      },
    ]);
  });
});

describe('pattern', () => {
  it('searches like Go regexp.MatchString: an unanchored pattern matches anywhere', () => {
    const schema = obj({ s: { type: 'string', pattern: '[0-9]+' } });
    expect(codes(checkSpec(schema, { s: 'abc123def' }))).toEqual([]);
    expect(findings(checkSpec(schema, { s: 'abc' }))).toEqual([
      {
        code: 'crd/pattern',
        pointer: '/spec/s',
        data: { field: 'spec.s', value: 'abc', pattern: '[0-9]+' },
      },
    ]);
  });

  it('runs RE2 syntax (Unicode classes) and anchors', () => {
    const schema = obj({ s: { type: 'string', pattern: '^\\pL+$' } });
    expect(codes(checkSpec(schema, { s: 'héllo' }))).toEqual([]);
    expect(codes(checkSpec(schema, { s: 'hello1' }))).toEqual(['crd/pattern']);
  });

  it('reports a pattern RE2 cannot compile as an invalid CRD and ignores it', () => {
    const crd = widgetCrd(obj({ s: { type: 'string', pattern: '(?<=a)b' } }));
    const loaded = loadCrdSet([{ path: 'crd.json', text: JSON.stringify(crd) }]);
    expect(loaded.diagnostics.map((d) => [d.code, d.location?.pointer])).toEqual([
      [
        'crd/invalid-crd',
        '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/s/pattern',
      ],
    ]);
    expect(codes(validateObject(widget({ s: 'zzz' }), loaded.crds))).toEqual([]);
  });
});

describe('lengths, items and properties', () => {
  const schema = obj({
    s: { type: 'string', minLength: 2, maxLength: 3 },
    a: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2 },
    m: {
      type: 'object',
      additionalProperties: { type: 'string' },
      minProperties: 1,
      maxProperties: 2,
    },
  });

  it('accepts values within the limits, counting characters, not UTF-16 units', () => {
    expect(codes(checkSpec(schema, { s: '😀😀😀', a: [1, 2], m: { x: 'y' } }))).toEqual([]);
  });

  it('reports values below the minimums', () => {
    expect(findings(checkSpec(schema, { s: 'x', a: [], m: {} }))).toEqual([
      {
        code: 'crd/min-length',
        pointer: '/spec/s',
        data: { field: 'spec.s', length: 1, limit: 2 },
      },
      { code: 'crd/min-items', pointer: '/spec/a', data: { field: 'spec.a', count: 0, limit: 1 } },
      {
        code: 'crd/min-properties',
        pointer: '/spec/m',
        data: { field: 'spec.m', count: 0, limit: 1 },
      },
    ]);
  });

  it('reports values above the maximums', () => {
    expect(
      findings(checkSpec(schema, { s: 'wxyz', a: [1, 2, 3], m: { a: 'a', b: 'b', c: 'c' } })),
    ).toEqual([
      {
        code: 'crd/max-length',
        pointer: '/spec/s',
        data: { field: 'spec.s', length: 4, limit: 3 },
      },
      { code: 'crd/max-items', pointer: '/spec/a', data: { field: 'spec.a', count: 3, limit: 2 } },
      {
        code: 'crd/max-properties',
        pointer: '/spec/m',
        data: { field: 'spec.m', count: 3, limit: 2 },
      },
    ]);
  });

  it('reports repeated items of uniqueItems lists at the repetition', () => {
    const unique = obj({
      a: {
        type: 'array',
        uniqueItems: true,
        items: { type: 'object', properties: { x: { type: 'integer' } } },
      },
    });
    expect(findings(checkSpec(unique, { a: [{ x: 1 }, { x: 2 }, { x: 1 }] }))).toEqual([
      {
        code: 'crd/unique-items',
        pointer: '/spec/a/2',
        data: { field: 'spec.a[2]', duplicateOf: 0 },
      },
    ]);
  });
});

describe('numbers', () => {
  const schema = obj({
    inc: { type: 'integer', minimum: 1, maximum: 10 },
    exc: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
    step: { type: 'number', multipleOf: 0.5 },
    p32: { type: 'integer', format: 'int32' },
    p64: { type: 'integer', format: 'int64' },
  });

  it('accepts bounds that are inclusive', () => {
    expect(
      codes(checkSpec(schema, { inc: 10, exc: 0.5, step: 2.5, p32: 2147483647, p64: 2 ** 40 })),
    ).toEqual([]);
  });

  it('reports inclusive and exclusive bounds', () => {
    expect(findings(checkSpec(schema, { inc: 0, exc: 1 }))).toEqual([
      {
        code: 'crd/minimum',
        pointer: '/spec/inc',
        data: { field: 'spec.inc', value: 0, limit: 1, exclusive: false, orEqual: 'or equal to ' },
      },
      {
        code: 'crd/maximum',
        pointer: '/spec/exc',
        data: { field: 'spec.exc', value: 1, limit: 1, exclusive: true, orEqual: '' },
      },
    ]);
    expect(codes(checkSpec(schema, { exc: 0 }))).toEqual(['crd/minimum']);
  });

  it('reports multipleOf and int32 overflow', () => {
    expect(findings(checkSpec(schema, { step: 0.7, p32: 2147483648 }))).toEqual([
      {
        code: 'crd/multiple-of',
        pointer: '/spec/step',
        data: { field: 'spec.step', value: 0.7, factor: 0.5 },
      },
      {
        code: 'crd/format',
        pointer: '/spec/p32',
        data: { field: 'spec.p32', value: 2147483648, format: 'int32' },
      },
    ]);
  });
});

describe('string formats', () => {
  const schema = obj({
    t: { type: 'string', format: 'date-time' },
    d: { type: 'string', format: 'date' },
    b: { type: 'string', format: 'byte' },
    dur: { type: 'string', format: 'duration' },
    u: { type: 'string', format: 'uri' },
    ip4: { type: 'string', format: 'ipv4' },
    ip6: { type: 'string', format: 'ipv6' },
    c: { type: 'string', format: 'cidr' },
    id: { type: 'string', format: 'uuid' },
    h: { type: 'string', format: 'hostname' },
    mail: { type: 'string', format: 'email' },
  });

  it('accepts valid values', () => {
    const spec = {
      t: '2024-02-29T10:00:00.5Z',
      d: '2024-02-29',
      b: 'aGVsbG8=',
      dur: '1h30m',
      u: 'https://example.com/x?y=1',
      ip4: '10.0.0.1',
      ip6: 'fe80::1',
      c: '10.0.0.0/8',
      id: '123e4567-e89b-12d3-a456-426614174000',
      h: 'api.example.com',
      mail: 'not checked',
    };
    expect(findings(checkSpec(schema, spec))).toEqual([]);
  });

  it('reports invalid values with the format', () => {
    const spec = {
      t: '2023-02-29T10:00:00Z',
      d: '2024-13-01',
      b: 'not base64!',
      dur: 'soon',
      u: 'relative/path',
      ip4: '10.0.0.01',
      ip6: '10.0.0.1',
      c: '10.0.0.0/33',
      id: 'nope',
      h: '-bad-.example',
    };
    const result = checkSpec(schema, spec);
    expect(findings(result).map((f) => [f.code, f.pointer, f.data?.format])).toEqual([
      ['crd/format', '/spec/t', 'date-time'],
      ['crd/format', '/spec/d', 'date'],
      ['crd/format', '/spec/b', 'byte'],
      ['crd/format', '/spec/dur', 'duration'],
      ['crd/format', '/spec/u', 'uri'],
      ['crd/format', '/spec/ip4', 'ipv4'],
      ['crd/format', '/spec/ip6', 'ipv6'],
      ['crd/format', '/spec/c', 'cidr'],
      ['crd/format', '/spec/id', 'uuid'],
      ['crd/format', '/spec/h', 'hostname'],
    ]);
  });

  it('accepts the Scala-style durations of the strfmt registry', () => {
    expect(codes(checkSpec(schema, { dur: '3 days' }))).toEqual([]);
  });
});

describe('required and defaults', () => {
  const schema = obj(
    {
      name: { type: 'string' },
      replicas: { type: 'integer', default: 1, minimum: 1 },
      nested: {
        type: 'object',
        default: {},
        properties: { mode: { type: 'string', default: 'on' } },
        required: ['mode'],
      },
    },
    { required: ['name', 'replicas'] },
  );

  it('does not report a missing field that has a default (the API server fills it in first)', () => {
    expect(findings(checkSpec(schema, { name: 'x' }))).toEqual([]);
  });

  it('reports a missing required field at the object that lacks it', () => {
    expect(findings(checkSpec(schema, {}))).toEqual([
      { code: 'crd/required', pointer: '/spec', data: { field: 'spec', property: 'name' } },
    ]);
  });

  it('validates written values even when a default exists', () => {
    expect(codes(checkSpec(schema, { name: 'x', replicas: 0 }))).toEqual(['crd/minimum']);
  });
});

describe('nullable', () => {
  const schema = obj(
    {
      maybe: { type: 'string', nullable: true },
      never: { type: 'string' },
      defaulted: { type: 'string', default: 'd', enum: ['d'] },
      list: { type: 'array', items: { type: 'string' } },
    },
    { required: ['never'] },
  );

  it('accepts null for nullable fields', () => {
    expect(codes(checkSpec(schema, { maybe: null, never: 'x' }))).toEqual([]);
  });

  it('drops null of a non-nullable field (a warning), which then misses when required', () => {
    expect(findings(checkSpec(schema, { never: null }))).toEqual([
      {
        code: 'crd/nullable',
        pointer: '/spec/never',
        data: { field: 'spec.never', dropped: true },
      },
      { code: 'crd/required', pointer: '/spec', data: { field: 'spec', property: 'never' } },
    ]);
    expect(checkSpec(schema, { never: null }).diagnostics[0]?.severity).toBe('warning');
  });

  it('replaces null with the default when there is one', () => {
    expect(codes(checkSpec(schema, { never: 'x', defaulted: null }))).toEqual([]);
  });

  it('rejects a null list item', () => {
    expect(findings(checkSpec(schema, { never: 'x', list: ['a', null] }))).toEqual([
      { code: 'crd/nullable', pointer: '/spec/list/1', data: { field: 'spec.list[1]' } },
    ]);
  });
});

describe('int-or-string', () => {
  const schema = obj({
    port: {
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      pattern: '^[a-z]+$',
    },
  });

  it('accepts integers and strings, applying string keywords to strings only', () => {
    expect(codes(checkSpec(schema, { port: 8080 }))).toEqual([]);
    expect(codes(checkSpec(schema, { port: 'http' }))).toEqual([]);
    expect(codes(checkSpec(schema, { port: 'HTTP' }))).toEqual(['crd/pattern']);
  });

  it('reports other types once', () => {
    expect(findings(checkSpec(schema, { port: true }))).toEqual([
      {
        code: 'crd/int-or-string',
        pointer: '/spec/port',
        data: { field: 'spec.port', actual: 'boolean' },
      },
    ]);
    expect(codes(checkSpec(schema, { port: 1.5 }))).toEqual(['crd/int-or-string']);
  });
});

describe('list types', () => {
  const schema = obj({
    set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
    atomic: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } },
    ports: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      items: {
        type: 'object',
        properties: {
          port: { type: 'integer' },
          protocol: { type: 'string', default: 'TCP' },
          name: { type: 'string' },
        },
      },
    },
  });

  it('accepts distinct entries and repeated values in atomic lists', () => {
    const spec = {
      set: ['a', 'b'],
      atomic: ['a', 'a'],
      ports: [{ port: 80 }, { port: 80, protocol: 'UDP' }],
    };
    expect(codes(checkSpec(schema, spec))).toEqual([]);
  });

  it('reports a repeated set value once, at its first repetition', () => {
    expect(findings(checkSpec(schema, { set: ['a', 'b', 'a', 'a'] }))).toEqual([
      {
        code: 'crd/list-set-duplicate',
        pointer: '/spec/set/2',
        data: { field: 'spec.set[2]', value: 'a', duplicateOf: 0 },
      },
    ]);
  });

  it('reports repeated map keys after defaults are applied', () => {
    const result = checkSpec(schema, {
      ports: [
        { port: 80, name: 'a' },
        { port: 80, protocol: 'TCP', name: 'b' },
      ],
    });
    expect(findings(result)).toEqual([
      {
        code: 'crd/list-map-key',
        pointer: '/spec/ports/1',
        data: { field: 'spec.ports[1]', key: '{"port":80,"protocol":"TCP"}', duplicateOf: 0 },
      },
    ]);
  });
});

describe('allOf, anyOf, oneOf and not', () => {
  const schema = obj(
    { a: { type: 'string' }, b: { type: 'string' }, n: { type: 'integer' } },
    {
      allOf: [{ properties: { n: { maximum: 10 } } }],
      anyOf: [{ required: ['a'] }, { required: ['b'] }],
      oneOf: [{ required: ['a'] }, { required: ['b'] }],
      not: { required: ['n'], properties: { n: { enum: [7] } } },
    },
  );

  it('accepts a value matching every junctor', () => {
    expect(codes(checkSpec(schema, { a: 'x', n: 3 }))).toEqual([]);
  });

  it('reports allOf failures as the failures of the subschema', () => {
    expect(findings(checkSpec(schema, { a: 'x', n: 11 }))).toEqual([
      {
        code: 'crd/maximum',
        pointer: '/spec/n',
        data: { field: 'spec.n', value: 11, limit: 10, exclusive: false, orEqual: 'or equal to ' },
      },
    ]);
  });

  it('reports anyOf and oneOf when nothing matches', () => {
    expect(findings(checkSpec(schema, { n: 1 }))).toEqual([
      { code: 'crd/any-of', pointer: '/spec', data: { field: 'spec' } },
      { code: 'crd/one-of', pointer: '/spec', data: { field: 'spec', matched: 0 } },
    ]);
  });

  it('reports oneOf when more than one matches, and not when its schema matches', () => {
    expect(findings(checkSpec(schema, { a: 'x', b: 'y', n: 7 }))).toEqual([
      { code: 'crd/one-of', pointer: '/spec', data: { field: 'spec', matched: 2 } },
      { code: 'crd/not', pointer: '/spec', data: { field: 'spec' } },
    ]);
  });

  it('keeps nested junctor results apart (oneOf of not/anyOf, as Istio writes it)', () => {
    const istio = obj(
      { provider: { type: 'object' }, action: { type: 'string' } },
      { oneOf: [{ not: { anyOf: [{ required: ['provider'] }] } }, { required: ['provider'] }] },
    );
    expect(codes(checkSpec(istio, { action: 'ALLOW' }))).toEqual([]);
    expect(codes(checkSpec(istio, { provider: {} }))).toEqual([]);
  });
});
