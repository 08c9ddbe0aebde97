import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPrometheusClient, type QueryOutcome } from '../src/index.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler = (_req, _body, res) => res.end();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function serve(status: number, body: string, type = 'application/json'): void {
  handler = (_req, _body, res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
}

const time = new Date(1_748_779_200_000);

async function query(url = base, timeoutMs = 2_000): Promise<QueryOutcome> {
  return createPrometheusClient({ url, timeoutMs }).query('up', time);
}

function failure(outcome: QueryOutcome) {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) throw new Error('expected a failure');
  return outcome.failure;
}

describe('Prometheus client', () => {
  test('posts the query, time and timeout as a form and reads the vector', async () => {
    let seen: Record<string, string | undefined> = {};
    handler = (req, body, res) => {
      seen = { method: req.method, url: req.url, type: req.headers['content-type'], body };
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { pod: 'a' }, value: [1748779200, '1.5'] },
              { metric: {}, value: [1748779200, 'NaN'] },
            ],
          },
          warnings: ['partial data'],
        }),
      );
    };
    const outcome = await createPrometheusClient({ url: `${base}/prom`, timeoutMs: 1_500 }).query(
      'sum(rate(x{a="b"}[1m]))',
      time,
    );
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/prom/api/v1/query');
    expect(seen.type).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({
      query: 'sum(rate(x{a="b"}[1m]))',
      time: '1748779200',
      timeout: '1500ms',
    });
    expect(outcome).toEqual({
      ok: true,
      samples: [
        { labels: { pod: 'a' }, time: 1748779200, value: '1.5' },
        { labels: {}, time: 1748779200, value: 'NaN' },
      ],
      warnings: ['partial data'],
    });
  });

  test('credentials in the URL become Basic auth and never appear in messages', async () => {
    let auth: string | undefined;
    handler = (req, _body, res) => {
      auth = req.headers.authorization;
      res.writeHead(500);
      res.end('boom');
    };
    const url = base.replace('http://', 'http://user:p%40ss@');
    const client = createPrometheusClient({ url });
    expect(client.url).toBe(base);
    const f = failure(await client.query('up', time));
    expect(auth).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    expect(f.url).toBe(base);
    expect(JSON.stringify(f)).not.toContain('p%40ss');
  });

  test('an HTTP error without the Prometheus envelope', async () => {
    serve(500, '<html>internal error</html>', 'text/html');
    expect(failure(await query())).toMatchObject({
      kind: 'http-error',
      status: 500,
      message: '<html>internal error</html>',
    });
  });

  test('a Prometheus error answer', async () => {
    serve(
      400,
      JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": 1:4: parse error: unexpected end of input',
      }),
    );
    expect(failure(await query())).toMatchObject({
      kind: 'query-error',
      status: 400,
      errorType: 'bad_data',
      message: 'invalid parameter "query": 1:4: parse error: unexpected end of input',
    });
  });

  test.each([
    ['not JSON', '{"status":"success",', 'the body is not JSON: {"status":"success",'],
    ['not the envelope', '{"hello":"world"}', 'it is not a Prometheus API envelope'],
    [
      'a matrix',
      '{"status":"success","data":{"resultType":"matrix","result":[]}}',
      'expected a vector result, got matrix',
    ],
    [
      'a malformed vector',
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":["x",1]}]}}',
      'the vector result is malformed',
    ],
  ])('a 200 answer that is %s', async (_what, body, message) => {
    serve(200, body);
    expect(failure(await query())).toMatchObject({ kind: 'bad-response', status: 200, message });
  });

  test('an answer larger than the limit', async () => {
    serve(
      200,
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [] },
        pad: 'x'.repeat(5_000),
      }),
    );
    const client = createPrometheusClient({ url: base, maxResponseBytes: 1_000 });
    expect(failure(await client.query('up', time))).toMatchObject({
      kind: 'bad-response',
      message: 'the answer is larger than 1000 bytes',
    });
  });

  test('a server that never answers times out', async () => {
    handler = () => undefined;
    expect(failure(await query(base, 100))).toMatchObject({
      kind: 'timeout',
      message: 'no complete answer within 100 ms',
    });
  });

  test('a server that stalls in the middle of the body times out', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":');
    };
    expect(failure(await query(base, 100))).toMatchObject({ kind: 'timeout' });
  });

  test('a server that drops the connection', async () => {
    handler = (req) => req.socket.destroy();
    expect(failure(await query())).toMatchObject({ kind: 'unreachable' });
  });

  test('nothing listening: unreachable, with the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const f = failure(await query(`http://127.0.0.1:${port}`));
    expect(f.kind).toBe('unreachable');
    expect(f.message).toContain('ECONNREFUSED');
    expect(f.url).toBe(`http://127.0.0.1:${port}`);
  });

  test.each([
    ['localhost:9090', 'it is not an absolute URL such as http://127.0.0.1:9090'],
    ['http://', 'it is not an absolute URL such as http://127.0.0.1:9090'],
    ['ftp://example.test/', 'only http and https are supported'],
    ['http://example.test/?x=1', 'it must not have a query or fragment'],
  ])('invalid URL %s fails every query without a request', async (url, message) => {
    expect(failure(await query(url))).toMatchObject({ kind: 'invalid-url', message });
  });
});
