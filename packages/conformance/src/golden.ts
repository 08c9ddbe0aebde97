import { smiAdapter, toYamlStream, type AnyAdapter, type SourceFile } from '@meshlingo/core';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import {
  AdapterTester,
  runCase,
  type CaseCoreOptions,
  type InvalidCase,
  type TestFramework,
  type ValidCase,
} from './adapter-tester.js';
import { toExpected, type ExpectedDiagnostic } from './expectations.js';

/**
 * One golden case folder: `input.yaml`, optional `context.yaml` / `options.yaml`, and the
 * expected output of one direction: `expected/<adapter>.yaml` (SMI in, native out) or
 * `expected/<adapter>.smi.yaml` (native in, SMI out), each with a `.diagnostics.json`.
 */
export interface GoldenCase {
  readonly name: string;
  readonly dir: string;
  readonly input: SourceFile;
  readonly context?: SourceFile;
  readonly core: CaseCoreOptions;
  readonly options: Readonly<Record<string, unknown>>;
  readonly expectedPath: string;
  readonly diagnosticsPath: string;
}

/** Which way a golden case converts. */
export type GoldenDirection = 'emit' | 'ingest';

function readSource(path: string, name: string): SourceFile {
  return { path: name, text: readFileSync(path, 'utf8') };
}

/**
 * Finds the golden cases of an adapter in one direction. A folder belongs to it when it already
 * has the expected file; in update mode also when it is named for the adapter: `<adapter>-ingest-*`
 * for ingest, any other `<adapter>-*` for emit. Update mode therefore never writes into other
 * adapters' cases; to add an adapter's expectations to a shared case, create the empty expected
 * file first. Positions name the input `input.yaml`, so golden files do not depend on the path.
 */
export function loadGoldenCases(
  fixturesDir: string,
  adapter: string,
  update = false,
  direction: GoldenDirection = 'emit',
): GoldenCase[] {
  const stem = direction === 'emit' ? adapter : `${adapter}.smi`;
  const out: GoldenCase[] = [];
  for (const name of readdirSync(fixturesDir).sort()) {
    const dir = join(fixturesDir, name);
    const inputPath = join(dir, 'input.yaml');
    const expectedPath = join(dir, 'expected', `${stem}.yaml`);
    const ingestName = name.startsWith(`${adapter}-ingest-`);
    const named =
      direction === 'ingest' ? ingestName : name.startsWith(`${adapter}-`) && !ingestName;
    if (!existsSync(inputPath) || !(existsSync(expectedPath) || (update && named))) continue;
    const optionsPath = join(dir, 'options.yaml');
    const raw = existsSync(optionsPath)
      ? (load(readFileSync(optionsPath, 'utf8')) as Record<string, unknown> | null)
      : null;
    const { core, ...options } = (raw ?? {}) as { core?: CaseCoreOptions } & Record<
      string,
      unknown
    >;
    const contextPath = join(dir, 'context.yaml');
    out.push({
      name,
      dir,
      input: readSource(inputPath, 'input.yaml'),
      ...(existsSync(contextPath) && { context: readSource(contextPath, 'context.yaml') }),
      core: core ?? {},
      options,
      expectedPath,
      diagnosticsPath: join(dir, 'expected', `${stem}.diagnostics.json`),
    });
  }
  return out;
}

function caseOf(c: GoldenCase, from: readonly AnyAdapter[] | undefined): ValidCase {
  return {
    name: c.name,
    input: [c.input],
    ...(c.context !== undefined && { context: [c.context] }),
    core: c.core,
    options: c.options,
    ...(from !== undefined && { from }),
  };
}

function runDirection(
  adapter: AnyAdapter,
  fixturesDir: string,
  direction: GoldenDirection,
  update: boolean,
  framework: TestFramework | undefined,
): void {
  // Ingest cases read the adapter's native objects and write SMI.
  const target = direction === 'emit' ? adapter : smiAdapter;
  const from = direction === 'emit' ? undefined : [adapter];
  const cases = loadGoldenCases(fixturesDir, adapter.name, update, direction);
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  for (const c of cases) {
    if (update) {
      const result = runCase(target, caseOf(c, from));
      mkdirSync(join(c.dir, 'expected'), { recursive: true });
      writeFileSync(c.expectedPath, toYamlStream(result.objects));
      writeFileSync(
        c.diagnosticsPath,
        `${JSON.stringify(result.diagnostics.map(toExpected), null, 2)}\n`,
      );
    }
    const diagnostics = existsSync(c.diagnosticsPath)
      ? (JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[])
      : [];
    const test = { ...caseOf(c, from), output: readFileSync(c.expectedPath, 'utf8'), diagnostics };
    if (diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
    else valid.push(test);
  }
  if (valid.length + invalid.length === 0) return;
  const title = direction === 'emit' ? adapter.name : `${adapter.name} to smi`;
  new AdapterTester(framework).run(target, { valid, invalid }, title);
}

/**
 * Runs every golden case of an adapter through {@link AdapterTester}, both ways: SMI to native
 * (`expected/<adapter>.yaml`) and native to SMI (`expected/<adapter>.smi.yaml`). With `update`
 * (set `UPDATE_GOLDEN=1`) the expected files of the adapter's own cases are written first:
 * review every changed file before committing it.
 */
export function runGoldenCases(
  adapter: AnyAdapter,
  fixturesDir: string,
  options: { readonly update?: boolean; readonly framework?: TestFramework } = {},
): void {
  const update = options.update === true;
  runDirection(adapter, fixturesDir, 'emit', update, options.framework);
  if (adapter !== smiAdapter)
    runDirection(adapter, fixturesDir, 'ingest', update, options.framework);
}
