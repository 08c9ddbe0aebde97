// Runs every file of ../shared/corpus (real upstream manifests, not part of this repository)
// through meshlingo: SMI files are read and written back; native files are ingested by the
// adapter that claims them and re-emitted by it. Each file must convert or fail with positioned
// diagnostics, never crash. Prints counts per corpus and the most frequent codes.
// Run after a build; exits 1 on a crash, an adapter failure, or an error without a position.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convert, decodeSource, loadManifests } from '../packages/core/dist/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const corpus = join(repo, '..', 'shared', 'corpus');
if (!existsSync(corpus)) {
  console.log(`corpus check skipped: ${corpus} does not exist`);
  process.exit(0);
}

const adapters = [];
for (const name of ['istio', 'linkerd', 'consul', 'appmesh', 'gateway-api']) {
  const dist = join(repo, 'packages', name, 'dist', 'index.js');
  if (existsSync(dist)) adapters.push((await import(pathToFileURL(dist).href)).default);
}
console.log(`adapters: smi${adapters.map((a) => `, ${a.name}`).join('')}`);

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return /\.(ya?ml|json)(\.template)?$/.test(name) ? [path] : [];
    });
}

let problems = 0;
function check(label, diagnostics) {
  for (const d of diagnostics) {
    if (d.code === 'core/adapter-error') {
      problems += 1;
      console.error(`ADAPTER FAILURE ${label}: ${d.message}`);
    } else if (
      d.severity === 'error' &&
      d.location?.line === undefined &&
      d.code !== 'core/invalid-options'
    ) {
      problems += 1;
      console.error(`NO POSITION ${label}: ${d.code} ${d.message}`);
    }
  }
}

for (const mesh of readdirSync(corpus).sort()) {
  const dir = join(corpus, mesh);
  if (!statSync(dir).isDirectory()) continue;
  const counts = { clean: 0, diagnostics: 0, rejected: 0, crashed: 0 };
  const codes = new Map();
  const list = files(dir);
  for (const path of list) {
    const label = path.slice(corpus.length + 1);
    try {
      const decoded = decodeSource(label, readFileSync(path));
      let diagnostics = decoded.diagnostics;
      if (decoded.file !== undefined) {
        const input = [decoded.file];
        // Read (SMI, plus native objects of whichever adapter claims them), then write back.
        const read = convert(input, { to: ['smi'], from: adapters, lenient: true });
        diagnostics = [...diagnostics, ...read.diagnostics];
        const { manifests } = loadManifests(input);
        const owners = adapters.filter((a) => manifests.some((m) => a.claims(m.object)));
        const seen = new Set(
          diagnostics.map((d) => `${d.code} ${d.location?.line}:${d.location?.column}`),
        );
        for (const adapter of owners) {
          // Ingest and re-emit with the owning adapter; count only what the re-emit adds.
          const again = convert(input, {
            to: [adapter],
            from: [adapter],
            lenient: true,
            onUnrepresentable: 'narrow',
          });
          diagnostics = [
            ...diagnostics,
            ...again.diagnostics.filter(
              (d) => !seen.has(`${d.code} ${d.location?.line}:${d.location?.column}`),
            ),
          ];
        }
      }
      check(label, diagnostics);
      for (const d of diagnostics.filter((x) => x.severity !== 'info'))
        codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      if (diagnostics.some((d) => d.severity === 'error')) counts.rejected += 1;
      else if (diagnostics.some((d) => d.severity === 'warning')) counts.diagnostics += 1;
      else counts.clean += 1;
    } catch (error) {
      counts.crashed += 1;
      problems += 1;
      console.error(`CRASH ${label}: ${error?.stack ?? error}`);
    }
  }
  const top = [...codes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  console.log(
    `corpus/${mesh} (${list.length} files): ${counts.clean} clean, ${counts.diagnostics} with warnings, ${counts.rejected} with errors, ${counts.crashed} crashed${top ? `; top: ${top}` : ''}`,
  );
}
process.exit(problems === 0 ? 0 : 1);
