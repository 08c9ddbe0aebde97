import { createDiagnostic, type Diagnostic, type DiagnosticData } from '@meshlingo/core';
import { formatGoDuration } from './duration.js';
import { METRICS_SOURCE, metricsMessages, type MetricsMessageId } from './messages.js';
import { planTrafficMetrics, type MetricsPlan, type MetricsRequest } from './plan.js';
import type { PrometheusClient, PrometheusFailure, Sample } from './prometheus.js';
import {
  buildTrafficMetrics,
  type TrafficMetrics,
  type TrafficMetricsList,
  type TrafficMetricsVersion,
} from './traffic-metrics.js';

/** When and how to compute. */
export interface FetchOptions {
  /** End of the window; default now. Truncated to whole seconds so it matches `timestamp`. */
  readonly time?: Date;
  /** Default `v1alpha2` (carries `edge.side`). */
  readonly version?: TrafficMetricsVersion;
}

/** The computed object, or diagnostics saying why there is none. */
export interface MetricsResult {
  /** Absent when any diagnostic is an error. */
  readonly object?: TrafficMetrics | TrafficMetricsList;
  /** The queries that were (or would have been) run. */
  readonly plan?: MetricsPlan;
  readonly diagnostics: readonly Diagnostic[];
}

function diagnostic(id: MetricsMessageId, data: DiagnosticData): Diagnostic {
  return createDiagnostic(METRICS_SOURCE, metricsMessages, id, { data });
}

/** The diagnostic that reports a failed query. */
export function failureDiagnostic(failure: PrometheusFailure, timeoutMs: number): Diagnostic {
  const { url, message: reason } = failure;
  switch (failure.kind) {
    case 'invalid-url':
      return diagnostic('prometheus-invalid-url', { url, reason });
    case 'unreachable':
      return diagnostic('prometheus-unreachable', { url, reason });
    case 'timeout':
      return diagnostic('prometheus-timeout', {
        url,
        timeout: formatGoDuration(BigInt(timeoutMs) * 1_000_000n),
      });
    case 'http-error':
      return diagnostic('prometheus-http-error', { url, status: failure.status ?? 0, reason });
    case 'bad-response':
      return diagnostic('prometheus-bad-response', { url, reason });
    case 'query-error':
      return diagnostic('prometheus-query-error', {
        errorType: failure.errorType ?? 'unknown',
        reason,
      });
  }
}

/**
 * Computes SMI TrafficMetrics from Prometheus: validates and plans the request, evaluates every
 * query at one instant (so all numbers share `timestamp`), and maps the vectors to a
 * TrafficMetrics object or TrafficMetricsList. Bad input and Prometheus problems (down,
 * unreachable, slow, error answers) come back as `metrics/*` diagnostics; this never throws for
 * them and never waits longer than the client's timeout.
 */
export async function fetchTrafficMetrics(
  client: PrometheusClient,
  request: MetricsRequest,
  options: FetchOptions = {},
): Promise<MetricsResult> {
  const { plan, diagnostics } = planTrafficMetrics(request);
  if (plan === undefined) return { diagnostics };
  const at = options.time ?? new Date();
  if (Number.isNaN(at.getTime())) {
    return {
      plan,
      diagnostics: [diagnostic('invalid-time', { value: String(at), reason: 'it is not a date' })],
    };
  }
  const time = new Date(Math.floor(at.getTime() / 1000) * 1000);
  const outcomes = await Promise.all(
    plan.views.map((view) => Promise.all(view.queries.map((q) => client.query(q.promql, time)))),
  );
  const problems: Diagnostic[] = [];
  const seen = new Set<string>();
  const note = (d: Diagnostic): void => {
    const key = `${d.code}|${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(d);
  };
  const results: (readonly Sample[])[][] = outcomes.map((view) =>
    view.map((outcome) => {
      if (!outcome.ok) {
        note(failureDiagnostic(outcome.failure, client.timeoutMs));
        return [];
      }
      for (const reason of outcome.warnings) note(diagnostic('prometheus-warning', { reason }));
      return outcome.samples;
    }),
  );
  if (problems.some((d) => d.severity === 'error')) return { plan, diagnostics: problems };
  const built = buildTrafficMetrics(plan, results, {
    time,
    version: options.version ?? 'v1alpha2',
  });
  return { object: built.object, plan, diagnostics: [...problems, ...built.diagnostics] };
}
