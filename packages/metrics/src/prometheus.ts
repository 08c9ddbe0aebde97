import { z } from 'zod';

/** How to reach Prometheus. */
export interface PrometheusClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:9090` or `https://example.test/prometheus/`. */
  readonly url: string;
  /** Whole-request deadline per query (connect, answer and body); default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Extra request headers (for example `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Largest answer read, in bytes; default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Replaces the global `fetch` (tests, proxies). */
  readonly fetch?: typeof fetch;
}

/** One series of an instant vector: its labels and its value as Prometheus wrote it. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  /** Evaluation time in Unix seconds. */
  readonly time: number;
  /** Decimal text, or `NaN`, `+Inf`, `-Inf`. */
  readonly value: string;
}

/** Why a query gave no result. */
export type PrometheusFailureKind =
  'invalid-url' | 'unreachable' | 'timeout' | 'http-error' | 'bad-response' | 'query-error';

/** A failed query, described for people and for code. */
export interface PrometheusFailure {
  readonly kind: PrometheusFailureKind;
  /** The URL queried, without credentials. */
  readonly url: string;
  readonly message: string;
  /** HTTP status, when an answer came. */
  readonly status?: number;
  /** Prometheus `errorType` (`bad_data`, `execution`, `timeout`, …) for `query-error`. */
  readonly errorType?: string;
}

/** The outcome of an instant query: samples and warnings, or a failure. Never thrown. */
export type QueryOutcome =
  | { readonly ok: true; readonly samples: readonly Sample[]; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly failure: PrometheusFailure };

/** An instant-query client for the Prometheus HTTP API. */
export interface PrometheusClient {
  /** The base URL without credentials, for messages. */
  readonly url: string;
  readonly timeoutMs: number;
  /** Evaluates `promql` at `time` (`POST /api/v1/query`); resolves within the timeout. */
  query(promql: string, time: Date): Promise<QueryOutcome>;
}

const SampleSchema = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]),
});

const SuccessSchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.string(), result: z.unknown() }),
  warnings: z.array(z.string()).optional(),
});

const ErrorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** The base URL with a trailing slash, its credentials moved into a Basic `Authorization` header. */
function parseBase(text: string): { base: URL; display: string; auth?: string } | string {
  const absolute = 'it is not an absolute URL such as http://127.0.0.1:9090';
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return absolute;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return absolute;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'only http and https are supported';
  if (url.search !== '' || url.hash !== '') return 'it must not have a query or fragment';
  let auth: string | undefined;
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  const display = url.href.replace(/\/$/, '');
  return auth === undefined ? { base: url, display } : { base: url, display, auth };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return error.message;
}

async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine || '(empty body)';
}

class TimeoutSignal extends Error {}

/**
 * A Prometheus instant-query client built on `fetch`. Every call ends within `timeoutMs`
 * (an AbortController covers connecting, the answer and reading the body) and resolves to a
 * {@link QueryOutcome}: a refused connection, a timeout, an HTTP error, a body that is not
 * the Prometheus JSON envelope and an `error` status all come back as failures, never as
 * exceptions. An invalid URL makes every query fail with `invalid-url`.
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  const doFetch = options.fetch ?? fetch;
  const parsed = parseBase(options.url);
  const display =
    typeof parsed === 'string' ? options.url.replace(/\/\/[^/@]*@/, '//') : parsed.display;
  const fail = (
    kind: PrometheusFailureKind,
    message: string,
    extra: { status?: number; errorType?: string } = {},
  ): QueryOutcome => ({ ok: false, failure: { kind, url: display, message, ...extra } });

  async function query(promql: string, time: Date): Promise<QueryOutcome> {
    if (typeof parsed === 'string') return fail('invalid-url', parsed);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
    try {
      const body = new URLSearchParams({
        query: promql,
        time: (time.getTime() / 1000).toString(),
        timeout: `${timeoutMs}ms`,
      });
      const response = await doFetch(new URL('api/v1/query', parsed.base), {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          ...(parsed.auth !== undefined && { authorization: parsed.auth }),
          ...options.headers,
        },
        body,
        signal: controller.signal,
        redirect: 'follow',
      });
      const text = await readLimited(response, maxBytes);
      if (text === undefined) {
        return fail('bad-response', `the answer is larger than ${maxBytes} bytes`, {
          status: response.status,
        });
      }
      return interpret(response.status, text);
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof TimeoutSignal) {
        return fail('timeout', `no complete answer within ${timeoutMs} ms`);
      }
      return fail('unreachable', describe(error));
    } finally {
      clearTimeout(timer);
    }
  }

  function interpret(status: number, text: string): QueryOutcome {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (status < 200 || status >= 300) {
        return fail('http-error', snippet(text), { status });
      }
      return fail('bad-response', `the body is not JSON: ${snippet(text)}`, { status });
    }
    const error = ErrorSchema.safeParse(json);
    if (error.success) {
      const errorType = error.data.errorType ?? 'unknown';
      return fail('query-error', error.data.error ?? 'no error text', { status, errorType });
    }
    if (status < 200 || status >= 300) return fail('http-error', snippet(text), { status });
    const success = SuccessSchema.safeParse(json);
    if (!success.success) {
      return fail('bad-response', 'it is not a Prometheus API envelope', { status });
    }
    const { resultType, result } = success.data.data;
    if (resultType !== 'vector') {
      return fail('bad-response', `expected a vector result, got ${resultType}`, { status });
    }
    const samples = z.array(SampleSchema).safeParse(result);
    if (!samples.success) {
      return fail('bad-response', 'the vector result is malformed', { status });
    }
    return {
      ok: true,
      samples: samples.data.map((s) => ({ labels: s.metric, time: s.value[0], value: s.value[1] })),
      warnings: success.data.warnings ?? [],
    };
  }

  return { url: display, timeoutMs, query };
}
