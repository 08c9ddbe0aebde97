import { toYamlStream, type AnyAdapter, type SourceFile } from '@meshlingo/core';
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

/** One golden case folder: `input.yaml`, optional `context.yaml` / `options.yaml`, `expected/<target>.yaml`. */
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

function readSource(path: string, name: string): SourceFile {
  return { path: name, text: readFileSync(path, 'utf8') };
}

/**
 * Finds the golden cases of a target under a fixtures directory: every folder with an
 * `input.yaml` and an `expected/<target>.yaml` (in update mode also the `<target>-*` folders;
 * to add a target's expectations to a shared case, create its empty expected file first).
 * Positions in diagnostics name the input as `input.yaml` so golden files do not depend on the
 * checkout path.
 */
export function loadGoldenCases(fixturesDir: string, target: string, update = false): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const name of readdirSync(fixturesDir).sort()) {
    const dir = join(fixturesDir, name);
    const inputPath = join(dir, 'input.yaml');
    const expectedPath = join(dir, 'expected', `${target}.yaml`);
    // Update mode writes only where this target already has expectations or into its own
    // `<target>-*` folders, never into other adapters' cases.
    const owned = existsSync(expectedPath) || (update && name.startsWith(`${target}-`));
    if (!existsSync(inputPath) || !owned) continue;
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
      diagnosticsPath: join(dir, 'expected', `${target}.diagnostics.json`),
    });
  }
  return out;
}

function toCase(c: GoldenCase): ValidCase & { diagnostics: readonly ExpectedDiagnostic[] } {
  const diagnostics = existsSync(c.diagnosticsPath)
    ? (JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[])
    : [];
  return {
    name: c.name,
    input: [c.input],
    ...(c.context !== undefined && { context: [c.context] }),
    core: c.core,
    options: c.options,
    output: readFileSync(c.expectedPath, 'utf8'),
    diagnostics,
  };
}

/**
 * Runs every golden case of an adapter through {@link AdapterTester}. With `update` (set
 * `UPDATE_GOLDEN=1`), writes the expected files instead: review every changed file before
 * committing it.
 */
export function runGoldenCases(
  adapter: AnyAdapter,
  fixturesDir: string,
  options: {
    readonly update?: boolean;
    readonly framework?: TestFramework;
    readonly from?: readonly AnyAdapter[];
  } = {},
): void {
  const cases = loadGoldenCases(fixturesDir, adapter.name, options.update === true);
  if (options.update === true) {
    for (const c of cases) {
      const result = runCase(adapter, {
        input: [c.input],
        ...(c.context !== undefined && { context: [c.context] }),
        core: c.core,
        options: c.options,
        ...(options.from !== undefined && { from: options.from }),
      });
      mkdirSync(join(c.dir, 'expected'), { recursive: true });
      writeFileSync(c.expectedPath, toYamlStream(result.objects));
      writeFileSync(
        c.diagnosticsPath,
        `${JSON.stringify(result.diagnostics.map(toExpected), null, 2)}\n`,
      );
    }
  }
  const valid: ValidCase[] = [];
  const invalid: InvalidCase[] = [];
  for (const c of cases) {
    const test = { ...toCase(c), ...(options.from !== undefined && { from: options.from }) };
    if (test.diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
    else valid.push(test);
  }
  new AdapterTester(options.framework).run(adapter, { valid, invalid });
}
