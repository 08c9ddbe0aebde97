import { runGoldenCases } from '@meshlingo/conformance';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import istio from '../src/index.js';

const fixtures = fileURLToPath(new URL('../../../fixtures', import.meta.url));

// Both directions: SMI in and native out (expected/istio.yaml), and native in and SMI out
// (expected/istio.smi.yaml, in the istio-ingest-* folders). UPDATE_GOLDEN=1 rewrites this adapter's
// own expected files only; review every change before committing it.
runGoldenCases(istio, fixtures, {
  update: process.env.UPDATE_GOLDEN === '1',
  framework: { describe, it },
});
