import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const adapter = './packages/appmesh/dist/index.js';
const bookstore = join('examples', 'bookstore');

interface Diag {
  readonly code: string;
  readonly severity: string;
  readonly effect?: string;
}

function meshlingo(args: string[]): { code: number | null; stdout: string; diagnostics: Diag[] } {
  const result = spawnSync(bin, [...args, '--adapter', adapter, '--diagnostics', 'json'], {
    cwd: repo,
    encoding: 'utf8',
  });
  return {
    code: result.status,
    stdout: result.stdout,
    diagnostics: JSON.parse(result.stderr || '[]') as Diag[],
  };
}

const codes = (diagnostics: readonly Diag[]): string[] => [
  ...new Set(diagnostics.map((d) => d.code)),
];

beforeAll(() => {
  for (const built of ['packages/cli/dist/cli.js', 'packages/appmesh/dist/index.js']) {
    if (!existsSync(join(repo, built)))
      throw new Error(`${built} is missing; run \`npm test\` (or \`npm run build\`) first`);
  }
});

describe('meshlingo with the App Mesh adapter (built binary, --adapter)', () => {
  it('refuses the bookstore by default: its access rules restrict routes App Mesh cannot', () => {
    const r = meshlingo(['convert', '--to', 'appmesh', '-f', bookstore]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(codes(r.diagnostics)).toEqual(
      expect.arrayContaining(['appmesh/discontinued', 'appmesh/route-restriction']),
    );
    expect(r.diagnostics.filter((d) => d.code === 'appmesh/discontinued')).toHaveLength(1);
  });

  it('writes App Mesh for the bookstore when asked to widen, and reads it back into SMI', () => {
    const out = meshlingo([
      'convert',
      '--to',
      'appmesh',
      '--on-unrepresentable',
      'widen',
      '--set',
      'appmesh.meshName=bookstore',
      '-o',
      'json',
      '-f',
      bookstore,
    ]);
    expect(out.code).toBe(0);
    const list = JSON.parse(out.stdout) as {
      items: { kind: string; metadata: { name: string } }[];
    };
    const kinds = new Set(list.items.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['Mesh', 'VirtualNode', 'VirtualRouter', 'VirtualService']);
    expect(list.items.find((o) => o.kind === 'Mesh')?.metadata.name).toBe('bookstore');
    expect(out.diagnostics.some((d) => d.effect === 'widens-access')).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-appmesh-'));
    const file = join(dir, 'appmesh.json');
    writeFileSync(file, out.stdout);
    const back = meshlingo([
      'convert',
      '--from',
      'appmesh',
      '--to',
      'smi',
      '-f',
      file,
      '--context',
      join(bookstore, 'workloads.yaml'),
      '-o',
      'json',
    ]);
    expect(back.code).toBe(0);
    const smi = JSON.parse(back.stdout) as {
      items: { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[];
    };
    const split = smi.items.find((o) => o.kind === 'TrafficSplit');
    expect(split?.metadata.name).toBe('bookstore-canary');
    expect(split?.spec.backends).toEqual([
      { service: 'bookstore-v1', weight: 90 },
      { service: 'bookstore-v2', weight: 10 },
    ]);
    expect(smi.items.filter((o) => o.kind === 'TrafficTarget').map((o) => o.metadata.name)).toEqual(
      ['bookstore-appmesh', 'bookwarehouse-appmesh', 'mysql-appmesh'],
    );
  });

  it('reports placeholders left in an App Mesh template and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-appmesh-'));
    const file = join(dir, 'template.yaml');
    writeFileSync(
      file,
      'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: {name: front, namespace: "${APP_NAMESPACE}"}\nspec: {}\n',
    );
    const r = meshlingo(['convert', '--from', 'appmesh', '--to', 'smi', '-f', file]);
    expect(r.code).toBe(1);
    expect(codes(r.diagnostics)).toEqual(['core/placeholder']);
  });

  it('reports invalid adapter options and exits 1', () => {
    const r = meshlingo([
      'convert',
      '--to',
      'appmesh',
      '--set',
      'appmesh.egressFilter=SOMETIMES',
      '-f',
      bookstore,
    ]);
    expect(r.code).toBe(1);
    expect(codes(r.diagnostics)).toContain('core/invalid-options');
  });
});
