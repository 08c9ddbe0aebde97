import { convert, decodeSource, type Diagnostic } from '@meshlingo/core';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gatewayApiAdapter } from '../src/index.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/gateway-api', import.meta.url));
const present = existsSync(corpus);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

describe.skipIf(!present)(
  `the upstream Gateway API corpus (${corpus}, skipped when absent)`,
  () => {
    it('ingests every file with positioned diagnostics and no crash', () => {
      const files = yamlFiles(corpus);
      const base = files.find((f) => f.endsWith('_base-mesh-manifests.yaml'));
      const baseText = base === undefined ? undefined : readFileSync(base, 'utf8');
      const codes = new Map<string, number>();
      const counts = { files: 0, splits: 0, groups: 0, clean: 0, withErrors: 0 };
      const problems: string[] = [];
      for (const file of files) {
        const name = relative(corpus, file);
        const decoded = decodeSource(name, readFileSync(file));
        if (decoded.file === undefined) {
          problems.push(`${name}: not readable`);
          continue;
        }
        let diagnostics: Diagnostic[];
        try {
          // The mesh conformance manifests run against the base Services, as upstream applies them.
          const result = convert([decoded.file], {
            to: ['smi'],
            from: [gatewayApiAdapter],
            ...(baseText !== undefined &&
              file !== base &&
              name.startsWith('conformance-mesh') && {
                context: [{ path: '_base-mesh-manifests.yaml', text: baseText }],
              }),
          });
          diagnostics = result.diagnostics;
          counts.splits += result.model.trafficSplits.length;
          counts.groups += result.model.httpRouteGroups.length;
        } catch (error) {
          problems.push(
            `${name}: crashed: ${error instanceof Error ? error.stack : String(error)}`,
          );
          continue;
        }
        counts.files += 1;
        if (diagnostics.some((d) => d.severity === 'error')) counts.withErrors += 1;
        if (diagnostics.length === 0) counts.clean += 1;
        for (const d of diagnostics) {
          codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          if (d.code === 'core/adapter-error') problems.push(`${name}: ${d.message}`);
          if (d.source === 'gateway-api' && d.location?.line === undefined)
            problems.push(`${name}: ${d.code} has no position`);
        }
      }
      const top = [...codes]
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(', ');
      console.log(
        `corpus/gateway-api: ${counts.files} files, ${counts.splits} TrafficSplits and ${counts.groups} HTTPRouteGroups read, ${counts.clean} without diagnostics, ${counts.withErrors} with errors; ${top}`,
      );
      expect(problems).toEqual([]);
      expect(counts.files).toBe(files.length);
      expect(counts.splits).toBeGreaterThan(0);
    });
  },
);
