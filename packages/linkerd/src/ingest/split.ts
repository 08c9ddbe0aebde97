import {
  deriveName,
  manifestOrigin,
  manifestRef,
  portProtocol,
  sourceMetadata,
  type HTTPRouteGroupNode,
  type IngestContext,
  type TrafficSplitNode,
} from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import { reduceWeights } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import type { SplitDefinition } from './split-definition.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** What makes two definitions the same split: backends with reduced weights and the matches. */
function meaning(d: SplitDefinition): string {
  const weights = reduceWeights(d.backends.map((b) => b.weight));
  return JSON.stringify({
    backends: d.backends.map((b, i) => [b.service, weights[i]]),
    matches:
      d.matches?.map((m) => [
        m.pathRegex ?? null,
        m.methods ?? null,
        m.headers?.map((h) => [h.name, h.value]) ?? null,
      ]) ?? null,
  });
}

/**
 * Merges split definitions into TrafficSplits, one per Service: definitions with the same
 * meaning for different ports are one split (meshlingo writes one route per port); a split must
 * cover every port of the Service (else reported), and a second, different split of the same
 * Service is dropped (reported).
 */
export function mergeSplits(
  definitions: readonly SplitDefinition[],
  ctx: Ctx,
): { trafficSplits: TrafficSplitNode[]; httpRouteGroups: HTTPRouteGroupNode[] } {
  const trafficSplits: TrafficSplitNode[] = [];
  const httpRouteGroups: HTTPRouteGroupNode[] = [];
  const byService = new Map<string, SplitDefinition[]>();
  for (const d of definitions) {
    const key = `${d.namespace}/${d.service}`;
    byService.set(key, [...(byService.get(key) ?? []), d]);
  }
  for (const list of byService.values()) {
    const [first] = list;
    if (first === undefined) continue;
    const chosen = list.filter((d) => meaning(d) === meaning(first));
    for (const d of list.filter((x) => !chosen.includes(x)))
      ctx.report('split-conflict', {
        at: { manifest: d.manifest },
        data: {
          service: `${d.namespace}/${d.service}`,
          kind: d.kind,
          name: `${d.namespace}/${d.name}`,
        },
      });
    const data = { kind: first.kind, name: `${first.namespace}/${first.name}` };
    if (first.backends.every((b) => b.weight === 0)) {
      ctx.report('split-all-zero', { at: { manifest: first.manifest }, data });
      continue;
    }
    const service = ctx.cluster.service(first.namespace, first.service);
    if (!chosen.some((d) => d.ports === 'all') && service !== undefined) {
      const covered = new Set(chosen.flatMap((d) => (d.ports === 'all' ? [] : d.ports)));
      const missing = service.ports.filter(
        (p) => portProtocol(p) !== 'udp' && !covered.has(p.port),
      );
      if (missing.length > 0)
        ctx.report('parent-port', {
          at: { manifest: first.manifest, field: ['spec', 'parentRefs'] },
          data: {
            kind: first.kind,
            route: data.name,
            ports: [...covered].sort((a, b) => a - b).join(', '),
            service: first.service,
          },
        });
    }
    // meshlingo names per-port routes `<split>-<port>`; read them back as one split.
    const port = first.ports === 'all' ? undefined : first.ports[0];
    const name =
      port !== undefined && first.name.endsWith(`-${port}`)
        ? first.name.slice(0, -`-${port}`.length)
        : first.name;
    const splitName = ctx.names.claim('TrafficSplit', first.namespace, deriveName([name]));
    const refs = chosen.map((d) => manifestRef(d.manifest.object));
    let matches: TrafficSplitNode['matches'];
    if (first.matches !== undefined) {
      const group: HTTPRouteGroupNode = {
        name: ctx.names.claim('HTTPRouteGroup', first.namespace, deriveName([first.name])),
        namespace: first.namespace,
        ...sourceMetadata([manifestRef(first.manifest.object)]),
        matches: first.matches,
        origin: manifestOrigin(first.manifest),
      };
      httpRouteGroups.push(group);
      matches = [
        { kind: 'HTTPRouteGroup', name: group.name, origin: manifestOrigin(first.manifest) },
      ];
    }
    trafficSplits.push({
      name: splitName,
      namespace: first.namespace,
      ...sourceMetadata(refs),
      service: first.service,
      backends: first.backends,
      ...(matches !== undefined && { matches }),
      origin: manifestOrigin(first.manifest),
    });
  }
  return { trafficSplits, httpRouteGroups };
}
