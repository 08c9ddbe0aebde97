import {
  authorize,
  convert,
  indexContext,
  readInput,
  toYamlStream,
  type AccessRequest,
  type AnyAdapter,
  type Diagnostic,
  type SourceFile,
} from '@meshlingo/core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllBuiltins } from '../src/adapters.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const bookstoreDir = join(repo, 'examples', 'bookstore');
const bookstore: SourceFile[] = readdirSync(bookstoreDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({
    path: join('examples/bookstore', f),
    text: readFileSync(join(bookstoreDir, f), 'utf8'),
  }));

/** Options that let each mesh express SMI's allow-list (default deny where the mesh allows by default). */
const OPTIONS: Record<string, unknown> = {
  istio: { defaultDeny: 'namespaces' },
  linkerd: { defaultDeny: 'namespace' },
  consul: { defaultDeny: true },
};

let adapters: AnyAdapter[] = [];
beforeAll(async () => {
  adapters = await loadAllBuiltins();
});

/** Every request between the bookstore's workloads on their ports, HTTP and plain TCP. */
function requests(): AccessRequest[] {
  const { context } = readInput(bookstore);
  const out: AccessRequest[] = [];
  for (const source of context.workloads) {
    for (const destination of context.workloads) {
      for (const port of destination.containerPorts) {
        for (const http of [
          { method: 'GET', path: '/buy' },
          { method: 'POST', path: '/restock-books' },
          { method: 'GET', path: '/catalog/x', headers: { 'x-client': 'bookbuyer-1' } },
        ]) {
          const base = {
            source: { namespace: source.namespace, name: source.serviceAccount },
            destination: {
              namespace: destination.namespace,
              name: destination.serviceAccount,
              podLabels: destination.podLabels,
            },
            port: port.containerPort,
          };
          out.push({ ...base, protocol: 'http', http });
        }
        out.push({
          source: { namespace: source.namespace, name: source.serviceAccount },
          destination: {
            namespace: destination.namespace,
            name: destination.serviceAccount,
            podLabels: destination.podLabels,
          },
          protocol: 'tcp',
          port: port.containerPort,
        });
      }
    }
  }
  return out;
}

describe('migrate between every pair of meshes', () => {
  it('never grants, after a migration A -> B, what the SMI denies, unless a widens-access diagnostic says so', () => {
    const original = readInput(bookstore).model;
    const grid = requests();
    const granted = grid.filter((r) => authorize(original, r).allowed).length;
    const access = adapters.filter((a) => a.capabilities['access.sources'].level !== 'none');
    expect(access.length).toBeGreaterThanOrEqual(3);
    for (const from of access) {
      const native = convert(bookstore, {
        to: [from],
        adapterOptions: OPTIONS,
        onUnrepresentable: 'narrow',
      });
      expect(native.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const nativeFile: SourceFile = {
        path: `${from.name}.yaml`,
        text: toYamlStream(native.objects),
      };
      for (const to of access.filter((a) => a !== from)) {
        const migrated = convert([nativeFile], {
          from: [from],
          to: [to],
          context: bookstore,
          adapterOptions: OPTIONS,
          onUnrepresentable: 'narrow',
        });
        const all: Diagnostic[] = [...native.diagnostics, ...migrated.diagnostics];
        expect(all.filter((d) => d.code === 'core/adapter-error')).toEqual([]);
        const widened = all.some((d) => d.effect === 'widens-access');
        const env = {
          options: to.optionsSchema.parse(OPTIONS[to.name] ?? {}) as unknown,
          cluster: indexContext(migrated.context),
        };
        let kept = 0;
        for (const request of grid) {
          const smi = authorize(original, request).allowed;
          const got = to.evaluator.authorize(migrated.objects, request, env).allowed;
          if (got && smi) kept += 1;
          if (got && !smi && !widened && request.protocol !== 'udp') {
            throw new Error(
              `${from.name} -> ${to.name} allows ${JSON.stringify(request)}, which the SMI denies`,
            );
          }
        }
        process.stderr.write(`${from.name} -> ${to.name}: ${kept} of ${granted} SMI grants kept\n`);
        // A migration that kept nothing would pass the check above trivially.
        expect(kept, `${from.name} -> ${to.name} kept no grant`).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it('works from the CLI: bookstore to Istio, then Istio to Linkerd', () => {
    const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-migrate-'));
    const istio = spawnSync(
      bin,
      ['convert', '--to', 'istio', '--set', 'istio.defaultDeny=namespaces', '-f', bookstoreDir],
      { encoding: 'utf8' },
    );
    expect(istio.status, istio.stderr).toBe(0);
    writeFileSync(join(dir, 'istio.yaml'), istio.stdout);
    const migrated = spawnSync(
      bin,
      [
        'migrate',
        '--from',
        'istio',
        '--to',
        'linkerd',
        '-f',
        join(dir, 'istio.yaml'),
        '--context',
        join(bookstoreDir, 'workloads.yaml'),
        '--diagnostics',
        'json',
      ],
      { encoding: 'utf8' },
    );
    expect([0, 1]).toContain(migrated.status);
    const diagnostics = JSON.parse(migrated.stderr) as Diagnostic[];
    expect(diagnostics.every((d) => d.severity !== 'error' || d.location !== undefined)).toBe(true);
    if (migrated.status === 0) expect(migrated.stdout).toContain('apiVersion: policy.linkerd.io/');
  });
});
