import { checkRe2 } from '@meshlingo/core';

/**
 * Helpers for carrying RE2 patterns between SMI (paths anchored at the start, header values
 * matched whole) and Linkerd, whose proxy takes the leftmost-first match of a RegularExpression and
 * accepts it only when it spans the whole value (linkerd2-proxy `http/route` `MatchPath::Regex`,
 * `MatchHeader::Regex`).
 */

interface Scan {
  /** True when `|` occurs outside every group and character class. */
  readonly topLevelAlternation: boolean;
  /** True when a quantifier is followed by `?` (lazy). */
  readonly lazy: boolean;
}

function scan(pattern: string): Scan {
  let depth = 0;
  let topLevelAlternation = false;
  let lazy = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i += 1;
    } else if (c === '[') {
      // A `]` right after `[` or `[^` is a literal member of the class.
      i += pattern[i + 1] === '^' ? 2 : 1;
      if (pattern[i] === ']') i += 1;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      depth += 1;
    } else if (c === ')') {
      depth -= 1;
    } else if (c === '|' && depth === 0) {
      topLevelAlternation = true;
    } else if ((c === '*' || c === '+' || c === '?' || c === '}') && pattern[i + 1] === '?') {
      lazy = true;
      i += 1;
    }
  }
  return { topLevelAlternation, lazy };
}

/** True when `|` appears outside every group (so a trailing `.*` does not apply to every branch). */
export function hasTopLevelAlternation(pattern: string): boolean {
  return scan(pattern).topLevelAlternation;
}

/**
 * True when the leftmost-first match of a pattern may be shorter than a whole-value match it also
 * has (alternations and lazy quantifiers), so Linkerd's "first match spans the value" check and a
 * real full match can differ.
 */
export function prefersShortMatches(pattern: string): boolean {
  const s = scan(pattern);
  return s.lazy || pattern.includes('|');
}

/**
 * True when the pattern ends with an unescaped greedy `.*` that applies to the whole pattern: its
 * first match at the start always runs to the end of the value, so start-anchored and
 * whole-value semantics agree.
 */
export function endsWithGreedyAny(pattern: string): boolean {
  if (!pattern.endsWith('.*') || pattern.endsWith('.*?')) return false;
  let slashes = 0;
  for (let i = pattern.length - 3; i >= 0 && pattern[i] === '\\'; i--) slashes += 1;
  if (slashes % 2 === 1) return false;
  // `[.*` or `[a.*` would be an unterminated class; a valid pattern ending in `.*` ends outside one.
  return !hasTopLevelAlternation(pattern) && checkRe2(pattern) === undefined;
}

/**
 * The literal text every value a start-anchored pattern matches begins with (`/api/v` for
 * `/api/v[0-9]+`), or `''` when nothing is certain.
 */
export function literalPrefix(pattern: string): string {
  if (hasTopLevelAlternation(pattern)) return '';
  let out = '';
  let i = pattern.startsWith('^') ? 1 : 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    let literal: string | undefined;
    let width = 1;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      literal = next;
      width = 2;
    } else if (!/[\\^$.|?*+()[\]{}]/.test(c)) {
      literal = c;
    }
    if (literal === undefined) break;
    const quantifier = pattern[i + width];
    if (quantifier === '*' || quantifier === '?' || quantifier === '{') break;
    out += literal;
    if (quantifier === '+') break;
    i += width;
  }
  return out;
}

/** Linkerd RegularExpression path value for an SMI pathRegex that needs a regex engine. */
export function pathRegexToLinkerd(pathRegex: string): string {
  return endsWithGreedyAny(pathRegex) ? pathRegex : `(?:${pathRegex}).*`;
}

function unwrap(value: string, open: string, close: string): string | undefined {
  if (!value.startsWith(open) || !value.endsWith(close)) return undefined;
  const inner = value.slice(open.length, value.length - close.length);
  return inner !== '' && checkRe2(inner) === undefined && `${open}${inner}${close}` === value
    ? inner
    : undefined;
}

/**
 * The SMI pathRegex for a Linkerd RegularExpression path: meshlingo's own `(?:R).*` form gives
 * `R` back, a pattern ending in a greedy `.*` means the same start-anchored, anything else must
 * match the whole path and becomes `(?:R)$`.
 */
export function pathRegexFromLinkerd(value: string): string {
  const inner = unwrap(value, '(?:', ').*');
  if (inner !== undefined) return inner;
  return endsWithGreedyAny(value) ? value : `(?:${value})$`;
}

/** Linkerd RegularExpression header value for an SMI header regex (which must match the whole value). */
export function headerRegexToLinkerd(value: string): string {
  return endsWithGreedyAny(value) ? value : `(?:${value})$`;
}

/** The SMI header regex for a Linkerd RegularExpression header value. */
export function headerRegexFromLinkerd(value: string): string {
  return unwrap(value, '(?:', ')$') ?? value;
}
