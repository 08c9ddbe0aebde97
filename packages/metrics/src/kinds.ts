import type { METRIC_NAMES } from '@meshlingo/core';

/** The resource kinds TrafficMetrics are served for, in Kubernetes spelling. */
export const RESOURCE_KINDS = [
  'Namespace',
  'Deployment',
  'Pod',
  'DaemonSet',
  'StatefulSet',
] as const;

/** A resource kind TrafficMetrics are computed for. */
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** One of the five standard SMI metric names. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Which proxy measured a number: the caller's (`client`) or the callee's (`server`). */
export type Side = 'client' | 'server';

/** `to`: traffic the resource sent to its peer; `from`: traffic it received from its peer. */
export type Direction = 'to' | 'from';

/** The REST resource name of each kind (`deployments`), as in the metrics API paths. */
export const KIND_RESOURCES: Readonly<Record<ResourceKind, string>> = {
  Namespace: 'namespaces',
  Deployment: 'deployments',
  Pod: 'pods',
  DaemonSet: 'daemonsets',
  StatefulSet: 'statefulsets',
};

const ALIASES: Readonly<Record<string, ResourceKind>> = {
  namespace: 'Namespace',
  namespaces: 'Namespace',
  ns: 'Namespace',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
};

/**
 * Reads a kind the way kubectl does: plural, singular or short name in any case (`deployments`,
 * `Deployment`, `deploy`), including the SMI SDK spellings `Daemonset` and `Statefulset`.
 * Returns undefined for anything else.
 */
export function parseResourceKind(text: string): ResourceKind | undefined {
  const key = text.toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}
