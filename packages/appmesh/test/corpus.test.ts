import { convert, type Diagnostic } from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/appmesh', import.meta.url));
const present = existsSync(corpus);
const files = present
  ? readdirSync(corpus)
      .filter((f) => /\.ya?ml(\.template)?$/.test(f))
      .sort()
  : [];

function tally(diagnostics: readonly Diagnostic[]): string {
  const by = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  return `${by('error')} errors, ${by('warning')} warnings, ${by('info')} infos`;
}

/** What `envsubst` with plausible values gives: `${APP_NAMESPACE}` becomes `app-namespace`. */
function substitute(text: string): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) =>
    name.toLowerCase().replace(/_/g, '-'),
  );
}

function ingest(file: string, text: string) {
  const result = convert([{ path: file, text }], { to: ['smi'], from: [appMeshAdapter] });
  expect(result.diagnostics.filter((d) => d.code === 'core/adapter-error')).toEqual([]);
  expect(result.diagnostics.length).toBeGreaterThan(0);
  return result;
}

// Real App Mesh manifests (walkthrough templates with ${VAR} placeholders, legacy v1beta1, Helm
// templates): each is read into SMI with diagnostics and never crashes the adapter. Templates are
// read as they are (placeholders are reported as core/placeholder) and once more with the
// placeholders filled in, so every App Mesh field in them goes through ingest.
describe.skipIf(!present)(`App Mesh corpus (${corpus})`, () => {
  const rows: string[] = [];
  for (const file of files) {
    it(file, () => {
      const text = readFileSync(join(corpus, file), 'utf8');
      const raw = ingest(file, text);
      const templated = /\$\{[A-Za-z0-9_]+\}/.test(text);
      const filled = templated ? ingest(file, substitute(text)) : raw;
      expect(filled.diagnostics.filter((d) => d.code === 'core/placeholder')).toEqual([]);
      const kinds = [...new Set(filled.objects.map((o) => o.kind))].join(', ') || '-';
      const placeholders = raw.diagnostics.filter((d) => d.code === 'core/placeholder').length;
      rows.push(
        `${file}: ${tally(raw.diagnostics)} (${placeholders} placeholders)` +
          (templated ? `; filled in: ${tally(filled.diagnostics)}` : '') +
          `; ${filled.objects.length} SMI objects (${kinds})`,
      );
    });
  }
  it('summary', () => {
    expect(rows).toHaveLength(files.length);
    console.log(`App Mesh corpus: ${files.length} files\n${rows.sort().join('\n')}`);
  });
});
