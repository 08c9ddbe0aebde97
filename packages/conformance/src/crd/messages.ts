import { defineMessages } from '@meshlingo/core';

/** The `source` of every CRD validator diagnostic: codes are `crd/<id>`. */
export const CRD_SOURCE = 'crd';

/**
 * Codes `crd/*`: loading CustomResourceDefinitions and checking objects against them the way a
 * Kubernetes API server would. `field` is always the Kubernetes field path (`spec.rules[0].name`);
 * the other data keys carry the offending values and the schema's limits.
 */
export const crdMessages = defineMessages({
  'unknown-kind': {
    severity: 'warning',
    message: 'no loaded CRD defines {kind} in {apiVersion}; the object was not checked',
    hint: 'Load the CRDs of the mesh that owns this kind.',
  },
  'not-served': {
    severity: 'error',
    message: '{kind} is defined by {crd}, but version {version} is not served (served: {served})',
  },
  'deprecated-version': {
    severity: 'warning',
    message: '{warning}',
  },
  type: {
    severity: 'error',
    message: '{field} must be of type {expected}, not {actual}',
  },
  nullable: {
    severity: 'error',
    message: '{field} must not be null',
    description:
      'A null list item is rejected. A null object field that is not nullable is dropped by the API ' +
      'server before validation (reported as a warning), which matters when the field is required.',
  },
  enum: {
    severity: 'error',
    message: '{field}: unsupported value {value}; allowed: {allowed}',
  },
  pattern: {
    severity: 'error',
    message: '{field}: {value} does not match the pattern {pattern}',
  },
  format: {
    severity: 'error',
    message: '{field}: {value} is not a valid {format}',
  },
  'min-length': {
    severity: 'error',
    message: '{field} must be at least {limit} characters long (it has {length})',
  },
  'max-length': {
    severity: 'error',
    message: '{field} must be at most {limit} characters long (it has {length})',
  },
  minimum: {
    severity: 'error',
    message: '{field} must be greater than {orEqual}{limit} (it is {value})',
  },
  maximum: {
    severity: 'error',
    message: '{field} must be less than {orEqual}{limit} (it is {value})',
  },
  'multiple-of': {
    severity: 'error',
    message: '{field} must be a multiple of {factor} (it is {value})',
  },
  'min-items': {
    severity: 'error',
    message: '{field} must have at least {limit} items (it has {count})',
  },
  'max-items': {
    severity: 'error',
    message: '{field} must have at most {limit} items (it has {count})',
  },
  'unique-items': {
    severity: 'error',
    message: '{field} repeats the item at index {duplicateOf}',
  },
  'min-properties': {
    severity: 'error',
    message: '{field} must have at least {limit} properties (it has {count})',
  },
  'max-properties': {
    severity: 'error',
    message: '{field} must have at most {limit} properties (it has {count})',
  },
  required: {
    severity: 'error',
    message: '{field}: required field {property} is missing',
  },
  pruned: {
    severity: 'error',
    message: '{field} is not in the schema; the API server would silently drop it',
    hint: 'Pruning loses data: fix the field name or remove the field.',
  },
  'additional-property': {
    severity: 'error',
    message: '{field} is not allowed here (additionalProperties: false)',
  },
  'list-map-key': {
    severity: 'error',
    message: '{field}: duplicate entry for key {key} in a list of type map',
  },
  'list-set-duplicate': {
    severity: 'error',
    message: '{field}: duplicate value {value} in a list of type set',
  },
  'one-of': {
    severity: 'error',
    message: '{field} must match exactly one schema of oneOf (it matches {matched})',
  },
  'any-of': {
    severity: 'error',
    message: '{field} must match at least one schema of anyOf',
  },
  not: {
    severity: 'error',
    message: '{field} must not match the schema in not',
  },
  'embedded-resource': {
    severity: 'error',
    message: '{field}: {reason}',
  },
  'int-or-string': {
    severity: 'error',
    message: '{field} must be an integer or a string, not {actual}',
  },
  metadata: {
    severity: 'error',
    message: '{field}: {reason}',
  },
  'namespace-ignored': {
    severity: 'warning',
    message: '{kind} is cluster-scoped; the API server clears metadata.namespace {namespace}',
  },
  'status-dropped': {
    severity: 'info',
    message: 'status is dropped on create because {kind} has a status subresource',
  },
  'cel-failed': {
    severity: 'error',
    message: '{field}: {message}',
  },
  'cel-error': {
    severity: 'error',
    message: '{field}: evaluating rule {rule} failed: {error}',
    description:
      'The API server rejects an object when a rule cannot be evaluated on it (a missing key, an ' +
      'index out of range, an invalid duration...).',
  },
  'cel-unsupported': {
    severity: 'info',
    message: '{field}: rule {rule} was not evaluated ({reason}); {count} evaluation(s) skipped',
    description:
      'The rule needs something this evaluator does not have (a CEL function, the old object of a ' +
      'transition rule). It was neither passed nor failed.',
  },
  'invalid-crd': {
    severity: 'error',
    message: 'CRD {crd}: {reason}',
  },
  'duplicate-crd': {
    severity: 'warning',
    message:
      '{group} {kind} is defined again by {crd}; the later definition replaces the one from {previous}',
  },
  'skipped-document': {
    severity: 'warning',
    message: 'a document of a CRD file could not be read and was skipped: {reason}',
  },
});

/** A message id of {@link crdMessages}. */
export type CrdMessageId = keyof typeof crdMessages;
