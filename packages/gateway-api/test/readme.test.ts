import { FEATURE_IDS, FEATURES } from '@meshlingo/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gatewayApiCapabilities, gatewayApiMessages } from '../src/index.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README tables, rendered from the capability matrix and the message catalog. */
function tables(): Map<string, string> {
  const capabilities = [
    '| feature | level | diagnostic | note |',
    '| --- | --- | --- | --- |',
    ...FEATURE_IDS.map((id) => {
      const c = gatewayApiCapabilities[id];
      return `| ${FEATURES[id].title} (\`${id}\`) | ${c.level} | ${c.code === undefined ? '' : `\`${c.code}\``} | ${cell(c.note ?? '')} |`;
    }),
  ].join('\n');
  const codes = [
    '| code | severity | effect | meaning |',
    '| --- | --- | --- | --- |',
    ...Object.entries(gatewayApiMessages).map(([id, m]) => {
      const spec = m as {
        severity: string;
        effect?: string;
        message: string;
        description?: string;
      };
      return `| \`gateway-api/${id}\` | ${spec.severity} | ${spec.effect ?? ''} | ${cell(spec.description ?? spec.message)} |`;
    }),
  ].join('\n');
  return new Map([
    ['capabilities', capabilities],
    ['codes', codes],
  ]);
}

describe('README', () => {
  it('shows the capability matrix and the message catalog as they are in the code', () => {
    let text = readFileSync(readme, 'utf8');
    for (const [name, table] of tables()) {
      const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
      expect(text).toMatch(pattern);
      if (process.env.UPDATE_GOLDEN === '1') text = text.replace(pattern, `$1${table}\n$2`);
      else expect(text).toContain(`<!-- ${name}:start -->\n${table}\n<!-- ${name}:end -->`);
    }
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(readme, text);
  });
});
