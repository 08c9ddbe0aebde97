import fc from 'fast-check';
import {
  convert,
  toYamlStream,
  type AnyAdapter,
  type Diagnostic,
  type SourceFile,
} from '@meshlingo/core';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllBuiltins } from '../src/adapters.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const shared = join(repo, '..', 'shared', 'corpus');
const seed = Number(process.env.MESHLINGO_SEED ?? 20261126);
const runs = Number(process.env.MESHLINGO_FUZZ_RUNS ?? 60);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.(ya?ml|json)(\.template)?$/.test(name) && statSync(path).size < 200_000 ? [path] : [];
  });
}

/** Seeds for mutation: the fixtures, the examples and, when present, the upstream corpus. */
const seeds = [
  ...yamlFiles(join(repo, 'fixtures')),
  ...yamlFiles(join(repo, 'examples')),
  ...yamlFiles(shared),
].map((p) => readFileSync(p, 'utf8'));

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'indent' | 'dedent' | 'truncate' | 'nullify'; at: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'truncate', 'nullify'),
    at: fc.nat(),
  }) as fc.Arbitrary<Mutation>,
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom(
        ': ',
        '- ',
        '{',
        '}',
        '[',
        ']',
        '&a ',
        '*a',
        '<<: *a',
        '\t',
        '---\n',
        '"',
        "'",
        '#',
        '__proto__: {x: 1}',
        'constructor: 1',
        '\u0000',
        '\uFEFF',
        'ports: ["80"]',
        'weight: -1',
        '<NAMESPACE>',
      ),
      fc.string({ maxLength: 8 }),
    ),
  }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let lines = text.split('\n');
  for (const m of mutations) {
    const i = lines.length === 0 ? 0 : m.at % lines.length;
    switch (m.kind) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, lines[i] ?? '');
        break;
      case 'indent':
        lines[i] = `  ${lines[i] ?? ''}`;
        break;
      case 'dedent':
        lines[i] = (lines[i] ?? '').replace(/^ {1,2}/, '');
        break;
      case 'truncate':
        lines = lines.slice(0, i);
        break;
      case 'nullify':
        // `key: value` becomes `key:`, which YAML reads as null.
        lines[i] = (lines[i] ?? '').replace(/:\s.*$/, ':');
        break;
      case 'insert': {
        const line = lines[i] ?? '';
        const col = m.at % (line.length + 1);
        lines[i] = line.slice(0, col) + m.text + line.slice(col);
        break;
      }
    }
  }
  return lines.join('\n');
}

const input: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
      .map(([text, ms]) => mutate(text, ms)),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom(...'ab:-[]{}&*!|>\'"#%@`,? \n\t0123456789'.split('')),
      maxLength: 200,
    }),
  },
);

let adapters: AnyAdapter[] = [];
beforeAll(async () => {
  adapters = await loadAllBuiltins();
});

function checkRun(
  label: string,
  run: () => { objects: unknown[]; diagnostics: Diagnostic[] },
): void {
  const started = Date.now();
  const first = run();
  // A hang guard, not a performance test: a document must never take seconds.
  expect(Date.now() - started, `${label} took too long`).toBeLessThan(5_000);
  for (const d of first.diagnostics) {
    expect(d.code, `${label}: an adapter crashed: ${d.message}`).not.toBe('core/adapter-error');
    if (d.severity === 'error' && d.code !== 'core/invalid-options') {
      expect(d.location?.line, `${label}: ${d.code} has no position`).toBeGreaterThan(0);
    }
  }
  const second = run();
  expect(toYamlStream(second.objects), `${label}: output not deterministic`).toBe(
    toYamlStream(first.objects),
  );
  expect(JSON.stringify(second.diagnostics), `${label}: diagnostics not deterministic`).toBe(
    JSON.stringify(first.diagnostics),
  );
}

describe('fuzzing the reader, every adapter and the CLI', () => {
  it('never crashes, hangs, drifts or loses a position on random and mutated input', () => {
    const prototypes = [
      Object.prototype,
      Array.prototype,
      Function.prototype,
      String.prototype,
    ].map((p) => Object.getOwnPropertyNames(p).join());
    fc.assert(
      fc.property(input, (text) => {
        const files: SourceFile[] = [{ path: 'fuzz.yaml', text }];
        for (const mode of [false, true]) {
          checkRun(`smi lenient=${mode}`, () => convert(files, { to: ['smi'], lenient: mode }));
        }
        for (const adapter of adapters) {
          checkRun(`emit ${adapter.name}`, () =>
            convert(files, { to: [adapter], onUnrepresentable: 'narrow' }),
          );
          checkRun(`ingest ${adapter.name}`, () =>
            convert(files, { to: ['smi'], from: [adapter] }),
          );
        }
        const after = [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(
          (p) => Object.getOwnPropertyNames(p).join(),
        );
        expect(after).toEqual(prototypes);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { numRuns: runs, seed },
    );
  }, 120_000);

  it('the CLI exits 0 or 1 (never crashes) on mutated input from stdin', () => {
    const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
    const samples = fc.sample(input, { numRuns: 8, seed });
    for (const text of samples) {
      const r = spawnSync(
        bin,
        ['convert', '--to', 'smi', '--from', 'auto', '-f', '-', '--diagnostics', 'json'],
        { input: text, encoding: 'utf8' },
      );
      expect([0, 1], `exit ${r.status}: ${r.stderr.slice(0, 500)}`).toContain(r.status);
      const diagnostics = JSON.parse(r.stderr) as Diagnostic[];
      expect(Array.isArray(diagnostics)).toBe(true);
    }
  }, 60_000);
});
