import {
  checkRe2,
  escapeRegexLiteral,
  HTTP_METHODS,
  manifestOrigin,
  type HeaderMatchNode,
  type HttpMatchNode,
  type HttpMethod,
  type IngestContext,
} from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import type { HttpMatch, HttpRouteRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { headerRegexFromLinkerd, pathRegexFromLinkerd, prefersShortMatches } from '../regex.js';
import { serviceParents, splitBackends, toParent } from './outbound.js';
import type { SplitDefinition } from './split-definition.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** An HTTPRoute's requests in SMI terms: every request, or the union of some matches. */
export type RouteSpace = 'all' | readonly HttpMatchNode[];

/** One rule of a route read into SMI matches. */
export interface RuleSpace {
  readonly index: number;
  readonly space: RouteSpace;
}

function regexProblem(
  pattern: string,
  field: readonly (string | number)[],
  route: HttpRouteRecord,
  ctx: Ctx,
  ours: boolean,
): boolean {
  const reason = checkRe2(pattern);
  if (reason !== undefined) {
    ctx.report('invalid-regex', {
      at: { manifest: route.manifest, field },
      data: { pattern, reason },
    });
    return true;
  }
  if (!ours && prefersShortMatches(pattern))
    ctx.report('regex-preference', { at: { manifest: route.manifest, field }, data: { pattern } });
  return false;
}

/**
 * One native match as an SMI match: Exact `L` is `L$`, a segment-wise PathPrefix `/p` is
 * `/p(?:/.*)?$`, a RegularExpression is read back from meshlingo's forms or as a whole-path
 * match; header values become regexes that match the whole value. Query parameters cannot be
 * carried (reported); undefined when the match is left out.
 */
function smiMatch(
  match: HttpMatch,
  name: string,
  field: readonly (string | number)[],
  route: HttpRouteRecord,
  ctx: Ctx,
): HttpMatchNode | undefined {
  let pathRegex: string | undefined;
  const { type, value } = match.path;
  if (type === 'Exact') pathRegex = `${escapeRegexLiteral(value)}$`;
  else if (type === 'PathPrefix') {
    const prefix = value.replace(/\/+$/, '');
    pathRegex = prefix === '' ? undefined : `${escapeRegexLiteral(prefix)}(?:/.*)?$`;
  } else {
    const back = pathRegexFromLinkerd(value);
    const ours = back !== `(?:${value})$`;
    if (regexProblem(value, [...field, 'path', 'value'], route, ctx, ours)) return undefined;
    pathRegex = back;
  }
  let methods: HttpMethod[] | undefined;
  if (match.method !== undefined) {
    if (!(HTTP_METHODS as readonly string[]).includes(match.method) || match.method === '*') {
      ctx.report('invalid-method', {
        at: { manifest: route.manifest, field: [...field, 'method'] },
        data: { method: match.method },
      });
      return undefined;
    }
    methods = [match.method as HttpMethod];
  }
  const headers: HeaderMatchNode[] = [];
  for (const [i, h] of match.headers.entries()) {
    if (h.type === 'Exact') {
      headers.push({ name: h.name, value: escapeRegexLiteral(h.value) });
      continue;
    }
    const back = headerRegexFromLinkerd(h.value);
    if (regexProblem(h.value, [...field, 'headers', i, 'value'], route, ctx, back !== h.value))
      return undefined;
    headers.push({ name: h.name, value: back });
  }
  if (match.queryParams !== undefined && match.queryParams.length > 0)
    ctx.report('query-params', {
      at: { manifest: route.manifest, field: [...field, 'queryParams'] },
    });
  return {
    name,
    ...(pathRegex !== undefined && { pathRegex }),
    ...(methods !== undefined && { methods }),
    ...(headers.length > 0 && { headers }),
    origin: manifestOrigin(route.manifest, field),
  };
}

function isEverything(m: HttpMatchNode): boolean {
  return m.pathRegex === undefined && m.methods === undefined && m.headers === undefined;
}

/** The requests of each rule of a route (`all` for rules without matches or with a match-all). */
export function ruleSpaces(route: HttpRouteRecord, ctx: Ctx): RuleSpace[] {
  return route.rules.map((rule, i) => {
    if (rule.matches.length === 0) return { index: i, space: 'all' };
    const matches: HttpMatchNode[] = [];
    rule.matches.forEach((m, j) => {
      const node = smiMatch(m, `r${i}-m${j}`, ['spec', 'rules', i, 'matches', j], route, ctx);
      if (node !== undefined) matches.push(node);
    });
    return { index: i, space: matches.some(isEverything) ? 'all' : matches };
  });
}

/** The union of rule spaces. */
export function unionSpace(spaces: readonly RouteSpace[]): RouteSpace {
  if (spaces.some((s) => s === 'all')) return 'all';
  return spaces.flatMap((s) => (s === 'all' ? [] : s));
}

const RETRY = /^retry\.linkerd\.io\//;
const TIMEOUT = /^timeout\.linkerd\.io\//;

/**
 * Reports what an HTTPRoute has beyond matches: hostnames (which narrow where the route applies),
 * filters, timeouts and retry or timeout annotations.
 */
export function reportRouteExtras(route: HttpRouteRecord, outbound: boolean, ctx: Ctx): void {
  const at = (field: (string | number)[]) => ({ manifest: route.manifest, field });
  const data = { route: `${route.namespace}/${route.name}` };
  if (route.hostnames !== undefined && route.hostnames.length > 0)
    ctx.report('hostnames', { at: at(['spec', 'hostnames']), data });
  route.rules.forEach((rule, i) => {
    if (rule.filters !== undefined && rule.filters.length > 0)
      ctx.report(outbound ? 'outbound-filters' : 'filters', {
        at: at(['spec', 'rules', i, 'filters']),
        data,
      });
    if (rule.timeouts !== undefined)
      ctx.report('timeouts', { at: at(['spec', 'rules', i, 'timeouts']) });
    (rule.backendRefs ?? []).forEach((b, j) => {
      if (b.filters !== undefined && b.filters.length > 0)
        ctx.report('outbound-filters', {
          at: at(['spec', 'rules', i, 'backendRefs', j, 'filters']),
          data,
        });
    });
  });
  for (const key of Object.keys(route.annotations)) {
    if (RETRY.test(key)) ctx.report('retries', { at: at(['metadata', 'annotations', key]) });
    else if (TIMEOUT.test(key))
      ctx.report('timeouts', { at: at(['metadata', 'annotations', key]) });
  }
}

/**
 * An HTTPRoute with Service parents as splits. The weighted rule is the split; its matches (when
 * it has any) select the requests that are split, and a rule for every other request that
 * leaves them on the Service is SMI's fallback. Rules routing matched requests to other backend
 * lists cannot be carried (reported), nor can failing unmatched requests.
 */
export function httpRouteSplits(
  route: HttpRouteRecord,
  spaces: readonly RuleSpace[],
  ctx: Ctx,
): SplitDefinition[] {
  const out: SplitDefinition[] = [];
  for (const parent of serviceParents(route, ctx)) {
    const rules = route.rules.map((rule, i) => ({
      index: i,
      space: spaces[i]?.space ?? 'all',
      refs: rule.backendRefs,
      toParent: toParent(rule.backendRefs, route, parent),
    }));
    const weighted = rules.filter((r) => !r.toParent);
    const chosen = weighted.find((r) => r.space === 'all') ?? weighted[0];
    if (chosen === undefined) continue;
    const same = (r: (typeof rules)[number]) =>
      JSON.stringify(r.refs?.map((b) => [b.name, b.namespace, b.port, b.weight])) ===
      JSON.stringify(chosen.refs?.map((b) => [b.name, b.namespace, b.port, b.weight]));
    const data = {
      kind: 'HTTPRoute',
      route: `${route.namespace}/${route.name}`,
      service: parent.name,
    };
    const differing = rules.find((r) =>
      chosen.space === 'all'
        ? r !== chosen && r.space !== 'all' && !same(r)
        : !r.toParent && !same(r),
    );
    if (differing !== undefined)
      ctx.report('split-rules', {
        at: { manifest: route.manifest, field: ['spec', 'rules', differing.index] },
        data,
      });
    let matches: HttpMatchNode[] | undefined;
    if (chosen.space !== 'all') {
      matches = rules
        .filter((r) => !r.toParent && same(r))
        .flatMap((r) => (r.space === 'all' ? [] : r.space));
      const fallback = rules.some((r) => r.toParent && r.space === 'all');
      if (!fallback)
        ctx.report('unmatched-fail', {
          at: { manifest: route.manifest, field: ['spec', 'rules'] },
          data: { route: data.route },
        });
    }
    out.push({
      manifest: route.manifest,
      kind: 'HTTPRoute',
      name: route.name,
      namespace: route.namespace,
      service: parent.name,
      ports: parent.port === undefined ? 'all' : [parent.port],
      backends: splitBackends(
        chosen.refs ?? [],
        ['spec', 'rules', chosen.index, 'backendRefs'],
        route,
        parent,
        ctx,
      ),
      ...(matches !== undefined && { matches }),
    });
  }
  return out;
}
