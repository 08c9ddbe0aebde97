// The main job on the bundled example: validate the bookstore application, then convert it to
// every target this build has and summarise what each produced.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'node_modules', '.bin', 'meshlingo');
const example = join('examples', 'bookstore');

function run(args) {
  const result = spawnSync(bin, args, { cwd: repo, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

function summarise(stdout) {
  const counts = new Map();
  for (const object of JSON.parse(stdout).items ?? [JSON.parse(stdout)]) {
    const key = `${object.kind} (${object.apiVersion})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => `    ${String(n).padStart(3)}  ${kind}`).join('\n');
}

function severities(diagnostics) {
  const by = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) by[d.severity] += 1;
  return `${by.error} errors, ${by.warning} warnings, ${by.info} infos`;
}

console.log(`meshlingo demo: ${example}\n`);
const validation = run(['validate', '-f', example, '--diagnostics', 'json']);
const found = JSON.parse(validation.stderr || '[]');
console.log(`validate: exit ${validation.status} (${severities(found)})`);
if (validation.status !== 0) {
  console.error(validation.stderr);
  process.exit(1);
}

// Istio and Linkerd allow by default: ask for SMI's default deny. App Mesh cannot restrict
// routes, so the demo accepts the wider grant (each one is reported with effect widens-access).
const DEMO_FLAGS = {
  istio: ['--set', 'istio.defaultDeny=namespaces'],
  linkerd: ['--set', 'linkerd.defaultDeny=namespace'],
  appmesh: ['--on-unrepresentable', 'widen'],
};

const adapters = JSON.parse(run(['adapters', '-o', 'json']).stdout).filter((a) => a.installed);
const targets = [
  { name: 'smi (hub versions)', args: ['--to', 'smi'] },
  {
    name: 'smi for OSM (access v1alpha3, specs v1alpha4, split v1alpha2)',
    args: ['--to', 'smi', '--smi-version', 'split=v1alpha2'],
  },
  {
    name: 'smi for Traefik/NGINX (access v1alpha2, specs v1alpha3, split v1alpha3)',
    args: ['--to', 'smi', '--smi-version', 'access=v1alpha2,specs=v1alpha3,split=v1alpha3'],
  },
  ...adapters
    .filter((a) => a.name !== 'smi' && a.name !== 'gateway-api')
    .map((a) => ({ name: a.name, args: ['--to', a.name, ...(DEMO_FLAGS[a.name] ?? [])] })),
  // Gateway API has no authorization: compose it with a target that has one.
  ...adapters
    .filter((a) => a.name === 'gateway-api')
    .map(() => {
      const access = adapters.some((a) => a.name === 'istio') ? 'istio' : 'smi';
      return {
        name: `gateway-api routing + ${access} access`,
        args: ['--to', `gateway-api,${access}`],
      };
    }),
];
let failed = false;
for (const target of targets) {
  const result = run([
    'convert',
    ...target.args,
    '-f',
    example,
    '-o',
    'json',
    '--diagnostics',
    'json',
  ]);
  const diagnostics = JSON.parse(result.stderr || '[]');
  console.log(`\n${target.name}: exit ${result.status} (${severities(diagnostics)})`);
  if (result.stdout.trim() !== '') console.log(summarise(result.stdout));
  for (const d of diagnostics.filter((x) => x.severity !== 'info')) {
    const where = d.location?.line === undefined ? '' : `${d.location.file}:${d.location.line}: `;
    console.log(`    ${d.severity}: ${where}${d.message} [${d.code}]`);
  }
  if (result.status !== 0) failed = true;
}
console.log(
  `\nSee the YAML with: ./node_modules/.bin/meshlingo convert --to <target> -f ${example}`,
);
process.exit(failed ? 1 : 0);
