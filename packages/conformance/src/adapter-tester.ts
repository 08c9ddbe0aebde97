import {
  convert,
  toYamlStream,
  type AnyAdapter,
  type ConvertOptions,
  type ConvertResult,
  type OnUnrepresentable,
  type PipelineInput,
} from '@meshlingo/core';
import { compareDiagnostics, type ExpectedDiagnostic } from './expectations.js';

/** Core options a case may set. */
export interface CaseCoreOptions {
  readonly lenient?: boolean;
  readonly experimental?: boolean;
  readonly namespace?: string;
  readonly onUnrepresentable?: OnUnrepresentable;
}

/** Shared fields of test cases. */
interface BaseCase {
  /** Test title; defaults to the first line of the input. */
  readonly name?: string;
  /** YAML (or JSON) text, or named files. */
  readonly input: PipelineInput;
  /** Extra context (Services, ServiceAccounts, workloads). */
  readonly context?: PipelineInput;
  /** Adapter options by adapter name. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly core?: CaseCoreOptions;
  /** Read the input with these adapters first (migration cases); SMI input needs none. */
  readonly from?: readonly AnyAdapter[];
  /** The exact YAML stream the adapter must produce. */
  readonly output?: string;
}

/** A case that must produce no error. Its diagnostics (warnings, infos) are asserted when given. */
export interface ValidCase extends BaseCase {
  readonly diagnostics?: readonly ExpectedDiagnostic[];
}

/** A case that must produce errors, asserted one by one (all diagnostics, in order). */
export interface InvalidCase extends BaseCase {
  readonly diagnostics: readonly ExpectedDiagnostic[];
}

/** The test framework hooks; vitest's, jest's or mocha's `describe`/`it` fit. */
export interface TestFramework {
  readonly describe: (title: string, body: () => void) => void;
  readonly it: (title: string, body: () => void) => void;
}

function globalFramework(): TestFramework | undefined {
  const g = globalThis as { describe?: TestFramework['describe']; it?: TestFramework['it'] };
  return typeof g.describe === 'function' && typeof g.it === 'function'
    ? { describe: g.describe, it: g.it }
    : undefined;
}

/** Runs bodies directly: a failing case throws from `run()`. */
const immediate: TestFramework = {
  describe: (_title, body) => body(),
  it: (title, body) => {
    try {
      body();
    } catch (error) {
      throw new Error(`${title}: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
};

function caseTitle(c: BaseCase, index: number): string {
  if (c.name !== undefined) return c.name;
  const text =
    typeof c.input === 'string' ? (c.input.trim().split('\n')[0] ?? '') : `case ${index}`;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Runs one case through the pipeline with the adapter as the target. */
export function runCase(adapter: AnyAdapter, c: BaseCase): ConvertResult {
  const options: ConvertOptions = {
    to: [adapter],
    ...(c.from !== undefined && { from: c.from }),
    ...(c.context !== undefined && { context: c.context }),
    ...(c.options !== undefined && { adapterOptions: c.options }),
    ...c.core,
  };
  return convert(c.input, options);
}

/**
 * Tests an adapter with cases, in the manner of typescript-eslint's RuleTester: `valid` cases
 * must convert without errors (and match their expected output and diagnostics when given),
 * `invalid` cases must produce exactly the expected diagnostics. Assertions are on codes, data
 * and positions, never on message text. The `describe`/`it` hooks default to the globals of the
 * running test framework, and can be set for any other.
 */
export class AdapterTester {
  /** Overrides the test framework for every tester. */
  static framework: TestFramework | undefined;

  constructor(private readonly framework?: TestFramework) {}

  /** Runs the cases with the adapter as the target, in a suite named `title` (the adapter's name). */
  run(
    adapter: AnyAdapter,
    cases: { readonly valid?: readonly ValidCase[]; readonly invalid?: readonly InvalidCase[] },
    title: string = adapter.name,
  ): void {
    const fw = this.framework ?? AdapterTester.framework ?? globalFramework() ?? immediate;
    fw.describe(title, () => {
      if ((cases.valid ?? []).length > 0)
        fw.describe('valid', () => {
          (cases.valid ?? []).forEach((c, i) => {
            fw.it(caseTitle(c, i), () => {
              const result = runCase(adapter, c);
              const errors = result.diagnostics.filter((d) => d.severity === 'error');
              const problems: string[] = [];
              if (errors.length > 0 && c.diagnostics === undefined) {
                problems.push(
                  `expected no errors, got:\n${errors.map((d) => `  ${d.code} ${d.message}`).join('\n')}`,
                );
              }
              if (c.diagnostics !== undefined) {
                if (c.diagnostics.some((d) => d.severity === 'error'))
                  problems.push('a valid case cannot expect errors');
                problems.push(...compareDiagnostics(result.diagnostics, c.diagnostics));
              }
              problems.push(...compareOutput(result, c.output));
              if (problems.length > 0) throw new Error(problems.join('\n'));
            });
          });
        });
      if ((cases.invalid ?? []).length > 0)
        fw.describe('invalid', () => {
          (cases.invalid ?? []).forEach((c, i) => {
            fw.it(caseTitle(c, i), () => {
              const result = runCase(adapter, c);
              const problems: string[] = [];
              if (!result.diagnostics.some((d) => d.severity === 'error'))
                problems.push('expected at least one error');
              problems.push(...compareDiagnostics(result.diagnostics, c.diagnostics));
              problems.push(...compareOutput(result, c.output));
              if (problems.length > 0) throw new Error(problems.join('\n'));
            });
          });
        });
    });
  }
}

function compareOutput(result: ConvertResult, expected: string | undefined): string[] {
  if (expected === undefined) return [];
  const actual = toYamlStream(result.objects);
  if (actual === expected) return [];
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((l, i) => l !== e[i]);
  return [
    `output differs at line ${line + 1}:\n  expected: ${JSON.stringify(e[line])}\n  actual:   ${JSON.stringify(a[line])}\n--- actual output ---\n${actual}`,
  ];
}
