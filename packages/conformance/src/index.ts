/**
 * @meshlingo/conformance: the proof that translations keep their meaning. AdapterTester for
 * golden and hand-written cases, model generators, round-trip and semantic-equivalence checks,
 * and a CRD schema validator.
 */
export type { CaseCoreOptions, InvalidCase, TestFramework, ValidCase } from './adapter-tester.js';
export { AdapterTester, runCase } from './adapter-tester.js';
export type { ExpectedDiagnostic } from './expectations.js';
export { compareDiagnostics, diagnosticMismatch, toExpected } from './expectations.js';
export type { GoldenCase, GoldenDirection } from './golden.js';
export { loadGoldenCases, runGoldenCases } from './golden.js';
export type { NormalLevel } from './normalize.js';
export { normalizeModel } from './normalize.js';
export type { World, WorldOptions } from './arbitraries.js';
export {
  accessRequestArbitrary,
  fullFeatures,
  HEADER_POOL,
  PATH_POOL,
  routeRequestArbitrary,
  worldArbitrary,
} from './arbitraries.js';
export type { HarnessOptions } from './harness.js';
export {
  assertRoundTripProperty,
  assertSemanticProperty,
  checkDeclaredLosses,
  checkRoundTrip,
  checkSemantics,
  emitWorld,
  ingestObjects,
  propertySettings,
  worldYaml,
} from './harness.js';
export type {
  CelRuleSupport,
  CrdMessageId,
  CrdSet,
  CrdValidation,
  CrdVersion,
  UnsupportedRule,
} from './crd/index.js';
export {
  CHECKED_STRING_FORMATS,
  CRD_SOURCE,
  crdMessages,
  loadCrdDirectory,
  loadCrdSet,
  validateManifest,
  validateObject,
} from './crd/index.js';
