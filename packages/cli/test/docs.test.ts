import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAllBuiltins } from '../src/adapters.js';
import { capabilitiesMarkdown } from '../src/capabilities.js';

const page = fileURLToPath(new URL('../../../docs/capabilities.md', import.meta.url));

describe('docs/capabilities.md', () => {
  it('is the current output of `meshlingo capabilities -o markdown` (run `npm run docs` after changing a matrix)', async () => {
    expect(readFileSync(page, 'utf8')).toBe(capabilitiesMarkdown(await loadAllBuiltins()));
  });
});
