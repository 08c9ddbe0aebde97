import {
  AdapterTester,
  loadGoldenCases,
  runCase,
  runGoldenCases,
  toExpected,
  type ExpectedDiagnostic,
  type GoldenCase,
  type ValidCase,
} from '@meshlingo/conformance';
import { smiAdapter, toYamlStream, type AnyAdapter } from '@meshlingo/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import istio from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const framework = { describe, it };

/**
 * Writes the expected files of the cases this adapter owns. The kit's own update mode would write
 * into every fixture folder (other adapters' cases too), so updates are limited here to folders
 * that already have an Istio expectation or are named for this adapter.
 */
function regenerate(
  cases: readonly GoldenCase[],
  target: AnyAdapter,
  from?: readonly AnyAdapter[],
): void {
  for (const c of cases) {
    const result = runCase(target, {
      input: [c.input],
      ...(c.context !== undefined && { context: [c.context] }),
      core: c.core,
      options: c.options,
      ...(from !== undefined && { from }),
    });
    mkdirSync(join(c.dir, 'expected'), { recursive: true });
    writeFileSync(c.expectedPath, toYamlStream(result.objects));
    writeFileSync(
      c.diagnosticsPath,
      `${JSON.stringify(result.diagnostics.map(toExpected), null, 2)}\n`,
    );
  }
}

const ingestCase = (name: string): boolean => name.startsWith('istio-ingest-');

if (update) {
  regenerate(
    loadGoldenCases(fixtures, 'istio', true).filter(
      (c) => existsSync(c.expectedPath) || (c.name.startsWith('istio-') && !ingestCase(c.name)),
    ),
    istio,
  );
  regenerate(
    loadGoldenCases(fixtures, 'istio.smi', true).filter((c) => ingestCase(c.name)),
    smiAdapter,
    [istio],
  );
}

// SMI in, Istio out: every fixture with an expected/istio.yaml.
runGoldenCases(istio, fixtures, { framework });

// Istio in, SMI out: fixtures named istio-ingest-* with expected/istio.smi.yaml.
describe('ingest', () => {
  const valid: ValidCase[] = [];
  const invalid: (ValidCase & { diagnostics: readonly ExpectedDiagnostic[] })[] = [];
  for (const c of loadGoldenCases(fixtures, 'istio.smi').filter((x) => ingestCase(x.name))) {
    const diagnostics = JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[];
    const test = {
      name: c.name,
      input: [c.input],
      ...(c.context !== undefined && { context: [c.context] }),
      core: c.core,
      options: c.options,
      from: [istio],
      output: readFileSync(c.expectedPath, 'utf8'),
      diagnostics,
    };
    if (diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
    else valid.push(test);
  }
  new AdapterTester(framework).run(smiAdapter, { valid, invalid });
});
