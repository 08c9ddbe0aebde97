import {
  manifestOrigin,
  type ContextIndex,
  type HeaderMatchNode,
  type HttpMethod,
  type Manifest,
  type WorkloadInfo,
} from '@meshlingo/core';
import { LossTracker, type IstioIngestContext } from '../context.js';
import { containerPortProtocol, isLocalTrustDomain, parsePrincipal } from '../identity.js';
import { field, isRecord, list, record, specOf, strings, text, type Json } from '../json.js';
import {
  headerRegexOfPattern,
  isPathTemplate,
  matchesNamespacePattern,
  matchesPattern,
  pathRegexOfPattern,
  validPathTemplate,
} from '../patterns.js';
import { hasHttpOnlyField } from '../policy-fields.js';
import { isSmiMethod, readFragment } from '../smi-annotation.js';
import { sourceName, type MatchDraft, type ModelBuilder } from './model-builder.js';

/**
 * AuthorizationPolicy to TrafficTargets (with HTTPRouteGroups and TCPRoutes), for hand-written
 * policies too. An ALLOW rule grants its sources its operations; SMI grants sources × routes per
 * TrafficTarget, so every rule (and every distinct port set in it) becomes its own TrafficTarget,
 * for each ServiceAccount the selector covers. Fields SMI cannot hold are reported: dropping a
 * restricting field widens access (error unless `widen`), dropping a grant narrows it.
 */

type Path = (string | number)[];
type Account = { readonly namespace: string; readonly name: string };

const key = (a: Account): string => `${a.namespace}/${a.name}`;

/** Source fields that restrict who may call, which SMI cannot express. */
const RESTRICTING_SOURCE_FIELDS = [
  'notPrincipals',
  'notNamespaces',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'requestPrincipals',
  'notRequestPrincipals',
  'trustDomains',
  'notTrustDomains',
];
/** Operation fields that restrict what may be called, which SMI cannot express. */
const RESTRICTING_OPERATION_FIELDS = ['hosts', 'notHosts', 'notMethods', 'notPaths', 'notPorts'];
/** `when` keys folded into the sources. */
const SOURCE_KEYS = ['source.namespace', 'source.principal', 'source.serviceAccount'];

/** ServiceAccounts the context knows (from ServiceAccount objects and workloads). */
function knownAccounts(cluster: ContextIndex, namespace?: string): Account[] {
  const out = new Map<string, Account>();
  const c = cluster.context;
  for (const sa of c.serviceAccounts)
    if (namespace === undefined || sa.namespace === namespace)
      out.set(key(sa), { namespace: sa.namespace, name: sa.name });
  for (const w of c.workloads)
    if (namespace === undefined || w.namespace === namespace)
      out.set(`${w.namespace}/${w.serviceAccount}`, {
        namespace: w.namespace,
        name: w.serviceAccount,
      });
  return [...out.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

function selects(selector: Json, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** Everything one policy's translation needs. */
class PolicyReader {
  readonly track: LossTracker;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Json;
  /** Set when the whole policy must be left out (`onUnrepresentable: error`). */
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

  /** A restriction SMI cannot keep: `narrow` drops the enclosing grant, `widen` the restriction. */
  restriction(
    id: Parameters<LossTracker['unrepresentable']>[0],
    path: Path,
    extra: Record<string, string | number>,
  ): 'drop' | 'ignore' {
    const action = this.track.unrepresentable(id, { at: this.at(path), data: this.data(extra) });
    if (action === 'omit') this.failed = true;
    return action === 'widen' ? 'ignore' : 'drop';
  }

  /** A grant SMI cannot keep: it is left out (an error unless narrowing or widening is allowed). */
  lostGrant(
    id: Parameters<LossTracker['unrepresentable']>[0],
    path: Path,
    extra: Record<string, string | number>,
  ): void {
    const action = this.track.unrepresentable(id, {
      at: this.at(path),
      data: this.data(extra),
      canWiden: false,
    });
    if (action === 'omit') this.failed = true;
  }
}

/** The ServiceAccounts whose workloads the policy selects, or undefined to leave it out. */
function destinations(r: PolicyReader): Account[] | undefined {
  const { cluster, options } = r.ctx;
  const root = r.namespace === options.rootNamespace;
  const selector = record(record(r.spec, 'selector') ?? {}, 'matchLabels');
  if (selector === undefined || Object.keys(selector).length === 0) {
    const accounts = knownAccounts(cluster, root ? undefined : r.namespace);
    const scope = root
      ? 'every workload of the mesh'
      : `every workload of namespace ${r.namespace}`;
    if (accounts.length === 0) {
      r.lostGrant('selector-matches-nothing', ['spec'], {
        selector: 'none (namespace-wide)',
        namespace: r.namespace,
      });
      return undefined;
    }
    r.track.report('destination-expanded', {
      at: r.at(['spec']),
      data: r.data({ scope, accounts: accounts.map(key).join(', ') }),
    });
    return accounts;
  }
  const inScope = cluster.context.workloads.filter((w) => root || w.namespace === r.namespace);
  const picked = inScope.filter((w) => selects(selector, w.podLabels));
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  if (picked.length === 0) {
    r.lostGrant('selector-matches-nothing', ['spec', 'selector'], {
      selector: selectorText,
      namespace: r.namespace,
    });
    return undefined;
  }
  const out: Account[] = [];
  const seen = new Set<string>();
  for (const w of picked) {
    const account = { namespace: w.namespace, name: w.serviceAccount };
    if (seen.has(key(account))) continue;
    seen.add(key(account));
    const others = inScope.filter(
      (o) =>
        o.namespace === w.namespace &&
        o.serviceAccount === w.serviceAccount &&
        !selects(selector, o.podLabels),
    );
    if (others.length > 0) {
      const choice = r.restriction('selector-splits-account', ['spec', 'selector'], {
        namespace: w.namespace,
        serviceAccount: w.serviceAccount,
        others: others.map((o) => `${o.kind}/${o.name}`).join(', '),
      });
      if (choice === 'drop') continue;
    }
    out.push(account);
  }
  return out;
}

/** Sources of one `from` entry; undefined = left out, 'any' = every source. */
function sourceAccounts(r: PolicyReader, source: Json, path: Path): Account[] | 'any' | undefined {
  const { cluster, options } = r.ctx;
  let dropped = false;
  for (const f of RESTRICTING_SOURCE_FIELDS) {
    if (strings(source, f) === undefined) continue;
    if (r.restriction('source-field-dropped', [...path, f], { field: f }) === 'drop')
      dropped = true;
    // Only `error` goes on, to report every problem.
    if (dropped && !r.failed) return undefined;
  }
  if (dropped) return undefined;
  const sets: Account[][] = [];
  const principals = strings(source, 'principals');
  if (principals !== undefined) {
    const found: Account[] = [];
    principals.forEach((p, i) => {
      const at = [...path, 'principals', i];
      const parsed = parsePrincipal(p);
      if (parsed !== undefined && !p.includes('*')) {
        if (isLocalTrustDomain(parsed.trustDomain, options.trustDomain, options.trustDomainAliases))
          found.push({ namespace: parsed.namespace, name: parsed.serviceAccount });
        else
          r.lostGrant('source-unresolved', at, {
            what: `principal ${p}`,
            reason: `trust domain ${parsed.trustDomain} is not this mesh's`,
          });
        return;
      }
      const domains = [options.trustDomain, ...options.trustDomainAliases, 'cluster.local'];
      const matching = knownAccounts(cluster).filter((a) =>
        domains.some((td) => matchesPattern(p, `${td}/ns/${a.namespace}/sa/${a.name}`)),
      );
      if (matching.length === 0) {
        r.lostGrant('source-unresolved', at, {
          what: `principal ${p}`,
          reason: 'no known ServiceAccount matches',
        });
        return;
      }
      r.track.report('source-expanded', {
        at: r.at(at),
        data: r.data({ what: `principal ${p}`, accounts: matching.map(key).join(', ') }),
      });
      found.push(...matching);
    });
    sets.push(found);
  }
  const accounts = strings(source, 'serviceAccounts');
  if (accounts !== undefined)
    sets.push(
      accounts.map((sa) => {
        const [ns, name] = sa.includes('/') ? sa.split('/', 2) : [r.namespace, sa];
        return { namespace: ns ?? r.namespace, name: name ?? sa };
      }),
    );
  const namespaces = strings(source, 'namespaces');
  if (namespaces !== undefined) {
    const found: Account[] = [];
    namespaces.forEach((pattern, i) => {
      const at = [...path, 'namespaces', i];
      const matching = knownAccounts(cluster).filter((a) =>
        matchesNamespacePattern(pattern, a.namespace),
      );
      if (matching.length === 0) {
        r.lostGrant('source-unresolved', at, {
          what: `namespace ${pattern}`,
          reason: 'no known ServiceAccount there',
        });
        return;
      }
      r.track.report('source-expanded', {
        at: r.at(at),
        data: r.data({ what: `namespace ${pattern}`, accounts: matching.map(key).join(', ') }),
      });
      found.push(...matching);
    });
    sets.push(found);
  }
  if (sets.length === 0) return 'any';
  const [first, ...rest] = sets;
  return (first ?? []).filter((a) => rest.every((s) => s.some((b) => key(b) === key(a))));
}

/** The union of the sources of a rule; undefined = the rule is left out. */
function ruleSources(r: PolicyReader, rule: Json, path: Path): Account[] | undefined {
  const from = list(rule, 'from');
  let out: Account[] | 'any' = [];
  if (from.length === 0) out = 'any';
  from.forEach((entry, i) => {
    if (out === 'any' || !isRecord(entry)) return;
    const got = sourceAccounts(r, record(entry, 'source') ?? {}, [...path, 'from', i, 'source']);
    if (got === 'any') out = 'any';
    else if (got !== undefined) out = [...out, ...got];
  });
  if (out === 'any') {
    const all = knownAccounts(r.ctx.cluster);
    if (all.length === 0) {
      r.lostGrant('source-unresolved', from.length === 0 ? path : [...path, 'from'], {
        what: 'any source',
        reason: 'no ServiceAccount in the context',
      });
      return undefined;
    }
    r.track.report('source-expanded', {
      at: r.at(from.length === 0 ? path : [...path, 'from']),
      data: r.data({ what: 'any source', accounts: all.map(key).join(', ') }),
    });
    out = all;
  }
  return [...new Map(out.map((a) => [key(a), a])).values()];
}

/** One operation: ports ('any' or a list) and HTTP matches (undefined when it has no HTTP field). */
interface OperationDraft {
  readonly ports: 'any' | number[];
  readonly methods?: HttpMethod[];
  /** SMI pathRegexes; `undefined` inside means any path. */
  readonly paths?: (string | undefined)[];
}

function readOperation(r: PolicyReader, op: Json, path: Path): OperationDraft | undefined {
  let dropped = false;
  for (const f of RESTRICTING_OPERATION_FIELDS) {
    if (strings(op, f) === undefined) continue;
    if (r.restriction('operation-field-dropped', [...path, f], { field: f }) === 'drop')
      dropped = true;
    if (dropped && !r.failed) return undefined;
  }
  if (dropped) return undefined;
  const portList = strings(op, 'ports');
  const ports =
    portList === undefined
      ? ('any' as const)
      : portList
          .filter((p) => /^\d{1,5}$/.test(p))
          .map(Number)
          .filter((p) => p <= 65535);
  // Ports that are not numbers select nothing (istiod rejects them anyway).
  if (ports !== 'any' && ports.length === 0) return undefined;
  let methods: HttpMethod[] | undefined;
  const methodList = strings(op, 'methods');
  if (methodList !== undefined) {
    methods = [];
    for (const [i, m] of methodList.entries()) {
      if (m === '*') {
        methods = undefined;
        break;
      }
      if (isSmiMethod(m)) {
        methods.push(m);
        continue;
      }
      const action = r.track.unrepresentable('method-not-representable', {
        at: r.at([...path, 'methods', i]),
        data: { what: `policy ${r.namespace}/${r.name}`, method: m },
      });
      if (action === 'omit') r.failed = true;
      if (action === 'widen') {
        methods = undefined;
        break;
      }
    }
    if (methods !== undefined && methods.length === 0) return undefined;
  }
  let paths: (string | undefined)[] | undefined;
  const pathList = strings(op, 'paths');
  if (pathList !== undefined) {
    paths = [];
    for (const [i, p] of pathList.entries()) {
      if (isPathTemplate(p) && !validPathTemplate(p)) {
        r.lostGrant('path-pattern-invalid', [...path, 'paths', i], { path: p });
        continue;
      }
      const regex = pathRegexOfPattern(p);
      if (regex === undefined) {
        paths = undefined;
        break;
      }
      if (!paths.includes(regex)) paths.push(regex);
    }
    if (paths !== undefined && paths.length === 0) return undefined;
  }
  const http = methodList !== undefined || pathList !== undefined;
  return {
    ports,
    ...(methods !== undefined && { methods: [...new Set(methods)] }),
    ...(paths !== undefined && { paths }),
    ...(http && paths === undefined && { paths: [undefined] }),
  };
}

/** What the `when` conditions of a rule add: header conditions, port limits, source filters. */
interface Conditions {
  readonly headers: HeaderMatchNode[];
  readonly ports?: number[];
  readonly sourceFilters: ((a: Account) => boolean)[];
}

function readConditions(r: PolicyReader, rule: Json, path: Path): Conditions | undefined {
  const headers: HeaderMatchNode[] = [];
  let ports: number[] | undefined;
  const sourceFilters: ((a: Account) => boolean)[] = [];
  const domains = [r.ctx.options.trustDomain, ...r.ctx.options.trustDomainAliases, 'cluster.local'];
  for (const [i, c] of list(rule, 'when').entries()) {
    if (!isRecord(c)) continue;
    const condKey = text(c, 'key') ?? '';
    const at = [...path, 'when', i];
    const values = strings(c, 'values');
    const header = /^request\.headers\[([^\]]+)\]$/.exec(condKey);
    const supported =
      header !== null || condKey === 'destination.port' || SOURCE_KEYS.includes(condKey);
    if (!supported || strings(c, 'notValues') !== undefined || values === undefined) {
      if (r.restriction('condition-dropped', at, { key: condKey }) === 'drop' && !r.failed)
        return undefined;
      continue;
    }
    if (header !== null) {
      headers.push({
        name: (header[1] ?? '').toLowerCase(),
        value: values.map(headerRegexOfPattern).join('|'),
      });
    } else if (condKey === 'destination.port') {
      const listed = values.filter((v) => /^\d{1,5}$/.test(v)).map(Number);
      ports = ports === undefined ? listed : ports.filter((p) => listed.includes(p));
    } else if (condKey === 'source.namespace') {
      sourceFilters.push((a) => values.some((v) => matchesPattern(v, a.namespace)));
    } else if (condKey === 'source.serviceAccount') {
      sourceFilters.push((a) => values.some((v) => v === key(a)));
    } else {
      sourceFilters.push((a) =>
        values.some((v) =>
          domains.some((td) => matchesPattern(v, `${td}/ns/${a.namespace}/sa/${a.name}`)),
        ),
      );
    }
  }
  if (r.failed) return undefined;
  return { headers, ...(ports !== undefined && { ports }), sourceFilters };
}

/** A TrafficTarget to write: a port set and the matches allowed on it. */
interface Grant {
  readonly ports: 'any' | number[];
  readonly matches?: MatchDraft[];
}

function portKey(ports: 'any' | readonly number[]): string {
  return ports === 'any' ? 'any' : [...ports].sort((a, b) => a - b).join(',');
}

/**
 * Ports of an HTTP-only grant: plain TCP is never allowed there, but SMI allows it on a
 * TrafficTarget's TCPRoute ports. Exact when the ports carry HTTP; a TCP port allows nothing
 * through this rule, so it is dropped; an unknown one is reported.
 */
function httpOnlyPorts(
  r: PolicyReader,
  ports: number[],
  workloads: readonly WorkloadInfo[],
  path: Path,
): number[] {
  const out: number[] = [];
  for (const port of ports) {
    const protocol = containerPortProtocol(port, workloads, r.ctx.cluster);
    if (protocol === 'http') out.push(port);
    else if (protocol === 'auto') {
      const choice = r.restriction('http-port-ambiguous', path, { port, protocol: 'unknown' });
      if (choice === 'ignore') out.push(port);
    }
  }
  return out;
}

function readRule(
  r: PolicyReader,
  rule: Json,
  ruleIndex: number,
  workloads: readonly WorkloadInfo[],
): { sources: Account[]; grants: Grant[] } | undefined {
  const path: Path = ['spec', 'rules', ruleIndex];
  const conditions = readConditions(r, rule, path);
  // With `error`, every problem of the rule is reported before it is left out.
  if (conditions === undefined && !r.failed) return undefined;
  let sources = ruleSources(r, rule, path);
  if (sources === undefined && !r.failed) return undefined;
  const httpOnly = hasHttpOnlyField(rule);
  const to = list(rule, 'to');
  const ops: (OperationDraft | undefined)[] =
    to.length === 0
      ? [{ ports: 'any' }]
      : to.map((t, j) =>
          isRecord(t)
            ? readOperation(r, record(t, 'operation') ?? {}, [...path, 'to', j, 'operation'])
            : undefined,
        );
  if (conditions === undefined || sources === undefined || r.failed) return undefined;
  for (const keep of conditions.sourceFilters) sources = sources.filter(keep);
  const grants = new Map<string, Grant>();
  ops.forEach((op, j) => {
    if (op === undefined) return;
    let ports = op.ports;
    if (conditions.ports !== undefined)
      ports =
        ports === 'any' ? conditions.ports : ports.filter((p) => conditions.ports?.includes(p));
    if (ports !== 'any' && ports.length === 0) return;
    if (httpOnly && ports !== 'any') {
      ports = httpOnlyPorts(
        r,
        ports,
        workloads,
        to.length === 0 ? path : [...path, 'to', j, 'operation', 'ports'],
      );
      if (ports.length === 0) return;
    }
    const k = portKey(ports);
    const grant = grants.get(k) ?? { ports, ...(httpOnly && { matches: [] }) };
    if (httpOnly) {
      const paths = op.paths ?? [undefined];
      paths.forEach((pathRegex, p) => {
        grant.matches?.push({
          name: `rule${ruleIndex}-op${j}${paths.length > 1 ? `-path${p}` : ''}`,
          ...(pathRegex !== undefined && { pathRegex }),
          ...(op.methods !== undefined && { methods: op.methods }),
          ...(conditions.headers.length > 0 && { headers: conditions.headers }),
        });
      });
    }
    grants.set(k, grant);
  });
  if (r.failed) return undefined;
  if (sources.length === 0 || grants.size === 0) {
    r.track.report('rule-unusable', { at: r.at(path), data: r.data({ rule: ruleIndex }) });
    return undefined;
  }
  return { sources, grants: [...grants.values()] };
}

/** Reads one AuthorizationPolicy into the builder. */
export function ingestAuthorizationPolicy(
  manifest: Manifest,
  ctx: IstioIngestContext,
  builder: ModelBuilder,
): void {
  const r = new PolicyReader(manifest, ctx);
  const fragment = readFragment(manifest.object);
  if (fragment.state === 'valid') {
    builder.addFragment(manifest, fragment.fragment);
    return;
  }
  if (fragment.state === 'stale')
    ctx.report('edited-since-generated', {
      at: { manifest, field: ['metadata', 'annotations'] },
      data: { kind: 'AuthorizationPolicy', name: `${r.namespace}/${r.name}` },
    });
  if (manifest.object.metadata?.annotations?.['istio.io/dry-run'] === 'true') {
    ctx.report('dry-run-policy', {
      at: { manifest, field: ['metadata', 'annotations'] },
      data: r.data(),
    });
    return;
  }
  const action = text(r.spec, 'action') ?? 'ALLOW';
  if (action === 'AUDIT') {
    ctx.report('audit-policy', { at: r.at(['spec', 'action']), data: r.data() });
    return;
  }
  if (action !== 'ALLOW') {
    r.track.widening('policy-action-dropped', {
      at: r.at(['spec', 'action']),
      data: r.data({ action }),
    });
    return;
  }
  const refs = field(r.spec, 'targetRefs') ?? field(r.spec, 'targetRef');
  if (refs !== undefined) {
    const targets = (Array.isArray(refs) ? refs : [refs])
      .filter(isRecord)
      .map((t) => `${text(t, 'kind') ?? '?'}/${text(t, 'name') ?? '?'}`)
      .join(', ');
    r.lostGrant(
      'target-refs-unsupported',
      ['spec', field(r.spec, 'targetRefs') === undefined ? 'targetRef' : 'targetRefs'],
      { targets },
    );
    return;
  }
  const rules = list(r.spec, 'rules');
  if (rules.length === 0) {
    const selector = record(r.spec, 'selector') !== undefined;
    ctx.report('default-deny-policy', {
      at: r.at(['spec']),
      data: r.data({
        scope: selector
          ? 'for the selected workloads'
          : r.namespace === ctx.options.rootNamespace
            ? 'for the whole mesh'
            : `for namespace ${r.namespace}`,
      }),
    });
    return;
  }
  const dests = destinations(r);
  if (dests === undefined || r.failed) return;
  const base = sourceName(manifest, 'TrafficTarget') ?? r.name;
  const read = rules.map((rule, i) => {
    if (!isRecord(rule)) return undefined;
    const workloads = dests.flatMap((d) => ctx.cluster.workloadsOf(d.namespace, d.name));
    return readRule(r, rule, i, workloads);
  });
  if (r.failed) return;
  const total = read.reduce((n, x) => n + (x?.grants.length ?? 0), 0);
  read.forEach((result, i) => {
    result?.grants.forEach((grant, g) => {
      const suffix = total === 1 ? '' : result.grants.length === 1 ? `-${i}` : `-${i}-${g}`;
      const routeName = `${base}${suffix}`;
      const at = manifestOrigin(manifest, ['spec', 'rules', i]);
      for (const dest of dests) {
        const namespace = dest.namespace;
        const ruleRefs: { kind: 'HTTPRouteGroup' | 'TCPRoute'; name: string }[] = [];
        if (grant.ports !== 'any' || grant.matches === undefined)
          ruleRefs.push({
            kind: 'TCPRoute',
            name: builder.addTcpRoute(
              manifest,
              namespace,
              (total === 1 ? sourceName(manifest, 'TCPRoute') : undefined) ?? routeName,
              grant.ports === 'any' ? [] : grant.ports,
              at,
            ),
          });
        if (grant.matches !== undefined)
          ruleRefs.push({
            kind: 'HTTPRouteGroup',
            name: builder.addGroup(
              manifest,
              namespace,
              (total === 1 ? sourceName(manifest, 'HTTPRouteGroup') : undefined) ?? routeName,
              grant.matches,
              at,
            ),
          });
        builder.addTarget(
          manifest,
          {
            name: dests.length === 1 ? routeName : `${routeName}-${dest.name}`,
            namespace,
            destination: { kind: 'ServiceAccount', name: dest.name, namespace },
            sources: result.sources.map((s) => ({ kind: 'ServiceAccount' as const, ...s })),
            rules: ruleRefs,
          },
          at,
        );
      }
    });
  });
}
