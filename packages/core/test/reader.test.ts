import { describe, expect, it } from 'vitest';
import {
  decodeSource,
  findInvalidUtf8,
  locatePointer,
  parseYamlStream,
  toManifests,
  type SourceFile,
} from '../src/index.js';

const file = (text: string): SourceFile => ({ path: 'in.yaml', text });

describe('parseYamlStream', () => {
  it('splits documents at markers and keeps their offsets', () => {
    const text = '# head\na: 1\n---\nb: 2\n--- {c: 3}\n---\n# only a comment\n---\nd: [1, 2]\n';
    const { documents, diagnostics } = parseYamlStream(file(text));
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }, { d: [1, 2] }]);
    expect(documents.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    expect(text.slice(documents[1]?.start, documents[1]?.end)).toBe('---\nb: 2\n');
  });

  it('treats a line of --- inside a block scalar position as a marker, as YAML does', () => {
    const { documents } = parseYamlStream(file('a: |\n  x\n---\nb: 1\n'));
    expect(documents.map((d) => d.value)).toEqual([{ a: 'x\n' }, { b: 1 }]);
  });

  it('handles the ... end marker and directives', () => {
    const { documents, diagnostics } = parseYamlStream(file('a: 1\n...\n%YAML 1.2\n---\nb: 2\n'));
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reports syntax errors with file, document, line and column and keeps going', () => {
    const { documents, diagnostics } = parseYamlStream(
      file('a: 1\n---\nb: [1, 2\nc: 3\n---\nd: 4\n'),
    );
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { d: 4 }]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'yaml/syntax',
      severity: 'error',
      location: { file: 'in.yaml', docIndex: 1 },
    });
    expect(diagnostics[0]?.location?.line).toBeGreaterThanOrEqual(3);
  });

  it('reports duplicate keys with the key and its position', () => {
    const { diagnostics } = parseYamlStream(file('kind: A\nmetadata:\n  name: x\n  name: y\n'));
    expect(diagnostics[0]).toMatchObject({
      code: 'yaml/duplicate-key',
      data: { key: 'name' },
      location: { line: 4, column: 3 },
    });
  });

  it('rejects tabs used for indentation', () => {
    const { diagnostics } = parseYamlStream(file('a:\n\tb: 1\n'));
    expect(diagnostics[0]?.code).toBe('yaml/syntax');
    expect(diagnostics[0]?.location?.line).toBe(2);
  });

  it('stops alias bombs without expanding them', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const { documents, diagnostics } = parseYamlStream(file(`${lines.join('\n')}\n`));
    expect(documents).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml/alias-bomb', location: { line: 1 } });
  });

  it('allows ordinary aliases and merge keys', () => {
    const { documents, diagnostics } = parseYamlStream(
      file('base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(documents[0]?.value).toEqual({ base: { x: 1 }, other: { x: 1, y: 2 } });
  });

  it('catches aliases that contain themselves', () => {
    const { diagnostics } = parseYamlStream(file('a: &a [*a]\n'));
    expect(diagnostics[0]?.code).toBe('yaml/cyclic-alias');
  });

  it('rejects nesting deeper than the limit', () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const { diagnostics } = parseYamlStream(file(`a: ${deep}\n`));
    expect(diagnostics[0]?.code).toBe('yaml/too-deep');
  });

  it('rejects input over the size limit', () => {
    const { documents, diagnostics } = parseYamlStream(file('a: 1234567890\n'), { maxSize: 8 });
    expect(documents).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml/too-large', data: { max: 8 } });
  });

  it('ignores a byte order mark and reads CRLF line ends', () => {
    const { documents, diagnostics } = parseYamlStream(file('\uFEFFa: 1\r\n---\r\nb: 2\r\n'));
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reads YAML 1.2 core scalars: yes/on stay strings, no timestamps', () => {
    const { documents } = parseYamlStream(file('a: yes\nb: on\nc: 2020-01-01\nd: 0o17\n'));
    expect(documents[0]?.value).toEqual({ a: 'yes', b: 'on', c: '2020-01-01', d: 15 });
  });
});

describe('locatePointer', () => {
  it('finds keys, list items and falls back to the deepest existing node', () => {
    const text =
      'a: 1\n---\nspec:\n  backends:\n    - service: x\n      weight: 1\n    - service: y\n      weight: 2\n';
    const { documents } = parseYamlStream(file(text));
    const doc = documents[1];
    if (doc === undefined) throw new Error('no document');
    expect(locatePointer(doc, '/spec/backends/1/weight')).toEqual({ line: 8, column: 7 });
    expect(locatePointer(doc, '/spec/backends/1')).toEqual({ line: 7, column: 7 });
    expect(locatePointer(doc, '/spec/missing/deeper')).toEqual({ line: 3, column: 1 });
    expect(locatePointer(doc, '')).toEqual({ line: 3, column: 1 });
  });
});

describe('toManifests', () => {
  it('expands List and typed lists, rejects non-objects and objects without a type', () => {
    const text = [
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n  - 42',
      'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplitList\nitems:\n  - metadata: {name: s}\n    spec: {service: x, backends: []}',
      '- just\n- a list',
      'kind: NoVersion',
      'plain scalar',
    ].join('\n---\n');
    const { documents } = parseYamlStream(file(text));
    const { manifests, diagnostics } = toManifests(documents);
    expect(manifests.map((m) => [m.object.kind, m.pointer])).toEqual([
      ['ConfigMap', '/items/0'],
      ['TrafficSplit', '/items/0'],
    ]);
    expect(manifests[1]?.object.apiVersion).toBe('split.smi-spec.io/v1alpha4');
    expect(diagnostics.map((d) => [d.code, d.location?.docIndex, d.location?.pointer])).toEqual([
      ['core/not-an-object', 0, '/items/1'],
      ['core/not-an-object', 2, ''],
      ['core/missing-type', 3, ''],
      ['core/not-an-object', 4, ''],
    ]);
    expect(diagnostics[0]?.data).toEqual({ what: 'a number' });
  });

  it('rejects __proto__ keys anywhere', () => {
    const { documents } = parseYamlStream(
      file(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    __proto__: {polluted: "yes"}\n',
      ),
    );
    const { manifests, diagnostics } = toManifests(documents);
    expect(manifests).toEqual([]);
    expect(diagnostics[0]).toMatchObject({
      code: 'core/forbidden-key',
      location: { pointer: '/metadata/labels/__proto__' },
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('UTF-8', () => {
  it('finds the first invalid byte', () => {
    expect(findInvalidUtf8(Buffer.from('héllo', 'utf8'))).toBe(-1);
    expect(findInvalidUtf8(Uint8Array.from([0x61, 0xc3, 0x28]))).toBe(1);
    expect(findInvalidUtf8(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(findInvalidUtf8(Uint8Array.from([0xc0, 0x80]))).toBe(0);
    expect(findInvalidUtf8(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
  });

  it('reports invalid UTF-8 with a position instead of replacing it', () => {
    const bytes = Uint8Array.from([...Buffer.from('a: 1\nb: '), 0xff, 0x0a]);
    const { file: decoded, diagnostics } = decodeSource('bad.yaml', bytes);
    expect(decoded).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({
      code: 'yaml/invalid-utf8',
      data: { offset: 8 },
      location: { file: 'bad.yaml', line: 2, column: 4 },
    });
    expect(decodeSource('ok.yaml', Buffer.from('a: "\uFFFD"\n')).diagnostics).toEqual([]);
  });
});
