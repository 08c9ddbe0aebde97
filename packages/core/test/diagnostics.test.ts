import { describe, expect, it } from 'vitest';
import {
  checkRe2,
  createDiagnostic,
  defineMessages,
  generatedMetadata,
  hasErrors,
  renderJson,
  renderTemplate,
  renderText,
  sortDiagnostics,
  sourceMetadata,
  type Diagnostic,
} from '../src/index.js';

const messages = defineMessages({
  thing: {
    severity: 'warning',
    message: 'thing {name} is {state}',
    hint: 'fix {name}',
    effect: 'narrows-access',
  },
});

describe('diagnostics', () => {
  it('renders templates, leaving unknown placeholders visible', () => {
    expect(renderTemplate('a {x} b {y}', { x: 1 })).toBe('a 1 b {y}');
    expect(renderTemplate('no data {x}', undefined)).toBe('no data {x}');
  });

  it('builds diagnostics from a catalog with defaults that init can override', () => {
    const d = createDiagnostic('test', messages, 'thing', { data: { name: 'n', state: 'off' } });
    expect(d).toEqual({
      code: 'test/thing',
      severity: 'warning',
      message: 'thing n is off',
      source: 'test',
      data: { name: 'n', state: 'off' },
      effect: 'narrows-access',
      hint: 'fix n',
    });
    expect(
      createDiagnostic('test', messages, 'thing', { severity: 'error', effect: 'cosmetic' }),
    ).toMatchObject({ severity: 'error', effect: 'cosmetic' });
    expect(() => createDiagnostic('test', messages, 'missing')).toThrow(/unknown message id/);
  });

  it('sorts by file, document, line, column, severity and code', () => {
    const at = (
      file: string,
      line: number,
      severity: Diagnostic['severity'],
      code: string,
    ): Diagnostic => ({
      code,
      severity,
      message: code,
      source: 't',
      location: { file, docIndex: 0, line, column: 1 },
    });
    const sorted = sortDiagnostics([
      at('b', 1, 'error', 'x'),
      at('a', 2, 'info', 'y'),
      at('a', 2, 'error', 'z'),
      at('a', 1, 'warning', 'w'),
    ]);
    expect(sorted.map((d) => `${d.location?.file}:${d.location?.line}:${d.code}`)).toEqual([
      'a:1:w',
      'a:2:z',
      'a:2:y',
      'b:1:x',
    ]);
    expect(hasErrors(sorted)).toBe(true);
    expect(hasErrors([])).toBe(false);
  });

  it('renders diagnostics without a location, and as JSON', () => {
    const d: Diagnostic = { code: 'core/x', severity: 'info', message: 'hello', source: 'core' };
    expect(renderText([d])).toBe('meshlingo: info hello [core/x]\n');
    expect(JSON.parse(renderJson([d]))).toEqual([d]);
  });
});

describe('metadata helpers', () => {
  it('marks generated objects and names their sources', () => {
    const ref = { apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: 's' };
    const meta = generatedMetadata('n', 'ns', [ref, ref], {
      labels: { team: 'a' },
      annotations: { note: 'b' },
    });
    expect({ ...meta, labels: { ...meta.labels }, annotations: { ...meta.annotations } }).toEqual({
      name: 'n',
      namespace: 'ns',
      labels: { team: 'a', 'app.kubernetes.io/managed-by': 'meshlingo' },
      annotations: { note: 'b', 'meshlingo.io/source': 'v1/Service/ns/s' },
    });
    expect(Object.getPrototypeOf(meta.labels)).toBeNull();
    const noSource = sourceMetadata([]);
    expect({ ...noSource.annotations }).toEqual({});
  });

  it('explains invalid RE2 patterns', () => {
    expect(checkRe2('/api/(v1|v2)')).toBeUndefined();
    expect(checkRe2('(?=look)')).toMatch(/invalid or unsupported Perl syntax/);
    expect(checkRe2('(a')).toMatch(/missing closing \)/);
  });
});
