const META = /[\\^$.|?*+()[\]{}]/;

/** Escapes a literal so RE2 matches it exactly. */
export function escapeRegexLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * The literal text a regex matches when it is nothing but (escaped) literal characters, else
 * undefined. `\/api\.v1` gives `/api.v1`; `/api/[a-z]+` gives undefined.
 */
export function literalOfRegex(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      out += next;
      i += 1;
    } else if (META.test(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}
