import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const bookstore = join(repo, 'examples', 'bookstore');

function meshlingo(
  args: string[],
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin, args, { cwd: repo, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(repo, 'packages', 'cli', 'dist', 'cli.js'))) {
    throw new Error('the CLI is not built; run `npm test` (or `npm run build`) first');
  }
});

describe('meshlingo (built binary)', () => {
  it('validates the bookstore example cleanly', () => {
    const r = meshlingo(['validate', '-f', bookstore]);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('prints file:line:col for a broken file and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-e2e-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      'apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: s, namespace: shop}\nspec:\n  service: web\n  backends:\n    - service: web-v1\n      weight: ten\n',
    );
    const r = meshlingo(['validate', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:8:7 error`);
    expect(r.stderr).toContain('[smi/schema-violation]');
  });

  it('reports YAML syntax errors with their position', () => {
    const r = meshlingo(['validate', '-f', '-'], 'a: [1, 2\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^-:2:1 error YAML syntax error/);
  });

  it('converts between SMI versions and writes diagnostics as one JSON array', () => {
    const r = meshlingo([
      'convert',
      '--to',
      'smi',
      '--smi-version',
      'access=v1alpha2,specs=v1alpha3,split=v1alpha2',
      '-f',
      bookstore,
      '--diagnostics',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('apiVersion: access.smi-spec.io/v1alpha2');
    expect(r.stdout).toContain('apiVersion: split.smi-spec.io/v1alpha2');
    expect(r.stdout).toContain('port: 3306');
    expect(JSON.parse(r.stderr)).toEqual([]);
  });

  it('fails a lossy down-conversion by default and withholds output', () => {
    const r = meshlingo([
      'convert',
      '--to',
      'smi',
      '--smi-version',
      'specs=v1alpha1',
      '-f',
      bookstore,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[smi/down-conversion-loss]');
    const forced = meshlingo([
      'convert',
      '--to',
      'smi',
      '--smi-version',
      'specs=v1alpha1',
      '-f',
      bookstore,
      '--on-unrepresentable',
      'narrow',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('{narrows-access}');
  });

  it('reads stdin, writes a JSON List, and passes other documents through', () => {
    const input =
      'apiVersion: specs.smi-spec.io/v1alpha4\nkind: TCPRoute\nmetadata: {name: t, namespace: a}\nspec: {matches: {ports: []}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const r = meshlingo(
      ['convert', '--to', 'smi', '-f', '-', '-o', 'json', '--passthrough'],
      input,
    );
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(['TCPRoute', 'ConfigMap']);
  });

  it('writes files atomically, one per object, and refuses to overwrite an input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-out-'));
    const r = meshlingo([
      'convert',
      '--to',
      'smi',
      '-f',
      join(bookstore, 'access.yaml'),
      '--out-dir',
      dir,
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toContain(
      'bookstore.traffictarget.bookbuyer-access-bookstore.yaml',
    );
    const input = join(dir, 'in.yaml');
    writeFileSync(input, readFileSync(join(bookstore, 'split.yaml')));
    const refused = meshlingo(['convert', '--to', 'smi', '-f', input, '--output-file', input]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite the input file');
    expect(readFileSync(input, 'utf8')).toBe(readFileSync(join(bookstore, 'split.yaml'), 'utf8'));
  });

  it('exits 2 on usage errors and 0 for --help on every command', () => {
    expect(meshlingo(['convert', '-f', bookstore]).code).toBe(2);
    expect(meshlingo(['convert', '--to', 'nomesh', '-f', bookstore]).code).toBe(2);
    expect(
      meshlingo(['convert', '--to', 'smi', '--smi-version', 'access=v9', '-f', bookstore]).code,
    ).toBe(2);
    expect(meshlingo(['frobnicate']).code).toBe(2);
    expect(meshlingo([]).code).toBe(2);
    for (const command of ['validate', 'convert', 'adapters']) {
      const help = meshlingo([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: meshlingo ${command}`);
    }
  });

  it('validates objects against CRDs like an API server, pruned fields included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-crd-'));
    const crd = join(dir, 'crd.yaml');
    writeFileSync(
      crd,
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'metadata: {name: widgets.example.org}',
        'spec:',
        '  group: example.org',
        '  scope: Namespaced',
        '  names: {kind: Widget, plural: widgets}',
        '  versions:',
        '    - name: v1',
        '      served: true',
        '      storage: true',
        '      schema:',
        '        openAPIV3Schema:',
        '          type: object',
        '          properties:',
        '            spec:',
        '              type: object',
        '              properties:',
        '                size: {type: integer, minimum: 1}',
        '',
      ].join('\n'),
    );
    const input =
      'apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w, namespace: a}\nspec:\n  size: 0\n  colour: red\n';
    const r = meshlingo(['validate', '--crds', crd, '-f', '-'], input);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('-:5:3 error');
    expect(r.stderr).toContain('[crd/minimum]');
    expect(r.stderr).toContain('-:6:3 error');
    expect(r.stderr).toContain('[crd/pruned]');
  });

  it('reports portability per mesh: exact round trips, and failures where access cannot be carried', () => {
    const deny = [
      '--set',
      'istio.defaultDeny=namespaces',
      '--set',
      'linkerd.defaultDeny=namespace',
      '--set',
      'consul.defaultDeny=true',
    ];
    const ok = meshlingo([
      'check',
      '-f',
      bookstore,
      '--mesh',
      'istio,linkerd,consul',
      '-o',
      'json',
      ...deny,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const reports = JSON.parse(ok.stdout) as { mesh: string; status: string; roundTrip: string }[];
    expect(reports.map((r) => [r.mesh, r.status, r.roundTrip])).toEqual([
      ['istio', 'ok', 'exact'],
      ['linkerd', 'ok', 'exact'],
      ['consul', 'ok', 'exact'],
    ]);
    const all = meshlingo(['check', '-f', bookstore, ...deny]);
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^appmesh: FAILS/m);
    expect(all.stdout).toMatch(/^gateway-api: FAILS/m);
    expect(all.stdout).toContain('error appmesh/route-restriction {narrows-access}');
  });

  it('lists the built-in adapters as JSON without loading them', () => {
    const r = meshlingo(['adapters', '-o', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { name: string; installed: boolean }[];
    expect(rows.map((a) => a.name)).toEqual([
      'smi',
      'istio',
      'linkerd',
      'consul',
      'appmesh',
      'gateway-api',
    ]);
    expect(rows[0]?.installed).toBe(true);
  });
});
