import { defineMessages } from '@meshlingo/core';

/** The diagnostic source of this package; codes are `metrics/<id>`. */
export const METRICS_SOURCE = 'metrics';

/** Codes `metrics/*`: computing SMI TrafficMetrics from Prometheus. */
export const metricsMessages = defineMessages({
  'invalid-name': {
    severity: 'error',
    message: '"{value}" is not a valid {what}: {reason}',
  },
  'namespace-required': {
    severity: 'error',
    message: '{kind} is a namespaced kind; a namespace is required',
  },
  'name-required': {
    severity: 'error',
    message: 'edges are listed for one resource; give the name of the {kind}',
  },
  'invalid-window': {
    severity: 'error',
    message: 'window "{value}" is invalid: {reason}',
    hint: 'Use a Go duration such as 30s, 1m or 1m30s.',
  },
  'invalid-time': {
    severity: 'error',
    message: 'evaluation time "{value}" is invalid: {reason}',
    hint: 'Use RFC 3339 (2026-01-02T15:04:05Z) or Unix seconds.',
  },
  'invalid-label-name': {
    severity: 'error',
    message: 'label name "{value}" for {key} is not a Prometheus label name',
    hint: 'Label names match [a-zA-Z_][a-zA-Z0-9_]*.',
  },
  'unknown-label-key': {
    severity: 'error',
    message: '{mesh} has no configurable label "{key}"',
    hint: 'Known keys: {known}.',
  },
  'invalid-failure-regex': {
    severity: 'error',
    message: 'failure rule regex "{value}" is not valid RE2: {reason}',
  },
  'unknown-mesh': {
    severity: 'error',
    message: '"{value}" is not a mesh this package reads',
    hint: 'Known meshes: {known}.',
  },
  'unknown-kind': {
    severity: 'error',
    message: '"{value}" is not a kind TrafficMetrics are served for',
    hint: 'Known kinds: {known}.',
  },
  'unsupported-kind': {
    severity: 'error',
    message: '{mesh} metrics cannot be computed for {kind}',
  },
  'unsupported-edges': {
    severity: 'error',
    message: '{mesh} cannot list the edges of a {kind}: {reason}',
  },
  'prometheus-invalid-url': {
    severity: 'error',
    message: 'the Prometheus URL "{url}" is invalid: {reason}',
  },
  'prometheus-unreachable': {
    severity: 'error',
    message: 'cannot reach Prometheus at {url}: {reason}',
    hint: 'Check the URL and that Prometheus is running (for a cluster: kubectl port-forward).',
  },
  'prometheus-timeout': {
    severity: 'error',
    message: 'Prometheus at {url} did not answer within {timeout}',
  },
  'prometheus-http-error': {
    severity: 'error',
    message: 'Prometheus at {url} answered HTTP {status}: {reason}',
  },
  'prometheus-bad-response': {
    severity: 'error',
    message: 'the answer from Prometheus at {url} is not a valid query result: {reason}',
  },
  'prometheus-query-error': {
    severity: 'error',
    message: 'Prometheus rejected a query ({errorType}): {reason}',
  },
  'prometheus-warning': {
    severity: 'warning',
    message: 'Prometheus warned: {reason}',
  },
  'no-data': {
    severity: 'info',
    message: 'no {what} samples for {resource} in the {window} window; reported as 0',
  },
  'series-without-identity': {
    severity: 'warning',
    message: 'a {metric} series lacks the identity labels {labels} and was left out',
  },
  'duplicate-series': {
    severity: 'warning',
    message: 'two {metric} series map to {resource}; only the first is used',
  },
});

/** A message id of {@link metricsMessages}. */
export type MetricsMessageId = keyof typeof metricsMessages;
