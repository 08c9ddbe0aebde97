import { checkRe2 } from '@meshlingo/core';

/**
 * A small reader for the part of RE2 syntax that can have a finite description in Istio
 * AuthorizationPolicy string patterns: literals, `.`, character classes, groups, alternation,
 * repetition and the `^`/`$` anchors. It turns a regex into a set of token sequences (its language,
 * with `.*` and `[^/]+` kept as tokens), or says why it cannot. Patterns are first checked with
 * RE2 itself, so this reader only has to understand valid RE2.
 */

/** One element of an expanded regex. */
export type Token =
  | { readonly k: 'lit'; readonly s: string }
  /** `.*`: any text. */
  | { readonly k: 'star' }
  /** `[^/]+`: one path segment's worth of text. */
  | { readonly k: 'seg' }
  /** One character out of an open set (`.`, `[^/]`, `[a-z]` with many members). */
  | { readonly k: 'char' }
  | { readonly k: 'bol' }
  | { readonly k: 'eol' };

/** Why a regex has no finite description. */
export type ExpandFailure =
  'flags' | 'unbounded' | 'too-many' | 'unsupported-syntax' | 'anchor' | 'invalid';

type Node =
  | { readonly t: 'lit'; readonly c: string }
  | { readonly t: 'any' }
  | {
      readonly t: 'class';
      readonly chars: readonly string[] | undefined;
      readonly notSlash: boolean;
    }
  | { readonly t: 'cat'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  | {
      readonly t: 'rep';
      readonly node: Node;
      readonly min: number;
      readonly max: number | undefined;
    }
  | { readonly t: 'bol' }
  | { readonly t: 'eol' };

class Unsupported extends Error {
  constructor(readonly reason: ExpandFailure) {
    super(reason);
  }
}

/** Largest number of sequences an expansion may produce (and of chars a class may list). */
export const MAX_ALTERNATIVES = 16;

const PERL_CLASSES: Record<string, { ranges: string; negated: boolean }> = {
  d: { ranges: '0-9', negated: false },
  D: { ranges: '0-9', negated: true },
  w: { ranges: '0-9A-Za-z_', negated: false },
  W: { ranges: '0-9A-Za-z_', negated: true },
  s: { ranges: '\t\n\f\r ', negated: false },
  S: { ranges: '\t\n\f\r ', negated: true },
};

const CONTROL_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  a: '\u0007',
};

/** Expands `a-z` style text into the characters, or undefined when there are too many. */
function rangeChars(ranges: readonly [number, number][]): string[] | undefined {
  let count = 0;
  for (const [lo, hi] of ranges) count += hi - lo + 1;
  if (count > MAX_ALTERNATIVES) return undefined;
  const out = new Set<string>();
  for (const [lo, hi] of ranges) for (let c = lo; c <= hi; c++) out.add(String.fromCodePoint(c));
  return [...out].sort();
}

function simpleRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    if (text[i + 1] === '-' && i + 2 < text.length) {
      out.push([c, text.codePointAt(i + 2) ?? c]);
      i += 2;
    } else out.push([c, c]);
  }
  return out;
}

class Parser {
  private i = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alt();
    if (this.i < this.src.length) throw new Unsupported('unsupported-syntax');
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.peek() === '|') {
      this.i += 1;
      items.push(this.cat());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items };
  }

  private cat(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      items.push(this.repeat());
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
  }

  private repeat(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number | undefined;
      if (c === '*') [min, max] = [0, undefined];
      else if (c === '+') [min, max] = [1, undefined];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (m === null) return node;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
        this.i += m[0].length - 1;
      } else return node;
      this.i += 1;
      // A lazy quantifier matches the same language.
      if (this.peek() === '?') this.i += 1;
      node = { t: 'rep', node, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.i] ?? '';
    this.i += 1;
    switch (c) {
      case '(':
        return this.group();
      case '.':
        return { t: 'any' };
      case '[':
        return this.charClass();
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '\\':
        return this.escape(false);
      default:
        return { t: 'lit', c };
    }
  }

  private group(): Node {
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?P<', this.i) || this.src.startsWith('?<', this.i)) {
      this.i = this.src.indexOf('>', this.i) + 1;
    } else if (this.peek() === '?') throw new Unsupported('flags');
    const node = this.alt();
    if (this.peek() !== ')') throw new Unsupported('unsupported-syntax');
    this.i += 1;
    return node;
  }

  /** After a backslash. Inside a class, returns the literal or the class it stands for. */
  private escape(inClass: boolean): Node {
    const c = this.src[this.i] ?? '';
    this.i += 1;
    const perl = Object.hasOwn(PERL_CLASSES, c) ? PERL_CLASSES[c] : undefined;
    if (perl !== undefined) return this.classNode(simpleRanges(perl.ranges), perl.negated);
    if (Object.hasOwn(CONTROL_ESCAPES, c)) return { t: 'lit', c: CONTROL_ESCAPES[c] ?? '' };
    if (!inClass && c === 'A') return { t: 'bol' };
    if (!inClass && c === 'z') return { t: 'eol' };
    if (c === 'Q') {
      const end = this.src.indexOf('\\E', this.i);
      const text = this.src.slice(this.i, end === -1 ? undefined : end);
      this.i = end === -1 ? this.src.length : end + 2;
      const items = [...text].map((ch): Node => ({ t: 'lit', c: ch }));
      return items.length === 1 ? (items[0] as Node) : { t: 'cat', items };
    }
    if (c === 'x') {
      const m = /^(\{([0-9A-Fa-f]+)\}|[0-9A-Fa-f]{2})/.exec(this.src.slice(this.i));
      if (m === null) throw new Unsupported('unsupported-syntax');
      this.i += m[0].length;
      return { t: 'lit', c: String.fromCodePoint(parseInt(m[2] ?? m[1] ?? '0', 16)) };
    }
    // \b, \B, \pN, \C, octal and the like have no place in a path or header pattern we can carry.
    if (/[A-Za-z0-9]/.test(c)) throw new Unsupported('unsupported-syntax');
    return { t: 'lit', c };
  }

  private classNode(ranges: [number, number][], negated: boolean): Node {
    if (negated) {
      const slash = '/'.codePointAt(0) ?? 47;
      const excludesOnlySlash = ranges.every(
        ([lo, hi]) => lo === hi && (lo === slash || lo === 10),
      );
      return {
        t: 'class',
        chars: undefined,
        notSlash: excludesOnlySlash && ranges.some(([lo]) => lo === slash),
      };
    }
    return { t: 'class', chars: rangeChars(ranges), notSlash: false };
  }

  private charClass(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i += 1;
    }
    const ranges: [number, number][] = [];
    let open = false;
    let first = true;
    while (this.i < this.src.length) {
      const c = this.src[this.i] ?? '';
      if (c === ']' && !first) {
        this.i += 1;
        return open
          ? { t: 'class', chars: undefined, notSlash: false }
          : this.classNode(ranges, negated);
      }
      first = false;
      if (this.src.startsWith('[:', this.i)) throw new Unsupported('unsupported-syntax');
      let lo: number;
      if (c === '\\') {
        this.i += 1;
        const node = this.escape(true);
        if (node.t === 'class') {
          // A Perl class inside brackets: a negated one makes the set open.
          if (node.chars === undefined) open = true;
          else
            for (const ch of node.chars)
              ranges.push([ch.codePointAt(0) ?? 0, ch.codePointAt(0) ?? 0]);
          continue;
        }
        lo = node.t === 'lit' ? (node.c.codePointAt(0) ?? 0) : 0;
      } else {
        lo = c.codePointAt(0) ?? 0;
        this.i += 1;
      }
      let hi = lo;
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i += 1;
        const h = this.src[this.i] ?? '';
        if (h === '\\') {
          this.i += 1;
          const node = this.escape(true);
          hi = node.t === 'lit' ? (node.c.codePointAt(0) ?? lo) : lo;
        } else {
          hi = h.codePointAt(0) ?? lo;
          this.i += 1;
        }
      }
      ranges.push([lo, hi]);
    }
    throw new Unsupported('unsupported-syntax');
  }
}

type Seqs = Token[][];

function product(a: Seqs, b: Seqs): Seqs {
  if (a.length * b.length > MAX_ALTERNATIVES) throw new Unsupported('too-many');
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

function expandNode(node: Node): Seqs {
  switch (node.t) {
    case 'lit':
      return [[{ k: 'lit', s: node.c }]];
    case 'any':
      return [[{ k: 'char' }]];
    case 'bol':
      return [[{ k: 'bol' }]];
    case 'eol':
      return [[{ k: 'eol' }]];
    case 'class':
      return node.chars === undefined
        ? [[{ k: 'char' }]]
        : node.chars.map((c) => [{ k: 'lit', s: c }]);
    case 'cat':
      return node.items.reduce<Seqs>((acc, item) => product(acc, expandNode(item)), [[]]);
    case 'alt': {
      const out = node.items.flatMap(expandNode);
      if (out.length > MAX_ALTERNATIVES) throw new Unsupported('too-many');
      return out;
    }
    case 'rep':
      return expandRepeat(node.node, node.min, node.max);
  }
}

function expandRepeat(inner: Node, min: number, max: number | undefined): Seqs {
  if (max === undefined) {
    // Only "any text" and "one segment" have a pattern form; other unbounded repeats do not.
    const open = inner.t === 'any' || (inner.t === 'class' && inner.chars === undefined);
    if (!open) throw new Unsupported('unbounded');
    const notSlash = inner.t === 'class' && inner.notSlash;
    const prefix: Token[] = Array.from({ length: Math.max(0, min - 1) }, () => ({ k: 'char' }));
    if (notSlash) {
      return min === 0 ? [[], [{ k: 'seg' }]] : [[...prefix, { k: 'seg' }]];
    }
    if (inner.t !== 'any') throw new Unsupported('unbounded');
    return [[...Array.from({ length: min }, (): Token => ({ k: 'char' })), { k: 'star' }]];
  }
  if (max > MAX_ALTERNATIVES) throw new Unsupported('too-many');
  const once = expandNode(inner);
  let out: Seqs = [];
  let acc: Seqs = [[]];
  for (let n = 0; n <= max; n++) {
    if (n >= min) out = [...out, ...acc];
    if (out.length > MAX_ALTERNATIVES) throw new Unsupported('too-many');
    if (n < max) acc = product(acc, once);
  }
  return out;
}

/** Merges adjacent literals and stars and checks the anchors; throws for misplaced anchors. */
function normalize(seq: readonly Token[]): { tokens: Token[]; end: boolean } {
  const tokens: Token[] = [];
  let end = false;
  seq.forEach((token, i) => {
    if (token.k === 'bol') {
      if (tokens.length > 0) throw new Unsupported('anchor');
      return;
    }
    if (token.k === 'eol') {
      if (seq.slice(i + 1).some((t) => t.k !== 'eol')) throw new Unsupported('anchor');
      end = true;
      return;
    }
    const last = tokens[tokens.length - 1];
    if (token.k === 'lit' && last?.k === 'lit')
      tokens[tokens.length - 1] = { k: 'lit', s: last.s + token.s };
    else if (token.k === 'star' && last?.k === 'star') return;
    else tokens.push(token);
  });
  return { tokens, end };
}

/** The expansion of one regex: token sequences and whether each was anchored at the end. */
export type Expansion =
  | { readonly ok: true; readonly seqs: readonly { tokens: Token[]; end: boolean }[] }
  | { readonly ok: false; readonly reason: ExpandFailure };

/** Expands a regex (valid RE2) into at most {@link MAX_ALTERNATIVES} token sequences. */
export function expandRegex(pattern: string): Expansion {
  if (checkRe2(pattern) !== undefined) return { ok: false, reason: 'invalid' };
  try {
    const seqs = expandNode(new Parser(pattern).parse()).map(normalize);
    return { ok: true, seqs };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.reason };
    throw error;
  }
}

/** Splits a regex at its top-level `|` (outside groups, classes and escapes). */
export function topLevelBranches(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end === -1 ? pattern.length : end + 1;
      } else i += 1;
    } else if (inClass) {
      if (
        c === ']' &&
        pattern[i - 1] !== '[' &&
        !(pattern[i - 1] === '^' && pattern[i - 2] === '[')
      )
        inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === '|' && depth === 0) {
      out.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  out.push(pattern.slice(start));
  return out;
}

/**
 * The literal text every match of a regex starts with (what `widen` falls back to): leading
 * literal characters up to the first construct that is not one. `/users/[0-9]+` gives `/users/`.
 */
export function literalPrefix(pattern: string): string {
  let out = '';
  let i = pattern.startsWith('^') ? 1 : 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    const next = pattern[i + 1];
    if (c === '\\') {
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      if (/^[*+?{]/.test(pattern[i + 2] ?? '')) break;
      out += next;
      i += 2;
      continue;
    }
    if (/[.[\]()|^$*+?{}]/.test(c)) break;
    // A quantifier after this character makes it optional or repeated.
    if (next !== undefined && /[*+?{]/.test(next)) break;
    out += c;
    i += 1;
  }
  return out;
}
