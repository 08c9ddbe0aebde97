/**
 * A Kubernetes CRD schema validator: checks objects against CustomResourceDefinition OpenAPI v3
 * schemas and `x-kubernetes-validations` CEL rules the way an API server would on create.
 */
export type { CelRuleSupport, CrdSet, CrdVersion, UnsupportedRule } from './crd-set.js';
export { CHECKED_STRING_FORMATS } from './formats.js';
export { loadCrdDirectory, loadCrdSet } from './load.js';
export type { CrdMessageId } from './messages.js';
export { CRD_SOURCE, crdMessages } from './messages.js';
export type { CrdValidation } from './validate.js';
export { validateManifest, validateObject } from './validate.js';
