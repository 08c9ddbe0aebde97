import { FEATURE_IDS, FEATURES } from '@meshlingo/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import linkerd, { linkerdMessages } from '../src/index.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The capability matrix as a Markdown table, from the adapter's declaration. */
function capabilities(): string {
  const rows = FEATURE_IDS.map((id) => {
    const c = linkerd.capabilities[id];
    return `| ${FEATURES[id].title} | ${c.level} | ${c.code === undefined ? '' : `\`${c.code}\``} | ${escape(c.note ?? '')} |`;
  });
  return ['| feature | level | code | note |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Every diagnostic code with severity, default effect and description. */
function diagnostics(): string {
  const rows = Object.entries(linkerdMessages).map(
    ([id, m]) =>
      `| \`linkerd/${id}\` | ${m.severity} | ${'effect' in m ? m.effect : ''} | ${escape(m.description)} |`,
  );
  return ['| code | severity | effect | meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

function section(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md lacks the ${name} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

describe('README.md', () => {
  it('shows the capability matrix and the diagnostic codes as the code declares them', async () => {
    const text = readFileSync(readme, 'utf8');
    const want = await format(
      section(section(text, 'capabilities', capabilities()), 'diagnostics', diagnostics()),
      { ...(await resolveConfig(readme)), filepath: readme },
    );
    // Regenerated with UPDATE_GOLDEN=1, like the golden files.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(readme, want);
    else expect(text).toBe(want);
  });
});
