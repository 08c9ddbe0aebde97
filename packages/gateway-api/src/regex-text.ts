/**
 * Small facts about regex source text, enough to move between SMI's start-anchored pathRegex
 * and Gateway API's full-match RegularExpression without changing what matches.
 */

/** True when the character at `index` is preceded by an even number of backslashes. */
function unescapedAt(text: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) slashes += 1;
  return slashes % 2 === 0;
}

/** True when the pattern has an unescaped `|` anywhere (conservatively, even inside a class). */
export function hasAlternation(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++)
    if (pattern[i] === '|' && unescapedAt(pattern, i)) return true;
  return false;
}

/** True when the pattern ends with an unescaped `$` (end of text in RE2 without flags). */
export function endsWithAnchor(pattern: string): boolean {
  return pattern.endsWith('$') && unescapedAt(pattern, pattern.length - 1);
}

/** True when the pattern ends with `.*` whose dot is unescaped. */
export function endsWithAnyTail(pattern: string): boolean {
  return pattern.endsWith('.*') && unescapedAt(pattern, pattern.length - 2);
}

/**
 * The full-match regex that accepts exactly the paths a start-anchored SMI pathRegex accepts:
 * the pattern itself when it already ends in `$` or `.*`, else the pattern with `.*` appended
 * (grouped when it has alternatives, so `/a|/b` does not become `/a|/b.*`).
 */
export function fullMatchFor(startAnchored: string): string {
  const alternation = hasAlternation(startAnchored);
  if (!alternation && (endsWithAnchor(startAnchored) || endsWithAnyTail(startAnchored)))
    return startAnchored;
  return alternation ? `(?:${startAnchored}).*` : `${startAnchored}.*`;
}

/**
 * The start-anchored SMI pathRegex that accepts exactly the paths a full-match regex accepts:
 * `X.*` becomes `X` (any path starting with X), a pattern ending in `$` stays, others get `$`
 * (grouped when they have alternatives).
 */
export function startAnchoredFor(fullMatch: string): string {
  if (hasAlternation(fullMatch)) return `(?:${fullMatch})$`;
  if (endsWithAnyTail(fullMatch)) return fullMatch.slice(0, -2);
  return endsWithAnchor(fullMatch) ? fullMatch : `${fullMatch}$`;
}
