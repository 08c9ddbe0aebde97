import {
  matchesFully,
  type AccessDecision,
  type AccessRequest,
  type AdapterEvaluator,
  type ContextIndex,
  type EvaluationEnv,
  type HttpRequestInfo,
  type KubeObject,
  type Manifest,
  type RouteDecision,
  type RouteRequest,
} from '@meshlingo/core';
import {
  consulNamespaceOf,
  identitiesOfAccount,
  identityKey,
  k8sNamespacesOf,
  type ConsulName,
} from './identity.js';
import {
  isHttpLike,
  parseConsulObject,
  type AnyParsed,
  type HeaderMatcher,
  type HttpCriteria,
  type IntentionSource,
  type Parsed,
  type RouteHttpMatch,
  type ServiceIntentionsSpec,
  type ServiceResolverSpec,
  type ServiceRouterSpec,
  type ServiceSplitterSpec,
} from './native.js';
import { defaultPolicyOf, type ConsulOptions } from './options.js';

/** The Consul configuration the objects describe, keyed by Consul identity (`namespace/name`). */
export interface ConsulConfig {
  readonly intentions: readonly Parsed<ServiceIntentionsSpec>[];
  readonly splitters: ReadonlyMap<string, Parsed<ServiceSplitterSpec>>;
  readonly routers: ReadonlyMap<string, Parsed<ServiceRouterSpec>>;
  readonly resolvers: ReadonlyMap<string, Parsed<ServiceResolverSpec>>;
  /** `spec.protocol` of ServiceDefaults. */
  readonly protocols: ReadonlyMap<string, string>;
  /** `spec.config.protocol` of ProxyDefaults `global`. */
  readonly globalProtocol?: string;
}

/** The Consul identity a config entry named after a service configures. */
export function entryId(parsed: Parsed<unknown>, options: ConsulOptions): ConsulName {
  return { name: parsed.name, namespace: consulNamespaceOf(parsed.namespace, options) };
}

/**
 * The configuration of parsed Consul objects. A second entry for the same service (or a second
 * ServiceIntentions for the same destination) is left out and passed to `onDuplicate`: the
 * consul-k8s webhook rejects it.
 */
export function buildConfig(
  objects: readonly AnyParsed[],
  options: ConsulOptions,
  onDuplicate?: (object: AnyParsed) => void,
): ConsulConfig {
  const intentions: Parsed<ServiceIntentionsSpec>[] = [];
  const destinations = new Set<string>();
  const splitters = new Map<string, Parsed<ServiceSplitterSpec>>();
  const routers = new Map<string, Parsed<ServiceRouterSpec>>();
  const resolvers = new Map<string, Parsed<ServiceResolverSpec>>();
  const protocols = new Map<string, string>();
  const defaults = new Set<string>();
  let globalProtocol: string | undefined;
  let proxyDefaults = false;
  const first = <T>(map: Map<string, T>, object: AnyParsed, value: T): void => {
    const key = identityKey(entryId(object.parsed, options));
    if (map.has(key)) onDuplicate?.(object);
    else map.set(key, value);
  };
  for (const object of objects) {
    switch (object.kind) {
      case 'ServiceIntentions': {
        const d = object.parsed.spec.destination;
        const key = identityKey({
          name: d.name,
          namespace: d.namespace ?? consulNamespaceOf(object.parsed.namespace, options),
        });
        if (destinations.has(key)) onDuplicate?.(object);
        else intentions.push(object.parsed);
        destinations.add(key);
        break;
      }
      case 'ServiceSplitter':
        first(splitters, object, object.parsed);
        break;
      case 'ServiceRouter':
        first(routers, object, object.parsed);
        break;
      case 'ServiceResolver':
        first(resolvers, object, object.parsed);
        break;
      case 'ServiceDefaults': {
        const key = identityKey(entryId(object.parsed, options));
        if (defaults.has(key)) onDuplicate?.(object);
        else if (object.parsed.spec.protocol !== undefined)
          protocols.set(key, object.parsed.spec.protocol);
        defaults.add(key);
        break;
      }
      case 'ProxyDefaults':
        if (proxyDefaults) onDuplicate?.(object);
        else globalProtocol = object.parsed.spec.protocol;
        proxyDefaults = true;
        break;
      case 'Mesh':
        break;
    }
  }
  return {
    intentions,
    splitters,
    routers,
    resolvers,
    protocols,
    ...(globalProtocol !== undefined && { globalProtocol }),
  };
}

/**
 * Reads the Consul objects among the manifests. Objects the API server or Consul would reject
 * never take effect and are left out, like duplicates (see {@link buildConfig}).
 */
export function readConsulConfig(
  manifests: readonly Manifest[],
  options: ConsulOptions,
  defaultNamespace: string,
): ConsulConfig {
  const parsed = manifests.flatMap((m) => parseConsulObject(m, defaultNamespace) ?? []);
  return buildConfig(parsed, options);
}

/** A service's protocol: ServiceDefaults, else ProxyDefaults `config.protocol`, else `tcp`. */
export function protocolOf(config: ConsulConfig, id: ConsulName): string {
  return config.protocols.get(identityKey(id)) ?? config.globalProtocol ?? 'tcp';
}

/** One source of one ServiceIntentions, with the identities it names after namespace defaulting. */
export interface IntentionRule {
  readonly parsed: Parsed<ServiceIntentionsSpec>;
  readonly index: number;
  readonly source: IntentionSource;
  readonly sourceId: ConsulName;
  readonly destination: ConsulName;
  /** 1 to 9: destination exactness outranks source exactness (research/consul.md 3.3). */
  readonly precedence: number;
}

function exactness(id: ConsulName): number {
  if (id.namespace === '*') return 0;
  return id.name === '*' ? 1 : 2;
}

/**
 * Every intention source as a rule, most specific first: the order in which Consul looks for the
 * single intention that decides (`structs.IntentionPrecedenceSorter`).
 */
export function intentionRules(config: ConsulConfig, options: ConsulOptions): IntentionRule[] {
  const rules: IntentionRule[] = [];
  for (const parsed of config.intentions) {
    const spec = parsed.spec;
    const destination: ConsulName = {
      name: spec.destination.name,
      namespace: spec.destination.namespace ?? consulNamespaceOf(parsed.namespace, options),
    };
    spec.sources.forEach((source, index) => {
      // Sources without a namespace are in the destination's namespace (non-peer sources).
      const sourceId = { name: source.name, namespace: source.namespace ?? destination.namespace };
      const precedence = [3, 6, 9][exactness(destination)] ?? 3;
      rules.push({
        parsed,
        index,
        source,
        sourceId,
        destination,
        precedence: precedence - (2 - exactness(sourceId)),
      });
    });
  }
  const key = (r: IntentionRule): string =>
    JSON.stringify([
      r.sourceId.namespace,
      r.sourceId.name,
      r.destination.namespace,
      r.destination.name,
    ]);
  return rules.sort(
    (a, b) => b.precedence - a.precedence || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
}

/** Whether an intention source names a caller of this cluster and partition. */
export function sourceMatches(
  rule: IntentionRule,
  caller: ConsulName,
  options: ConsulOptions,
): boolean {
  const s = rule.source;
  if (s.peer !== undefined || s.samenessGroup !== undefined) return false;
  if ((s.partition ?? options.partition) !== options.partition) return false;
  return (
    (rule.sourceId.namespace === '*' || rule.sourceId.namespace === caller.namespace) &&
    (rule.sourceId.name === '*' || rule.sourceId.name === caller.name)
  );
}

/** Whether a rule's destination covers a service. */
export function destinationMatches(rule: IntentionRule, destination: ConsulName): boolean {
  return (
    (rule.destination.namespace === '*' || rule.destination.namespace === destination.namespace) &&
    (rule.destination.name === '*' || rule.destination.name === destination.name)
  );
}

/** The single intention that decides for a caller and a destination: the most precise that matches. */
export function decidingRule(
  rules: readonly IntentionRule[],
  caller: ConsulName,
  destination: ConsulName,
  options: ConsulOptions,
): IntentionRule | undefined {
  return rules.find((r) => destinationMatches(r, destination) && sourceMatches(r, caller, options));
}

function headerValue(headers: HttpRequestInfo['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function headerMatches(h: HeaderMatcher, request: HttpRequestInfo): boolean {
  const value = headerValue(request.headers, h.name);
  // Envoy: a missing header fails every matcher; only `present` with `invert` then matches.
  if (value === undefined) return h.present === true && h.invert === true;
  const fold = (s: string): string => (h.ignoreCase === true ? s.toLowerCase() : s);
  const v = fold(value);
  let result: boolean;
  if (h.exact !== undefined) result = v === fold(h.exact);
  else if (h.prefix !== undefined) result = v.startsWith(fold(h.prefix));
  else if (h.suffix !== undefined) result = v.endsWith(fold(h.suffix));
  else if (h.contains !== undefined) result = v.includes(fold(h.contains));
  else if (h.regex !== undefined) result = matchesFully(h.regex, value);
  else result = true;
  return h.invert === true ? !result : result;
}

/**
 * Whether a request meets Consul HTTP conditions (all of them): exact path, plain string prefix,
 * full-match RE2 path regex (path without query), method, every header condition.
 */
export function criteriaMatch(
  criteria: HttpCriteria & { readonly caseInsensitive?: boolean },
  request: HttpRequestInfo,
): boolean {
  const ci = criteria.caseInsensitive === true;
  const path = ci ? request.path.toLowerCase() : request.path;
  if (
    criteria.pathExact !== undefined &&
    path !== (ci ? criteria.pathExact.toLowerCase() : criteria.pathExact)
  )
    return false;
  if (
    criteria.pathPrefix !== undefined &&
    !path.startsWith(ci ? criteria.pathPrefix.toLowerCase() : criteria.pathPrefix)
  )
    return false;
  if (criteria.pathRegex !== undefined && !matchesFully(criteria.pathRegex, request.path))
    return false;
  if (
    criteria.methods !== undefined &&
    criteria.methods.length > 0 &&
    !criteria.methods.includes(request.method)
  )
    return false;
  return (criteria.header ?? []).every((h) => headerMatches(h, request));
}

function routeMatches(
  http: RouteHttpMatch | undefined,
  request: HttpRequestInfo | undefined,
): boolean {
  if (http === undefined) return true;
  if (request === undefined) return false;
  // Requests carry no query string here, so any query parameter condition fails.
  if ((http.queryParam ?? []).length > 0) return false;
  return criteriaMatch(http, request);
}

/** What an evaluator needs about one request to decide on access. */
export interface IntentionRequest {
  readonly protocol: 'http' | 'tcp' | 'udp';
  readonly http?: HttpRequestInfo;
}

/**
 * Consul's decision for one caller identity and one destination service (research/consul.md 3.4):
 * the most precise matching intention decides; an L4 intention decides every request; an L7
 * intention's permissions are tried in order and, when none matches, the default policy decides
 * (never a less precise intention). Consul carries no UDP, and a service with an HTTP-like
 * protocol accepts only HTTP. Requests are taken to carry no JWT, so JWT requirements deny.
 */
export function decide(
  config: ConsulConfig,
  rules: readonly IntentionRule[],
  caller: ConsulName,
  destination: ConsulName,
  request: IntentionRequest,
  options: ConsulOptions,
): { allowed: boolean; rule?: IntentionRule } {
  const fallback = defaultPolicyOf(options) === 'allow';
  if (request.protocol === 'udp') return { allowed: false };
  const protocol = protocolOf(config, destination);
  if (isHttpLike(protocol) && request.protocol !== 'http') return { allowed: false };
  const jwtRequired = config.intentions.some(
    (p) =>
      p.spec.jwt !== undefined &&
      p.spec.destination.name === destination.name &&
      (p.spec.destination.namespace ?? consulNamespaceOf(p.namespace, options)) ===
        destination.namespace,
  );
  const rule = decidingRule(rules, caller, destination, options);
  const allow = (allowed: boolean): { allowed: boolean; rule?: IntentionRule } => ({
    allowed: allowed && !jwtRequired,
    ...(rule !== undefined && { rule }),
  });
  if (rule === undefined) return allow(fallback);
  if (rule.source.action !== undefined) return allow(rule.source.action === 'allow');
  if (!isHttpLike(protocol) || request.http === undefined) return { allowed: false, rule };
  for (const p of rule.source.permissions ?? []) {
    if (p.jwt !== undefined) continue;
    if (p.http !== undefined && criteriaMatch(p.http, request.http))
      return allow(p.action === 'allow');
  }
  return allow(fallback);
}

function asManifests(objects: readonly KubeObject[]): Manifest[] {
  return objects.map((object, docIndex) => ({ object, file: '<objects>', docIndex, pointer: '' }));
}

const configs = new WeakMap<
  readonly KubeObject[],
  { options: ConsulOptions; config: ConsulConfig; rules: IntentionRule[] }
>();

/** The configuration of evaluated objects; evaluators are called many times on one list. */
function configOf(
  objects: readonly KubeObject[],
  options: ConsulOptions,
): { config: ConsulConfig; rules: IntentionRule[] } {
  const cached = configs.get(objects);
  if (cached !== undefined && cached.options === options) return cached;
  const config = readConsulConfig(asManifests(objects), options, 'default');
  const entry = { options, config, rules: intentionRules(config, options) };
  configs.set(objects, entry);
  return entry;
}

function ruleName(rule: IntentionRule): string {
  return `${rule.parsed.namespace}/${rule.parsed.name}`;
}

/**
 * Consul's authorization of an SMI access request: the caller and destination ServiceAccounts
 * become Consul identities (with ACLs their names; without, the Services selecting their pods),
 * and every identity pair must be allowed.
 */
export function authorizeConsul(
  objects: readonly KubeObject[],
  request: AccessRequest,
  env: EvaluationEnv<ConsulOptions>,
): AccessDecision {
  const options = env.options;
  const { config, rules } = configOf(objects, options);
  const callers = identitiesOfAccount(request.source, options, env.cluster);
  let destinations = identitiesOfAccount(request.destination, options, env.cluster);
  const addressed = destinations.filter((d) => d.name === request.destination.service);
  if (!options.acls && addressed.length > 0) destinations = addressed;
  if (callers.length === 0 || destinations.length === 0) return { allowed: false, allowedBy: [] };
  const allowedBy = new Set<string>();
  for (const caller of callers)
    for (const destination of destinations) {
      const decision = decide(config, rules, caller, destination, request, options);
      if (!decision.allowed) return { allowed: false, allowedBy: [] };
      if (decision.rule !== undefined) allowedBy.add(ruleName(decision.rule));
    }
  return { allowed: true, allowedBy: [...allowedBy].sort() };
}

const SUBSET_TERM =
  /^Service\.Meta\.([A-Za-z0-9_-]+)\s*==\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9._-]+))$/;

/** The metadata pairs of a go-bexpr filter of the form `Service.Meta.k == "v" and ...`, else undefined. */
export function parseSubsetFilter(filter: string | undefined): [string, string][] | undefined {
  if (filter === undefined) return undefined;
  const out: [string, string][] = [];
  for (const term of filter.trim().split(/\s+and\s+/)) {
    const m = SUBSET_TERM.exec(term.trim());
    if (m === null) return undefined;
    const key = m[1] ?? '';
    let value = m[3];
    if (value === undefined) {
      try {
        value = JSON.parse(`"${m[2] ?? ''}"`) as string;
      } catch {
        return undefined;
      }
    }
    out.push([key, value]);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * The Kubernetes Service that stands for a subset: the Service whose selector is the root
 * Service's plus the subset filter's metadata (pods get that metadata from
 * `consul.hashicorp.com/service-meta-*` annotations), else a Service named like the subset.
 */
export function subsetService(
  resolver: Parsed<ServiceResolverSpec> | undefined,
  service: string,
  subset: string,
  namespace: string,
  cluster: ContextIndex,
): string | undefined {
  const meta = parseSubsetFilter(resolver?.spec.subsets?.get(subset)?.filter);
  const root = cluster.service(namespace, service);
  if (meta !== undefined && root?.selector !== undefined) {
    const want = new Map([...Object.entries(root.selector), ...meta]);
    const found = cluster.context.services.filter((s) => {
      if (s.namespace !== namespace || s.selector === undefined) return false;
      const entries = Object.entries(s.selector);
      return entries.length === want.size && entries.every(([k, v]) => want.get(k) === v);
    });
    if (found.length === 1 && found[0] !== undefined) return found[0].name;
  }
  return cluster.service(namespace, subset) !== undefined ? subset : undefined;
}

/** A place in a discovery chain: a service, optionally one of its subsets. */
export interface ChainTarget {
  readonly id: ConsulName;
  readonly subset?: string;
}

/**
 * Where a resolver sends a target: a local redirect (service, subset, namespace; chains of
 * redirects are followed), else the default subset. Redirects elsewhere are undefined.
 */
export function resolveTarget(
  config: ConsulConfig,
  target: ChainTarget,
  depth = 0,
): ChainTarget | undefined {
  const resolver = config.resolvers.get(identityKey(target.id));
  const redirect = resolver?.spec.redirect;
  if (redirect !== undefined) {
    if (
      redirect.datacenter !== undefined ||
      redirect.peer !== undefined ||
      redirect.partition !== undefined ||
      redirect.samenessGroup !== undefined
    )
      return undefined;
    const next: ChainTarget = {
      id: {
        name: redirect.service ?? target.id.name,
        namespace: redirect.namespace ?? target.id.namespace,
      },
      ...(redirect.serviceSubset !== undefined && { subset: redirect.serviceSubset }),
    };
    if (depth >= 8 || identityKey(next.id) === identityKey(target.id)) return next;
    return resolveTarget(config, next, depth + 1);
  }
  if (target.subset === undefined && resolver?.spec.defaultSubset !== undefined)
    return { id: target.id, subset: resolver.spec.defaultSubset };
  return target;
}

/**
 * The targets traffic for a service ends at, with weights: splitters are followed (a split to a
 * service with its own splitter is split again, weights multiplied), except splits naming a
 * subset or pointing back at the splitter's own service.
 */
export function splitTargets(
  config: ConsulConfig,
  target: ChainTarget,
  weight = 1,
  depth = 0,
): { target: ChainTarget; weight: number }[] {
  const splitter =
    target.subset === undefined ? config.splitters.get(identityKey(target.id)) : undefined;
  if (splitter === undefined || depth >= 8) return [{ target, weight }];
  return splitter.spec.splits.flatMap((s) => {
    const child: ChainTarget = {
      id: { name: s.service ?? target.id.name, namespace: s.namespace ?? target.id.namespace },
      ...(s.serviceSubset !== undefined && { subset: s.serviceSubset }),
    };
    const share = (weight * s.weight) / 100;
    if (child.subset === undefined && identityKey(child.id) === identityKey(target.id))
      return [{ target: child, weight: share }];
    return splitTargets(config, child, share, depth + 1);
  });
}

/** The Kubernetes Service a chain target stands for (its name, or the Service of a subset). */
export function targetService(
  config: ConsulConfig,
  target: ChainTarget,
  options: ConsulOptions,
  cluster: ContextIndex,
  fallbackNamespace: string,
): string | undefined {
  if (target.subset === undefined) return target.id.name;
  const resolver = config.resolvers.get(identityKey(target.id));
  const namespaces = k8sNamespacesOf(target.id.namespace, options);
  const namespace =
    namespaces === 'any' || namespaces === undefined
      ? (resolver?.namespace ?? fallbackNamespace)
      : (namespaces[0] ?? fallbackNamespace);
  return subsetService(resolver, target.id.name, target.subset, namespace, cluster);
}

/**
 * Consul's routing of a request to a Service: the root's ServiceRouter (first matching route;
 * no match stays with the root), then splitters, then resolvers (redirects, default subsets), for
 * services whose protocol is HTTP-like (Consul rejects routers and splitters otherwise).
 */
export function routeConsul(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: EvaluationEnv<ConsulOptions>,
): RouteDecision {
  const options = env.options;
  const { config } = configOf(objects, options);
  const root: ConsulName = {
    name: request.service,
    namespace: consulNamespaceOf(request.namespace, options),
  };
  const direct: RouteDecision = { backends: [{ service: request.service, weight: 1 }] };
  if (!isHttpLike(protocolOf(config, root))) return direct;
  let start: ChainTarget = { id: root };
  let decidedBy: string | undefined;
  const router = config.routers.get(identityKey(root));
  if (router !== undefined) {
    const hit = router.spec.routes.find((r) => routeMatches(r.match?.http, request.http));
    if (hit !== undefined) {
      const d = hit.destination;
      start = {
        id: { name: d?.service ?? root.name, namespace: d?.namespace ?? root.namespace },
        ...(d?.serviceSubset !== undefined && { subset: d.serviceSubset }),
      };
      decidedBy = `${router.namespace}/${router.name}`;
    }
  }
  const weights = new Map<string, number>();
  for (const { target, weight } of splitTargets(config, start)) {
    const resolved = resolveTarget(config, target) ?? target;
    const service =
      targetService(config, resolved, options, env.cluster, request.namespace) ??
      `${resolved.id.name}/${resolved.subset ?? ''}`;
    weights.set(service, (weights.get(service) ?? 0) + weight);
  }
  const splitter = config.splitters.get(identityKey(start.id));
  if (decidedBy === undefined && splitter !== undefined && start.subset === undefined)
    decidedBy = `${splitter.namespace}/${splitter.name}`;
  return {
    backends: [...weights].map(([service, weight]) => ({ service, weight })),
    ...(decidedBy !== undefined && { decidedBy }),
  };
}

/** The Consul evaluator: intentions for access, discovery chains for routing. */
export const consulEvaluator: AdapterEvaluator<ConsulOptions> = {
  authorize: authorizeConsul,
  route: routeConsul,
};
