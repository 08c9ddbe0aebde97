/** FNV-1a, 32 bit: a short stable hash for name suffixes. */
function hash32(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Builds a Kubernetes name from parts: lower-case, characters outside `[a-z0-9-]` become `-`,
 * runs of `-` collapse, ends are trimmed. Longer than `maxLength` (63 by default, a DNS label,
 * which every kind accepts) is cut and given a hash of the full name, so distinct inputs stay
 * distinct and the result is deterministic.
 */
export function deriveName(parts: readonly (string | number)[], maxLength = 63): string {
  const joined = parts
    .map(String)
    .filter((p) => p !== '')
    .join('-');
  let name = joined
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (name === '') name = 'unnamed';
  if (/^[0-9]/.test(name)) name = `x-${name}`;
  if (name.length <= maxLength) return name;
  const suffix = hash32(joined).slice(0, 8);
  return `${name.slice(0, maxLength - suffix.length - 1).replace(/-$/, '')}-${suffix}`;
}

/** Hands out names that are unique per kind and namespace, in a deterministic order. */
export interface NameAllocator {
  /** Returns `name` if still free in that kind and namespace, else `name-2`, `name-3`, ... */
  readonly claim: (kind: string, namespace: string, name: string) => string;
  /** Marks a name as taken (for names that exist already). */
  readonly reserve: (kind: string, namespace: string, name: string) => void;
}

/** Creates a {@link NameAllocator}. */
export function createNameAllocator(): NameAllocator {
  const taken = new Set<string>();
  const key = (kind: string, ns: string, name: string): string => `${kind}\u0000${ns}\u0000${name}`;
  return {
    claim(kind, namespace, name) {
      let candidate = name;
      for (let n = 2; taken.has(key(kind, namespace, candidate)); n++) {
        candidate = deriveName([name, n]);
      }
      taken.add(key(kind, namespace, candidate));
      return candidate;
    },
    reserve(kind, namespace, name) {
      taken.add(key(kind, namespace, name));
    },
  };
}
