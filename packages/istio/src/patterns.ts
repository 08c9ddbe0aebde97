import { compileRe2, escapeRegexLiteral, matchesFully } from '@meshlingo/core';
import {
  expandRegex,
  literalPrefix,
  topLevelBranches,
  type ExpandFailure,
  type Token,
} from './regex-subset.js';

/**
 * AuthorizationPolicy string patterns (istio/api `authorization_policy.proto`, pilot
 * `security/authz/matcher`): `*` alone, `prefix*`, `*suffix`, exact text, and (paths only, Istio
 * 1.22+) URI templates with `{*}` (one segment) and `{**}` (any number of segments, the last
 * operator). No regex. This module compiles SMI regexes into them, reads them back as SMI
 * regexes, and matches them the way Envoy does.
 */

/** Why a branch of an SMI regex has no pattern form. */
export type PatternFailure =
  | ExpandFailure
  /** `.*x.*`: "contains" has no pattern. */
  | 'contains'
  /** A segment template (`[^/]+`) is needed but the Istio version predates them. */
  | 'needs-templates'
  /** The shape needs a regex (a single open character, a segment inside a longer text, ...). */
  | 'shape'
  /** A literal `*`, `{` or `}` would be read as a wildcard or template. */
  | 'wildcard-literal'
  /** An empty value, which Istio rejects. */
  | 'empty';

/** A branch of an SMI regex that has no pattern form. */
export interface UnrepresentableBranch {
  /** The branch as written. */
  readonly source: string;
  readonly reason: PatternFailure;
  /** The broader pattern `onUnrepresentable: widen` uses: its literal prefix, or `*` (anything). */
  readonly widened: string;
}

/** The patterns an SMI regex compiles to. */
export interface CompiledPatterns {
  /** Patterns matching exactly what the representable branches match. */
  readonly patterns: readonly string[];
  /** Some representable branch matches every value: no restriction is needed. */
  readonly any: boolean;
  readonly unrepresentable: readonly UnrepresentableBranch[];
}

/** Characters Envoy accepts in a URI template literal (RFC 3986 pchar without `*`). */
const TEMPLATE_LITERAL = /^[A-Za-z0-9\-._~%!$&'()+,;:@=]+$/;
/** Envoy's regex for `{*}` and `{**}` (source/extensions/path/uri_template_lib). */
const SEGMENT_CHARS = "[A-Za-z0-9\\-._~%!$&'()+,;:@=]";

function hasWildcardText(s: string): boolean {
  return s.includes('*');
}

/** A pattern, or why there is none. */
type PatternResult = { readonly pattern: string } | { readonly failure: PatternFailure };

const ok = (pattern: string): PatternResult => ({ pattern });
const no = (failure: PatternFailure): PatternResult => ({ failure });

/** One token sequence (full-match semantics) as a path pattern, or why not. */
function pathPattern(tokens: readonly Token[], templates: boolean): PatternResult {
  const [a, b, c] = tokens;
  if (tokens.length === 1 && a?.k === 'star') return ok('*');
  if (tokens.some((t) => t.k === 'lit' && hasWildcardText(t.s))) return no('wildcard-literal');
  if (tokens.length === 0) return no('empty');
  if (tokens.length === 1 && a?.k === 'lit') return ok(a.s);
  if (tokens.length === 2 && a?.k === 'lit' && b?.k === 'star') return ok(`${a.s}*`);
  if (tokens.length === 2 && a?.k === 'star' && b?.k === 'lit') return ok(`*${b.s}`);
  if (tokens.length === 3 && a?.k === 'star' && b?.k === 'lit' && c?.k === 'star')
    return no('contains');
  return templatePattern(tokens, templates);
}

/**
 * A URI template for tokens made of literal segments, whole-segment `[^/]+` (`{*}`) and at most
 * one whole-segment `.*` (`{**}`) after which no operator comes.
 */
function templatePattern(tokens: readonly Token[], templates: boolean): PatternResult {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.k === 'lit') {
      if (token.s.includes('{') || token.s.includes('}')) return no('wildcard-literal');
      out += token.s;
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const wholeSegment =
      prev?.k === 'lit' &&
      prev.s.endsWith('/') &&
      (next === undefined || (next.k === 'lit' && next.s.startsWith('/')));
    if (!wholeSegment) return no('shape');
    if (token.k === 'seg') out += '{*}';
    else if (token.k === 'star') out += '{**}';
    else return no('shape');
  }
  if (!isPathTemplate(out) || !validPathTemplate(out)) return no('shape');
  return templates ? ok(out) : no('needs-templates');
}

/** One token sequence (full-match) as a header value pattern, or why not. */
function headerPattern(tokens: readonly Token[]): PatternResult {
  const [a, b] = tokens;
  if (tokens.length === 1 && a?.k === 'star') return ok('*');
  if (tokens.some((t) => t.k === 'lit' && hasWildcardText(t.s))) return no('wildcard-literal');
  if (tokens.length === 0) return no('empty');
  if (tokens.length === 1 && a?.k === 'lit') return ok(a.s);
  if (tokens.length === 2 && a?.k === 'lit' && b?.k === 'star') return ok(`${a.s}*`);
  if (tokens.length === 2 && a?.k === 'star' && b?.k === 'lit') return ok(`*${b.s}`);
  if (tokens.length === 3 && a?.k === 'star' && b?.k === 'lit' && tokens[2]?.k === 'star')
    return no('contains');
  return no('shape');
}

function widenedPrefix(branch: string): string {
  const prefix = literalPrefix(branch).split('*')[0] ?? '';
  return `${prefix}*`;
}

function compile(
  regex: string,
  anchored: 'start' | 'full',
  toPattern: (tokens: readonly Token[]) => PatternResult,
): CompiledPatterns {
  const patterns: string[] = [];
  const unrepresentable: UnrepresentableBranch[] = [];
  for (const branch of topLevelBranches(regex)) {
    const expanded = expandRegex(branch);
    const fail = (reason: PatternFailure): void => {
      unrepresentable.push({ source: branch, reason, widened: widenedPrefix(branch) });
    };
    if (!expanded.ok) {
      fail(expanded.reason);
      continue;
    }
    const found: string[] = [];
    let failure: PatternFailure | undefined;
    for (const seq of expanded.seqs) {
      const tokens: Token[] =
        anchored === 'start' && !seq.end
          ? seq.tokens.at(-1)?.k === 'star'
            ? seq.tokens
            : [...seq.tokens, { k: 'star' }]
          : seq.tokens;
      const result = toPattern(tokens);
      if ('pattern' in result) found.push(result.pattern);
      else if (result.failure === 'empty' && anchored === 'start')
        continue; // `^$` never matches a path
      else {
        failure = result.failure;
        break;
      }
    }
    if (failure !== undefined) fail(failure);
    else patterns.push(...found);
  }
  return { patterns: [...new Set(patterns)], any: false, unrepresentable };
}

/**
 * Compiles an SMI `pathRegex` (RE2, anchored at the start of the path) into AuthorizationPolicy
 * `paths` patterns. Finite alternations expand into several patterns; `[^/]+` segments and
 * segment-wide `.*` become `{*}` / `{**}` templates when `templates` is true (Istio 1.22+).
 */
export function compilePathRegex(pathRegex: string, templates: boolean): CompiledPatterns {
  const compiled = compile(pathRegex, 'start', (tokens) => pathPattern(tokens, templates));
  // Every request has a path, so `*` (any non-empty value) is no restriction at all.
  return compiled.patterns.includes('*') ? { ...compiled, patterns: [], any: true } : compiled;
}

/**
 * Compiles an SMI header value (RE2 matching the whole value) into `when` values for
 * `request.headers[...]`: exact, `prefix*`, `*suffix` or `*` (present).
 */
export function compileHeaderRegex(value: string): CompiledPatterns {
  return compile(value, 'full', headerPattern);
}

/**
 * The SMI `pathRegex` (start-anchored) of an AuthorizationPolicy path pattern; undefined means
 * any path. `/x` gives `/x$`, `/x*` gives `/x`, `*x` gives `.*x$`, templates give `[^/]+` / `.*`.
 */
export function pathRegexOfPattern(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  if (pattern.includes('{*}') || pattern.includes('{**}')) {
    const body = pattern
      .split(/(\{\*\*\}|\{\*\})/)
      .map((part) => (part === '{**}' ? '.*' : part === '{*}' ? '[^/]+' : escapeRegexLiteral(part)))
      .join('');
    return body.endsWith('.*') ? body.slice(0, -2) : `${body}$`;
  }
  if (pattern.endsWith('*')) return escapeRegexLiteral(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return `.*${escapeRegexLiteral(pattern.slice(1))}$`;
  return `${escapeRegexLiteral(pattern)}$`;
}

/** The SMI header value regex (whole-value match) of a `when` value pattern. */
export function headerRegexOfPattern(pattern: string): string {
  if (pattern === '*') return '.*';
  if (pattern.endsWith('*')) return `${escapeRegexLiteral(pattern.slice(0, -1))}.*`;
  if (pattern.startsWith('*')) return `.*${escapeRegexLiteral(pattern.slice(1))}`;
  return escapeRegexLiteral(pattern);
}

/** Whether a value is a URI template Istio accepts in `paths`. */
export function isPathTemplate(pattern: string): boolean {
  return pattern.includes('{*}') || pattern.includes('{**}');
}

/** Whether a path template is well formed: operators fill whole segments, `{**}` is the last one. */
export function validPathTemplate(pattern: string): boolean {
  if (!pattern.startsWith('/')) return false;
  const segments = pattern.slice(1).split('/');
  let sawGlob = false;
  for (const [i, s] of segments.entries()) {
    if (s === '{*}' || s === '{**}') {
      if (sawGlob) return false;
      sawGlob = s === '{**}';
    } else if (s === '') {
      if (i !== segments.length - 1) return false;
    } else if (!TEMPLATE_LITERAL.test(s)) return false;
  }
  return true;
}

function templateRegex(pattern: string): string {
  return pattern
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) =>
      part === '{**}'
        ? `${SEGMENT_CHARS.slice(0, -1)}/]*`
        : part === '{*}'
          ? `${SEGMENT_CHARS}+`
          : escapeRegexLiteral(part),
    )
    .join('');
}

/**
 * Istio's generic string match (pilot `matcher.StringMatcher`): `*` alone matches any non-empty
 * value, a leading `*` a suffix, a trailing `*` a prefix, anything else the exact text (a `*` in
 * the middle is a literal character). `caseInsensitive` is for hosts.
 */
export function matchesPattern(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (p === '*') return v !== '';
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return v === p;
}

/** Path match: templates as Envoy's `uri_template` matcher, otherwise {@link matchesPattern}. */
export function matchesPathPattern(pattern: string, path: string): boolean {
  if (isPathTemplate(pattern)) {
    if (!validPathTemplate(pattern)) return false;
    const compiled = compileRe2(templateRegex(pattern));
    return !(compiled instanceof Error) && compiled.matches(path);
  }
  return matchesPattern(pattern, path);
}

/**
 * Header condition match (pilot `matcher.HeaderMatcher`): `*` means the header is present (even
 * empty); prefix, suffix and exact as usual. An absent header never matches.
 */
export function matchesHeaderPattern(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return true;
  return matchesPattern(pattern, value);
}

/**
 * Istio's namespace patterns (`namespaces`, `notNamespaces`): `*` may stand anywhere and matches
 * any text (pilot builds a regex over the principal's namespace).
 */
export function matchesNamespacePattern(pattern: string, namespace: string): boolean {
  return matchesFully(pattern.split('*').map(escapeRegexLiteral).join('.*'), namespace);
}
