import {
  checkRe2,
  classifyPath,
  escapeRegexLiteral,
  literalOfRegex,
  pathRegexFor,
  type HeaderMatchNode,
  type HttpMatchNode,
} from '@meshlingo/core';
import type { HeaderMatchSpec, PathMatchSpec } from './native.js';

/** App Mesh limits on route matches (CRD `maxItems`/`maxLength`). */
const MAX_HEADERS = 10;
const MAX_HEADER_NAME = 50;
const MAX_VALUE = 255;

/** A conversion result: the App Mesh form, or why there is none. */
export type Converted<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const WRAPPED = /^\(\?:([\s\S]*)\)\.\*$/;

/**
 * The App Mesh path match for an SMI pathRegex (RE2, anchored at the start of the path): none or
 * a literal prefix gives `prefix`, a literal path ending in `$` gives `path.exact`, anything else
 * gives `path.regex: (?:R).*`, which as a full match (App Mesh matches regexes against the whole
 * path, as Envoy's safe_regex does) accepts exactly the paths R accepts from the start.
 */
export function toPathMatch(pathRegex: string | undefined): Converted<PathMatchSpec> {
  if (pathRegex === undefined) return { ok: true, value: { prefix: '/' } };
  const shape = classifyPath(pathRegex);
  if (shape.kind === 'exact' && shape.path !== '' && shape.path.length <= MAX_VALUE)
    return { ok: true, value: { path: { exact: shape.path } } };
  if (shape.kind === 'prefix' && shape.prefix === '') return { ok: true, value: { prefix: '/' } };
  if (shape.kind === 'prefix' && shape.prefix.startsWith('/'))
    return { ok: true, value: { prefix: shape.prefix } };
  const regex = `(?:${pathRegex}).*`;
  if (regex.length > MAX_VALUE)
    return { ok: false, reason: `the path regex is longer than ${MAX_VALUE} characters` };
  return { ok: true, value: { path: { regex } } };
}

/**
 * The SMI pathRegex for an App Mesh path match (the inverse of {@link toPathMatch}); undefined
 * for `prefix: /`, which matches every path.
 */
export function fromPathMatch(
  match: { readonly prefix: string } | { readonly exact: string } | { readonly regex: string },
): string | undefined {
  if ('prefix' in match)
    return match.prefix === '/'
      ? undefined
      : pathRegexFor({ kind: 'prefix', prefix: match.prefix });
  if ('exact' in match) return pathRegexFor({ kind: 'exact', path: match.exact });
  const inner = WRAPPED.exec(match.regex)?.[1];
  if (inner !== undefined && checkRe2(inner) === undefined) return inner;
  return `(?:${match.regex})$`;
}

/**
 * App Mesh header matches for SMI header conditions (values are RE2 regexes matching the whole
 * value): a literal value becomes `exact`, anything else `regex`.
 */
export function toHeaderMatches(headers: readonly HeaderMatchNode[]): Converted<HeaderMatchSpec[]> {
  if (headers.length > MAX_HEADERS)
    return {
      ok: false,
      reason: `it has ${headers.length} headers; App Mesh allows ${MAX_HEADERS}`,
    };
  const out: HeaderMatchSpec[] = [];
  for (const h of headers) {
    if (h.name.length > MAX_HEADER_NAME)
      return { ok: false, reason: `header name ${h.name} is longer than ${MAX_HEADER_NAME}` };
    const literal = literalOfRegex(h.value);
    const match =
      literal !== undefined && literal !== ''
        ? { exact: literal }
        : { regex: h.value === '' ? '^$' : h.value };
    const text = 'exact' in match ? match.exact : match.regex;
    if (text.length > MAX_VALUE)
      return { ok: false, reason: `the value of header ${h.name} is longer than ${MAX_VALUE}` };
    out.push({ name: h.name, match });
  }
  return { ok: true, value: out };
}

/** A header (or gRPC metadata) condition as App Mesh writes it, read back. */
export type HeaderCondition =
  | { readonly kind: 'exact' | 'prefix' | 'suffix' | 'regex'; readonly value: string }
  | { readonly kind: 'present' };

/** The SMI header value (a full-match RE2 regex) for an App Mesh header condition. */
export function fromHeaderCondition(condition: HeaderCondition): string {
  switch (condition.kind) {
    case 'exact':
      return escapeRegexLiteral(condition.value);
    case 'prefix':
      return `${escapeRegexLiteral(condition.value)}.*`;
    case 'suffix':
      return `.*${escapeRegexLiteral(condition.value)}`;
    case 'regex':
      return condition.value;
    case 'present':
      return '.*';
  }
}

/** The methods an SMI match fans out to: one route per method, or one without a method. */
export function routeMethods(match: HttpMatchNode): readonly (string | undefined)[] {
  const methods = match.methods;
  if (methods === undefined || methods.length === 0 || methods.includes('*')) return [undefined];
  return methods;
}
