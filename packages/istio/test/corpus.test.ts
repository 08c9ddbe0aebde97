import { convert, decodeSource, type Diagnostic } from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import istio from '../src/index.js';

// Real Istio manifests (samples, pilot and validation fixtures, legacy RBAC, Flagger inputs) sit
// in ../shared beside the clone; they are never copied into the repository.
const corpus = fileURLToPath(new URL('../../../../shared/corpus/istio', import.meta.url));
const present = existsSync(corpus);

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return /\.(ya?ml|json)$/.test(name) ? [path] : [];
    });
}

describe.skipIf(!present)(
  `every manifest of ${corpus} reads into SMI with diagnostics, never a crash`,
  () => {
    const all = present ? files(corpus) : [];
    const counts = { files: all.length, clean: 0, warnings: 0, errors: 0 };
    const codes = new Map<string, number>();

    it.each(all.map((path) => [relative(corpus, path), path]))('%s', (_, path) => {
      const decoded = decodeSource(relative(corpus, path), readFileSync(path));
      expect(decoded.file).toBeDefined();
      if (decoded.file === undefined) return;
      for (const mode of ['error', 'widen'] as const) {
        const result = convert([decoded.file], {
          to: ['smi'],
          from: [istio],
          onUnrepresentable: mode,
        });
        const fromAdapter = result.diagnostics.filter((d: Diagnostic) => d.source === 'istio');
        // An adapter exception surfaces as core/adapter-error; there must be none.
        expect(result.diagnostics.filter((d) => d.code === 'core/adapter-error')).toEqual([]);
        // Every Istio diagnostic points into the file, at a line.
        for (const d of fromAdapter.filter((x) => x.location !== undefined))
          expect([d.code, d.location?.line]).not.toEqual([d.code, undefined]);
        if (mode === 'error') {
          for (const d of fromAdapter) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          if (result.diagnostics.some((d) => d.severity === 'error')) counts.errors += 1;
          else if (result.diagnostics.some((d) => d.severity === 'warning')) counts.warnings += 1;
          else counts.clean += 1;
        }
      }
    });

    it('prints the counts', () => {
      const top = [...codes]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([c, n]) => `${c} ${n}`);
      console.log(
        `corpus/istio: ${counts.files} files, ${counts.clean} clean, ${counts.warnings} with warnings, ${counts.errors} with errors; top codes: ${top.join(', ')}`,
      );
      expect(counts.clean + counts.warnings + counts.errors).toBe(counts.files);
    });
  },
);
