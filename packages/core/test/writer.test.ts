import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toJson, toYaml, toYamlStream } from '../src/index.js';

/** What a YAML 1.1 reader (kubectl, Helm, kustomize) sees. */
const read11 = (text: string): unknown => parseYaml(text, { version: '1.1' });
/** What a YAML 1.2 core reader sees. */
const read12 = (text: string): unknown => jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });

describe('toYaml', () => {
  it('quotes strings that a YAML 1.1 or 1.2 reader would take for something else', () => {
    const tricky = [
      'on',
      'Off',
      'yes',
      'NO',
      'y',
      'n',
      'true',
      'null',
      '~',
      '0777',
      '0o17',
      '0x1F',
      '1e3',
      '1_000',
      '12:30',
      '.inf',
      '-.5',
      '+1',
      '',
      ' lead',
      'trail ',
      'a: b',
      'a #b',
      '- x',
      '*alias',
      '&anchor',
      '!tag',
      '%x',
      '@x',
      '`x',
      "'q'",
      '"q"',
      '{x}',
      '[x]',
      '2024-01-01',
      '=',
      '<<',
    ];
    for (const s of tricky) {
      const text = toYaml({ v: s });
      expect(read11(text)).toEqual({ v: s });
      expect(read12(text)).toEqual({ v: s });
    }
    expect(toYaml({ v: 'on' })).toBe('v: "on"\n');
    expect(toYaml({ v: '0777' })).toBe('v: "0777"\n');
    expect(toYaml({ v: '/api/.*' })).toBe('v: /api/.*\n');
  });

  it('writes block style with nested lists and maps, empty collections inline', () => {
    const text = toYaml({ a: { b: [1, { c: 'x', d: [] }], e: {} }, f: null, g: true });
    expect(text).toBe('a:\n  b:\n    - 1\n    - c: x\n      d: []\n  e: {}\nf: null\ng: true\n');
  });

  it('writes multi-line strings as literal blocks with the right chomping', () => {
    for (const s of ['a\nb\n', 'a\nb', 'a\nb\n\n', 'line1\n\n  indented\n']) {
      const text = toYaml({ s, list: [s] });
      expect(read11(text)).toEqual({ s, list: [s] });
      expect(read12(text)).toEqual({ s, list: [s] });
    }
    expect(toYaml({ s: 'a\nb\n' })).toBe('s: |\n  a\n  b\n');
  });

  it('separates documents and writes JSON Lists for several objects', () => {
    expect(toYamlStream([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
    expect(JSON.parse(toJson([{ a: 1 }, { b: 2 }]))).toEqual({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ a: 1 }, { b: 2 }],
    });
    expect(JSON.parse(toJson([{ a: 1 }]))).toEqual({ a: 1 });
  });

  it('is read back identically by YAML 1.1 and 1.2 readers for any JSON value', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('on', 'no', 'y', '1', '0x10', 'a:b', '- a'));
    const scalar = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'yes',
        'Off',
        '0o7',
        '1e5',
        '12:00',
        'x\ny',
        ' x',
        'x\n',
        '\t',
        'a\u2028b',
        '\u0085',
      ),
      fc.integer(),
      fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter(
          (d) =>
            !Object.is(d, -0) && Math.abs(d) < 1e15 && (Number.isInteger(d) || Math.abs(d) > 1e-6),
        ),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), (obj) => {
        const text = toYaml(obj);
        expect(read12(text)).toEqual(obj);
        expect(read11(text)).toEqual(obj);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
