import type { IngestContext, WorkloadInfo } from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import type { ServerRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { selects } from '../selector.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** A destination of a Server: a ServiceAccount whose pods it selects, and the ports it covers. */
export interface ServerDestination {
  readonly serviceAccount: string;
  readonly ports: readonly number[];
}

/** A Server read for SMI: its destinations (empty when it maps to none). */
export interface ResolvedServer {
  readonly record: ServerRecord;
  readonly destinations: readonly ServerDestination[];
}

function tcpPorts(workloads: readonly WorkloadInfo[], name: string): number[] {
  const out = new Set<number>();
  for (const w of workloads)
    for (const p of w.containerPorts)
      if (p.name === name && p.protocol.toUpperCase() === 'TCP') out.add(p.containerPort);
  return [...out].sort((a, b) => a - b);
}

/**
 * Maps a Server to ServiceAccounts through the workloads of the context: the pods its
 * podSelector selects, grouped by ServiceAccount, with the Server port resolved (a name may
 * stand for several container ports). An SMI destination is a whole ServiceAccount, so a Server
 * that selects only some of its workloads is reported.
 */
export function resolveServer(server: ServerRecord, ctx: Ctx): ResolvedServer {
  const none = { record: server, destinations: [] };
  const at = (field: string) => ({ manifest: server.manifest, field: ['spec', field] });
  const name = `${server.namespace}/${server.name}`;
  if (server.proxyProtocol !== 'unknown')
    ctx.report('proxy-protocol', {
      at: at('proxyProtocol'),
      data: { server: name, protocol: server.proxyProtocol },
    });
  if (server.accessPolicy !== undefined && server.accessPolicy !== 'deny')
    ctx.report('access-policy', {
      at: at('accessPolicy'),
      data: { server: name, policy: server.accessPolicy },
    });
  if (server.podSelector === undefined) {
    ctx.report('external-workloads', {
      at: at('externalWorkloadSelector'),
      data: { server: name },
    });
    return none;
  }
  const selector = server.podSelector;
  const selected = ctx.cluster.context.workloads.filter(
    (w) => w.namespace === server.namespace && selects(selector, w.podLabels),
  );
  if (selected.length === 0) {
    ctx.report('server-no-pods', { at: at('podSelector'), data: { server: name } });
    return none;
  }
  const accounts = [...new Set(selected.map((w) => w.serviceAccount))].sort();
  const destinations: ServerDestination[] = [];
  for (const sa of accounts) {
    const mine = selected.filter((w) => w.serviceAccount === sa);
    const others = ctx.cluster.workloadsOf(server.namespace, sa).filter((w) => !mine.includes(w));
    if (others.length > 0) {
      const action = ctx.unrepresentable('server-partial-account', {
        at: at('podSelector'),
        data: {
          server: name,
          serviceAccount: `${server.namespace}/${sa}`,
          others: others.map((w) => `${w.kind}/${w.name}`).join(', '),
        },
      });
      if (action !== 'widen') continue;
    }
    const ports = typeof server.port === 'number' ? [server.port] : tcpPorts(mine, server.port);
    if (ports.length === 0) {
      ctx.report('server-port-unresolved', {
        at: at('port'),
        data: { server: name, port: String(server.port) },
      });
      continue;
    }
    destinations.push({ serviceAccount: sa, ports });
  }
  return { record: server, destinations };
}
