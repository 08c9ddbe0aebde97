import {
  convert,
  parseYamlStream,
  toManifests,
  type Diagnostic,
  type SourceFile,
} from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import consul from '../src/index.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/consul', import.meta.url));
const present = existsSync(corpus);

function files(): SourceFile[] {
  return readdirSync(corpus)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(corpus, f), 'utf8') }));
}

function tally(diagnostics: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
}

describe.skipIf(!present)(
  `the real Consul manifests of the corpus (${corpus}, skipped when absent)`,
  () => {
    it('ingest file by file with diagnostics and no adapter failure', () => {
      const summary: string[] = [];
      let claimed = 0;
      for (const file of files()) {
        const result = convert([file], { from: [consul], to: ['smi'] });
        expect(result.diagnostics.filter((d) => d.code === 'core/adapter-error')).toEqual([]);
        const objects = toManifests(parseYamlStream(file).documents).manifests.map((m) => m.object);
        const consulObjects = objects.filter((o) => consul.claims(o));
        claimed += consulObjects.length;
        // Every Consul object becomes SMI or is explained by a diagnostic; only a ServiceDefaults
        // that sets nothing but the protocol is used up without either.
        const telling = consulObjects.filter(
          (o) => !(o.kind === 'ServiceDefaults' && Object.keys(o.spec ?? {}).join() === 'protocol'),
        );
        if (telling.length > 0 && result.objects.length === 0)
          expect(result.diagnostics.length, file.path).toBeGreaterThan(0);
        summary.push(
          `${file.path}: ${consulObjects.length} consul objects -> ${result.objects.length} SMI objects; ${tally(result.diagnostics)}`,
        );
      }
      console.log(`consul corpus, ${claimed} objects:\n${summary.join('\n')}`);
      expect(claimed).toBeGreaterThan(0);
    });

    it('ingest all together (the context files place the services) with no adapter failure', () => {
      const result = convert(files(), { from: [consul], to: ['smi'] });
      expect(result.diagnostics.filter((d) => d.code === 'core/adapter-error')).toEqual([]);
      console.log(
        `consul corpus as one input: ${result.objects.length} SMI objects; ${tally(result.diagnostics)}`,
      );
      expect(result.objects.length).toBeGreaterThan(0);
    });
  },
);
