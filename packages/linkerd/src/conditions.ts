import {
  classifyPath,
  escapeRegexLiteral,
  literalOfRegex,
  matchesFully,
  matchesPathRegex,
  type HttpMatchNode,
} from '@meshlingo/core';
import { headerRegexToLinkerd, literalPrefix, pathRegexToLinkerd } from './regex.js';

/**
 * One Linkerd HTTPRoute match in SMI terms: a path condition (exact path, literal prefix, or an
 * SMI start-anchored regex), at most one method and header conditions. The emitter plans routes
 * with these: it decides containment and intersection of matches, because Linkerd sends every
 * request to one route only and authorizes it there.
 */
export interface Cond {
  readonly path?: PathCond;
  readonly method?: string;
  /** Sorted by lower-case name; names are unique. */
  readonly headers: readonly HeaderCond[];
}

/** A path condition in SMI semantics. */
export type PathCond =
  | { readonly kind: 'exact'; readonly path: string }
  /** Paths starting with this text (character-wise, as SMI's start anchor means). */
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'regex'; readonly pattern: string };

/** A header condition: the value must equal `value` (exact) or fully match it (regex). */
export interface HeaderCond {
  readonly name: string;
  readonly key: string;
  readonly kind: 'exact' | 'regex';
  readonly value: string;
}

/** A native HTTPRoute match as written. */
export interface NativeMatch {
  readonly path?: { readonly type: string; readonly value: string };
  readonly method?: string;
  readonly headers?: readonly {
    readonly name: string;
    readonly type: string;
    readonly value: string;
  }[];
}

/**
 * The conditions of one SMI match: one per method (Linkerd matches take a single method). Header
 * names are unique: SMI validation rejects a match that tests one twice.
 */
export function condsOfMatch(match: HttpMatchNode): Cond[] {
  let path: PathCond | undefined;
  if (match.pathRegex !== undefined) {
    const shape = classifyPath(match.pathRegex);
    if (shape.kind === 'exact') path = { kind: 'exact', path: shape.path };
    else if (shape.kind === 'prefix')
      path =
        shape.prefix === '' || shape.prefix === '/'
          ? undefined
          : { kind: 'prefix', prefix: shape.prefix };
    else path = { kind: 'regex', pattern: match.pathRegex };
  }
  const headers: HeaderCond[] = [];
  for (const h of match.headers ?? []) {
    const key = h.name.toLowerCase();
    if (headers.some((x) => x.key === key)) continue;
    const literal = literalOfRegex(h.value);
    headers.push(
      literal !== undefined && literal !== ''
        ? { name: h.name, key, kind: 'exact', value: literal }
        : { name: h.name, key, kind: 'regex', value: h.value },
    );
  }
  headers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const methods =
    match.methods === undefined || match.methods.length === 0 || match.methods.includes('*')
      ? [undefined]
      : [...match.methods];
  return methods.map((method) => ({
    ...(path !== undefined && { path }),
    ...(method !== undefined && { method }),
    headers,
  }));
}

/** The HTTPRoute match that carries a condition exactly. */
export function nativeMatchOf(cond: Cond): NativeMatch {
  const path = cond.path;
  const nativePath =
    path === undefined
      ? undefined
      : path.kind === 'exact'
        ? { type: 'Exact', value: path.path }
        : {
            type: 'RegularExpression',
            value:
              path.kind === 'prefix'
                ? `${escapeRegexLiteral(path.prefix)}.*`
                : pathRegexToLinkerd(path.pattern),
          };
  const out: NativeMatch = {
    ...(nativePath !== undefined && { path: nativePath }),
    ...(cond.method !== undefined && { method: cond.method }),
    ...(cond.headers.length > 0 && {
      headers: cond.headers.map((h) => ({
        name: h.name,
        type: h.kind === 'exact' ? 'Exact' : 'RegularExpression',
        value: h.kind === 'exact' ? h.value : headerRegexToLinkerd(h.value),
      })),
    }),
  };
  // An empty match is written as the CRD default it means, so the output reads plainly.
  return Object.keys(out).length === 0 ? { path: { type: 'PathPrefix', value: '/' } } : out;
}

/** A stable key for a condition. */
export function condKey(cond: Cond): string {
  return JSON.stringify([
    cond.path ?? null,
    cond.method ?? null,
    cond.headers.map((h) => [h.key, h.kind, h.value]),
  ]);
}

function pathPrefixOf(path: PathCond): string {
  return path.kind === 'exact'
    ? path.path
    : path.kind === 'prefix'
      ? path.prefix
      : literalPrefix(path.pattern);
}

function pathContains(a: PathCond | undefined, b: PathCond | undefined): boolean {
  if (a === undefined) return true;
  if (b === undefined) return false;
  switch (a.kind) {
    case 'exact':
      return b.kind === 'exact' && b.path === a.path;
    case 'prefix':
      return pathPrefixOf(b).startsWith(a.prefix);
    case 'regex':
      return (
        (b.kind === 'regex' && b.pattern === a.pattern) ||
        (b.kind === 'exact' && matchesPathRegex(a.pattern, b.path))
      );
  }
}

function headerContains(a: HeaderCond, b: HeaderCond | undefined): boolean {
  if (b === undefined) return false;
  if (a.kind === b.kind && a.value === b.value) return true;
  return a.kind === 'regex' && b.kind === 'exact' && matchesFully(a.value, b.value);
}

/** True when every request matching `b` matches `a` (decided on the conditions' text; may say false for equal sets). */
export function condContains(a: Cond, b: Cond): boolean {
  if (!pathContains(a.path, b.path)) return false;
  if (a.method !== undefined && a.method !== b.method) return false;
  return a.headers.every((h) =>
    headerContains(
      h,
      b.headers.find((x) => x.key === h.key),
    ),
  );
}

/** The intersection of two conditions, `empty` when no request matches both, `unknown` when it cannot be written as one match. */
export function condIntersection(a: Cond, b: Cond): Cond | 'empty' | 'unknown' {
  let path: PathCond | undefined;
  if (pathContains(a.path, b.path)) path = b.path;
  else if (pathContains(b.path, a.path)) path = a.path;
  else if (a.path?.kind === 'exact' || b.path?.kind === 'exact') return 'empty';
  else {
    const x = a.path === undefined ? '' : pathPrefixOf(a.path);
    const y = b.path === undefined ? '' : pathPrefixOf(b.path);
    if (!x.startsWith(y) && !y.startsWith(x)) return 'empty';
    return 'unknown';
  }
  if (a.method !== undefined && b.method !== undefined && a.method !== b.method) return 'empty';
  const method = a.method ?? b.method;
  const headers = new Map<string, HeaderCond>();
  for (const h of a.headers) headers.set(h.key, h);
  let unknown = false;
  for (const h of b.headers) {
    const other = headers.get(h.key);
    if (other === undefined || headerContains(h, other)) {
      if (other === undefined) headers.set(h.key, h);
    } else if (headerContains(other, h)) {
      headers.set(h.key, h);
    } else if (h.kind === 'exact' || other.kind === 'exact') {
      return 'empty';
    } else {
      unknown = true;
    }
  }
  if (unknown) return 'unknown';
  return {
    ...(path !== undefined && { path }),
    ...(method !== undefined && { method }),
    headers: [...headers.values()].sort((p, q) => (p.key < q.key ? -1 : p.key > q.key ? 1 : 0)),
  };
}

function rank(cond: Cond): number[] {
  const path = cond.path;
  const pathScore =
    path === undefined ? 0 : path.kind === 'exact' ? 3 : path.kind === 'regex' ? 2 : 1;
  return [
    pathScore,
    path === undefined ? 0 : pathPrefixOf(path).length,
    cond.method === undefined ? 0 : 1,
    cond.headers.length,
    cond.headers.filter((h) => h.kind === 'exact').length,
  ];
}

/**
 * Orders conditions so that a contained condition comes before every condition containing it:
 * Linkerd breaks precedence ties by order, and the more specific route carries the wider
 * authorization set.
 */
export function compareConds(a: Cond, b: Cond): number {
  const x = rank(a);
  const y = rank(b);
  for (let i = 0; i < x.length; i++) {
    const d = (y[i] ?? 0) - (x[i] ?? 0);
    if (d !== 0) return d;
  }
  const ka = condKey(a);
  const kb = condKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function minPathLength(path: PathCond): number {
  return Math.max(1, path.kind === 'exact' ? path.path.length : pathPrefixOf(path).length);
}

/**
 * True when Linkerd prefers `a` over `b` for every request matching both (linkerd2-proxy
 * `RequestMatch` order: path length, then method, then header count): a path of at least two
 * characters beats no path (counted as one), and with equal paths a method beats none, then more
 * headers win.
 */
export function dominates(a: Cond, b: Cond): boolean {
  if (a.path !== undefined && b.path === undefined) {
    if (minPathLength(a.path) > 1) return true;
  } else if (a.path === undefined && b.path !== undefined) {
    return false;
  }
  if (a.method !== undefined && b.method === undefined) return true;
  if (a.method === undefined && b.method !== undefined) return false;
  return a.headers.length > b.headers.length;
}
