import {
  classifyPath,
  largestRemainder,
  literalOfRegex,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type KubeObject,
  type MeshModel,
  type TrafficSplitNode,
} from '@meshlingo/core';
import { LossTracker, type IstioEmitContext } from '../context.js';
import { serviceHost, servicePortProtocol } from '../identity.js';
import { topLevelBranches } from '../regex-subset.js';
import { featuresOf } from '../options.js';
import { encodeFragment } from '../smi-annotation.js';
import { metadataFor } from './metadata.js';

/**
 * TrafficSplit to VirtualService: the root Service's host, weighted destinations (backend
 * Services, no subsets, so no DestinationRule is needed), and for `matches` one matched route
 * plus a fallback to the root Service. Route weights are relative integers from Istio 1.15
 * (istio/istio#39544) and percentages adding up to 100 before.
 */

/** Istio reads weights as int32 and adds them up as uint32. */
const MAX_WEIGHT = 2 ** 31 - 1;
const MAX_TOTAL = 2 ** 32 - 1;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function weightsFor(split: TrafficSplitNode, ctx: IstioEmitContext, track: LossTracker): number[] {
  const weights = split.backends.map((b) => b.weight);
  const name = `${split.namespace}/${split.name}`;
  if (!featuresOf(ctx.options).relativeWeights) {
    if (weights.length === 1) return [100];
    const percent = largestRemainder(weights, 100);
    // Rounding stays within the adapter's declared share tolerance (1 %), so it is no loss.
    track.report('weights-percent', {
      at: { origin: split.origin, field: ['spec', 'backends'] },
      data: { name, weights: weights.join(', '), percent: percent.join(', ') },
    });
    return percent;
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.max(...weights) <= MAX_WEIGHT && total <= MAX_TOTAL) return weights;
  const divisor = weights.reduce((a, b) => gcd(a, b), 0);
  const reduced = weights.map((w) => w / divisor);
  if (reduced.reduce((a, b) => a + b, 0) <= MAX_TOTAL && Math.max(...reduced) <= MAX_WEIGHT)
    return reduced;
  const scaled = largestRemainder(weights, 1_000_000);
  track.report('weights-scaled', {
    at: { origin: split.origin, field: ['spec', 'backends'] },
    data: { name, weights: weights.join(', '), scaled: scaled.join(', ') },
  });
  return scaled;
}

/** A null-prototype record from a map whose keys come from user input. */
function recordOf<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of map)
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/**
 * A `uri` StringMatch for an SMI pathRegex (start-anchored RE2). Envoy regexes match the whole
 * path, so an open end gets `.*` and a closing `$` is implied.
 */
function uriMatch(pathRegex: string): Record<string, string> {
  const shape = classifyPath(pathRegex);
  if (shape.kind === 'exact') return { exact: shape.path };
  if (shape.kind === 'prefix') return { prefix: shape.prefix };
  if (topLevelBranches(pathRegex).length > 1) return { regex: `(?:${pathRegex}).*` };
  const unescaped = (suffix: string): boolean =>
    pathRegex.endsWith(suffix) &&
    (/\\*$/.exec(pathRegex.slice(0, -suffix.length))?.[0].length ?? 0) % 2 === 0;
  if (unescaped('$')) return { regex: pathRegex.slice(0, -1) };
  return { regex: unescaped('.*') ? pathRegex : `${pathRegex}.*` };
}

/** Match blocks of one SMI match: one per method, since a block holds one method condition. */
function matchBlocks(
  split: TrafficSplitNode,
  group: HTTPRouteGroupNode,
  match: HttpMatchNode,
  track: LossTracker,
): Record<string, unknown>[] | undefined {
  const headers = new Map<string, Record<string, string>>();
  for (const header of match.headers ?? []) {
    const key = header.name.toLowerCase();
    if (headers.has(key)) {
      const action = track.unrepresentable('split-match-not-representable', {
        at: { origin: match.origin, field: ['headers'] },
        data: {
          name: `${split.namespace}/${split.name}`,
          match: match.name,
          group: group.name,
          header: key,
        },
        narrowEffect: 'changes-routing',
        widenEffect: 'changes-routing',
      });
      if (action === 'widen') continue;
      return action === 'omit' ? undefined : [];
    }
    const literal = literalOfRegex(header.value);
    headers.set(
      key,
      literal !== undefined && literal !== '' ? { exact: literal } : { regex: header.value },
    );
  }
  const base = {
    ...(match.pathRegex !== undefined && { uri: uriMatch(match.pathRegex) }),
    ...(headers.size > 0 && { headers: recordOf(headers) }),
  };
  const methods =
    match.methods === undefined || match.methods.includes('*') ? undefined : match.methods;
  if (methods === undefined) return [{ name: match.name, ...base }];
  return methods.map((method) => ({
    name: methods.length === 1 ? match.name : `${match.name}-${method}`,
    ...base,
    method: { exact: method },
  }));
}

function emitSplit(split: TrafficSplitNode, ctx: IstioEmitContext): KubeObject | undefined {
  const track = new LossTracker(ctx);
  const { clusterDomain } = ctx.options;
  const rootHost = serviceHost(split.service, split.namespace, clusterDomain);
  const weights = weightsFor(split, ctx, track);
  const route = split.backends.map((b, i) => ({
    destination: { host: serviceHost(b.service, split.namespace, clusterDomain) },
    weight: weights[i] ?? 0,
  }));
  const groups: HTTPRouteGroupNode[] = [];
  let http: Record<string, unknown>[];
  if (split.matches === undefined) {
    http = [{ route }];
  } else {
    const blocks: Record<string, unknown>[] = [];
    for (const ref of split.matches) {
      const group = ctx.index.httpRouteGroup(split.namespace, ref.name);
      if (group === undefined) continue;
      groups.push(group);
      for (const match of group.matches) {
        const out = matchBlocks(split, group, match, track);
        if (out === undefined) return undefined;
        blocks.push(...out);
      }
    }
    const fallback = {
      name: `${split.name}-default`,
      route: [{ destination: { host: rootHost } }],
    };
    http =
      blocks.length === 0 ? [fallback] : [{ name: split.name, match: blocks, route }, fallback];
  }
  const spec: Record<string, unknown> = { hosts: [rootHost], http };
  const root = ctx.cluster.service(split.namespace, split.service);
  if (root === undefined) {
    if (split.matches === undefined)
      track.report('split-no-service-context', {
        at: { origin: split.origin, field: ['spec', 'service'] },
        data: { name: `${split.namespace}/${split.name}`, service: split.service },
      });
  } else {
    const protocols = root.ports.map((p) => ({ port: p.port, protocol: servicePortProtocol(p) }));
    for (const p of protocols.filter((x) => x.protocol === 'tls'))
      track.report('split-tls-port', {
        at: { origin: split.origin, field: ['spec', 'service'] },
        data: { name: `${split.namespace}/${split.name}`, service: split.service, port: p.port },
      });
    // Requests that miss the matches (TCP included) go to the root, as Istio does without a route.
    if (
      split.matches === undefined &&
      protocols.some((p) => p.protocol === 'tcp' || p.protocol === 'auto')
    )
      spec.tcp = [{ route: route.map((r) => ({ ...r, destination: { ...r.destination } })) }];
  }
  const fragment = track.isLossy
    ? undefined
    : encodeFragment(spec, { trafficSplit: split, httpRouteGroups: groups });
  return {
    apiVersion: featuresOf(ctx.options).networkingApiVersion,
    kind: 'VirtualService',
    metadata: metadataFor(
      ctx.names.claim('VirtualService', split.namespace, split.name),
      split.namespace,
      [split.origin.resource, ...groups.map((g) => g.origin.resource)],
      fragment,
    ),
    spec,
  };
}

/** One VirtualService per TrafficSplit. */
export function emitVirtualServices(model: MeshModel, ctx: IstioEmitContext): KubeObject[] {
  const out: KubeObject[] = [];
  for (const split of model.trafficSplits) {
    const vs = emitSplit(split, ctx);
    if (vs !== undefined) out.push(vs);
  }
  return out;
}
