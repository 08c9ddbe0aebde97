import type {
  HTTPRouteGroupNode,
  HttpMatchNode,
  MeshModel,
  ModelIndex,
  RuleNode,
} from '../model/model.js';
import { indexModel } from '../model/model.js';
import { matchesFully, matchesPathRegex } from './regex.js';
import type {
  AccessDecision,
  AccessRequest,
  HttpRequestInfo,
  RouteDecision,
  RouteRequest,
} from './requests.js';

function headerValue(headers: HttpRequestInfo['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * Whether an HTTP request satisfies one SMI match: pathRegex anchored at the start of the path,
 * the method in the list (`*` or none = any), every header present and fully matching its regex.
 */
export function matchesHttp(match: HttpMatchNode, request: HttpRequestInfo): boolean {
  if (match.pathRegex !== undefined && !matchesPathRegex(match.pathRegex, request.path))
    return false;
  if (match.methods !== undefined && match.methods.length > 0 && !match.methods.includes('*')) {
    if (!(match.methods as readonly string[]).includes(request.method)) return false;
  }
  for (const header of match.headers ?? []) {
    const value = headerValue(request.headers, header.name);
    if (value === undefined || !matchesFully(header.value, value)) return false;
  }
  return true;
}

/** The matches of a group that a rule selects (all of them when the rule names none). */
export function selectedMatches(group: HTTPRouteGroupNode, rule: RuleNode): HttpMatchNode[] {
  if (rule.matches === undefined) return [...group.matches];
  return group.matches.filter((m) => rule.matches?.includes(m.name) === true);
}

function portMatches(ports: readonly number[], port: number): boolean {
  return ports.length === 0 || ports.includes(port);
}

/**
 * Whether one TrafficTarget's rules admit the traffic: "AND across layers, OR within a layer".
 * UDP needs a UDPRoute rule covering the port. Plain TCP needs a TCPRoute rule covering the port.
 * HTTP needs at least one TCP or HTTP rule; when there are TCPRoute rules one must cover the port,
 * and when there are HTTPRouteGroup rules one selected match must match the request.
 */
export function rulesAdmit(
  rules: readonly RuleNode[],
  namespace: string,
  index: ModelIndex,
  request: AccessRequest,
): boolean {
  const tcp = rules.filter((r) => r.kind === 'TCPRoute');
  const http = rules.filter((r) => r.kind === 'HTTPRouteGroup');
  const tcpOk = (): boolean =>
    tcp.some((r) => {
      const route = index.tcpRoute(namespace, r.name);
      return route !== undefined && portMatches(route.ports, request.port);
    });
  switch (request.protocol) {
    case 'udp':
      return rules.some((r) => {
        if (r.kind !== 'UDPRoute') return false;
        const route = index.udpRoute(namespace, r.name);
        return route !== undefined && portMatches(route.ports, request.port);
      });
    case 'tcp':
      return tcpOk();
    case 'http': {
      if (tcp.length === 0 && http.length === 0) return false;
      if (tcp.length > 0 && !tcpOk()) return false;
      if (http.length === 0) return true;
      const req = request.http;
      if (req === undefined) return false;
      return http.some((r) => {
        const group = index.httpRouteGroup(namespace, r.name);
        return group !== undefined && selectedMatches(group, r).some((m) => matchesHttp(m, req));
      });
    }
  }
}

/**
 * The SMI reference authorization decision: TrafficTargets form an allow-list; traffic is allowed
 * when some TrafficTarget names the destination identity, lists the source identity, and its rules
 * admit the traffic. No TrafficTarget for a destination means deny.
 */
export function authorize(
  model: MeshModel,
  request: AccessRequest,
  index: ModelIndex = indexModel(model),
): AccessDecision {
  const allowedBy: string[] = [];
  for (const target of model.trafficTargets) {
    const dest = target.destination;
    if (
      dest.kind !== 'ServiceAccount' ||
      dest.name !== request.destination.name ||
      dest.namespace !== request.destination.namespace
    )
      continue;
    const sourceListed = target.sources.some(
      (s) =>
        s.kind === 'ServiceAccount' &&
        s.name === request.source.name &&
        s.namespace === request.source.namespace,
    );
    if (!sourceListed) continue;
    if (rulesAdmit(target.rules, target.namespace, index, request))
      allowedBy.push(`${target.namespace}/${target.name}`);
  }
  return { allowed: allowedBy.length > 0, allowedBy };
}

/**
 * The SMI reference routing decision: with a TrafficSplit for the Service, traffic is split over
 * its backends by weight, except that a split with `matches` only takes requests matching one of
 * its groups' matches (all matches of all groups, OR); everything else goes to the Service itself.
 */
export function route(
  model: MeshModel,
  request: RouteRequest,
  index: ModelIndex = indexModel(model),
): RouteDecision {
  const split = index.splitFor(request.namespace, request.service);
  const direct: RouteDecision = { backends: [{ service: request.service, weight: 1 }] };
  if (split === undefined) return direct;
  if (split.matches !== undefined && split.matches.length > 0) {
    const req = request.http;
    if (request.protocol !== 'http' || req === undefined) return direct;
    const hit = split.matches.some((m) => {
      const group = index.httpRouteGroup(split.namespace, m.name);
      return group !== undefined && group.matches.some((match) => matchesHttp(match, req));
    });
    if (!hit) return direct;
  }
  return {
    backends: split.backends.map((b) => ({ service: b.service, weight: b.weight })),
    decidedBy: `${split.namespace}/${split.name}`,
  };
}
