import { FEATURE_IDS } from '@meshlingo/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import appMeshAdapter, { appMeshCapabilities, appMeshMessages } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The capability table as the README must show it (one row per core feature, in order). */
function capabilityTable(): string {
  const rows = FEATURE_IDS.map((id) => {
    const c = appMeshCapabilities[id];
    return `| \`${id}\` | ${c.level} | ${c.code === undefined ? '' : `\`${c.code}\``} | ${c.note ?? ''} |`;
  });
  return ['| feature | level | code | note |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** A Markdown table with cells trimmed and separator rows shortened (Prettier pads both). */
function normalize(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    )
    .join('\n');
}

describe('README', () => {
  it('shows the capability matrix of src/capabilities.ts', () => {
    const start = readme.indexOf('<!-- capability-table');
    const end = readme.indexOf('<!-- end capability-table -->');
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
    expect(normalize(table)).toBe(normalize(capabilityTable()));
  });

  it('lists every diagnostic code, and every code has a description', () => {
    for (const [id, spec] of Object.entries(appMeshMessages)) {
      expect(readme, id).toMatch(new RegExp(`\\| +\`${id}\` +\\|`));
      expect(spec.description ?? '', id).not.toBe('');
    }
  });

  it('declares codes that exist in its catalog', () => {
    for (const id of FEATURE_IDS) {
      const code = appMeshCapabilities[id].code;
      if (code !== undefined)
        expect(Object.keys(appMeshMessages)).toContain(code.replace(/^appmesh\//, ''));
    }
    expect(appMeshAdapter.capabilities).toBe(appMeshCapabilities);
  });
});
