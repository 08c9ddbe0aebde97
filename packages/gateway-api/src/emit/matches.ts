import {
  classifyPath,
  HTTP_METHODS,
  literalOfRegex,
  escapeRegexLiteral,
  type HeaderMatchNode,
  type HttpMethod,
} from '@meshlingo/core';
import { fullMatchFor } from '../regex-text.js';
import type { GRPCRouteMatch, HTTPPathMatch, HTTPRouteMatch, HeaderMatch } from '../types.js';

/** The parts of an SMI HTTPRouteGroup match that routes carry (a model node or an annotation entry). */
export interface SmiMatchSpec {
  readonly name: string;
  readonly pathRegex?: string;
  readonly methods?: readonly HttpMethod[];
  readonly headers?: readonly HeaderMatchNode[];
}

/** Why a match cannot be written, the field at fault, and the match without that condition. */
export interface MatchProblem {
  readonly reason: string;
  readonly field: readonly (string | number)[];
  readonly without: SmiMatchSpec;
}

// CRD limits: header names are HTTP tokens of at most 256 characters, header values at most
// 4096 characters, path values at most 1024.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const MAX_HEADER_NAME = 256;
const MAX_HEADER_VALUE = 4096;
const MAX_PATH = 1024;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const GRPC_SERVICE = /^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$/i;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;

/** The HTTP methods Gateway API matches on (every SMI method but `*`). */
export const GATEWAY_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS.filter((m) => m !== '*'));

/** What the HTTPRoute CEL rules accept as an Exact or PathPrefix value. */
export function isValidPathValue(value: string): boolean {
  return (
    value.startsWith('/') &&
    value.length <= MAX_PATH &&
    PATH_CHARS.test(value) &&
    !['//', '/./', '/../', '%2f', '%2F', '#'].some((bad) => value.includes(bad)) &&
    !value.endsWith('/.') &&
    !value.endsWith('/..')
  );
}

/** The conditions of a match that a route cannot carry; empty when it can be written. */
export function matchProblems(match: SmiMatchSpec): MatchProblem[] {
  const problems: MatchProblem[] = [];
  const headers = match.headers ?? [];
  headers.forEach((h, i) => {
    const reason = !HEADER_NAME.test(h.name)
      ? `header name "${h.name}" is not an HTTP token`
      : h.name.length > MAX_HEADER_NAME
        ? `header name "${h.name}" is longer than ${MAX_HEADER_NAME} characters`
        : h.value.length > MAX_HEADER_VALUE
          ? `the value of header ${h.name} is longer than ${MAX_HEADER_VALUE} characters`
          : undefined;
    if (reason === undefined) return;
    const rest = headers.filter((_, j) => j !== i);
    const { headers: _dropped, ...others } = match;
    problems.push({
      reason,
      field: ['headers'],
      without: rest.length > 0 ? { ...others, headers: rest } : others,
    });
  });
  const path = pathMatchFor(match.pathRegex);
  if (path !== undefined && path.value.length > MAX_PATH) {
    const { pathRegex: _dropped, ...others } = match;
    problems.push({
      reason: `the path pattern is longer than ${MAX_PATH} characters`,
      field: ['pathRegex'],
      without: others,
    });
  }
  return problems;
}

/**
 * The path match for an SMI pathRegex: a literal path is `Exact` (when the CEL rules accept
 * it), `/` and the empty prefix match every path (no path match), anything else is a
 * full-match `RegularExpression` accepting the same paths. SMI prefixes are never written as
 * PathPrefix: PathPrefix compares whole segments (`/api` does not match `/apix`).
 */
export function pathMatchFor(pathRegex: string | undefined): HTTPPathMatch | undefined {
  if (pathRegex === undefined) return undefined;
  const shape = classifyPath(pathRegex);
  if (shape.kind === 'prefix' && (shape.prefix === '' || shape.prefix === '/')) return undefined;
  if (shape.kind === 'exact')
    return isValidPathValue(shape.path)
      ? { type: 'Exact', value: shape.path }
      : { type: 'RegularExpression', value: escapeRegexLiteral(shape.path) };
  return { type: 'RegularExpression', value: fullMatchFor(pathRegex) };
}

/** SMI header values are RE2 full matches: literals become `Exact`, the rest `RegularExpression`. */
export function headerMatchFor(header: HeaderMatchNode): HeaderMatch {
  const literal = literalOfRegex(header.value);
  return literal === undefined
    ? { type: 'RegularExpression', name: header.name, value: header.value }
    : { type: 'Exact', name: header.name, value: literal };
}

/** The methods of a match, one route match each; `[undefined]` when any method matches. */
function methodsOf(match: SmiMatchSpec): (string | undefined)[] {
  const methods = match.methods ?? [];
  if (methods.length === 0 || methods.includes('*')) return [undefined];
  return [...new Set(methods)];
}

/**
 * The HTTPRouteMatches of one SMI match: one per method (Gateway API matches one method), each
 * with the path and every header (ANDed, like SMI). A match without any condition becomes an
 * explicit PathPrefix `/`.
 */
export function httpRouteMatches(match: SmiMatchSpec): HTTPRouteMatch[] {
  const path = pathMatchFor(match.pathRegex);
  const headers = (match.headers ?? []).map(headerMatchFor);
  return methodsOf(match).map((method) => {
    const out: HTTPRouteMatch = {
      ...(path !== undefined && { path }),
      ...(headers.length > 0 && { headers }),
      ...(method !== undefined && { method }),
    };
    return Object.keys(out).length > 0 ? out : { path: { type: 'PathPrefix', value: '/' } };
  });
}

/**
 * The GRPCRouteMatch of one SMI match, or why there is none: gRPC calls are POST requests to
 * `/<service>/<method>`, so a match can only restrict the method to POST, and its path must be
 * the literal path of one method (`/pkg.Svc/Get$`) or the literal prefix of one service
 * (`/pkg.Svc/`).
 */
export function grpcRouteMatch(match: SmiMatchSpec): GRPCRouteMatch | { readonly reason: string } {
  const methods = match.methods ?? [];
  if (methods.length > 0 && !methods.includes('*') && methods.some((m) => m !== 'POST'))
    return { reason: 'it allows methods other than POST' };
  const headers = (match.headers ?? []).map(headerMatchFor);
  const method = match.pathRegex === undefined ? 'any' : grpcMethodFor(match.pathRegex);
  if (method === undefined) return { reason: 'its path is not one gRPC service or method' };
  if (method === 'any') return headers.length > 0 ? { headers } : {};
  return { method, ...(headers.length > 0 && { headers }) };
}

/** The gRPC method match for a pathRegex: `any` for every path, undefined when there is none. */
function grpcMethodFor(pathRegex: string): GRPCRouteMatch['method'] | 'any' | undefined {
  const shape = classifyPath(pathRegex);
  if (shape.kind === 'regex') return undefined;
  if (shape.kind === 'prefix' && (shape.prefix === '' || shape.prefix === '/')) return 'any';
  const parts = (shape.kind === 'exact' ? shape.path : shape.prefix).split('/');
  const [lead, service = '', name = ''] = parts;
  if (parts.length !== 3 || lead !== '' || !GRPC_SERVICE.test(service)) return undefined;
  if (shape.kind === 'prefix') return name === '' ? { type: 'Exact', service } : undefined;
  return GRPC_METHOD.test(name) ? { type: 'Exact', service, method: name } : undefined;
}
