import {
  classifyPath,
  escapeRegexLiteral,
  pathRegexFor,
  type HeaderMatchNode,
  type HttpMatchNode,
  type HttpMethod,
} from '@meshlingo/core';
import type { HeaderMatcher, HttpCriteria } from './native.js';

/**
 * SMI pathRegex semantics are "anchored at the start" while Consul's `pathRegex` must match the
 * whole path (Envoy `safe_regex`), so a general regex R is written as `(?:R).*`.
 */
function wrapPrefixRegex(pattern: string): string {
  return `(?:${pattern}).*`;
}

/** The index just past the group that opens at `start` (a `(`), or -1 when it never closes. */
function groupEnd(pattern: string, start: number): number {
  let depth = 0;
  for (let i = start; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
    } else if (c === '[') {
      // A character class: `]` right after `[` or `[^` is literal; escapes skip a character.
      i += pattern[i + 1] === '^' ? 2 : 1;
      if (pattern[i] === ']') i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      depth += 1;
    } else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** R when the pattern is exactly `(?:R).*` (one group around all of R), else undefined. */
export function unwrapPrefixRegex(pattern: string): string | undefined {
  if (!pattern.startsWith('(?:') || !pattern.endsWith(').*')) return undefined;
  return groupEnd(pattern, 0) === pattern.length - 2 ? pattern.slice(3, -3) : undefined;
}

/** The Consul path condition for an SMI pathRegex: exact, prefix, or a full-match regex. */
export function pathCriteria(
  pathRegex: string | undefined,
): Pick<HttpCriteria, 'pathExact' | 'pathPrefix' | 'pathRegex'> {
  if (pathRegex === undefined) return {};
  const shape = classifyPath(pathRegex);
  // Consul requires exact and prefix paths to start with "/"; anything else stays a regex.
  if (shape.kind === 'exact' && shape.path.startsWith('/')) return { pathExact: shape.path };
  if (shape.kind === 'prefix' && shape.prefix === '') return {};
  if (shape.kind === 'prefix' && shape.prefix.startsWith('/')) return { pathPrefix: shape.prefix };
  return { pathRegex: wrapPrefixRegex(pathRegex) };
}

/**
 * The Consul HTTP conditions of one SMI match (intention permission or route match). Methods `*`
 * or none give no method condition; header values are RE2 regexes that must match the whole
 * value in both. A match without any condition becomes `pathPrefix: /`, which every HTTP request
 * path matches, because Consul rejects an empty `http` block.
 */
export function toCriteria(match: HttpMatchNode): HttpCriteria {
  const methods =
    match.methods === undefined || match.methods.length === 0 || match.methods.includes('*')
      ? undefined
      : [...new Set(match.methods)];
  const header = (match.headers ?? []).map((h): HeaderMatcher => ({
    name: h.name,
    regex: h.value,
  }));
  const criteria: HttpCriteria = {
    ...pathCriteria(match.pathRegex),
    ...(methods !== undefined && { methods }),
    ...(header.length > 0 && { header }),
  };
  return Object.keys(criteria).length === 0 ? { pathPrefix: '/' } : criteria;
}

/** What stops a Consul condition from becoming an SMI match. */
export interface CriteriaProblem {
  readonly reason: 'header-invert';
  readonly path: readonly (string | number)[];
  readonly header: string;
}

/** An SMI match body read from Consul conditions, or the problems that prevent it. */
export type FromCriteria =
  | {
      readonly ok: true;
      readonly match: Omit<HttpMatchNode, 'name' | 'origin'>;
    }
  | { readonly ok: false; readonly problems: readonly CriteriaProblem[] };

function headerRegex(h: HeaderMatcher): string {
  const e = (v: string): string => escapeRegexLiteral(v);
  const body =
    h.regex ??
    (h.exact !== undefined
      ? e(h.exact)
      : h.prefix !== undefined
        ? `${e(h.prefix)}.*`
        : h.suffix !== undefined
          ? `.*${e(h.suffix)}`
          : h.contains !== undefined
            ? `.*${e(h.contains)}.*`
            : // `present: true`: any value, but the header must be there.
              '.*');
  return h.ignoreCase === true ? `(?i)${body}` : body;
}

/**
 * Reads Consul HTTP conditions as an SMI match: `pathExact` L is `L$` (escaped), `pathPrefix` L is
 * `L`, `pathRegex` R is `(?:R)$` (or the R of a `(?:R).*` written by meshlingo), header matchers
 * become full-match regexes (`ignoreCase` as `(?i)`), `caseInsensitive` paths get `(?i)`.
 * An inverted header condition has no SMI form.
 */
export function fromCriteria(
  criteria: HttpCriteria & { readonly caseInsensitive?: boolean },
  path: readonly (string | number)[],
): FromCriteria {
  const problems: CriteriaProblem[] = [];
  const ci = criteria.caseInsensitive === true ? '(?i)' : '';
  let pathRegex: string | undefined;
  if (criteria.pathExact !== undefined)
    pathRegex = ci + pathRegexFor({ kind: 'exact', path: criteria.pathExact });
  else if (criteria.pathPrefix !== undefined && !(criteria.pathPrefix === '/' && ci === ''))
    pathRegex = ci + pathRegexFor({ kind: 'prefix', prefix: criteria.pathPrefix });
  else if (criteria.pathRegex !== undefined)
    pathRegex = unwrapPrefixRegex(criteria.pathRegex) ?? `(?:${criteria.pathRegex})$`;
  const headers: HeaderMatchNode[] = [];
  (criteria.header ?? []).forEach((h, i) => {
    if (h.invert === true)
      problems.push({ reason: 'header-invert', path: [...path, 'header', i], header: h.name });
    else headers.push({ name: h.name, value: headerRegex(h) });
  });
  if (problems.length > 0) return { ok: false, problems };
  const methods = criteria.methods as readonly HttpMethod[] | undefined;
  return {
    ok: true,
    match: {
      ...(pathRegex !== undefined && { pathRegex }),
      ...(methods !== undefined && methods.length > 0 && { methods: [...methods] }),
      ...(headers.length > 0 && { headers }),
    },
  };
}

/** Same conditions, compared by value (for de-duplication). */
export function criteriaKey(criteria: HttpCriteria): string {
  return JSON.stringify([
    criteria.pathExact ?? null,
    criteria.pathPrefix ?? null,
    criteria.pathRegex ?? null,
    criteria.methods ?? null,
    criteria.header ?? null,
  ]);
}

/** One RE2 character that is not `c` (inside a class, `\`, `]`, `^` and `-` are escaped). */
function notChar(c: string): string {
  return `[^${c.replace(/[\\\]^-]/g, '\\$&')}]`;
}

/**
 * A full-match RE2 pattern for every string except `literal` (`exact`) or except those starting
 * with `literal` (`prefix`), built character by character: a string differs at its first char,
 * or shares it and differs after it (research/consul.md 5.2, the literal-prefix complement).
 */
export function complementPattern(literal: string, kind: 'exact' | 'prefix'): string {
  let tail = kind === 'exact' ? '.+' : '';
  for (const c of [...literal].reverse()) {
    const same = tail === '' ? '' : `|${escapeRegexLiteral(c)}${tail}`;
    tail = `(?:${notChar(c)}.*${same})?`;
  }
  return tail;
}

/** What subtracting a deny permission left: the allow conditions, and whether that is exact. */
export interface Subtraction {
  readonly branches: readonly Omit<HttpMatchNode, 'name' | 'origin'>[];
  readonly exact: boolean;
}

/**
 * An allow that follows a deny allows "the allow and not the deny". Not-the-deny is "another path
 * or another method", so the allow splits into an SMI match with a complement path regex (for an
 * exact or prefix path, when the allow has no path of its own) and one with the remaining methods.
 * Header conditions and regex paths of the deny have no complement in SMI: those branches are
 * missing and the result is not exact.
 */
export function subtractDeny(
  allow: Omit<HttpMatchNode, 'name' | 'origin'>,
  deny: HttpCriteria,
  methods: readonly HttpMethod[],
): Subtraction {
  const branches: Omit<HttpMatchNode, 'name' | 'origin'>[] = [];
  let exact = (deny.header ?? []).length === 0 && deny.pathRegex === undefined;
  const path =
    deny.pathExact !== undefined
      ? complementPattern(deny.pathExact, 'exact')
      : deny.pathPrefix !== undefined
        ? complementPattern(deny.pathPrefix, 'prefix')
        : undefined;
  if (path !== undefined) {
    if (allow.pathRegex === undefined) branches.push({ ...allow, pathRegex: `(?s:${path})$` });
    else exact = false;
  }
  if (deny.methods !== undefined && deny.methods.length > 0) {
    const allowed =
      allow.methods === undefined || allow.methods.includes('*') ? methods : allow.methods;
    const rest = allowed.filter((m) => !(deny.methods ?? []).includes(m));
    if (rest.length > 0) branches.push({ ...allow, methods: rest });
  }
  return { branches, exact };
}
