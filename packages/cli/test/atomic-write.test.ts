import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/io.js';

const coreBuild = fileURLToPath(new URL('../../core/dist/index.js', import.meta.url));

describe('writeFileAtomic', () => {
  it('replaces a file in one step and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-atomic-'));
    const target = join(dir, 'out.yaml');
    writeFileSync(target, 'old\n');
    await writeFileAtomic(target, 'new\n');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['out.yaml']);
  });

  it('leaves the old file intact when the writing process is killed mid-write', async () => {
    if (!existsSync(coreBuild))
      throw new Error('core is not built; run `npm test` (or `npm run build`) first');
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-kill-'));
    const target = join(dir, 'out.yaml');
    const old = 'kind: Old\n';
    writeFileSync(target, old);
    // A child writes 256 MiB through writeFileAtomic; it is killed as soon as its temporary file
    // appears, that is, in the middle of the write.
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `const { writeFileAtomic } = await import(${JSON.stringify(coreBuild)});
       await writeFileAtomic(${JSON.stringify(target)}, 'x'.repeat(256 * 1024 * 1024));`,
    ]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let temp: string | undefined;
    while (temp === undefined && child.exitCode === null) {
      temp = readdirSync(dir).find((f) => f.endsWith('.tmp'));
      if (temp === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill('SIGKILL');
    await exited;
    expect(temp, 'the write finished before it could be interrupted').toBeDefined();
    expect(readFileSync(target, 'utf8')).toBe(old);
  }, 60_000);
});
