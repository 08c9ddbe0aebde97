import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const adapter = join(repo, 'packages', 'consul', 'dist', 'index.js');
const bookstore = join(repo, 'examples', 'bookstore');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `meshlingo convert --adapter <built consul adapter> ...args`. */
function convert(args: readonly string[]): Run {
  const result = spawnSync(bin, ['convert', '--adapter', adapter, ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Item {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: Record<string, unknown>;
}

function items(stdout: string): Item[] {
  const parsed = JSON.parse(stdout) as { items?: Item[] } & Item;
  return parsed.items ?? [parsed];
}

function codes(stderr: string): string[] {
  return (JSON.parse(stderr) as { code: string }[]).map((d) => d.code);
}

beforeAll(() => {
  for (const [what, path] of [
    ['the CLI', join(repo, 'packages', 'cli', 'dist', 'cli.js')],
    ['@meshlingo/consul', adapter],
  ] as const)
    if (!existsSync(path))
      throw new Error(
        `${what} is not built (${path} is missing); run \`npm test\` or \`npm run build\` first`,
      );
});

describe('meshlingo --adapter packages/consul/dist/index.js (built binary)', () => {
  let consulJson = '';

  it('converts the bookstore to Consul (exit 0)', () => {
    const r = convert(['--to', 'consul', '-f', bookstore, '-o', 'json', '--diagnostics', 'json']);
    expect(r.code, r.stderr).toBe(0);
    consulJson = r.stdout;
    const kinds = items(r.stdout).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).toEqual([
      'ServiceDefaults/bookstore',
      'ServiceDefaults/bookwarehouse',
      'ServiceResolver/bookstore',
      'ServiceSplitter/bookstore',
      'ServiceIntentions/bookstore',
      'ServiceIntentions/bookwarehouse',
      'ServiceIntentions/mysql',
    ]);
    expect(codes(r.stderr)).toContain('consul/ports-cover-workloads');
  });

  it('reads its output back with --from consul to the same SMI names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-consul-'));
    const file = join(dir, 'consul.json');
    writeFileSync(file, consulJson);
    const r = convert([
      '--from',
      'consul',
      '--to',
      'smi',
      '-f',
      file,
      '--context',
      bookstore,
      '-o',
      'json',
      '--diagnostics',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(codes(r.stderr)).toEqual([]);
    const names = items(r.stdout).map(
      (o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
    );
    expect(names).toEqual([
      'TCPRoute/bookwarehouse/mysql',
      'HTTPRouteGroup/bookstore/bookstore-service-routes',
      'HTTPRouteGroup/bookwarehouse/bookwarehouse-service-routes',
      'TrafficTarget/bookstore/bookbuyer-access-bookstore',
      'TrafficTarget/bookwarehouse/bookstore-access-bookwarehouse',
      'TrafficTarget/bookwarehouse/bookwarehouse-access-mysql',
      'TrafficSplit/bookstore/bookstore-canary',
    ]);
  });

  it('exits 1 when a restriction cannot be carried, and writes it with --on-unrepresentable widen', () => {
    const input = join(repo, 'fixtures', 'consul-tv2-port-error', 'input.yaml');
    const strict = convert(['--to', 'consul', '-f', input, '--diagnostics', 'json']);
    expect(strict.code).toBe(1);
    expect(codes(strict.stderr)).toContain('consul/port-restriction-dropped');
    const widened = convert([
      '--to',
      'consul',
      '-f',
      input,
      '--on-unrepresentable',
      'widen',
      '-o',
      'json',
    ]);
    expect(widened.code, widened.stderr).toBe(0);
    expect(items(widened.stdout).map((o) => o.kind)).toEqual([
      'ServiceDefaults',
      'ServiceIntentions',
    ]);
  });

  it('takes adapter options with --set', () => {
    const input = join(repo, 'fixtures', 'consul-tv8-mirroring', 'input.yaml');
    const r = convert([
      '--to',
      'consul',
      '-f',
      input,
      '--set',
      'consul.namespaces.mode=mirroring',
      '--set',
      'consul.namespaces.prefix=k8s-',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const [intentions] = items(r.stdout);
    expect(intentions?.spec.destination).toEqual({ name: 'api', namespace: 'k8s-shop' });
  });

  it('reports invalid options as a usage problem', () => {
    const r = convert([
      '--to',
      'consul',
      '-f',
      bookstore,
      '--set',
      'consul.backends=maybe',
      '--diagnostics',
      'json',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('backends');
  });
});
