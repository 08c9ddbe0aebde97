import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const adapter = join(repo, 'packages', 'istio', 'dist', 'index.js');

function run(
  args: string[],
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin, args, { cwd: repo, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Listed {
  readonly items: {
    kind: string;
    apiVersion: string;
    metadata: { name: string; namespace: string };
  }[];
}

const names = (stdout: string): string[] =>
  (JSON.parse(stdout) as Listed).items
    .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)
    .sort();

beforeAll(() => {
  // `npm test` builds every package before the tests run.
  for (const [what, path] of [
    ['the CLI', join(repo, 'packages', 'cli', 'dist', 'cli.js')],
    ['@meshlingo/istio', adapter],
  ] as const)
    if (!existsSync(path))
      throw new Error(`${what} is not built (${path} missing): run "npm run build" first`);
});

describe('meshlingo CLI with the Istio adapter (--adapter)', () => {
  it('converts the bookstore demo to Istio and reads it back to the same SMI', () => {
    const to = run([
      'convert',
      '--adapter',
      adapter,
      '--to',
      'istio',
      '-f',
      'examples/bookstore',
      '--set',
      'istio.defaultDeny=namespaces',
      '-o',
      'json',
    ]);
    expect(to.stderr).not.toMatch(/ error /);
    expect(to.code).toBe(0);
    expect(names(to.stdout)).toEqual([
      'AuthorizationPolicy bookbuyer/default-deny',
      'AuthorizationPolicy bookstore/bookbuyer-access-bookstore',
      'AuthorizationPolicy bookstore/default-deny',
      'AuthorizationPolicy bookthief/default-deny',
      'AuthorizationPolicy bookwarehouse/bookstore-access-bookwarehouse',
      'AuthorizationPolicy bookwarehouse/bookwarehouse-access-mysql',
      'AuthorizationPolicy bookwarehouse/default-deny',
      'VirtualService bookstore/bookstore-canary',
    ]);
    const back = run(
      [
        'convert',
        '--adapter',
        adapter,
        '--from',
        'istio',
        '--to',
        'smi',
        '-f',
        '-',
        '--context',
        'examples/bookstore',
        '-o',
        'json',
      ],
      to.stdout,
    );
    expect(back.code).toBe(0);
    const smi = run(['convert', '--to', 'smi', '-f', 'examples/bookstore', '-o', 'json']);
    expect(names(back.stdout)).toEqual(names(smi.stdout));
  });

  it('writes v1beta1 and percentages for Istio 1.14', () => {
    const out = run([
      'convert',
      '--adapter',
      adapter,
      '--to',
      'istio',
      '-f',
      'fixtures/istio-tv4-weights/input.yaml',
      '--context',
      'fixtures/istio-tv4-weights/context.yaml',
      '--set',
      'istio.istioVersion=1.14',
      '-o',
      'json',
    ]);
    expect(out.code).toBe(0);
    const items = (JSON.parse(out.stdout) as Listed).items;
    expect(items.map((o) => o.apiVersion)).toEqual([
      'networking.istio.io/v1beta1',
      'networking.istio.io/v1beta1',
    ]);
    expect(out.stderr).toContain('istio/weights-percent');
  });

  it('exits 1 with a positioned diagnostic when a restriction cannot be carried', () => {
    const out = run([
      'convert',
      '--adapter',
      adapter,
      '--to',
      'istio',
      '-f',
      'fixtures/istio-tv8-no-context/input.yaml',
      '--diagnostics',
      'json',
    ]);
    expect(out.code).toBe(1);
    const diagnostics = JSON.parse(out.stderr) as { code: string; location?: { line?: number } }[];
    const error = diagnostics.find((d) => d.code === 'istio/selector-unresolved');
    expect(error?.location?.line).toBe(14);
  });

  it('rejects bad adapter options as a usage problem', () => {
    const out = run([
      'convert',
      '--adapter',
      adapter,
      '--to',
      'istio',
      '-f',
      'examples/bookstore',
      '--set',
      'istio.defaultDeny=sometimes',
    ]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('defaultDeny');
  });
});
