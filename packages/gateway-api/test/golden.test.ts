import {
  AdapterTester,
  runCase,
  runGoldenCases,
  toExpected,
  type ExpectedDiagnostic,
} from '@meshlingo/conformance';
import { smiAdapter, toYamlStream, type SourceFile } from '@meshlingo/core';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';
import { parseOptions } from './support.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

// Shared cases whose gateway-api output documents something: a TrafficTarget beside a split, and
// splits whose root Service is not in the input.
const SHARED_CASES = ['access-v1alpha3-basic', 'split-matches-to-v1alpha2-error'];
const FROM_PREFIX = 'gateway-api-from-';

function source(dir: string, name: string): SourceFile | undefined {
  const path = join(dir, name);
  return existsSync(path) ? { path: name, text: readFileSync(path, 'utf8') } : undefined;
}

function caseInput(dir: string): {
  input: SourceFile[];
  context?: SourceFile[];
  options: ReturnType<typeof parseOptions>;
} {
  const input = source(dir, 'input.yaml');
  if (input === undefined) throw new Error(`${dir} has no input.yaml`);
  const context = source(dir, 'context.yaml');
  return {
    input: [input],
    ...(context !== undefined && { context: [context] }),
    options: parseOptions(source(dir, 'options.yaml')?.text),
  };
}

function writeExpected(dir: string, stem: string, result: ReturnType<typeof runCase>): void {
  mkdirSync(join(dir, 'expected'), { recursive: true });
  writeFileSync(join(dir, 'expected', `${stem}.yaml`), toYamlStream(result.objects));
  writeFileSync(
    join(dir, 'expected', `${stem}.diagnostics.json`),
    `${JSON.stringify(result.diagnostics.map(toExpected), null, 2)}\n`,
  );
}

const emitCases = [
  ...SHARED_CASES,
  ...readdirSync(fixtures).filter(
    (n) => n.startsWith('gateway-api-') && !n.startsWith(FROM_PREFIX),
  ),
].sort();
const ingestCases = readdirSync(fixtures)
  .filter((n) => n.startsWith(FROM_PREFIX))
  .sort();

// UPDATE_GOLDEN=1 writes only this adapter's cases (the kit's update mode would write every
// fixture folder); review every changed file before committing it.
if (update) {
  for (const name of emitCases) {
    const dir = join(fixtures, name);
    const c = caseInput(dir);
    writeExpected(
      dir,
      'gateway-api',
      runCase(gatewayApiAdapter, { ...c, options: c.options.adapters, core: c.options.core }),
    );
  }
  for (const name of ingestCases) {
    const dir = join(fixtures, name);
    const c = caseInput(dir);
    writeExpected(
      dir,
      'gateway-api.to-smi',
      runCase(smiAdapter, {
        ...c,
        options: c.options.adapters,
        core: c.options.core,
        from: [gatewayApiAdapter],
      }),
    );
  }
}

// SMI in, Gateway API out: every fixtures/*/expected/gateway-api.yaml.
runGoldenCases(gatewayApiAdapter, fixtures, { framework: { describe, it } });

// Gateway API in, SMI out: fixtures/gateway-api-from-*/expected/gateway-api.to-smi.yaml.
describe('gateway-api ingest', () => {
  const cases = ingestCases.map((name) => {
    const dir = join(fixtures, name);
    const c = caseInput(dir);
    const diagnostics = JSON.parse(
      readFileSync(join(dir, 'expected', 'gateway-api.to-smi.diagnostics.json'), 'utf8'),
    ) as ExpectedDiagnostic[];
    return {
      name,
      input: c.input,
      ...(c.context !== undefined && { context: c.context }),
      options: c.options.adapters,
      core: c.options.core,
      from: [gatewayApiAdapter],
      output: readFileSync(join(dir, 'expected', 'gateway-api.to-smi.yaml'), 'utf8'),
      diagnostics,
    };
  });
  new AdapterTester({ describe, it }).run(smiAdapter, {
    valid: cases.filter((c) => !c.diagnostics.some((d) => d.severity === 'error')),
    invalid: cases.filter((c) => c.diagnostics.some((d) => d.severity === 'error')),
  });
});
