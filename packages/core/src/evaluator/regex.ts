import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS | Error>();
const CACHE_LIMIT = 4096;

/**
 * Compiles a user regex with RE2 (linear time, no backtracking), so no pattern from input can
 * hang a run. Results are cached.
 */
export function compileRe2(pattern: string): RE2JS | Error {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      compiled = error instanceof Error ? error : new Error(String(error));
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Undefined when the pattern is valid RE2; otherwise the reason it is not. */
export function checkRe2(pattern: string): string | undefined {
  const compiled = compileRe2(pattern);
  return compiled instanceof Error
    ? compiled.message.replace(/^error parsing regexp: /, '')
    : undefined;
}

/** SMI `pathRegex` semantics: the pattern must match a prefix of the path (anchored at the start). */
export function matchesPathRegex(pattern: string, path: string): boolean {
  const compiled = compileRe2(pattern);
  return !(compiled instanceof Error) && compiled.matcher(path).lookingAt();
}

/** Full-match semantics (Envoy `safe_regex`, most native meshes): the whole input must match. */
export function matchesFully(pattern: string, input: string): boolean {
  const compiled = compileRe2(pattern);
  return !(compiled instanceof Error) && compiled.matches(input);
}

/** Search semantics: the pattern matches anywhere in the input (SMI header values). */
export function matchesAnywhere(pattern: string, input: string): boolean {
  const compiled = compileRe2(pattern);
  return !(compiled instanceof Error) && compiled.matcher(input).find();
}
