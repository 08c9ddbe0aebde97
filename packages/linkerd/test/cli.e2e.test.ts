import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const adapter = join(repo, 'packages', 'linkerd', 'dist', 'index.js');
const bookstore = join(repo, 'examples', 'bookstore');

/** Runs `meshlingo convert --adapter <built adapter> ...args`. */
function convert(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin, ['convert', '--adapter', adapter, ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  for (const [what, path] of [
    ['the CLI', join(repo, 'packages', 'cli', 'dist', 'cli.js')],
    ['the Linkerd adapter', adapter],
  ] as const)
    if (!existsSync(path))
      throw new Error(
        `${what} is not built (${path}); run \`npm test\` or \`npm run build\` first`,
      );
});

describe('meshlingo --adapter packages/linkerd/dist/index.js (built binary)', () => {
  it('converts the bookstore demo to Linkerd', () => {
    const r = convert(['--to', 'linkerd', '-f', bookstore]);
    expect(r.code).toBe(0);
    for (const kind of ['Server', 'MeshTLSAuthentication', 'HTTPRoute', 'AuthorizationPolicy'])
      expect(r.stdout).toContain(`kind: ${kind}\n`);
    expect(r.stdout).toContain('name: bookstore-canary-14001');
    expect(r.stderr).toContain('[linkerd/default-allow]');
  });

  it('reads its own output back into the SMI it came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-linkerd-'));
    const out = join(dir, 'linkerd.yaml');
    const emitted = convert([
      '--to',
      'linkerd',
      '--set',
      'linkerd.defaultDeny=cluster',
      '-f',
      bookstore,
      '--output-file',
      out,
    ]);
    expect(emitted.code).toBe(0);
    const back = convert([
      '--from',
      'linkerd',
      '--to',
      'smi',
      '--set',
      'linkerd.defaultDeny=cluster',
      '-f',
      out,
      '--context',
      join(bookstore, 'workloads.yaml'),
      '--diagnostics',
      'json',
    ]);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stderr)).toEqual([]);
    for (const name of [
      'bookbuyer-access-bookstore',
      'bookwarehouse-access-mysql',
      'bookstore-canary',
      'bookstore-service-routes',
    ])
      expect(back.stdout).toContain(`name: ${name}\n`);
  });

  it('exits 1 with a positioned error when the context is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-linkerd-'));
    const file = join(dir, 'access.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: access.smi-spec.io/v1alpha3',
        'kind: TrafficTarget',
        'metadata: {name: t, namespace: shop}',
        'spec:',
        '  destination: {kind: ServiceAccount, name: api, namespace: shop}',
        '  rules: [{kind: TCPRoute, name: tcp}]',
        '  sources: [{kind: ServiceAccount, name: web, namespace: shop}]',
        '---',
        'apiVersion: specs.smi-spec.io/v1alpha4',
        'kind: TCPRoute',
        'metadata: {name: tcp, namespace: shop}',
        'spec: {matches: {ports: [8080]}}',
        '',
      ].join('\n'),
    );
    const r = convert(['--to', 'linkerd', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:5:3 error`);
    expect(r.stderr).toContain('[linkerd/no-workloads]');
  });

  it('rejects invalid options', () => {
    const r = convert(['--to', 'linkerd', '--set', 'linkerd.linkerdVersion=2.11', '-f', bookstore]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('linkerdVersion');
  });
});
