import { convert, decodeSource, type AnyAdapter } from '@meshlingo/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllBuiltins } from '../src/adapters.js';

const catalogue = fileURLToPath(new URL('../../../fixtures/bad-input', import.meta.url));
let adapters: AnyAdapter[] = [];
beforeAll(async () => {
  adapters = await loadAllBuiltins();
});

// The catalogue's expected diagnostics are asserted in @meshlingo/conformance; here every case
// also goes through every adapter's emit and ingest, which must neither crash nor lose a position.
describe('bad-input catalogue through every adapter', () => {
  for (const name of readdirSync(catalogue).sort()) {
    it(name, () => {
      expect(adapters.length).toBeGreaterThan(0);
      const decoded = decodeSource('input.yaml', readFileSync(join(catalogue, name, 'input.yaml')));
      if (decoded.file === undefined) return;
      const prototype = Object.getOwnPropertyNames(Object.prototype).join();
      for (const adapter of adapters) {
        for (const result of [
          convert([decoded.file], { to: [adapter], onUnrepresentable: 'narrow' }),
          convert([decoded.file], { to: ['smi'], from: [adapter] }),
        ]) {
          for (const d of result.diagnostics) {
            expect(d.code, `${adapter.name}: ${d.message}`).not.toBe('core/adapter-error');
            if (d.severity === 'error')
              expect(d.location?.line, `${adapter.name}: ${d.code}`).toBeGreaterThan(0);
          }
        }
      }
      expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(prototype);
    });
  }
});
