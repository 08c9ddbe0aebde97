import {
  AdapterTester,
  loadGoldenCases,
  runCase,
  runGoldenCases,
  toExpected,
  type ExpectedDiagnostic,
  type GoldenCase,
  type InvalidCase,
  type ValidCase,
} from '@meshlingo/conformance';
import { smiAdapter, toYamlStream, type AnyAdapter } from '@meshlingo/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import appMeshAdapter from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const framework = { describe, it };

const INGEST_TARGET = 'appmesh.smi';
const isIngest = (name: string): boolean => name.startsWith('appmesh-ingest-');
const isEmit = (name: string): boolean => name.startsWith('appmesh-') && !isIngest(name);

/**
 * Writes the expected files of this adapter's cases only (the kit's update mode would write an
 * expectation into every fixture folder). Review every changed file before committing it.
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

if (update) {
  regenerate(
    loadGoldenCases(fixtures, appMeshAdapter.name, true).filter((c) => isEmit(c.name)),
    appMeshAdapter,
  );
  regenerate(
    loadGoldenCases(fixtures, INGEST_TARGET, true).filter((c) => isIngest(c.name)),
    smiAdapter,
    [appMeshAdapter],
  );
}

// SMI in, App Mesh out: every fixture with an expected/appmesh.yaml.
runGoldenCases(appMeshAdapter, fixtures, { framework });

// App Mesh in, SMI out: fixtures named appmesh-ingest-* with an expected/appmesh.smi.yaml.
describe('appmesh ingest', () => {
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  for (const c of loadGoldenCases(fixtures, INGEST_TARGET).filter((g) => isIngest(g.name))) {
    const diagnostics = existsSync(c.diagnosticsPath)
      ? (JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[])
      : [];
    const test = {
      name: c.name,
      input: [c.input],
      ...(c.context !== undefined && { context: [c.context] }),
      core: c.core,
      options: c.options,
      from: [appMeshAdapter],
      output: readFileSync(c.expectedPath, 'utf8'),
      diagnostics,
    };
    if (diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
    else valid.push(test);
  }
  new AdapterTester(framework).run(smiAdapter, { valid, invalid });
});
