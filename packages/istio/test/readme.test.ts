import { FEATURE_IDS, FEATURES, type MessageSpec } from '@meshlingo/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { istioCapabilities, istioMessages } from '../src/index.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The generated README sections: the capability matrix and the message catalog. */
function sections(): Record<string, string> {
  return {
    capabilities: [
      '| feature | level | code | note |',
      '| --- | --- | --- | --- |',
      ...FEATURE_IDS.map((id) => {
        const c = istioCapabilities[id];
        return `| ${FEATURES[id].title} (\`${id}\`) | ${c.level} | ${c.code === undefined ? '' : `\`${c.code}\``} | ${escape(c.note ?? '')} |`;
      }),
    ].join('\n'),
    codes: [
      '| code | severity | effect | what it means |',
      '| --- | --- | --- | --- |',
      ...Object.entries(istioMessages).map(([id, m]: [string, MessageSpec]) => {
        return `| \`istio/${id}\` | ${m.severity} | ${m.effect ?? ''} | ${escape(m.description ?? m.message)} |`;
      }),
    ].join('\n'),
  };
}

/** Prettier pads table cells; compare tables cell by cell. */
const normalize = (table: string): string =>
  table
    .split('\n')
    .map((line) => line.replace(/\s*\|\s*/g, '|').replace(/\|-+(?=\|)/g, '|---'))
    .join('\n')
    .trim();

describe('README', () => {
  it('shows the capability matrix and every diagnostic code as they are in the code', () => {
    let text = readFileSync(readme, 'utf8');
    for (const [name, table] of Object.entries(sections())) {
      const block = new RegExp(`(<!-- ${name}:start -->)([\\s\\S]*?)(<!-- ${name}:end -->)`);
      const found = block.exec(text);
      expect(found, `README section ${name}`).not.toBeNull();
      if (process.env.UPDATE_GOLDEN === '1') text = text.replace(block, `$1\n\n${table}\n\n$3`);
      else expect(normalize(found?.[2] ?? '')).toBe(normalize(table));
    }
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(readme, text);
  });
});
