import { describe, expect, it } from 'vitest';
import { main } from '../src/program.js';
import type { Io } from '../src/io.js';

function capture(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

describe('capabilities', () => {
  it('prints the matrix as a table, Markdown and JSON', async () => {
    for (const format of ['table', 'markdown', 'json']) {
      const io = capture();
      expect(await main(['capabilities', '-o', format], io)).toBe(0);
      expect(io.out).toContain('access.http.path-regex');
    }
    const io = capture();
    await main(['capabilities', '-o', 'json'], io);
    const rows = JSON.parse(io.out) as {
      name: string;
      capabilities: Record<string, { level: string }>;
    }[];
    expect(rows[0]?.name).toBe('smi');
    expect(rows[0]?.capabilities['metrics']?.level).toBe('none');
  });
});

describe('migrate and check', () => {
  it('need real mesh adapters and say so', async () => {
    const io = capture();
    expect(await main(['migrate', '--to', 'smi', '-f', 'examples/bookstore'], io)).toBe(2);
    expect(io.err).toContain('migrate needs --from and --to');
    const bad = capture();
    expect(await main(['check', '--mesh', 'nomesh', '-f', 'examples/bookstore'], bad)).toBe(2);
    expect(bad.err).toContain('unknown adapter "nomesh"');
  });
});
