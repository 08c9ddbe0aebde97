/**
 * Starts a real Prometheus for the integration tests: the scenario is backfilled into a fresh
 * TSDB in a temporary directory with promtool, Prometheus serves it on a free loopback port
 * without scraping anything, and teardown stops it and removes the directory. Without the binary
 * the tests are skipped with the reason, except under CI, which must run them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { scenarioOpenMetrics } from './support/openmetrics.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the test Prometheus; empty when skipped. */
    prometheusUrl: string;
    /** Why the real-Prometheus tests are skipped; empty when they run. */
    prometheusSkip: string;
  }
}

const PROMETHEUS = process.env.MESHLINGO_PROMETHEUS ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.MESHLINGO_PROMTOOL ?? '/usr/bin/promtool';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || exited(child)) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited(child)) {
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  return false;
}

function start(dir: string, port: number): { child: ChildProcess; log: () => string } {
  let log = '';
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The backfilled data is old; never let retention remove it.
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 64_000) log += chunk.toString();
  });
  return { child, log: () => log };
}

/** Vitest global setup: provides `prometheusUrl` or `prometheusSkip`; returns the teardown. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const missing = [PROMETHEUS, PROMTOOL].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    const reason = `${missing.join(' and ')} not found (Debian: apt-get install prometheus)`;
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(`${reason}; CI must run the real-Prometheus tests`);
    }
    console.warn(`[metrics] skipping the real-Prometheus tests: ${reason}`);
    project.provide('prometheusUrl', '');
    project.provide('prometheusSkip', reason);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'meshlingo-prometheus-'));
  let child: ChildProcess | undefined;
  // If Vitest dies without running the teardown, still leave nothing behind.
  const killOnExit = (): void => {
    if (child !== undefined && !exited(child)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const teardown = async (): Promise<void> => {
    await stop(child);
    process.removeListener('exit', killOnExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const input = join(dir, 'scenario.om');
    await writeFile(input, scenarioOpenMetrics());
    await promisify(execFile)(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', input, join(dir, 'data')],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    await rm(input);
    // No scrape jobs: Prometheus serves only the backfilled blocks.
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
    let failure = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const started = start(dir, port);
      child = started.child;
      const url = `http://127.0.0.1:${port}`;
      if (await waitReady(url, child)) {
        project.provide('prometheusUrl', url);
        project.provide('prometheusSkip', '');
        return teardown;
      }
      failure = started.log();
      await stop(child);
      // Another process may have taken the port between the probe and the start.
      if (!failure.includes('address already in use')) break;
    }
    throw new Error(`Prometheus did not become ready: ${failure.slice(-2_000) || 'no output'}`);
  } catch (error) {
    await teardown();
    throw error;
  }
}
