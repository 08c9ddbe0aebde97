import {
  emitWorld,
  loadCrdDirectory,
  propertySettings,
  validateObject,
  worldArbitrary,
  type CrdSet,
} from '@meshlingo/conformance';
import { parseYamlStream, toManifests, type KubeObject } from '@meshlingo/core';
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import istio from '../src/index.js';

// The real Istio CRDs sit beside the clone in CI (../shared), never inside the repository.
const crdDir = fileURLToPath(new URL('../../../../shared/crds/istio', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const present = existsSync(crdDir);

/**
 * What istiod's validating webhook (pkg/config/validation) rejects beyond the CRD schema: empty
 * `from`/`to` lists, empty sources and operations, empty strings, non-numeric ports, and route
 * weights that do not add up (a total of 0; not 100 for percentages).
 */
function webhookProblems(object: KubeObject): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === '') out.push(`${path}: empty string`);
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value)) {
        if ((k === 'from' || k === 'to') && Array.isArray(v) && v.length === 0)
          out.push(`${path}.${k}: empty list`);
        if ((k === 'source' || k === 'operation') && Object.keys(v as object).length === 0)
          out.push(`${path}.${k}: empty`);
        if (
          k === 'ports' &&
          Array.isArray(v) &&
          v.some((p) => !/^\d+$/.test(String(p)) || Number(p) > 65535)
        )
          out.push(`${path}.ports: not a port number`);
        walk(v, `${path}.${k}`);
      }
  };
  walk(object.spec, 'spec');
  if (object.kind === 'VirtualService') {
    const spec = object.spec as {
      http?: { route?: { weight?: number }[] }[];
      tcp?: { route?: { weight?: number }[] }[];
    };
    for (const rule of [...(spec.http ?? []), ...(spec.tcp ?? [])]) {
      const weights = (rule.route ?? []).map((r) => r.weight ?? 0);
      const total = weights.reduce((a, b) => a + b, 0);
      if (weights.length > 1 && total === 0) out.push('route weights add up to 0');
      if (weights.length > 1 && object.apiVersion.endsWith('v1beta1') && total !== 100)
        out.push(`route weights add up to ${total}, not 100`);
    }
  }
  return out;
}

function problems(objects: readonly KubeObject[], crds: CrdSet): string[] {
  return objects.flatMap((object) => {
    const result = validateObject(object, crds);
    const where = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
    if (!result.known) return [`${where}: no CRD`];
    return [
      ...result.diagnostics
        .filter((d) => d.severity !== 'info')
        .map((d) => `${where}: ${d.code} ${d.message}`),
      ...webhookProblems(object).map((p) => `${where}: ${p}`),
    ];
  });
}

describe.skipIf(!present)(
  `emitted objects validate against the real Istio CRDs (${crdDir})`,
  () => {
    let crds: CrdSet;
    beforeAll(async () => {
      const loaded = await loadCrdDirectory([crdDir]);
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      crds = loaded.crds;
    });

    const goldens = readdirSync(fixtures)
      .map((name) => join(fixtures, name, 'expected', 'istio.yaml'))
      .filter(existsSync);

    it.each(goldens.map((path) => [path.split('/').at(-3) ?? path, path]))(
      'golden %s',
      (_, path) => {
        const parsed = parseYamlStream({ path, text: readFileSync(path, 'utf8') });
        const objects = toManifests(parsed.documents).manifests.map((m) => m.object);
        expect(problems(objects, crds)).toEqual([]);
      },
    );

    it.each([
      ['defaults', {}],
      ['default deny per namespace', { defaultDeny: 'namespaces' }],
      ['default deny mesh-wide, Istio 1.14', { defaultDeny: 'mesh', istioVersion: '1.14' }],
    ])('random worlds with every feature: %s', (_, options) => {
      let objects = 0;
      fc.assert(
        fc.property(
          worldArbitrary(),
          fc.constantFrom('narrow', 'widen' as const),
          (world, mode) => {
            const emitted = emitWorld(istio, world, {
              adapterOptions: { istio: options },
              onUnrepresentable: mode,
            });
            objects += emitted.objects.length;
            const found = problems(emitted.objects, crds);
            if (found.length > 0) throw new Error(found.join('\n'));
          },
        ),
        propertySettings(),
      );
      expect(objects).toBeGreaterThan(0);
    });
  },
);
