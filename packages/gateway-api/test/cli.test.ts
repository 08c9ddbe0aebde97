import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const adapter = join(repo, 'packages', 'gateway-api', 'dist', 'index.js');
const bookstore = join(repo, 'examples', 'bookstore');

/** Runs `meshlingo convert --adapter <built gateway-api> ...args`. */
function meshlingo(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin, ['convert', '--adapter', adapter, ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  for (const [what, path] of [
    ['the CLI', join(repo, 'packages', 'cli', 'dist', 'cli.js')],
    ['@meshlingo/gateway-api', adapter],
  ] as const)
    if (!existsSync(path))
      throw new Error(
        `${what} is not built (${path} is missing); run \`npm test\` or \`npm run build\` first`,
      );
});

describe('meshlingo --adapter packages/gateway-api/dist/index.js (built binary)', () => {
  it('refuses to drop the bookstore TrafficTargets silently (exit 1, one error each)', () => {
    const r = meshlingo(['--to', 'gateway-api', '-f', bookstore, '--diagnostics', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const diagnostics = JSON.parse(r.stderr) as { code: string; severity: string }[];
    expect(
      diagnostics.filter((d) => d.code === 'gateway-api/traffic-target-not-supported'),
    ).toHaveLength(3);
  });

  it('converts the bookstore split to an HTTPRoute when access may be left to the mesh', () => {
    const r = meshlingo(['--to', 'gateway-api', '-f', bookstore, '--on-unrepresentable', 'widen']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kind: HTTPRoute');
    expect(r.stdout).toContain('name: bookstore-canary');
    expect(r.stdout).toMatch(/- group: ""\n\s+kind: Service\n\s+name: bookstore\n\s+port: 14001/);
    expect(r.stderr).toContain('[gateway-api/traffic-target-not-supported]');
  });

  it('composes with another target that writes the access area', () => {
    const r = meshlingo(['--to', 'gateway-api,smi', '-f', bookstore, '-o', 'json']);
    expect(r.code).toBe(0);
    const kinds = (JSON.parse(r.stdout) as { items: { kind: string }[] }).items.map((o) => o.kind);
    expect(kinds).toContain('HTTPRoute');
    expect(kinds).toContain('TrafficTarget');
    expect(r.stderr).not.toContain('traffic-target-not-supported');
  });

  it('reads its own output back to SMI with --from gateway-api', () => {
    const emitted = meshlingo([
      '--to',
      'gateway-api',
      '-f',
      join(bookstore, 'split.yaml'),
      '--context',
      join(bookstore, 'workloads.yaml'),
    ]);
    expect(emitted.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-gateway-api-'));
    const file = join(dir, 'routes.yaml');
    writeFileSync(file, emitted.stdout);
    const back = meshlingo([
      '--from',
      'gateway-api',
      '--to',
      'smi',
      '-f',
      file,
      '--context',
      join(bookstore, 'workloads.yaml'),
    ]);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('kind: TrafficSplit');
    expect(back.stdout).toContain('name: bookstore-canary');
    expect(back.stdout).toMatch(/service: bookstore-v1\n\s+weight: 90/);
  });

  it('passes adapter options with --set', () => {
    const r = meshlingo([
      '--to',
      'gateway-api',
      '-f',
      join(bookstore, 'split.yaml'),
      '--context',
      join(bookstore, 'workloads.yaml'),
      '--set',
      'gateway-api.version=2.0',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[core/invalid-options]');
  });
});
