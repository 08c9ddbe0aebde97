import { FEATURE_IDS, FEATURES } from '@meshlingo/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { consulCapabilities, consulMessages } from '../src/index.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README tables as the capability matrix and the message catalog give them. */
function generated(): Map<string, string> {
  const capabilities = [
    '| feature | level | diagnostic | note |',
    '| --- | --- | --- | --- |',
    ...FEATURE_IDS.map((id) => {
      const c = consulCapabilities[id];
      const code = c.code === undefined ? '' : `\`${c.code}\``;
      return `| ${FEATURES[id].title} (\`${id}\`) | ${c.level} | ${code} | ${escapeCell(c.note ?? '')} |`;
    }),
  ];
  const codes = [
    '| code | severity | effect | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.entries(consulMessages).map(([id, spec]) => {
      const effect = 'effect' in spec ? spec.effect : '';
      return `| \`consul/${id}\` | ${spec.severity} | ${effect} | ${escapeCell(spec.description)} |`;
    }),
  ];
  return new Map([
    ['capabilities', capabilities.join('\n')],
    ['codes', codes.join('\n')],
  ]);
}

describe('README', () => {
  it('shows the capability matrix and every diagnostic code as the code defines them', () => {
    let text = readFileSync(readme, 'utf8');
    for (const [name, table] of generated()) {
      const block = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
      expect(text).toMatch(block);
      if (process.env.UPDATE_GOLDEN === '1') text = text.replace(block, `$1${table}\n$2`);
      else expect(text).toContain(`<!-- ${name}:start -->\n${table}\n<!-- ${name}:end -->`);
    }
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(readme, text);
  });
});
