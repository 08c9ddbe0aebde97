// Reads every file of ../shared/corpus/smi (real upstream SMI manifests, not part of this
// repository): each must parse cleanly or fail with positioned diagnostics, never crash.
// Run after a build; exits 1 on a crash or on an error without a position.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSource, readInput } from '../packages/core/dist/index.js';

const corpus = fileURLToPath(new URL('../../shared/corpus/smi', import.meta.url));
if (!existsSync(corpus)) {
  console.log(`corpus check skipped: ${corpus} does not exist`);
  process.exit(0);
}

const files = readdirSync(corpus)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort();
let problems = 0;
for (const mode of ['strict', 'lenient']) {
  const counts = { clean: 0, warnings: 0, errors: 0, crashed: 0 };
  const codes = new Map();
  for (const name of files) {
    const decoded = decodeSource(name, readFileSync(join(corpus, name)));
    let diagnostics = decoded.diagnostics;
    try {
      if (decoded.file)
        diagnostics = [
          ...diagnostics,
          ...readInput([decoded.file], { lenient: mode === 'lenient' }).diagnostics,
        ];
    } catch (error) {
      counts.crashed += 1;
      problems += 1;
      console.error(`CRASH ${name}: ${error.stack ?? error}`);
      continue;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) {
      codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      if (d.location?.line === undefined) {
        problems += 1;
        console.error(`NO POSITION ${name}: ${d.code} ${d.message}`);
      }
    }
    if (errors.length > 0) counts.errors += 1;
    else if (diagnostics.some((d) => d.severity === 'warning')) counts.warnings += 1;
    else counts.clean += 1;
  }
  const top = [...codes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  console.log(
    `corpus/smi (${files.length} files, ${mode}): ${counts.clean} clean, ${counts.warnings} with warnings, ${counts.errors} with positioned errors, ${counts.crashed} crashed${top ? `; top errors: ${top}` : ''}`,
  );
}
process.exit(problems === 0 ? 0 : 1);
