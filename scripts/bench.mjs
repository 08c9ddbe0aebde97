// Benchmark: how close reading and converting get to the cost of parsing the YAML alone.
// Generates a large multi-document stream (SMI objects among ConfigMaps, ~40 MB by default),
// then times js-yaml alone, meshlingo's reader, and full conversions. Run after a build:
//   node scripts/bench.mjs [documents]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { convert, parseYamlStream, readInput, toYamlStream } from '../packages/core/dist/index.js';

// The same js-yaml the reader uses, resolved from the core package.
const jsYaml = createRequire(new URL('../packages/core/package.json', import.meta.url))('js-yaml');

const documents = Number(process.argv[2] ?? 14000);
const parts = [];
for (let i = 0; i < documents; i++) {
  // Groups of seven documents share a namespace, so every reference resolves.
  const ns = `ns-${Math.floor(i / 7) % 50}`;
  switch (i % 7) {
    case 0:
      parts.push(
        `apiVersion: specs.smi-spec.io/v1alpha4\nkind: HTTPRouteGroup\nmetadata: {name: routes-${i}, namespace: ${ns}}\nspec:\n  matches:\n    - {name: read, pathRegex: /api/v1/.*, methods: [GET, HEAD]}\n    - name: beta\n      headers: [{x-beta: "true"}]\n`,
      );
      break;
    case 1:
      parts.push(
        `apiVersion: access.smi-spec.io/v1alpha3\nkind: TrafficTarget\nmetadata: {name: tt-${i}, namespace: ${ns}}\nspec:\n  destination: {kind: ServiceAccount, name: api-${i}, namespace: ${ns}}\n  rules: [{kind: HTTPRouteGroup, name: routes-${i - 1}, matches: [read]}]\n  sources: [{kind: ServiceAccount, name: web, namespace: ${ns}}]\n`,
      );
      break;
    case 2:
      parts.push(
        `apiVersion: split.smi-spec.io/v1alpha4\nkind: TrafficSplit\nmetadata: {name: split-${i}, namespace: ${ns}}\nspec:\n  service: svc-${i}\n  backends: [{service: svc-${i}-v1, weight: 90}, {service: svc-${i}-v2, weight: 10}]\n`,
      );
      break;
    default:
      parts.push(
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ${ns}, labels: {app: x, tier: y}}\ndata:\n  payload: "${'x'.repeat(4000)}"\n`,
      );
  }
}
const text = parts.join('---\n');
const file = { path: 'bench.yaml', text };
console.log(`${documents} documents, ${(text.length / 1e6).toFixed(1)} MB`);

function time(label, fn, repeat = 3) {
  let best = Infinity;
  let result;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - start);
  }
  return { label, ms: best, result };
}

const baseline = time('js-yaml loadAll (baseline)', () =>
  jsYaml.loadAll(text, null, { schema: jsYaml.CORE_SCHEMA }),
);
const rows = [
  baseline,
  time('meshlingo reader (documents + guards)', () => parseYamlStream(file)),
  time('readInput (SMI model, validation)', () => readInput([file])),
  time('convert to SMI (read + write objects)', () => convert([file], { to: ['smi'] })),
  time('convert to SMI + YAML output', () =>
    toYamlStream(convert([file], { to: ['smi'] }).objects),
  ),
];
for (const r of rows)
  console.log(
    `${r.label.padEnd(42)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / baseline.ms).toFixed(2)}x`,
  );
