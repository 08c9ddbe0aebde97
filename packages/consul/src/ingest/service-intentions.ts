import {
  checkDns1123Subdomain,
  manifestOrigin,
  safeRecord,
  sourceMetadata,
  type HTTPRouteGroupNode,
  type HttpMethod,
  type HttpMatchNode,
  type Manifest,
  type Origin,
  type PortRouteNode,
  type RuleNode,
  type SubjectNode,
  type TrafficTargetNode,
  type UnrepresentableAction,
} from '@meshlingo/core';
import { decidingRule, protocolOf, type ConsulConfig, type IntentionRule } from '../evaluator.js';
import { fromCriteria, subtractDeny } from '../http-match.js';
import {
  accountsOfIdentity,
  identitiesOfAccount,
  identityKey,
  k8sNamespacesOf,
  uniqueAccounts,
  type AccountRef,
  type ConsulName,
} from '../identity.js';
import {
  CONSUL_METHODS,
  isHttpLike,
  objectRef,
  type Parsed,
  type Permission,
  type ServiceIntentionsSpec,
} from '../native.js';
import { defaultPolicyOf } from '../options.js';
import { fieldOf, restoredName, type ConsulIngestContext } from './context.js';

/** Annotation keeping the `description` of the intention sources a TrafficTarget came from. */
export const DESCRIPTION_ANNOTATION = 'consul.meshlingo.io/description';

type MatchBody = Omit<HttpMatchNode, 'name' | 'origin'>;

/** What one intention grants a caller: nothing, everything, or HTTP requests matching any of the matches. */
type Grant =
  | { readonly kind: 'none' }
  | { readonly kind: 'all' }
  | { readonly kind: 'http'; readonly matches: readonly MatchBody[] };

const NONE: Grant = { kind: 'none' };

/** The methods a match without a method list allows, for subtracting a deny's methods. */
const SMI_METHODS = CONSUL_METHODS as readonly HttpMethod[];

function grantKey(grant: Grant): string {
  return grant.kind === 'http' ? JSON.stringify(grant.matches) : grant.kind;
}

/** The part of the model that intentions become. */
export interface AccessModel {
  readonly trafficTargets: TrafficTargetNode[];
  readonly httpRouteGroups: HTTPRouteGroupNode[];
  readonly tcpRoutes: PortRouteNode[];
}

function isWildcard(id: ConsulName): boolean {
  return id.name === '*' || id.namespace === '*';
}

function isMatchAll(permission: Permission): boolean {
  const h = permission.http;
  return (
    h === undefined ||
    (h.pathExact === undefined &&
      h.pathRegex === undefined &&
      (h.pathPrefix === undefined || h.pathPrefix === '/') &&
      (h.methods ?? []).length === 0 &&
      (h.header ?? []).length === 0)
  );
}

/** Whether an intention source is in this cluster and admin partition (not a peer or sameness group). */
function isLocal(rule: IntentionRule, partition: string): boolean {
  const s = rule.source;
  return (
    s.peer === undefined &&
    s.samenessGroup === undefined &&
    (s.partition ?? partition) === partition
  );
}

/** Reads intentions into TrafficTargets: the decision of every known caller for every destination. */
class IntentionReader {
  private readonly grants = new Map<IntentionRule, Grant>();
  private readonly jwt = new Map<Parsed<ServiceIntentionsSpec>, UnrepresentableAction>();
  private readonly reported = new Set<string>();
  private readonly wildcardUse = new Map<IntentionRule, Set<string>>();
  private readonly model: AccessModel = { trafficTargets: [], httpRouteGroups: [], tcpRoutes: [] };

  constructor(
    private readonly config: ConsulConfig,
    private readonly rules: readonly IntentionRule[],
    private readonly consumed: ReadonlySet<Manifest>,
    private readonly ctx: ConsulIngestContext,
  ) {}

  private once(key: string, report: () => void): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    report();
  }

  private origin(rule: IntentionRule): Origin {
    return manifestOrigin(rule.parsed.manifest, ['spec', 'sources', rule.index]);
  }

  private jwtAction(parsed: Parsed<ServiceIntentionsSpec>): UnrepresentableAction {
    let action = this.jwt.get(parsed);
    if (action === undefined) {
      action = this.ctx.unrepresentable('jwt-dropped', {
        at: fieldOf(parsed, ['spec', 'jwt']),
        data: { providers: (parsed.spec.jwt?.providers ?? []).map((p) => p.name).join(',') },
        narrowEffect: 'narrows-access',
      });
      this.jwt.set(parsed, action);
    }
    return action;
  }

  /** The grant of an L7 intention: allow permissions before any deny; what follows a deny is "all but". */
  /** One allow permission as an SMI match, or undefined when it is left out. */
  private allowBody(
    rule: IntentionRule,
    p: Permission,
    path: (string | number)[],
  ): MatchBody | undefined {
    if (p.jwt !== undefined) {
      const action = this.ctx.unrepresentable('jwt-dropped', {
        at: fieldOf(rule.parsed, [...path, 'jwt']),
        data: { providers: (p.jwt.providers ?? []).map((x) => x.name).join(',') },
      });
      if (action !== 'widen') return undefined;
    }
    const converted = fromCriteria(p.http ?? {}, [...path, 'http']);
    if (converted.ok) return converted.match;
    let widen = true;
    for (const problem of converted.problems) {
      const action = this.ctx.unrepresentable('header-invert', {
        at: fieldOf(rule.parsed, problem.path),
        data: { source: rule.source.name, header: problem.header },
      });
      widen &&= action === 'widen';
    }
    if (!widen) return undefined;
    // Widen: the permission without its inverted conditions.
    const kept = (p.http?.header ?? []).filter((h) => h.invert !== true);
    const again = fromCriteria({ ...p.http, header: kept }, [...path, 'http']);
    return again.ok ? again.match : undefined;
  }

  /**
   * The grant of an L7 intention. Permissions apply in order, first match wins: an allow after
   * denies allows what it matches minus what they match, which SMI can carry for denies on exact
   * or prefix paths and methods (complement regexes, remaining methods). A catch-all deny ends
   * the list.
   */
  private permissionsGrant(rule: IntentionRule): Grant {
    const matches: MatchBody[] = [];
    const seen = new Set<string>();
    const denies: Permission[] = [];
    const permissions = rule.source.permissions ?? [];
    for (const [j, p] of permissions.entries()) {
      const path = ['spec', 'sources', rule.index, 'permissions', j];
      if (p.action === 'deny') {
        if (isMatchAll(p) && p.jwt === undefined) break;
        denies.push(p);
        continue;
      }
      const body = this.allowBody(rule, p, path);
      if (body === undefined) continue;
      let branches: MatchBody[] = [body];
      let exact = true;
      for (const deny of denies) {
        const next = branches.map((b) => subtractDeny(b, deny.http ?? {}, SMI_METHODS));
        exact &&= next.every((n) => n.exact);
        branches = next.flatMap((n) => [...n.branches]);
      }
      if (!exact) {
        const action = this.ctx.unrepresentable('l7-deny-subtraction', {
          at: fieldOf(rule.parsed, path),
          data: { source: rule.source.name },
        });
        if (action === 'omit') continue;
        if (action === 'widen') branches = [body];
      }
      for (const b of branches) {
        const key = JSON.stringify(b);
        if (!seen.has(key)) matches.push(b);
        seen.add(key);
      }
    }
    return matches.length === 0 ? NONE : { kind: 'http', matches };
  }

  private grantOf(rule: IntentionRule, destination: ConsulName): Grant {
    let grant = this.grants.get(rule);
    if (grant !== undefined) return grant;
    if (rule.source.action !== undefined) {
      grant = rule.source.action === 'allow' ? { kind: 'all' } : NONE;
    } else {
      const protocol = protocolOf(this.config, destination);
      if (!isHttpLike(protocol)) {
        this.ctx.report('l7-requires-http', {
          at: fieldOf(rule.parsed, ['spec', 'sources', rule.index, 'permissions']),
          data: { source: rule.source.name, destination: destination.name, protocol },
        });
        grant = NONE;
      } else {
        grant = this.permissionsGrant(rule);
      }
    }
    if (
      grant.kind !== 'none' &&
      rule.parsed.spec.jwt !== undefined &&
      this.jwtAction(rule.parsed) !== 'widen'
    )
      grant = NONE;
    this.grants.set(rule, grant);
    return grant;
  }

  /** Reports what each rule cannot carry, once, before any grant is computed. */
  private reportRules(): void {
    for (const rule of this.rules) {
      if (this.consumed.has(rule.parsed.manifest)) continue;
      const s = rule.source;
      const at = fieldOf(rule.parsed, ['spec', 'sources', rule.index]);
      const allows =
        s.action === 'allow' || (s.permissions ?? []).some((p) => p.action === 'allow');
      const effect = allows ? ('narrows-access' as const) : ('cosmetic' as const);
      const remote = (['peer', 'partition', 'samenessGroup'] as const).find(
        (f) =>
          s[f] !== undefined && !(f === 'partition' && s.partition === this.ctx.options.partition),
      );
      if (remote !== undefined) {
        this.ctx.report('remote-source', {
          at: fieldOf(rule.parsed, ['spec', 'sources', rule.index, remote]),
          data: { source: s.name, field: remote, value: s[remote] ?? '' },
          effect,
        });
        continue;
      }
      if (
        rule.sourceId.namespace !== '*' &&
        k8sNamespacesOf(rule.sourceId.namespace, this.ctx.options) === undefined
      ) {
        this.ctx.report('namespace-unmapped', {
          at,
          data: {
            consulNamespace: rule.sourceId.namespace,
            mode: this.ctx.options.namespaces.mode,
            name: s.name,
          },
          effect,
        });
        continue;
      }
      const wildcardDestination = isWildcard(rule.destination);
      if (s.action === 'deny' && isWildcard(rule.sourceId) && wildcardDestination)
        this.once(`default-deny/${rule.parsed.name}`, () =>
          this.ctx.report('default-deny-recognized', { at }),
        );
      else if (s.action === 'deny')
        this.ctx.report('deny-folded', { at, data: { source: s.name } });
    }
  }

  private known(): { sources: ConsulName[]; destinations: ConsulName[] } {
    const options = this.ctx.options;
    const fromContext = uniqueAccounts([
      ...this.ctx.cluster.context.serviceAccounts,
      ...this.ctx.cluster.context.workloads.map((w) => ({
        namespace: w.namespace,
        name: w.serviceAccount,
      })),
    ]).flatMap((a) => identitiesOfAccount(a, options, this.ctx.cluster));
    const local = (r: IntentionRule): boolean => isLocal(r, options.partition);
    const mapped = (id: ConsulName): boolean =>
      k8sNamespacesOf(id.namespace, options) !== undefined;
    const byKey = new Map<string, ConsulName>();
    for (const id of [...fromContext, ...this.rules.filter(local).map((r) => r.sourceId)])
      if (!isWildcard(id) && mapped(id)) byKey.set(identityKey(id), id);
    const sources = [...byKey.keys()].sort().map((k) => byKey.get(k) as ConsulName);
    const destinations = new Map<string, ConsulName>();
    for (const r of this.rules) {
      if (isWildcard(r.destination)) continue;
      if (!mapped(r.destination)) {
        this.once(`dest-ns/${identityKey(r.destination)}`, () =>
          this.ctx.report('namespace-unmapped', {
            at: fieldOf(r.parsed, ['spec', 'destination']),
            data: {
              consulNamespace: r.destination.namespace,
              mode: options.namespaces.mode,
              name: r.destination.name,
            },
          }),
        );
        continue;
      }
      destinations.set(identityKey(r.destination), r.destination);
    }
    if (this.rules.some((r) => isWildcard(r.destination) && !this.consumed.has(r.parsed.manifest)))
      for (const id of fromContext) destinations.set(identityKey(id), id);
    return {
      sources,
      destinations: [...destinations.keys()].sort().map((k) => destinations.get(k) as ConsulName),
    };
  }

  /** The ServiceAccounts behind a Consul identity; when the context has none, the likely one. */
  private accountsFor(id: ConsulName, near: Parsed<unknown> | undefined): AccountRef[] {
    const options = this.ctx.options;
    const found = accountsOfIdentity(id, options, this.ctx.cluster);
    if (found.length > 0) return found;
    const at = near === undefined ? undefined : fieldOf(near);
    const invalid = checkDns1123Subdomain(id.name);
    if (invalid !== undefined) {
      this.once(`name/${identityKey(id)}`, () =>
        this.ctx.report('identity-not-account', {
          ...(at !== undefined && { at }),
          data: { name: id.name, reason: invalid },
        }),
      );
      return [];
    }
    if (!options.acls) {
      this.once(`unresolved/${identityKey(id)}`, () =>
        this.ctx.report('unresolved-identity', {
          ...(at !== undefined && { at }),
          data: { namespace: id.namespace, name: id.name },
        }),
      );
      return [];
    }
    const namespaces = k8sNamespacesOf(id.namespace, options);
    if (namespaces === undefined) return [];
    if (namespaces !== 'any') return namespaces.map((namespace) => ({ namespace, name: id.name }));
    const namespace = near?.namespace ?? this.ctx.core.defaultNamespace;
    this.once(`assumed/${identityKey(id)}`, () =>
      this.ctx.report('namespace-assumed', {
        ...(at !== undefined && { at }),
        data: { name: id.name, namespace },
      }),
    );
    return [{ namespace, name: id.name }];
  }

  run(): AccessModel {
    this.reportRules();
    const options = this.ctx.options;
    const { sources, destinations } = this.known();
    // decisions[D][S]: the grant and the rule that decided, for pairs not covered by an SMI annotation.
    const decisions = new Map<
      string,
      Map<string, { grant: Grant; rule: IntentionRule } | 'covered'>
    >();
    let defaultAllowReported = false;
    for (const d of destinations) {
      const row = new Map<string, { grant: Grant; rule: IntentionRule } | 'covered'>();
      decisions.set(identityKey(d), row);
      for (const s of sources) {
        const rule = decidingRule(this.rules, s, d, options);
        if (rule === undefined) {
          if (defaultPolicyOf(options) === 'allow' && !defaultAllowReported) {
            defaultAllowReported = true;
            this.ctx.report('default-allow-not-expressible', {});
          }
          continue;
        }
        if (this.consumed.has(rule.parsed.manifest)) {
          row.set(identityKey(s), 'covered');
          continue;
        }
        const grant = this.grantOf(rule, d);
        row.set(identityKey(s), { grant, rule });
        if (grant.kind !== 'none' && (isWildcard(rule.sourceId) || isWildcard(rule.destination))) {
          const used = this.wildcardUse.get(rule) ?? new Set<string>();
          used.add(`${identityKey(s)}>${identityKey(d)}`);
          this.wildcardUse.set(rule, used);
        }
      }
    }
    const label = (id: ConsulName): string =>
      options.namespaces.mode === 'none' ? id.name : identityKey(id);
    // Every wildcard that allows something, even when no known identity gets in through it.
    const wildcards = this.rules.filter(
      (r) =>
        (isWildcard(r.sourceId) || isWildcard(r.destination)) &&
        !this.consumed.has(r.parsed.manifest) &&
        isLocal(r, options.partition) &&
        (r.source.action === 'allow' ||
          (r.source.permissions ?? []).some((p) => p.action === 'allow')),
    );
    for (const rule of wildcards) {
      const used = this.wildcardUse.get(rule) ?? new Set<string>();
      const at = fieldOf(rule.parsed, ['spec', 'sources', rule.index]);
      if (isWildcard(rule.sourceId))
        this.ctx.report('wildcard-source', {
          at,
          data: { source: label(rule.sourceId), count: used.size },
        });
      if (isWildcard(rule.destination))
        this.ctx.report('wildcard-destination', {
          at: fieldOf(rule.parsed, ['spec', 'destination']),
          data: {
            destination: label(rule.destination),
            count: used.size,
          },
        });
    }
    this.build(destinations, sources, decisions);
    return this.model;
  }

  private exactEntry(d: ConsulName): Parsed<ServiceIntentionsSpec> | undefined {
    return this.rules.find((r) => identityKey(r.destination) === identityKey(d))?.parsed;
  }

  private build(
    destinations: readonly ConsulName[],
    sources: readonly ConsulName[],
    decisions: Map<string, Map<string, { grant: Grant; rule: IntentionRule } | 'covered'>>,
  ): void {
    const destAccounts = new Map<string, { account: AccountRef; ids: ConsulName[] }>();
    for (const d of destinations) {
      const row = decisions.get(identityKey(d));
      if (
        row === undefined ||
        ![...row.values()].some((v) => v !== 'covered' && v.grant.kind !== 'none')
      )
        continue;
      for (const account of this.accountsFor(d, this.exactEntry(d))) {
        const key = `${account.namespace}/${account.name}`;
        const entry = destAccounts.get(key) ?? { account, ids: [] };
        entry.ids.push(d);
        destAccounts.set(key, entry);
      }
    }
    const sourceAccounts = new Map<
      string,
      { account: AccountRef; ids: ConsulName[]; near?: Parsed<unknown> }
    >();
    for (const s of sources) {
      const granting = [...decisions.values()].flatMap((row) => {
        const v = row.get(identityKey(s));
        return v === undefined || v === 'covered' || v.grant.kind === 'none' ? [] : [v.rule];
      });
      if (granting.length === 0) continue;
      const near = granting.find((r) => !isWildcard(r.sourceId))?.parsed ?? granting[0]?.parsed;
      for (const account of this.accountsFor(s, near)) {
        const key = `${account.namespace}/${account.name}`;
        const entry = sourceAccounts.get(key) ?? { account, ids: [] };
        entry.ids.push(s);
        sourceAccounts.set(key, entry);
      }
    }
    // Without ACLs an account's pods can carry identities that grant nothing (every Service that
    // selects them): its access is exact only when all of them agree (else identity-ambiguous).
    this.addCarried(destAccounts);
    this.addCarried(sourceAccounts);
    for (const dk of [...destAccounts.keys()].sort()) {
      const dest = destAccounts.get(dk);
      if (dest === undefined) continue;
      const groups = new Map<
        string,
        { grant: Grant; sources: AccountRef[]; rules: IntentionRule[] }
      >();
      for (const sk of [...sourceAccounts.keys()].sort()) {
        const src = sourceAccounts.get(sk);
        if (src === undefined) continue;
        const cells = dest.ids.flatMap((d) =>
          src.ids.map((s) => decisions.get(identityKey(d))?.get(identityKey(s))),
        );
        if (cells.some((c) => c === 'covered')) continue;
        const keys = new Set(
          cells.map((c) => (c === undefined || c === 'covered' ? 'none' : grantKey(c.grant))),
        );
        const decided = cells.filter(
          (c): c is { grant: Grant; rule: IntentionRule } => c !== undefined && c !== 'covered',
        );
        if (keys.size > 1) {
          this.ctx.report('identity-ambiguous', {
            ...(decided[0] !== undefined && {
              at: fieldOf(decided[0].rule.parsed, ['spec', 'sources', decided[0].rule.index]),
            }),
            data: {
              account: sk,
              identities: [...dest.ids, ...src.ids].map(identityKey).join(','),
              destination: dk,
            },
          });
          continue;
        }
        const grant = decided[0]?.grant ?? NONE;
        if (grant.kind === 'none') continue;
        const key = grantKey(grant);
        const group = groups.get(key) ?? { grant, sources: [], rules: [] };
        group.sources.push(src.account);
        group.rules.push(...decided.map((c) => c.rule));
        groups.set(key, group);
      }
      this.emitTargets(dest.account, dest.ids, [...groups.values()]);
    }
  }

  /** Adds to each account the other identities its pods carry (from the context). */
  private addCarried(accounts: Map<string, { account: AccountRef; ids: ConsulName[] }>): void {
    for (const entry of accounts.values()) {
      const have = new Set(entry.ids.map(identityKey));
      for (const id of identitiesOfAccount(entry.account, this.ctx.options, this.ctx.cluster)) {
        if (have.has(identityKey(id))) continue;
        entry.ids.push(id);
        have.add(identityKey(id));
      }
    }
  }

  private emitTargets(
    destination: AccountRef,
    ids: readonly ConsulName[],
    groups: readonly { grant: Grant; sources: AccountRef[]; rules: IntentionRule[] }[],
  ): void {
    const firstRule = groups[0]?.rules[0];
    if (firstRule === undefined) return;
    const ns = destination.namespace;
    const entry = ids.map((d) => this.exactEntry(d)).find((p) => p !== undefined);
    const base = entry?.name ?? destination.name;
    const names = this.ctx.names;
    const http = ids.some((d) => isHttpLike(protocolOf(this.config, d)));
    const origin = manifestOrigin((entry ?? firstRule.parsed).manifest);
    const refs = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.parsed)))].map(objectRef);
    const meta = sourceMetadata(refs);
    const sorted = [...groups].sort((a, b) =>
      a.grant.kind === 'all' ? -1 : b.grant.kind === 'all' ? 1 : 0,
    );
    const single = sorted.length === 1;
    const matches: HttpMatchNode[] = [];
    let groupName: string | undefined;
    let tcpName: string | undefined;
    const routeGroup = (): string =>
      (groupName ??= names.claim(
        'HTTPRouteGroup',
        ns,
        restoredName(entry, 'HTTPRouteGroup', ns) ?? `${base}-routes`,
      ));
    for (const group of sorted) {
      const first = group.sources[0];
      const label = group.grant.kind === 'all' ? 'all' : (first?.name ?? 'source');
      const wanted = single
        ? (restoredName(entry, 'TrafficTarget', ns) ?? base)
        : `${base}-${label}`;
      const name = names.claim('TrafficTarget', ns, wanted);
      const rules: RuleNode[] = [];
      if (group.grant.kind === 'all' && !http) {
        tcpName ??= names.claim(
          'TCPRoute',
          ns,
          restoredName(entry, 'TCPRoute', ns) ?? `${base}-all-ports`,
        );
        rules.push({ kind: 'TCPRoute', name: tcpName, origin });
      } else {
        const bodies: MatchBody[] =
          group.grant.kind === 'http'
            ? [...group.grant.matches]
            : [{ pathRegex: '.*', methods: ['*'] }];
        const selected = bodies.map((body, i) => {
          const taken = new Set(matches.map((m) => m.name));
          let matchName = group.grant.kind === 'all' ? 'all' : `${label}-${i}`;
          for (let n = 2; taken.has(matchName); n++) matchName = `${label}-${i}-${n}`;
          matches.push({ ...body, name: matchName, origin });
          return matchName;
        });
        rules.push({ kind: 'HTTPRouteGroup', name: routeGroup(), matches: selected, origin });
      }
      const descriptions = [
        ...new Set(
          group.rules.flatMap((r) =>
            r.source.description === undefined ? [] : [r.source.description],
          ),
        ),
      ];
      for (const r of group.rules)
        if (r.source.description !== undefined)
          this.ctx.report('description-to-annotation', {
            at: fieldOf(r.parsed, ['spec', 'sources', r.index, 'description']),
            data: { source: r.source.name, target: name },
          });
      const subjects = (accounts: readonly AccountRef[]): SubjectNode[] =>
        accounts.map((a) => ({
          kind: 'ServiceAccount',
          name: a.name,
          namespace: a.namespace,
          origin,
        }));
      const [dest] = subjects([destination]);
      if (dest === undefined) continue;
      this.model.trafficTargets.push({
        name,
        namespace: ns,
        labels: meta.labels,
        annotations: safeRecord([
          ...Object.entries(meta.annotations),
          ...(descriptions.length > 0
            ? [[DESCRIPTION_ANNOTATION, descriptions.join('\n')] as const]
            : []),
        ]),
        destination: dest,
        sources: subjects(group.sources),
        rules,
        origin,
      });
    }
    if (groupName !== undefined)
      this.model.httpRouteGroups.push({
        name: groupName,
        namespace: ns,
        labels: meta.labels,
        annotations: meta.annotations,
        matches,
        origin,
      });
    if (tcpName !== undefined)
      this.model.tcpRoutes.push({
        name: tcpName,
        namespace: ns,
        labels: meta.labels,
        annotations: meta.annotations,
        ports: [],
        origin,
      });
  }
}

/**
 * ServiceIntentions to SMI (research/consul.md 5.2): for every known caller and destination the
 * intention that decides is found with Consul's precedence, so wildcards and denies are folded
 * into explicit allow-lists; callers with the same grant share a TrafficTarget. An allow on a
 * service with an HTTP-like protocol is an HTTP match-all (Consul carries only HTTP there), on
 * other services a TCPRoute without ports. Pairs decided by intentions whose SMI annotation was
 * verified are left to that annotation.
 */
export function ingestServiceIntentions(
  config: ConsulConfig,
  rules: readonly IntentionRule[],
  consumed: ReadonlySet<Manifest>,
  ctx: ConsulIngestContext,
): AccessModel {
  return new IntentionReader(config, rules, consumed, ctx).run();
}
