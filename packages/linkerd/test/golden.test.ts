import { runGoldenCases } from '@meshlingo/conformance';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { linkerdAdapter } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));

// Both directions: SMI in and native out (expected/linkerd.yaml), and native in and SMI out
// (expected/linkerd.smi.yaml, in the linkerd-ingest-* folders). UPDATE_GOLDEN=1 rewrites this adapter's
// own expected files only; review every change before committing it.
runGoldenCases(linkerdAdapter, fixtures, {
  update: process.env.UPDATE_GOLDEN === '1',
  framework: { describe, it },
});
