import {
  checkRe2,
  classifyPath,
  escapeRegexLiteral,
  type HeaderMatchNode,
  type HttpMethod,
  type Origin,
} from '@meshlingo/core';
import { GATEWAY_METHODS } from '../emit/matches.js';
import { startAnchoredFor } from '../regex-text.js';
import type { ManifestReader, Path } from './reader.js';

/** An SMI match read from a route match; names and group are settled later. */
export interface MatchDraft {
  readonly group?: string;
  readonly name?: string;
  readonly pathRegex?: string;
  readonly methods?: readonly HttpMethod[];
  readonly headers?: readonly HeaderMatchNode[];
  readonly origin: Origin;
}

/**
 * What a route match became: an SMI match; `all` when it has no condition at all (it takes
 * every request); `dropped` when it cannot be read (reported).
 */
export type MatchRead =
  | { readonly kind: 'match'; readonly draft: MatchDraft }
  | { readonly kind: 'all'; readonly regex: boolean }
  | { readonly kind: 'dropped' };

/** A start-anchored SMI pathRegex, or undefined when it matches every path. */
function everyPathAsUndefined(pathRegex: string): string | undefined {
  const shape = classifyPath(pathRegex);
  return shape.kind === 'prefix' && (shape.prefix === '' || shape.prefix === '/')
    ? undefined
    : pathRegex;
}

/** Checks a regex is RE2 (what SMI regexes are); reports and returns false otherwise. */
function re2(r: ManifestReader, pattern: string, path: Path): boolean {
  const problem = checkRe2(pattern);
  if (problem === undefined) return true;
  r.report('invalid-regex', path, { field: r.fieldName(path), reason: problem });
  return false;
}

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * An HTTPRoute path match as an SMI pathRegex (start-anchored): `Exact /x` is `/x$`,
 * `PathPrefix /x` is `/x(/.*)?$` (whole segments; a trailing `/` is ignored), `PathPrefix /` is
 * every path, and a full-match `RegularExpression R` is the start-anchored regex for the same
 * paths.
 */
function readPath(
  r: ManifestReader,
  value: unknown,
  path: Path,
): Read<{ pathRegex: string | undefined; regex: boolean }> {
  let type: string | undefined = 'PathPrefix';
  let text: string | undefined = '/';
  const ok = r.fields(value, path, {
    type: (v, p) => {
      type = r.oneOf(v, p, ['Exact', 'PathPrefix', 'RegularExpression']);
    },
    value: (v, p) => {
      text = r.string(v, p);
    },
  });
  if (!ok || type === undefined || text === undefined) return { ok: false };
  const pattern: string = text;
  switch (type) {
    case 'Exact':
      return { ok: true, value: { pathRegex: `${escapeRegexLiteral(pattern)}$`, regex: false } };
    case 'PathPrefix': {
      const prefix = pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
      const pathRegex = prefix === '' ? undefined : `${escapeRegexLiteral(prefix)}(/.*)?$`;
      return { ok: true, value: { pathRegex, regex: false } };
    }
    default:
      if (!re2(r, pattern, [...path, 'value'])) return { ok: false };
      return {
        ok: true,
        value: { pathRegex: everyPathAsUndefined(startAnchoredFor(pattern)), regex: true },
      };
  }
}

/**
 * Header matches as SMI headers (RE2 full matches): `Exact` values are escaped literals.
 * Gateway API uses only the first match of a header name, so later ones are left out.
 */
function readHeaders(r: ManifestReader, value: unknown, path: Path): Read<HeaderMatchNode[]> {
  const headers: HeaderMatchNode[] = [];
  let ok = true;
  r.list(value, path).forEach((entry, i) => {
    const at = [...path, i];
    let type: string | undefined = 'Exact';
    let name: string | undefined;
    let text: string | undefined;
    const read = r.fields(entry, at, {
      type: (v, p) => {
        type = r.oneOf(v, p, ['Exact', 'RegularExpression']);
      },
      name: (v, p) => {
        name = r.string(v, p);
      },
      value: (v, p) => {
        text = r.string(v, p);
      },
    });
    if (!read || type === undefined || name === undefined || text === undefined) {
      if (read && (name === undefined || text === undefined))
        r.invalid(at, 'needs a name and a value');
      ok = false;
      return;
    }
    const headerName: string = name;
    if (headers.some((h) => h.name.toLowerCase() === headerName.toLowerCase())) {
      r.report('duplicate-header', at, { name: headerName });
      return;
    }
    const pattern: string = text;
    if (type === 'RegularExpression' && !re2(r, pattern, [...at, 'value'])) {
      ok = false;
      return;
    }
    headers.push({
      name: headerName,
      value: type === 'Exact' ? escapeRegexLiteral(pattern) : pattern,
    });
  });
  return ok ? { ok: true, value: headers } : { ok: false };
}

function draftOf(
  r: ManifestReader,
  path: Path,
  parts: {
    pathRegex?: string | undefined;
    method?: HttpMethod | undefined;
    headers: readonly HeaderMatchNode[];
  },
): MatchDraft {
  return {
    ...(parts.pathRegex !== undefined && { pathRegex: parts.pathRegex }),
    ...(parts.method !== undefined && { methods: [parts.method] }),
    ...(parts.headers.length > 0 && { headers: parts.headers }),
    origin: r.origin(path),
  };
}

/** One HTTPRouteMatch as an SMI match. Query parameter conditions cannot be carried (reported). */
export function readHttpMatch(r: ManifestReader, value: unknown, path: Path): MatchRead {
  let pathRegex: string | undefined;
  let regex = false;
  let method: HttpMethod | undefined;
  let headers: readonly HeaderMatchNode[] = [];
  let ok = true;
  let query = false;
  const read = r.fields(value, path, {
    path: (v, p) => {
      const result = readPath(r, v, p);
      if (result.ok) ({ pathRegex, regex } = result.value);
      else ok = false;
    },
    method: (v, p) => {
      method = r.oneOf(v, p, [...GATEWAY_METHODS] as HttpMethod[]);
      if (method === undefined) ok = false;
    },
    headers: (v, p) => {
      const result = readHeaders(r, v, p);
      if (result.ok) headers = result.value;
      else ok = false;
    },
    queryParams: (v, p) => {
      if (r.list(v, p).length === 0) return;
      query = true;
      r.report('query-params-not-supported', p);
    },
  });
  if (!read || !ok) return { kind: 'dropped' };
  if (pathRegex === undefined && method === undefined && headers.length === 0 && !query)
    return { kind: 'all', regex };
  return { kind: 'match', draft: draftOf(r, path, { pathRegex, method, headers }) };
}

/**
 * One GRPCRouteMatch as an SMI match on the call path `/<service>/<method>`: Exact parts are
 * escaped literals, RegularExpression parts RE2 groups; a missing part is any one segment.
 */
export function readGrpcMatch(r: ManifestReader, value: unknown, path: Path): MatchRead {
  let pathRegex: string | undefined;
  let headers: readonly HeaderMatchNode[] = [];
  let ok = true;
  const read = r.fields(value, path, {
    method: (v, p) => {
      let type: string | undefined = 'Exact';
      let service: string | undefined;
      let name: string | undefined;
      const fields = r.fields(v, p, {
        type: (x, q) => {
          type = r.oneOf(x, q, ['Exact', 'RegularExpression']);
        },
        service: (x, q) => {
          service = r.string(x, q);
        },
        method: (x, q) => {
          name = r.string(x, q);
        },
      });
      if (!fields || type === undefined) {
        ok = false;
        return;
      }
      const found = grpcPathRegex(r, p, type, service, name);
      if (found === null) ok = false;
      else pathRegex = found;
    },
    headers: (v, p) => {
      const result = readHeaders(r, v, p);
      if (result.ok) headers = result.value;
      else ok = false;
    },
  });
  if (!read || !ok) return { kind: 'dropped' };
  if (pathRegex === undefined && headers.length === 0) return { kind: 'all', regex: false };
  return { kind: 'match', draft: draftOf(r, path, { pathRegex, headers }) };
}

// null: a regex part is not RE2 (reported); undefined: every call.
function grpcPathRegex(
  r: ManifestReader,
  path: Path,
  type: string,
  service: string | undefined,
  method: string | undefined,
): string | undefined | null {
  const svc = service === '' ? undefined : service;
  const name = method === '' ? undefined : method;
  if (svc === undefined && name === undefined) return undefined;
  if (type === 'Exact') {
    if (name === undefined) return escapeRegexLiteral(`/${svc}/`);
    return `${svc === undefined ? '/[^/]+' : escapeRegexLiteral(`/${svc}`)}/${escapeRegexLiteral(name)}$`;
  }
  if (svc !== undefined && !re2(r, svc, [...path, 'service'])) return null;
  if (name !== undefined && !re2(r, name, [...path, 'method'])) return null;
  return `/${svc === undefined ? '[^/]+' : `(?:${svc})`}/${name === undefined ? '[^/]+' : `(?:${name})`}$`;
}
