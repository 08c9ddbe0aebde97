import {
  escapeRegexLiteral,
  manifestOrigin,
  type HeaderMatchNode,
  type HttpMethod,
  type Manifest,
} from '@meshlingo/core';
import { LossTracker, type IstioIngestContext, type MessageId } from '../context.js';
import { parseServiceHost, servicePortProtocol } from '../identity.js';
import { field, isRecord, list, record, specOf, strings, text, type Json } from '../json.js';
import { isSmiMethod, readFragment } from '../smi-annotation.js';
import { sourceName, type MatchDraft, type ModelBuilder } from './model-builder.js';

/**
 * VirtualService to TrafficSplit, for hand-written ones too. SMI can say "split this Service's
 * traffic by weight", optionally "only for requests matching these groups; the rest goes to the
 * Service itself". A VirtualService with one route (no match), or one matched route followed by
 * a catch-all to the host itself, says exactly that; everything else is reported.
 */

type Path = (string | number)[];

/** HTTPRoute fields that change behaviour but not which backend gets a request. */
const BEHAVIOUR_FIELDS: Record<string, string> = {
  rewrite: 'rewrites',
  timeout: 'timeouts',
  retries: 'retries',
  fault: 'fault injection',
  mirror: 'mirroring',
  mirrors: 'mirroring',
  mirrorPercentage: 'mirroring',
  mirrorPercent: 'mirroring',
  corsPolicy: 'CORS policies',
  headers: 'header edits',
};
/** HTTPMatchRequest conditions SMI matches cannot hold. */
const MATCH_FIELDS = [
  'scheme',
  'authority',
  'queryParams',
  'withoutHeaders',
  'port',
  'sourceLabels',
  'sourceNamespace',
  'gateways',
];

class ServiceReader {
  readonly track: LossTracker;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Json;
  failed = false;

  constructor(
    readonly manifest: Manifest,
    readonly ctx: IstioIngestContext,
  ) {
    this.track = new LossTracker(ctx);
    this.name = manifest.object.metadata?.name ?? '';
    this.namespace = manifest.object.metadata?.namespace ?? ctx.core.defaultNamespace;
    this.spec = specOf(manifest.object);
  }

  at(path: Path): { manifest: Manifest; field: Path } {
    return { manifest: this.manifest, field: path };
  }

  data(extra: Record<string, string | number> = {}): Record<string, string | number> {
    return { name: `${this.namespace}/${this.name}`, ...extra };
  }

  /** A routing loss through `onUnrepresentable`; true when the caller may carry on without it. */
  lose(
    id: MessageId,
    path: Path,
    extra: Record<string, string | number>,
    canWiden = false,
  ): 'narrow' | 'widen' | 'omit' {
    const action = this.track.unrepresentable(id, {
      at: this.at(path),
      data: this.data(extra),
      narrowEffect: 'changes-routing',
      widenEffect: 'changes-routing',
      canWiden,
    });
    if (action === 'omit') this.failed = true;
    return action;
  }

  warn(id: MessageId, path: Path, extra: Record<string, string | number>): void {
    this.track.report(id, { at: this.at(path), data: this.data(extra) });
  }
}

/**
 * A `uri` StringMatch as a start-anchored SMI pathRegex. `ignoreUriCase` applies to `exact` and
 * `prefix` only (VirtualService reference; Envoy ignores `case_sensitive` for regexes).
 */
function pathRegexOf(uri: Json, ignoreCase: boolean): string | undefined {
  const flag = ignoreCase ? '(?i)' : '';
  const exact = text(uri, 'exact');
  if (exact !== undefined) return `${flag}${escapeRegexLiteral(exact)}$`;
  const prefix = text(uri, 'prefix');
  if (prefix !== undefined) return `${flag}${escapeRegexLiteral(prefix)}`;
  const regex = text(uri, 'regex');
  if (regex !== undefined) return `(?:${regex})$`;
  return undefined;
}

/** A header StringMatch as an SMI header value (a regex matching the whole value). */
function headerRegexOf(match: Json): string {
  const exact = text(match, 'exact');
  if (exact !== undefined) return escapeRegexLiteral(exact);
  const prefix = text(match, 'prefix');
  if (prefix !== undefined) return `${escapeRegexLiteral(prefix)}.*`;
  return text(match, 'regex') ?? '.*';
}

/** One match block as an SMI match draft (methods kept separately for folding). */
function readBlock(
  r: ServiceReader,
  block: Json,
  path: Path,
  index: number,
): { draft: MatchDraft; method?: HttpMethod[] } | undefined {
  for (const f of MATCH_FIELDS) {
    if (field(block, f) === undefined) continue;
    const action = r.lose('match-field-dropped', [...path, f], { field: f }, true);
    if (action !== 'widen') return undefined;
  }
  for (const f of ['statPrefix'])
    if (field(block, f) !== undefined)
      r.track.report('cosmetic-field-dropped', {
        at: r.at([...path, f]),
        data: { kind: 'VirtualService', name: `${r.namespace}/${r.name}`, field: f },
      });
  const uri = record(block, 'uri');
  const pathRegex =
    uri === undefined ? undefined : pathRegexOf(uri, field(block, 'ignoreUriCase') === true);
  let methods: HttpMethod[] | undefined;
  const method = record(block, 'method');
  if (method !== undefined) {
    const exact = text(method, 'exact');
    const regex = text(method, 'regex');
    const names = exact !== undefined ? [exact] : regex !== undefined ? regex.split('|') : [];
    if (names.length > 0 && names.every(isSmiMethod)) methods = names;
    else {
      const action = r.track.unrepresentable('method-not-representable', {
        at: r.at([...path, 'method']),
        data: {
          what: `VirtualService ${r.namespace}/${r.name}`,
          method: exact ?? regex ?? JSON.stringify(method),
        },
        narrowEffect: 'changes-routing',
        widenEffect: 'changes-routing',
      });
      if (action === 'omit') r.failed = true;
      if (action !== 'widen') return undefined;
    }
  }
  const headers: HeaderMatchNode[] = [];
  for (const [name, m] of Object.entries(record(block, 'headers') ?? {}))
    if (isRecord(m)) headers.push({ name, value: headerRegexOf(m) });
  return {
    draft: {
      name: text(block, 'name') ?? `match${index}`,
      ...(pathRegex !== undefined && { pathRegex }),
      ...(headers.length > 0 && { headers }),
    },
    ...(methods !== undefined && { method: methods }),
  };
}

/** Match blocks as SMI matches; blocks that differ only in their method fold into one. */
function readMatches(r: ServiceReader, blocks: readonly unknown[], path: Path): MatchDraft[] {
  const folded = new Map<string, MatchDraft>();
  blocks.forEach((block, i) => {
    if (!isRecord(block)) return;
    const read = readBlock(r, block, [...path, i], i);
    if (read === undefined) return;
    const { name, ...condition } = read.draft;
    const k = JSON.stringify({ condition, methods: read.method === undefined });
    const prev = folded.get(k);
    if (prev !== undefined && read.method !== undefined && prev.methods !== undefined) {
      folded.set(k, { ...prev, methods: [...new Set([...prev.methods, ...read.method])] });
      return;
    }
    const base =
      read.method?.length === 1 && name.endsWith(`-${read.method[0]}`)
        ? name.slice(0, -(read.method[0]?.length ?? 0) - 1)
        : name;
    folded.set(prev === undefined ? k : `${k}#${i}`, {
      ...read.draft,
      name: base,
      ...(read.method !== undefined && { methods: read.method }),
    });
  });
  const names = new Set<string>();
  return [...folded.values()].map((m, i) => {
    const name = names.has(m.name) ? `${m.name}-${i}` : m.name;
    names.add(name);
    return { ...m, name };
  });
}

interface Backend {
  service: string;
  weight: number;
}

/** One route destination, read without judging it. */
interface Destination {
  readonly host: string;
  /** The Service the host names (short names resolve in the VirtualService's namespace). */
  readonly service: { name: string; namespace: string } | undefined;
  readonly subset: string | undefined;
  readonly port: Json | undefined;
  readonly headers: boolean;
  /** A single destination takes everything whatever its weight; otherwise unset means 0. */
  readonly weight: number;
}

function destinationsOf(r: ServiceReader, route: readonly unknown[]): Destination[] {
  const entries = route.filter(isRecord);
  return entries.map((entry) => {
    const destination = record(entry, 'destination') ?? {};
    const host = text(destination, 'host') ?? '';
    const raw = field(entry, 'weight');
    const given = typeof raw === 'number' && raw > 0 ? Math.floor(raw) : 0;
    return {
      host,
      service: parseServiceHost(host, r.namespace, r.ctx.options.clusterDomain),
      subset: text(destination, 'subset'),
      port: record(destination, 'port'),
      headers: field(entry, 'headers') !== undefined,
      weight: entries.length === 1 && given === 0 ? 100 : given,
    };
  });
}

function addBackend(out: Backend[], service: string, weight: number): void {
  const same = out.find((b) => b.service === service);
  if (same !== undefined) same.weight += weight;
  else out.push({ service, weight });
}

/** The destinations of a route as SMI backends in the split's namespace, reporting losses. */
function readRoute(
  r: ServiceReader,
  route: readonly unknown[],
  path: Path,
  namespace: string,
): Backend[] {
  const out: Backend[] = [];
  destinationsOf(r, route).forEach((d, i) => {
    const at = [...path, i];
    if (d.service === undefined || d.service.namespace !== namespace) {
      r.lose('destination-not-service', [...at, 'destination', 'host'], {
        host: d.host,
        namespace,
      });
      return;
    }
    if (
      d.subset !== undefined &&
      r.lose('destination-subset', [...at, 'destination', 'subset'], {
        host: d.host,
        subset: d.subset,
      }) === 'omit'
    )
      return;
    if (d.port !== undefined) {
      const number = field(d.port, 'number');
      r.warn('destination-port', [...at, 'destination', 'port'], {
        port: typeof number === 'number' ? String(number) : '?',
      });
    }
    if (d.headers)
      r.warn('http-field-dropped', [...at, 'headers'], {
        field: 'route headers',
        what: 'header edits',
      });
    addBackend(out, d.service.name, d.weight);
  });
  return out;
}

/** The backends of a route that holds nothing but Services of the namespace, else undefined. */
function plainBackends(
  r: ServiceReader,
  route: readonly unknown[],
  namespace: string,
): Backend[] | undefined {
  const out: Backend[] = [];
  for (const d of destinationsOf(r, route)) {
    if (d.service?.namespace !== namespace || d.subset !== undefined || d.port !== undefined)
      return undefined;
    addBackend(out, d.service.name, d.weight);
  }
  return out.length === 0 ? undefined : out;
}

function routesOnlyTo(
  r: ServiceReader,
  route: readonly unknown[],
  host: { name: string; namespace: string },
): boolean {
  const backends = plainBackends(r, route, host.namespace);
  return backends?.length === 1 && backends[0]?.service === host.name;
}

function reportRuleFields(r: ServiceReader, rule: Json, path: Path): void {
  for (const [f, what] of Object.entries(BEHAVIOUR_FIELDS))
    if (field(rule, f) !== undefined)
      r.warn('http-field-dropped', [...path, f], { field: f, what });
  if (field(rule, 'name') !== undefined)
    r.track.report('cosmetic-field-dropped', {
      at: r.at([...path, 'name']),
      data: { kind: 'VirtualService', name: `${r.namespace}/${r.name}`, field: 'name' },
    });
}

/** The split for one host of the VirtualService. */
function readHost(
  r: ServiceReader,
  host: { name: string; namespace: string },
  builder: ModelBuilder,
  splitName: string,
): void {
  const rules = list(r.spec, 'http');
  const tcp = list(r.spec, 'tcp');
  let matched: { rule: Json; index: number } | undefined;
  let fallback: { rule: Json; index: number } | undefined;
  for (const [i, rule] of rules.entries()) {
    if (!isRecord(rule)) continue;
    const path = ['spec', 'http', i];
    if (fallback !== undefined) {
      r.track.report('cosmetic-field-dropped', {
        at: r.at(path),
        data: {
          kind: 'VirtualService',
          name: `${r.namespace}/${r.name}`,
          field: `http[${i}] (unreachable)`,
        },
      });
      continue;
    }
    const terminal = ['redirect', 'directResponse', 'delegate'].find(
      (f) => field(rule, f) !== undefined,
    );
    if (terminal !== undefined) {
      r.lose('route-shape', [...path, terminal], {
        what: `route ${i} uses ${terminal}`,
        kept: 'the other routes',
      });
      continue;
    }
    reportRuleFields(r, rule, path);
    if (list(rule, 'match').length === 0) fallback = { rule, index: i };
    else if (matched === undefined) matched = { rule, index: i };
    else
      r.lose('route-shape', path, { what: 'more than one matched route', kept: 'the first one' });
  }
  const kept = 'the matched split (other requests go to the root Service)';
  if (matched !== undefined && fallback === undefined)
    r.lose('route-shape', ['spec', 'http'], {
      what: 'requests that miss the matches get no route (404)',
      kept,
    });
  else if (
    matched !== undefined &&
    fallback !== undefined &&
    !routesOnlyTo(r, list(fallback.rule, 'route'), host)
  )
    r.lose('route-shape', ['spec', 'http', fallback.index, 'route'], {
      what: 'the default route does not go to the root Service alone',
      kept,
    });
  const chosen = matched ?? fallback;
  if (list(r.spec, 'tls').length > 0) r.lose('tls-route-dropped', ['spec', 'tls'], {});
  if (r.failed) return;
  let backends: Backend[];
  let matches: MatchDraft[] | undefined;
  let splitFromTcp: number | undefined;
  if (chosen !== undefined) {
    backends = readRoute(
      r,
      list(chosen.rule, 'route'),
      ['spec', 'http', chosen.index, 'route'],
      host.namespace,
    );
    if (matched !== undefined) {
      matches = readMatches(r, list(matched.rule, 'match'), [
        'spec',
        'http',
        matched.index,
        'match',
      ]);
      if (matches.length === 0) return;
    }
  } else {
    // Only TCP routes: the first without a port match splits TCP; HTTP ports are not split.
    const index = tcp.findIndex((t) => isRecord(t) && list(t, 'match').length === 0);
    const first = tcp[index];
    if (!isRecord(first)) {
      tcp.forEach((_, i) => r.lose('tcp-route-dropped', ['spec', 'tcp', i], { index: i }));
      return;
    }
    const root = r.ctx.cluster.service(host.namespace, host.name);
    if (root?.ports.every((p) => ['tcp', 'tls'].includes(servicePortProtocol(p))) !== true)
      r.lose('route-shape', ['spec', 'tcp', index], {
        what: 'only TCP is routed, so HTTP traffic of the Service is not split',
        kept: 'the TCP split for all traffic',
      });
    backends = readRoute(r, list(first, 'route'), ['spec', 'tcp', index, 'route'], host.namespace);
    splitFromTcp = index;
  }
  // TCP routes repeating the HTTP split (what meshlingo writes) are the same split; others are lost.
  const split = JSON.stringify(backends);
  tcp.forEach((t, i) => {
    if (!isRecord(t) || i === splitFromTcp) return;
    const same =
      list(t, 'match').length === 0 &&
      (matches === undefined
        ? JSON.stringify(plainBackends(r, list(t, 'route'), host.namespace)) === split
        : routesOnlyTo(r, list(t, 'route'), host));
    if (!same) r.lose('tcp-route-dropped', ['spec', 'tcp', i], { index: i });
  });
  if (r.failed || backends.length === 0) return;
  if (backends.every((b) => b.weight === 0)) {
    r.lose('route-shape', ['spec', 'http'], {
      what: 'every destination has weight 0',
      kept: 'nothing',
    });
    return;
  }
  if (matches === undefined && backends.length === 1 && backends[0]?.service === host.name) {
    r.ctx.report('self-route', {
      at: r.at(['spec']),
      data: r.data({ host: `${host.namespace}/${host.name}` }),
    });
    return;
  }
  const at = manifestOrigin(r.manifest, ['spec']);
  const groupName =
    matches === undefined
      ? undefined
      : builder.addGroup(
          r.manifest,
          host.namespace,
          sourceName(r.manifest, 'HTTPRouteGroup') ?? splitName,
          matches,
          at,
        );
  builder.addSplit(
    r.manifest,
    {
      name: splitName,
      namespace: host.namespace,
      service: host.name,
      backends,
      ...(groupName !== undefined && { matches: [groupName] }),
    },
    at,
  );
}

/** Reads one VirtualService into the builder. */
export function ingestVirtualService(
  manifest: Manifest,
  ctx: IstioIngestContext,
  builder: ModelBuilder,
): void {
  const r = new ServiceReader(manifest, ctx);
  const fragment = readFragment(manifest.object);
  if (fragment.state === 'valid') {
    builder.addFragment(manifest, fragment.fragment);
    return;
  }
  if (fragment.state === 'stale')
    ctx.report('edited-since-generated', {
      at: { manifest, field: ['metadata', 'annotations'] },
      data: { kind: 'VirtualService', name: `${r.namespace}/${r.name}` },
    });
  const gateways = strings(r.spec, 'gateways');
  if (gateways !== undefined) {
    if (!gateways.includes('mesh')) {
      r.warn('gateway-only', ['spec', 'gateways'], { gateways: gateways.join(', ') });
      return;
    }
    const others = gateways.filter((g) => g !== 'mesh');
    if (others.length > 0)
      r.warn('gateways-dropped', ['spec', 'gateways'], { gateways: others.join(', ') });
  }
  if (field(r.spec, 'exportTo') !== undefined)
    r.warn('http-field-dropped', ['spec', 'exportTo'], {
      field: 'exportTo',
      what: 'visibility limits',
    });
  const hosts: { name: string; namespace: string }[] = [];
  for (const [i, h] of (strings(r.spec, 'hosts') ?? []).entries()) {
    const parsed = parseServiceHost(h, r.namespace, ctx.options.clusterDomain);
    if (parsed === undefined) {
      r.lose('host-not-service', ['spec', 'hosts', i], {
        host: h,
        clusterDomain: ctx.options.clusterDomain,
      });
      continue;
    }
    hosts.push(parsed);
  }
  const base = sourceName(manifest, 'TrafficSplit') ?? r.name;
  for (const host of hosts)
    readHost(r, host, builder, hosts.length === 1 ? base : `${base}-${host.name}`);
}
