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
import consul from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const framework = { describe, it };
const isIngest = (name: string): boolean => name.startsWith('consul-ingest-');

/**
 * Writes expected files for the cases of this adapter only: folders that already expect Consul
 * output, and folders named consul-*. (The kit's update mode writes into every fixture folder.)
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

if (process.env.UPDATE_GOLDEN === '1') {
  regenerate(
    loadGoldenCases(fixtures, 'consul', true).filter(
      (c) => existsSync(c.expectedPath) || (c.name.startsWith('consul-') && !isIngest(c.name)),
    ),
    consul,
  );
  regenerate(
    loadGoldenCases(fixtures, 'consul.smi', true).filter((c) => isIngest(c.name)),
    smiAdapter,
    [consul],
  );
}

// SMI in, Consul out: every fixture with an expected/consul.yaml.
runGoldenCases(consul, fixtures, { framework });

// Consul in, SMI out: the consul-ingest-* fixtures, expected/consul.smi.yaml.
describe('consul ingest', () => {
  const valid: ValidCase[] = [];
  const invalid: (ValidCase & { diagnostics: readonly ExpectedDiagnostic[] })[] = [];
  for (const c of loadGoldenCases(fixtures, 'consul.smi').filter((x) => isIngest(x.name))) {
    const diagnostics = JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[];
    const test = {
      name: c.name,
      input: [c.input],
      ...(c.context !== undefined && { context: [c.context] }),
      core: c.core,
      options: c.options,
      from: [consul],
      output: readFileSync(c.expectedPath, 'utf8'),
      diagnostics,
    };
    if (diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
    else valid.push(test);
  }
  new AdapterTester(framework).run(smiAdapter, { valid, invalid });
});
