import { smiAdapter } from '@meshlingo/core';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { runGoldenCases } from '../src/golden.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));

// Every golden case with an expected/smi.yaml: SMI of any version in, SMI at the chosen versions out.
runGoldenCases(smiAdapter, fixtures, {
  update: process.env.UPDATE_GOLDEN === '1',
  framework: { describe, it },
});
