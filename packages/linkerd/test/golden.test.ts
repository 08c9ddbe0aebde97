import {
  AdapterTester,
  loadGoldenCases,
  runCase,
  runGoldenCases,
  toExpected,
  type ExpectedDiagnostic,
  type GoldenCase,
  type InvalidCase,
  type ValidCase,
} from '@meshlingo/conformance';
import { smiAdapter, toYamlStream, type AnyAdapter } from '@meshlingo/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import linkerd from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const framework = { describe, it };

/** Shared SMI cases that say something about Linkerd (here: missing context, UDP). */
const SHARED = [
  'access-v1alpha3-basic',
  'split-v1alpha1-quantities',
  'udp-route-to-access-v1alpha2',
];

/**
 * Writes expected files for this adapter's own cases only: the kit's update mode would write
 * into every case folder, other adapters' included.
 */
function writeExpected(
  cases: readonly GoldenCase[],
  target: AnyAdapter,
  from?: readonly AnyAdapter[],
): void {
  for (const c of cases) {
    const result = runCase(target, {
      input: [c.input],
      ...(c.context !== undefined && { context: [c.context] }),
      core: c.core,
      options: c.options,
      ...(from !== undefined && { from }),
    });
    mkdirSync(join(c.dir, 'expected'), { recursive: true });
    writeFileSync(c.expectedPath, toYamlStream(result.objects));
    writeFileSync(
      c.diagnosticsPath,
      `${JSON.stringify(result.diagnostics.map(toExpected), null, 2)}\n`,
    );
  }
}

// SMI to Linkerd: expected/linkerd.yaml in linkerd-* folders and a few shared ones.
if (update)
  writeExpected(
    loadGoldenCases(fixtures, 'linkerd', true).filter(
      (c) =>
        (c.name.startsWith('linkerd-') && !c.name.startsWith('linkerd-ingest-')) ||
        SHARED.includes(c.name),
    ),
    linkerd,
  );
runGoldenCases(linkerd, fixtures, { framework });

// Linkerd to SMI: expected/linkerd.smi.yaml in linkerd-ingest-* folders.
const ingestCases = loadGoldenCases(fixtures, 'linkerd.smi', update).filter((c) =>
  c.name.startsWith('linkerd-ingest-'),
);
if (update) writeExpected(ingestCases, smiAdapter, [linkerd]);
const valid: ValidCase[] = [];
const invalid: InvalidCase[] = [];
for (const c of ingestCases) {
  const diagnostics = existsSync(c.diagnosticsPath)
    ? (JSON.parse(readFileSync(c.diagnosticsPath, 'utf8')) as ExpectedDiagnostic[])
    : [];
  const test = {
    name: `${c.name} (from linkerd)`,
    input: [c.input],
    ...(c.context !== undefined && { context: [c.context] }),
    core: c.core,
    options: c.options,
    from: [linkerd],
    output: readFileSync(c.expectedPath, 'utf8'),
    diagnostics,
  };
  if (diagnostics.some((d) => d.severity === 'error')) invalid.push(test);
  else valid.push(test);
}
new AdapterTester(framework).run(smiAdapter, { valid, invalid });
