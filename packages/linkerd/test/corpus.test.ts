import { convert, decodeSource } from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import linkerd from '../src/index.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/linkerd', import.meta.url));
const available = existsSync(corpus);

describe.skipIf(!available)('the Linkerd corpus (real upstream manifests)', () => {
  it('ingests every file with diagnostics and no crash', () => {
    const files = readdirSync(corpus)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
    const codes = new Map<string, number>();
    let claimed = 0;
    let smi = 0;
    const crashes: string[] = [];
    for (const name of files) {
      const decoded = decodeSource(name, readFileSync(join(corpus, name)));
      if (decoded.file === undefined) continue;
      let result;
      try {
        result = convert([decoded.file], { to: ['smi'], from: [linkerd], lenient: true });
      } catch (error) {
        crashes.push(`${name}: ${String(error)}`);
        continue;
      }
      for (const d of result.diagnostics) {
        codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
        // An adapter that throws is caught by the pipeline and reported as core/adapter-error.
        if (d.code === 'core/adapter-error') crashes.push(`${name}: ${d.message}`);
        if (d.source === 'linkerd' && d.severity === 'error' && d.location?.line === undefined)
          crashes.push(`${name}: ${d.code} has no position`);
      }
      claimed += result.diagnostics.length > 0 || result.objects.length > 0 ? 1 : 0;
      smi += result.objects.length;
    }
    const top = [...codes].sort((a, b) => b[1] - a[1]);
    console.log(
      `corpus/linkerd: ${files.length} files, ${claimed} with output or diagnostics, ${smi} SMI objects, ${crashes.length} crashes; diagnostics: ${top.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    expect(crashes).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
    expect([...codes.keys()].some((c) => c.startsWith('linkerd/'))).toBe(true);
  });
});

describe.skipIf(available)('the Linkerd corpus', () => {
  it(`is skipped: ${corpus} not found (the repository must pass without ../shared)`, () => {
    expect(available).toBe(false);
  });
});
