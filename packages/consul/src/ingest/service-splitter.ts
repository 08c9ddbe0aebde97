import type { BackendNode, Origin, ReportTarget } from '@meshlingo/core';
import { resolveTarget, targetService, type ChainTarget, type ConsulConfig } from '../evaluator.js';
import { identityKey } from '../identity.js';
import type { Parsed, ServiceSplitterSpec } from '../native.js';
import { fieldOf, type ConsulIngestContext } from './context.js';

/** What reading a discovery chain needs, shared by every root. */
export interface ChainReader {
  readonly config: ConsulConfig;
  readonly ctx: ConsulIngestContext;
  /** Diagnostics already reported (a splitter can be reached from several roots). */
  readonly reported: Set<string>;
}

function once(reader: ChainReader, key: string, report: () => void): void {
  if (reader.reported.has(key)) return;
  reader.reported.add(key);
  report();
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

/**
 * The SMI backends of the traffic that reaches a chain target: splitters are followed (Consul
 * flattens them, weights multiply), resolvers redirect or pick default subsets, subsets become the
 * Kubernetes Services that select them. Targets SMI cannot name (other namespaces, partitions,
 * datacenters, peers, unmapped subsets) are left out with a diagnostic. Undefined when nothing is
 * left. `rootNamespace` is the Consul namespace of the split's root (a route can start elsewhere).
 */
export function backendsFor(
  reader: ChainReader,
  start: ChainTarget,
  namespace: string,
  origin: Origin,
  at: ReportTarget,
  rootNamespace: string = start.id.namespace,
): BackendNode[] | undefined {
  const { config, ctx } = reader;
  const weights = new Map<string, bigint>();
  const remote = (where: ReportTarget, what: string, value: string): void => {
    once(reader, `remote/${JSON.stringify(where)}`, () =>
      ctx.report('remote-target', {
        at: where,
        data: { field: 'manifest' in where ? (where.field ?? []).join('.') : '', what, value },
      }),
    );
  };
  const terminal = (target: ChainTarget, units: bigint, where: ReportTarget): void => {
    const resolved = resolveTarget(config, target);
    if (resolved === undefined) {
      const resolver = config.resolvers.get(identityKey(target.id));
      const r = resolver?.spec.redirect;
      const [what, value] =
        r?.datacenter !== undefined
          ? ['datacenter', r.datacenter]
          : r?.peer !== undefined
            ? ['peer', r.peer]
            : r?.partition !== undefined
              ? ['partition', r.partition]
              : ['sameness group', r?.samenessGroup ?? ''];
      remote(resolver === undefined ? where : fieldOf(resolver, ['spec', 'redirect']), what, value);
      return;
    }
    if (resolved.id.namespace !== rootNamespace) {
      remote(where, 'namespace', resolved.id.namespace);
      return;
    }
    const service = targetService(config, resolved, ctx.options, ctx.cluster, namespace);
    if (service === undefined) {
      once(reader, `subset/${identityKey(resolved.id)}/${resolved.subset ?? ''}`, () =>
        ctx.report('subset-unmapped', {
          at: where,
          data: { subset: resolved.subset ?? '', service: resolved.id.name },
        }),
      );
      return;
    }
    weights.set(service, (weights.get(service) ?? 0n) + units);
  };
  const walk = (target: ChainTarget, units: bigint, depth: number, where: ReportTarget): void => {
    const splitter: Parsed<ServiceSplitterSpec> | undefined =
      target.subset === undefined ? config.splitters.get(identityKey(target.id)) : undefined;
    if (splitter === undefined || depth >= 8) {
      terminal(target, units, where);
      return;
    }
    if (depth > 0)
      once(reader, `flattened/${identityKey(target.id)}`, () =>
        ctx.report('split-flattened', { at: where, data: { service: target.id.name } }),
      );
    splitter.spec.splits.forEach((s, j) => {
      const path = ['spec', 'splits', j];
      for (const field of ['requestHeaders', 'responseHeaders'] as const)
        if (s[field] !== undefined)
          once(reader, `headers/${identityKey(target.id)}/${j}/${field}`, () =>
            ctx.report('header-modifiers-dropped', {
              at: fieldOf(splitter, [...path, field]),
              data: { field: [...path, field].join('.') },
            }),
          );
      if (s.partition !== undefined) {
        remote(fieldOf(splitter, [...path, 'partition']), 'partition', s.partition);
        return;
      }
      const child: ChainTarget = {
        id: { name: s.service ?? target.id.name, namespace: s.namespace ?? target.id.namespace },
        ...(s.serviceSubset !== undefined && { subset: s.serviceSubset }),
      };
      const share = units * BigInt(Math.round(s.weight * 100));
      const here = fieldOf(splitter, path);
      if (child.subset === undefined && identityKey(child.id) === identityKey(target.id))
        terminal(child, share, here);
      else walk(child, share, depth + 1, here);
    });
  };
  walk(start, 1n, 0, at);
  const divisor = [...weights.values()].reduce((a, b) => gcd(a, b), 0n);
  if (divisor === 0n) {
    if (weights.size > 0) ctx.report('zero-total-weight', { at, data: { service: start.id.name } });
    return undefined;
  }
  return [...weights].map(([service, w]) => ({ service, weight: Number(w / divisor), origin }));
}
