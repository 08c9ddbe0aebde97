import { convert, decodeSource, type Diagnostic, type PipelineOptions } from '@meshlingo/core';
import { load } from 'js-yaml';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareDiagnostics, toExpected, type ExpectedDiagnostic } from '../src/expectations.js';

const catalogue = fileURLToPath(new URL('../../../fixtures/bad-input', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

/** Reads a case the way the CLI does: bytes, UTF-8 check, then the whole pipeline to SMI. */
function runCase(dir: string): Diagnostic[] {
  const bytes = readFileSync(join(dir, 'input.yaml'));
  const optionsPath = join(dir, 'options.yaml');
  const options = (
    existsSync(optionsPath) ? load(readFileSync(optionsPath, 'utf8')) : {}
  ) as PipelineOptions;
  const decoded = decodeSource('input.yaml', bytes);
  if (decoded.file === undefined) return decoded.diagnostics;
  return convert([decoded.file], { ...options, to: ['smi'] }).diagnostics;
}

describe('bad-input catalogue', () => {
  for (const name of readdirSync(catalogue).sort()) {
    const dir = join(catalogue, name);
    it(name, () => {
      const before = Object.getOwnPropertyNames(Object.prototype).join(',');
      const diagnostics = runCase(dir);
      // Nothing from the input may reach an object prototype.
      expect(Object.getOwnPropertyNames(Object.prototype).join(',')).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // Every diagnostic names the file, line and column.
      for (const d of diagnostics) {
        expect(d.location?.file, `${d.code} has no file`).toBe('input.yaml');
        expect(d.location?.line, `${d.code} has no line`).toBeGreaterThan(0);
        expect(d.location?.column, `${d.code} has no column`).toBeGreaterThan(0);
      }
      const expectedPath = join(dir, 'expected.diagnostics.json');
      if (update)
        writeFileSync(expectedPath, `${JSON.stringify(diagnostics.map(toExpected), null, 2)}\n`);
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as ExpectedDiagnostic[];
      expect(compareDiagnostics(diagnostics, expected)).toEqual([]);
    });
  }
});
