import {
  compileRe2,
  type AccessDecision,
  type AccessRequest,
  type EvaluationEnv,
  type KubeObject,
  type RouteDecision,
  type RouteRequest,
} from '@meshlingo/core';
import { parseServiceHost, principalOf, serviceHost } from './identity.js';
import { field, isRecord, list, record, specOf, strings, text, type Json } from './json.js';
import type { IstioOptions } from './options.js';
import {
  matchesHeaderPattern,
  matchesNamespacePattern,
  matchesPathPattern,
  matchesPattern,
} from './patterns.js';
import { hasHttpOnlyField, HTTP_OPERATION_FIELDS, isHttpConditionKey } from './policy-fields.js';

/**
 * Istio's documented semantics over native objects, for the conformance kit and for users who
 * want to ask "would Istio allow this?" without a cluster.
 *
 * Authorization (istio.io "Authorization Policy", pilot `security/authz/builder`): policies in
 * the workload's namespace or the root namespace whose selector is a subset of the pod labels
 * apply (targetRefs policies belong to gateways and waypoints, not sidecars; dry-run policies do
 * not enforce). A matching CUSTOM policy denies (the evaluator cannot ask the external provider,
 * so it assumes the worst), then a matching DENY denies, then: no ALLOW policy allows, a matching
 * ALLOW allows, anything else is denied. AUDIT never decides. On TCP traffic an ALLOW rule with
 * an HTTP-only field is dropped, while DENY, CUSTOM and AUDIT rules lose their HTTP-only fields
 * (and so match more). Istio does not proxy UDP: it is always let through.
 *
 * Routing (VirtualService): the VirtualService for the Service's host (mesh-bound; one in the
 * Service's namespace preferred, then by namespace and name), its first matching HTTP route for
 * HTTP (no match: no route, Envoy answers 404) or first matching TCP route (no match: the
 * Service itself); destination weights are relative, a single destination takes everything.
 */

function groupOf(object: KubeObject): string {
  return object.apiVersion.split('/')[0] ?? '';
}

function headerOf(
  headers: Readonly<Record<string, string>> | undefined,
  name: string,
): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The `:authority` spellings a client may use for a Service. */
function authoritiesOf(service: string, namespace: string, clusterDomain: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    serviceHost(service, namespace, clusterDomain),
  ];
}

/** What a request looks like to Istio's authorization filter. */
interface Attributes {
  readonly principals: readonly string[];
  readonly sourceNamespace: string;
  readonly sourceServiceAccount: string;
  readonly port: number;
  readonly http: AccessRequest['http'];
  readonly authorities: readonly string[];
}

/** `values`/`notValues` style: set lists must match, `not` lists must not (Istio ANDs them). */
function check(
  values: readonly string[] | undefined,
  notValues: readonly string[] | undefined,
  matches: (pattern: string) => boolean,
): boolean {
  if (values !== undefined && !values.some(matches)) return false;
  if (notValues !== undefined && notValues.some(matches)) return false;
  return true;
}

function sourceMatches(
  source: Json,
  attrs: Attributes,
  policyNs: string,
  skipHttp: boolean,
): boolean {
  const principal = (p: string): boolean => attrs.principals.some((x) => matchesPattern(p, x));
  const account = (sa: string): boolean => {
    const [ns, name] = sa.includes('/') ? sa.split('/', 2) : [policyNs, sa];
    return ns === attrs.sourceNamespace && name === attrs.sourceServiceAccount;
  };
  // No IP, JWT or trust-domain list is known for a request: such values cannot match.
  const never = (): boolean => false;
  return (
    check(strings(source, 'principals'), strings(source, 'notPrincipals'), principal) &&
    check(strings(source, 'namespaces'), strings(source, 'notNamespaces'), (p) =>
      matchesNamespacePattern(p, attrs.sourceNamespace),
    ) &&
    check(strings(source, 'serviceAccounts'), strings(source, 'notServiceAccounts'), account) &&
    check(strings(source, 'ipBlocks'), strings(source, 'notIpBlocks'), never) &&
    check(strings(source, 'remoteIpBlocks'), strings(source, 'notRemoteIpBlocks'), never) &&
    check(strings(source, 'trustDomains'), strings(source, 'notTrustDomains'), (td) =>
      attrs.principals.some((p) => p.startsWith(`${td}/`)),
    ) &&
    (skipHttp ||
      check(strings(source, 'requestPrincipals'), strings(source, 'notRequestPrincipals'), never))
  );
}

function operationMatches(op: Json, attrs: Attributes, skipHttp: boolean): boolean {
  if (!check(strings(op, 'ports'), strings(op, 'notPorts'), (p) => p === String(attrs.port)))
    return false;
  if (skipHttp) return true;
  const req = attrs.http;
  if (req === undefined) return HTTP_OPERATION_FIELDS.every((k) => strings(op, k) === undefined);
  return (
    check(strings(op, 'methods'), strings(op, 'notMethods'), (m) =>
      matchesPattern(m, req.method),
    ) &&
    check(strings(op, 'paths'), strings(op, 'notPaths'), (p) => matchesPathPattern(p, req.path)) &&
    check(strings(op, 'hosts'), strings(op, 'notHosts'), (h) =>
      attrs.authorities.some((a) => matchesPattern(h, a, true)),
    )
  );
}

function conditionValue(key: string, attrs: Attributes): string | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header !== null) return headerOf(attrs.http?.headers, header[1] ?? '');
  switch (key) {
    case 'source.namespace':
      return attrs.sourceNamespace;
    case 'source.principal':
      return attrs.principals[0];
    case 'source.serviceAccount':
      return `${attrs.sourceNamespace}/${attrs.sourceServiceAccount}`;
    case 'destination.port':
      return String(attrs.port);
    default:
      return undefined;
  }
}

function conditionMatches(condition: Json, attrs: Attributes, skipHttp: boolean): boolean {
  const key = text(condition, 'key') ?? '';
  if (skipHttp && isHttpConditionKey(key)) return true;
  const value = conditionValue(key, attrs);
  const isHeader = key.startsWith('request.headers[');
  const matches = (p: string): boolean => {
    if (isHeader) return matchesHeaderPattern(p, value);
    if (value === undefined) return false;
    if (key === 'source.principal') return attrs.principals.some((x) => matchesPattern(p, x));
    return matchesPattern(p, value);
  };
  return check(strings(condition, 'values'), strings(condition, 'notValues'), matches);
}

function ruleMatches(rule: Json, attrs: Attributes, policyNs: string, skipHttp: boolean): boolean {
  const from = list(rule, 'from').filter(isRecord);
  const to = list(rule, 'to').filter(isRecord);
  if (
    from.length > 0 &&
    !from.some((f) => sourceMatches(record(f, 'source') ?? {}, attrs, policyNs, skipHttp))
  )
    return false;
  if (
    to.length > 0 &&
    !to.some((t) => operationMatches(record(t, 'operation') ?? {}, attrs, skipHttp))
  )
    return false;
  return list(rule, 'when')
    .filter(isRecord)
    .every((c) => conditionMatches(c, attrs, skipHttp));
}

function policyMatches(
  policy: KubeObject,
  action: string,
  attrs: Attributes,
  tcp: boolean,
): boolean {
  const spec = specOf(policy);
  const ns = policy.metadata?.namespace ?? '';
  return list(spec, 'rules')
    .filter(isRecord)
    .some((rule) => {
      if (tcp && action === 'ALLOW' && hasHttpOnlyField(rule)) return false;
      return ruleMatches(rule, attrs, ns, tcp && action !== 'ALLOW');
    });
}

function applies(
  policy: KubeObject,
  namespace: string,
  labels: Readonly<Record<string, string>>,
  root: string,
): boolean {
  if (policy.kind !== 'AuthorizationPolicy' || groupOf(policy) !== 'security.istio.io')
    return false;
  const ns = policy.metadata?.namespace;
  if (ns !== namespace && ns !== root) return false;
  if (policy.metadata?.annotations?.['istio.io/dry-run'] === 'true') return false;
  const spec = specOf(policy);
  if (field(spec, 'targetRefs') !== undefined || field(spec, 'targetRef') !== undefined)
    return false;
  const selector = record(record(spec, 'selector') ?? {}, 'matchLabels');
  if (selector === undefined) return true;
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

function actionOf(policy: KubeObject): string {
  const spec = specOf(policy);
  return text(spec, 'action') ?? 'ALLOW';
}

function podLabels(
  request: AccessRequest,
  env: EvaluationEnv<IstioOptions>,
): Readonly<Record<string, string>> {
  if (request.destination.podLabels !== undefined) return request.destination.podLabels;
  const [first] = env.cluster.workloadsOf(request.destination.namespace, request.destination.name);
  return first?.podLabels ?? {};
}

/** Istio's authorization decision for a request to a workload. */
export function authorize(
  objects: readonly KubeObject[],
  request: AccessRequest,
  env: EvaluationEnv<IstioOptions>,
): AccessDecision {
  if (request.protocol === 'udp') return { allowed: true, allowedBy: [] };
  const options = env.options;
  const dest = request.destination;
  const labels = podLabels(request, env);
  const policies = objects.filter((o) => applies(o, dest.namespace, labels, options.rootNamespace));
  const domains = [
    ...new Set([options.trustDomain, ...options.trustDomainAliases, 'cluster.local']),
  ];
  const service = dest.service;
  const attrs: Attributes = {
    principals: domains.map((td) => principalOf(td, request.source.namespace, request.source.name)),
    sourceNamespace: request.source.namespace,
    sourceServiceAccount: request.source.name,
    port: request.port,
    http: request.protocol === 'http' ? request.http : undefined,
    authorities:
      service === undefined ? [] : authoritiesOf(service, dest.namespace, options.clusterDomain),
  };
  const tcp = request.protocol === 'tcp';
  const named = (p: KubeObject): string =>
    `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  for (const action of ['CUSTOM', 'DENY']) {
    if (policies.some((p) => actionOf(p) === action && policyMatches(p, action, attrs, tcp)))
      return { allowed: false, allowedBy: [] };
  }
  const allow = policies.filter((p) => actionOf(p) === 'ALLOW');
  if (allow.length === 0) return { allowed: true, allowedBy: [] };
  const allowedBy = allow.filter((p) => policyMatches(p, 'ALLOW', attrs, tcp)).map(named);
  return { allowed: allowedBy.length > 0, allowedBy };
}

// --- routing -------------------------------------------------------------------------------------

function hostMatches(
  pattern: string,
  host: string,
  vsNamespace: string,
  clusterDomain: string,
): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  const full = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(pattern)
    ? serviceHost(pattern, vsNamespace, clusterDomain)
    : pattern;
  return full === host;
}

function stringMatch(match: Json, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  const exact = text(match, 'exact');
  if (exact !== undefined) return v === (ignoreCase ? exact.toLowerCase() : exact);
  const prefix = text(match, 'prefix');
  if (prefix !== undefined) return v.startsWith(ignoreCase ? prefix.toLowerCase() : prefix);
  const regex = text(match, 'regex');
  if (regex !== undefined) {
    const compiled = compileRe2(regex);
    return !(compiled instanceof Error) && compiled.matches(value);
  }
  // `{}`: the value only has to be present (headers).
  return true;
}

/** Conditions on the client or the query string, which a route request does not carry: they fail. */
const UNKNOWN_MATCH_FIELDS = ['queryParams', 'sourceLabels', 'sourceNamespace', 'gateways'];

function blockMatches(block: Json, request: RouteRequest, clusterDomain: string): boolean {
  const http = request.http;
  if (http === undefined) return false;
  if (UNKNOWN_MATCH_FIELDS.some((k) => field(block, k) !== undefined)) return false;
  const authority = record(block, 'authority');
  if (
    authority !== undefined &&
    !authoritiesOf(request.service, request.namespace, clusterDomain).some((a) =>
      stringMatch(authority, a),
    )
  )
    return false;
  const uri = record(block, 'uri');
  if (uri !== undefined && !stringMatch(uri, http.path, field(block, 'ignoreUriCase') === true))
    return false;
  const method = record(block, 'method');
  if (method !== undefined && !stringMatch(method, http.method)) return false;
  const scheme = record(block, 'scheme');
  if (scheme !== undefined && !stringMatch(scheme, 'http')) return false;
  const port = field(block, 'port');
  if (port !== undefined && port !== request.port) return false;
  for (const [name, m] of Object.entries(record(block, 'headers') ?? {}))
    if (!isRecord(m) || !stringMatch(m, headerOf(http.headers, name))) return false;
  for (const [name, m] of Object.entries(record(block, 'withoutHeaders') ?? {}))
    if (isRecord(m) && stringMatch(m, headerOf(http.headers, name))) return false;
  return true;
}

function l4Matches(block: Json, request: RouteRequest): boolean {
  if (
    ['destinationSubnets', 'sourceLabels', 'sourceNamespace', 'gateways', 'sourceSubnet'].some(
      (k) => field(block, k) !== undefined,
    )
  )
    return false;
  const port = field(block, 'port');
  return port === undefined || port === request.port;
}

function backendsOf(
  route: readonly unknown[],
  vsNamespace: string,
  request: RouteRequest,
  clusterDomain: string,
): RouteDecision['backends'] {
  const entries = route.filter(isRecord);
  return entries.map((entry) => {
    const destination = record(entry, 'destination') ?? {};
    const host = text(destination, 'host') ?? '';
    const parsed = parseServiceHost(host, vsNamespace, clusterDomain);
    let service =
      parsed === undefined
        ? host
        : parsed.namespace === request.namespace
          ? parsed.name
          : `${parsed.name}.${parsed.namespace}`;
    const subset = text(destination, 'subset');
    if (subset !== undefined) service = `${service}#${subset}`;
    const weight = field(entry, 'weight');
    return {
      service,
      weight: entries.length === 1 ? 1 : typeof weight === 'number' && weight > 0 ? weight : 0,
    };
  });
}

/** Where Istio sends a request to a Service. */
export function route(
  objects: readonly KubeObject[],
  request: RouteRequest,
  env: EvaluationEnv<IstioOptions>,
): RouteDecision {
  const cd = env.options.clusterDomain;
  const host = serviceHost(request.service, request.namespace, cd);
  const direct: RouteDecision = { backends: [{ service: request.service, weight: 1 }] };
  const candidates = objects
    .filter((o) => o.kind === 'VirtualService' && groupOf(o) === 'networking.istio.io')
    .filter((o) => {
      const spec = specOf(o);
      const gateways = strings(spec, 'gateways');
      if (gateways !== undefined && !gateways.includes('mesh')) return false;
      const ns = o.metadata?.namespace ?? '';
      return (strings(spec, 'hosts') ?? []).some((h) => hostMatches(h, host, ns, cd));
    })
    .sort((a, b) => {
      const rank = (o: KubeObject): string =>
        `${o.metadata?.namespace === request.namespace ? 0 : 1}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
      return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0;
    });
  const vs = candidates[0];
  if (vs === undefined) return direct;
  const spec = specOf(vs);
  const vsNamespace = vs.metadata?.namespace ?? '';
  const decidedBy = `${vsNamespace}/${vs.metadata?.name ?? ''}`;
  if (request.protocol === 'http') {
    const rules = list(spec, 'http').filter(isRecord);
    if (rules.length === 0) return direct;
    const hit = rules.find((rule) => {
      const blocks = list(rule, 'match').filter(isRecord);
      return blocks.length === 0 || blocks.some((b) => blockMatches(b, request, cd));
    });
    if (hit === undefined) return { backends: [], decidedBy };
    return { backends: backendsOf(list(hit, 'route'), vsNamespace, request, cd), decidedBy };
  }
  const rules = list(spec, 'tcp').filter(isRecord);
  const hit = rules.find((rule) => {
    const blocks = list(rule, 'match').filter(isRecord);
    return blocks.length === 0 || blocks.some((b) => l4Matches(b, request));
  });
  if (hit === undefined) return direct;
  return { backends: backendsOf(list(hit, 'route'), vsNamespace, request, cd), decidedBy };
}
