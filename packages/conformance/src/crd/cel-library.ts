/**
 * The Kubernetes CEL library (the functions the API server adds to CEL for CRD rules) written
 * for `@marcbachmann/cel-js`. Library functions throw {@link CelDataError} where the API server
 * returns an evaluation error (which rejects the object) and {@link CelUnsupportedError} where
 * this implementation does not cover the input.
 */

import type { Environment } from '@marcbachmann/cel-js';
import { Duration } from '@marcbachmann/cel-js/evaluator';
import { compileRe2, parseQuantity, type Rational } from '@meshlingo/core';
import type { RE2JS } from 're2js';
import { parseGoDuration } from './go-duration.js';
import {
  escapedPath,
  parseRequestUri,
  parseUrl,
  urlHostname,
  urlPort,
  urlQuery,
  type GoUrl,
} from './go-url.js';
import {
  formatIp,
  ipEquals,
  ipFamily,
  isIPv4Mapped,
  maskPrefix,
  parseIp,
  parsePrefix,
  prefixContains,
  type IpAddress,
  type IpPrefix,
} from './ip-address.js';

/** A runtime error the API server raises too: an invalid URL, an index out of range... */
export class CelDataError extends Error {}

/** An input this implementation cannot evaluate the way the API server does. */
export class CelUnsupportedError extends Error {}

/**
 * cel-js functions whose behaviour differs from cel-go (JavaScript regular expressions, UTF-16
 * indices, Unicode case mapping, a looser duration syntax, a `has()` that only takes selections
 * starting at a variable, where CEL allows `has(self[0].matches)`). Calls to them are renamed to
 * `k8s_<name>` before parsing (see `cel-program.ts`) so that these implementations run instead.
 */
export const OVERRIDDEN_FUNCTIONS: ReadonlySet<string> = new Set([
  'duration',
  'has',
  'indexOf',
  'lastIndexOf',
  'lowerAscii',
  'matches',
  'split',
  'substring',
  'trim',
  'upperAscii',
]);

/** The prefix of renamed calls. */
export const OVERRIDE_PREFIX = 'k8s_';

/** A URL value (`url()`), named `kubernetes.URL` like in the API server. */
export class KubernetesUrl {
  constructor(readonly url: GoUrl) {}
}

/** A resource quantity value (`quantity()`), exact. */
export class KubernetesQuantity {
  constructor(readonly value: Rational) {}
}

/** An IP address value (`ip()`). */
export class NetIp {
  constructor(readonly ip: IpAddress) {}
}

/** A CIDR value (`cidr()`), kept as written (not masked). */
export class NetCidr {
  constructor(readonly prefix: IpPrefix) {}
}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

function str(value: unknown): string {
  if (typeof value !== 'string') throw new CelUnsupportedError('expected a string');
  return value;
}

function int(value: unknown): number {
  if (typeof value !== 'bigint') throw new CelUnsupportedError('expected an int');
  return Number(value);
}

function list(value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw new CelUnsupportedError('expected a list');
  return value;
}

function instance<T>(value: unknown, type: abstract new (...args: never[]) => T): T {
  if (!(value instanceof type)) throw new CelUnsupportedError(`expected a ${type.name}`);
  return value;
}

function checkedInt(value: bigint): bigint {
  if (value > MAX_INT64 || value < MIN_INT64) throw new CelDataError('integer overflow');
  return value;
}

/** Compares strings by code point, as Go compares UTF-8 bytes. */
function compareStrings(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function durationNanos(d: Duration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

function toDuration(nanos: bigint): Duration {
  return new Duration(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
}

/** CEL ordering for the comparable types (numbers across int and double, strings, bools...). */
function compareValues(a: unknown, b: unknown): number {
  const numeric = (v: unknown): boolean => typeof v === 'bigint' || typeof v === 'number';
  if (numeric(a) && numeric(b)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) throw new CelUnsupportedError('NaN is not ordered');
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Duration && b instanceof Duration) {
    const d = durationNanos(a) - durationNanos(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  throw new CelUnsupportedError('values are not comparable');
}

/** CEL equality, including the Kubernetes types; used by the list functions. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => celEquals(item, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, value] of a) if (!b.has(key) || !celEquals(value, b.get(key))) return false;
    return true;
  }
  if (a instanceof KubernetesQuantity && b instanceof KubernetesQuantity) {
    return compareRationals(a.value, b.value) === 0;
  }
  if (a instanceof NetIp && b instanceof NetIp) return ipEquals(a.ip, b.ip);
  if (a instanceof NetCidr && b instanceof NetCidr) {
    return a.prefix.bits === b.prefix.bits && ipEquals(a.prefix.ip, b.prefix.ip);
  }
  const scalar = (v: unknown): boolean =>
    ['bigint', 'number', 'string', 'boolean'].includes(typeof v) ||
    v instanceof Duration ||
    v instanceof Date ||
    v instanceof Uint8Array;
  if (scalar(a) && scalar(b)) {
    try {
      return compareValues(a, b) === 0;
    } catch (error) {
      if (error instanceof CelUnsupportedError) return false;
      throw error;
    }
  }
  if (typeof a === 'object' || typeof b === 'object') {
    throw new CelUnsupportedError('equality of these values is not supported');
  }
  return false;
}

function compareRationals(a: Rational, b: Rational): number {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

function re2(pattern: string): RE2JS {
  const compiled = compileRe2(pattern);
  if (compiled instanceof Error) throw new CelDataError(`invalid regular expression: ${pattern}`);
  return compiled;
}

/** Go's `unicode.IsSpace`: JavaScript's `\s` without U+FEFF, plus U+0085. */
function isGoSpace(c: string): boolean {
  return c === '\u0085' || (c !== '\ufeff' && /^\s$/u.test(c));
}

/** Go's `strings.TrimSpace`, which the CEL `trim()` uses. */
function trimGoSpace(text: string): string {
  const runes = Array.from(text);
  let start = 0;
  let end = runes.length;
  while (start < end && isGoSpace(runes[start] ?? '')) start += 1;
  while (end > start && isGoSpace(runes[end - 1] ?? '')) end -= 1;
  return runes.slice(start, end).join('');
}

function registerStrings(env: Environment): void {
  const p = OVERRIDE_PREFIX;
  env.registerFunction(`string.${p}matches(string): bool`, (s: unknown, re: unknown) =>
    re2(str(re)).matcher(str(s)).find(),
  );
  env.registerFunction(`${p}matches(string, string): bool`, (s: unknown, re: unknown) =>
    re2(str(re)).matcher(str(s)).find(),
  );
  env.registerFunction('string.find(string): string', (s: unknown, re: unknown) => {
    const m = re2(str(re)).matcher(str(s));
    return m.find() ? (m.group() ?? '') : '';
  });
  // Go's FindAllString: successive matches, minus empty ones right after a previous match.
  const findAll = (s: unknown, re: unknown, limit: number): string[] => {
    const out: string[] = [];
    const m = re2(str(re)).matcher(str(s));
    let previousEnd = -1;
    while ((limit < 0 || out.length < limit) && m.find()) {
      const text = m.group() ?? '';
      if (text !== '' || m.start() !== previousEnd) out.push(text);
      previousEnd = m.end();
    }
    return out;
  };
  env.registerFunction('string.findAll(string): list<string>', (s: unknown, re: unknown) =>
    findAll(s, re, -1),
  );
  env.registerFunction(
    'string.findAll(string, int): list<string>',
    (s: unknown, re: unknown, n: unknown) => findAll(s, re, int(n)),
  );
  env.registerFunction('string.charAt(int): string', (s: unknown, i: unknown) => {
    const runes = Array.from(str(s));
    const index = int(i);
    if (index < 0 || index > runes.length) throw new CelDataError(`index out of range: ${index}`);
    return runes[index] ?? '';
  });
  // cel-go versions differ when the offset is past the end (an error, later -1): not decided here.
  const checkOffset = (offset: number, length: number): void => {
    if (offset < 0) throw new CelDataError(`index out of range: ${offset}`);
    if (offset >= length) throw new CelUnsupportedError('an offset past the end of the string');
  };
  const matchesAt = (runes: readonly string[], needle: readonly string[], i: number): boolean =>
    needle.every((r, k) => runes[i + k] === r);
  const indexOf = (s: unknown, sub: unknown, from: number | undefined): bigint => {
    const runes = Array.from(str(s));
    const needle = Array.from(str(sub));
    if (needle.length === 0) return BigInt(from ?? 0);
    const start = from ?? 0;
    checkOffset(start, runes.length);
    for (let i = start; i + needle.length <= runes.length; i++) {
      if (matchesAt(runes, needle, i)) return BigInt(i);
    }
    return -1n;
  };
  const lastIndexOf = (s: unknown, sub: unknown, from: number | undefined): bigint => {
    const runes = Array.from(str(s));
    const needle = Array.from(str(sub));
    if (needle.length === 0) return BigInt(from ?? runes.length);
    let start = from ?? runes.length - 1;
    checkOffset(start, runes.length);
    start = Math.min(start, runes.length - needle.length);
    for (let i = start; i >= 0; i--) if (matchesAt(runes, needle, i)) return BigInt(i);
    return -1n;
  };
  env.registerFunction(`string.${p}indexOf(string): int`, (s: unknown, sub: unknown) =>
    indexOf(s, sub, undefined),
  );
  env.registerFunction(
    `string.${p}indexOf(string, int): int`,
    (s: unknown, sub: unknown, i: unknown) => indexOf(s, sub, int(i)),
  );
  env.registerFunction(`string.${p}lastIndexOf(string): int`, (s: unknown, sub: unknown) =>
    lastIndexOf(s, sub, undefined),
  );
  env.registerFunction(
    `string.${p}lastIndexOf(string, int): int`,
    (s: unknown, sub: unknown, i: unknown) => lastIndexOf(s, sub, int(i)),
  );
  env.registerFunction(`string.${p}lowerAscii(): string`, (s: unknown) =>
    str(s).replace(/[A-Z]/g, (c) => c.toLowerCase()),
  );
  env.registerFunction(`string.${p}upperAscii(): string`, (s: unknown) =>
    str(s).replace(/[a-z]/g, (c) => c.toUpperCase()),
  );
  // Go's strings.Replace: the first `limit` matches (all when negative); an empty `from`
  // matches before every character and at the end.
  const replace = (s: unknown, from: unknown, to: unknown, limit: number): string => {
    const text = str(s);
    const old = str(from);
    const replacement = str(to);
    const pieces = old === '' ? ['', ...Array.from(text), ''] : text.split(old);
    const glue = old === '' ? '' : old;
    const count = limit < 0 ? pieces.length - 1 : Math.min(limit, pieces.length - 1);
    return (
      pieces.slice(0, count + 1).join(replacement) +
      (count < pieces.length - 1 ? glue + pieces.slice(count + 1).join(glue) : '')
    );
  };
  env.registerFunction(
    'string.replace(string, string): string',
    (s: unknown, a: unknown, b: unknown) => replace(s, a, b, -1),
  );
  env.registerFunction(
    'string.replace(string, string, int): string',
    (s: unknown, a: unknown, b: unknown, n: unknown) => replace(s, a, b, int(n)),
  );
  const split = (s: unknown, sep: unknown, limit: number): string[] => {
    const text = str(s);
    const separator = str(sep);
    if (limit === 0) return [];
    const parts = separator === '' ? Array.from(text) : text.split(separator);
    if (limit < 0 || parts.length <= limit) return parts;
    return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(separator)];
  };
  env.registerFunction(`string.${p}split(string): list<string>`, (s: unknown, sep: unknown) =>
    split(s, sep, -1),
  );
  env.registerFunction(
    `string.${p}split(string, int): list<string>`,
    (s: unknown, sep: unknown, n: unknown) => split(s, sep, int(n)),
  );
  const substring = (s: unknown, start: number, end: number | undefined): string => {
    const runes = Array.from(str(s));
    const stop = end ?? runes.length;
    if (start < 0 || start > runes.length) throw new CelDataError(`index out of range: ${start}`);
    if (stop < start || stop > runes.length) throw new CelDataError(`index out of range: ${stop}`);
    return runes.slice(start, stop).join('');
  };
  env.registerFunction(`string.${p}substring(int): string`, (s: unknown, a: unknown) =>
    substring(s, int(a), undefined),
  );
  env.registerFunction(
    `string.${p}substring(int, int): string`,
    (s: unknown, a: unknown, b: unknown) => substring(s, int(a), int(b)),
  );
  env.registerFunction(`string.${p}trim(): string`, (s: unknown) => trimGoSpace(str(s)));
  env.registerFunction('string.reverse(): string', (s: unknown) =>
    Array.from(str(s)).reverse().join(''),
  );
  env.registerFunction('string.format(list): string', (s: unknown, args: unknown) =>
    formatString(str(s), list(args)),
  );
}

function formatNumberArg(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new CelUnsupportedError('a number is needed for this format verb');
}

function formatSpecial(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return undefined;
}

function formatInteger(value: unknown, radix: number): string {
  if (typeof value !== 'bigint')
    throw new CelUnsupportedError('an int is needed for this format verb');
  return value < 0n ? `-${(-value).toString(radix)}` : value.toString(radix);
}

/** The `format` function of the strings extension, for the verbs and argument types it is sure of. */
function formatString(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '%') {
      out += c ?? '';
      continue;
    }
    let j = i + 1;
    let precision: number | undefined;
    if (template[j] === '.') {
      let k = j + 1;
      while (k < template.length && /[0-9]/.test(template[k] ?? '')) k += 1;
      precision = Number(template.slice(j + 1, k));
      j = k;
    }
    const verb = template[j];
    i = j;
    if (verb === '%' && precision === undefined) {
      out += '%';
      continue;
    }
    if (next >= args.length) throw new CelDataError('index out of range: not enough arguments');
    const arg = args[next++];
    switch (verb) {
      case 's':
        if (typeof arg === 'string') out += arg;
        else if (typeof arg === 'bigint' || typeof arg === 'boolean') out += String(arg);
        else if (arg === null) out += 'null';
        else if (arg instanceof Uint8Array) out += Buffer.from(arg).toString('utf8');
        else throw new CelUnsupportedError('%s of this type is not supported');
        break;
      case 'd':
        out += formatInteger(arg, 10);
        break;
      case 'b':
        out += formatInteger(arg, 2);
        break;
      case 'o':
        out += formatInteger(arg, 8);
        break;
      case 'x':
      case 'X': {
        let hex: string;
        if (typeof arg === 'string') hex = Buffer.from(arg, 'utf8').toString('hex');
        else if (arg instanceof Uint8Array) hex = Buffer.from(arg).toString('hex');
        else hex = formatInteger(arg, 16);
        out += verb === 'X' ? hex.toUpperCase() : hex;
        break;
      }
      case 'f': {
        const n = formatNumberArg(arg);
        out += formatSpecial(n) ?? n.toFixed(precision ?? 6);
        break;
      }
      case 'e': {
        const n = formatNumberArg(arg);
        const text = formatSpecial(n) ?? n.toExponential(precision ?? 6);
        out += text.replace(/e([+-])(\d)$/, 'e$10$2');
        break;
      }
      default:
        throw new CelUnsupportedError(`format verb %${verb ?? ''} is not supported`);
    }
  }
  return out;
}

function registerLists(env: Environment): void {
  const p = OVERRIDE_PREFIX;
  env.registerFunction('list.isSorted(): bool', (l: unknown) => {
    const items = list(l);
    for (let i = 1; i < items.length; i++)
      if (compareValues(items[i - 1], items[i]) > 0) return false;
    return true;
  });
  env.registerFunction('list.sum(): dyn', (l: unknown) => {
    const items = list(l);
    if (items.every((v) => typeof v === 'bigint')) {
      return checkedInt(items.reduce<bigint>((a, b) => a + b, 0n));
    }
    if (items.every((v) => typeof v === 'number')) return items.reduce<number>((a, b) => a + b, 0);
    if (items.every((v) => v instanceof Duration)) {
      return toDuration(items.reduce<bigint>((a, b) => a + durationNanos(b), 0n));
    }
    throw new CelUnsupportedError('sum() of these values is not supported');
  });
  const extreme = (l: unknown, sign: number): unknown => {
    const items = list(l);
    if (items.length === 0) throw new CelDataError('min/max called on an empty list');
    return items.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best));
  };
  env.registerFunction('list.min(): dyn', (l: unknown) => extreme(l, -1));
  env.registerFunction('list.max(): dyn', (l: unknown) => extreme(l, 1));
  env.registerFunction(`list.${p}indexOf(dyn): int`, (l: unknown, v: unknown) =>
    BigInt(list(l).findIndex((item) => celEquals(item, v))),
  );
  env.registerFunction(`list.${p}lastIndexOf(dyn): int`, (l: unknown, v: unknown) =>
    BigInt(list(l).findLastIndex((item) => celEquals(item, v))),
  );
}

function registerDurations(env: Environment): void {
  const p = OVERRIDE_PREFIX;
  env.registerFunction(`${p}duration(string): google.protobuf.Duration`, (s: unknown) => {
    const nanos = parseGoDuration(str(s));
    if (nanos === undefined) throw new CelDataError(`invalid duration ${JSON.stringify(s)}`);
    return toDuration(nanos);
  });
  env.registerFunction(
    `${p}duration(google.protobuf.Duration): google.protobuf.Duration`,
    (d: unknown) => instance(d, Duration),
  );
}

function registerUrls(env: Environment): void {
  env.registerType('kubernetes.URL', KubernetesUrl);
  env.registerFunction(
    'isURL(string): bool',
    (s: unknown) => !(parseRequestUri(str(s)) instanceof Error),
  );
  env.registerFunction('url(string): kubernetes.URL', (s: unknown) => {
    const checked = parseRequestUri(str(s));
    // The API server checks with ParseRequestURI, then takes the parts from Parse (fragments).
    const parsed = checked instanceof Error ? checked : parseUrl(str(s));
    if (parsed instanceof Error) throw new CelDataError(`URL parse error: ${parsed.message}`);
    return new KubernetesUrl(parsed);
  });
  const url = (u: unknown): GoUrl => instance(u, KubernetesUrl).url;
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: unknown) => url(u).scheme);
  env.registerFunction('kubernetes.URL.getHost(): string', (u: unknown) => url(u).host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: unknown) => urlHostname(url(u)));
  env.registerFunction('kubernetes.URL.getPort(): string', (u: unknown) => urlPort(url(u)));
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: unknown) =>
    escapedPath(url(u)),
  );
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: unknown) =>
    urlQuery(url(u)),
  );
}

function quantityOf(text: string): Rational {
  const value = /^\s|\s$/.test(text) ? undefined : parseQuantity(text);
  if (value === undefined) throw new CelDataError(`invalid quantity ${JSON.stringify(text)}`);
  return value;
}

function quantityInt(q: Rational): bigint | undefined {
  if (q.num % q.den !== 0n) return undefined;
  const value = q.num / q.den;
  return value > MAX_INT64 || value < MIN_INT64 ? undefined : value;
}

function registerQuantities(env: Environment): void {
  const Q = 'kubernetes.Quantity';
  env.registerType(Q, KubernetesQuantity);
  const q = (v: unknown): Rational => instance(v, KubernetesQuantity).value;
  const add = (a: Rational, b: Rational, sign: bigint): KubernetesQuantity =>
    new KubernetesQuantity({ num: a.num * b.den + sign * b.num * a.den, den: a.den * b.den });
  env.registerFunction(
    `quantity(string): ${Q}`,
    (s: unknown) => new KubernetesQuantity(quantityOf(str(s))),
  );
  env.registerFunction('isQuantity(string): bool', (s: unknown) => {
    try {
      quantityOf(str(s));
      return true;
    } catch (error) {
      if (error instanceof CelDataError) return false;
      throw error;
    }
  });
  env.registerFunction(`${Q}.sign(): int`, (v: unknown) => {
    const n = q(v).num;
    return n > 0n ? 1n : n < 0n ? -1n : 0n;
  });
  env.registerFunction(`${Q}.isInteger(): bool`, (v: unknown) => quantityInt(q(v)) !== undefined);
  env.registerFunction(`${Q}.asInteger(): int`, (v: unknown) => {
    const value = quantityInt(q(v));
    if (value === undefined) throw new CelDataError('cannot convert value to integer');
    return value;
  });
  env.registerFunction(`${Q}.asApproximateFloat(): double`, (v: unknown) => {
    const r = q(v);
    return Number(r.num) / Number(r.den);
  });
  env.registerFunction(`${Q}.add(${Q}): ${Q}`, (a: unknown, b: unknown) => add(q(a), q(b), 1n));
  env.registerFunction(`${Q}.add(int): ${Q}`, (a: unknown, b: unknown) =>
    add(q(a), { num: BigInt(int(b)), den: 1n }, 1n),
  );
  env.registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: unknown, b: unknown) => add(q(a), q(b), -1n));
  env.registerFunction(`${Q}.sub(int): ${Q}`, (a: unknown, b: unknown) =>
    add(q(a), { num: BigInt(int(b)), den: 1n }, -1n),
  );
  env.registerFunction(`${Q}.compareTo(${Q}): int`, (a: unknown, b: unknown) =>
    BigInt(compareRationals(q(a), q(b))),
  );
  env.registerFunction(
    `${Q}.isGreaterThan(${Q}): bool`,
    (a: unknown, b: unknown) => compareRationals(q(a), q(b)) > 0,
  );
  env.registerFunction(
    `${Q}.isLessThan(${Q}): bool`,
    (a: unknown, b: unknown) => compareRationals(q(a), q(b)) < 0,
  );
  env.registerOperator(
    `${Q} == ${Q}`,
    (a: unknown, b: unknown) => compareRationals(q(a), q(b)) === 0,
  );
}

/** The API server's `ip()` parsing: strict (net/netip) syntax, no zone, no IPv4-mapped IPv6. */
function kubernetesIp(text: string): IpAddress | undefined {
  const ip = parseIp(text, 'netip');
  return ip === undefined || isIPv4Mapped(ip) ? undefined : ip;
}

function kubernetesCidr(text: string): IpPrefix | undefined {
  const prefix = parsePrefix(text, 'netip');
  return prefix === undefined || isIPv4Mapped(prefix.ip) ? undefined : prefix;
}

function registerNetworks(env: Environment): void {
  env.registerType('net.IP', NetIp);
  env.registerType('net.CIDR', NetCidr);
  const ipOf = (v: unknown): IpAddress => instance(v, NetIp).ip;
  const cidrOf = (v: unknown): IpPrefix => instance(v, NetCidr).prefix;
  const parseIpArg = (s: unknown): IpAddress => {
    const ip = kubernetesIp(str(s));
    if (ip === undefined) throw new CelDataError(`invalid IP address ${JSON.stringify(s)}`);
    return ip;
  };
  const parseCidrArg = (s: unknown): IpPrefix => {
    const prefix = kubernetesCidr(str(s));
    if (prefix === undefined) throw new CelDataError(`invalid CIDR ${JSON.stringify(s)}`);
    return prefix;
  };
  env.registerFunction('ip(string): net.IP', (s: unknown) => new NetIp(parseIpArg(s)));
  env.registerFunction('isIP(string): bool', (s: unknown) => kubernetesIp(str(s)) !== undefined);
  env.registerFunction('string(net.IP): string', (v: unknown) => formatIp(ipOf(v)));
  env.registerFunction('net.IP.family(): int', (v: unknown) => BigInt(ipFamily(ipOf(v))));
  const b = (v: unknown): Uint8Array => ipOf(v).bytes;
  const v4 = (v: unknown): boolean => b(v).length === 4;
  env.registerFunction('net.IP.isUnspecified(): bool', (v: unknown) => b(v).every((x) => x === 0));
  env.registerFunction('net.IP.isLoopback(): bool', (v: unknown) =>
    v4(v) ? b(v)[0] === 127 : b(v).every((x, i) => x === (i === 15 ? 1 : 0)),
  );
  const linkLocalUnicast = (v: unknown): boolean =>
    v4(v)
      ? b(v)[0] === 169 && b(v)[1] === 254
      : b(v)[0] === 0xfe && ((b(v)[1] ?? 0) & 0xc0) === 0x80;
  const multicast = (v: unknown): boolean =>
    v4(v) ? ((b(v)[0] ?? 0) & 0xf0) === 0xe0 : b(v)[0] === 0xff;
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', linkLocalUnicast);
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (v: unknown) =>
    v4(v)
      ? b(v)[0] === 224 && b(v)[1] === 0 && b(v)[2] === 0
      : b(v)[0] === 0xff && ((b(v)[1] ?? 0) & 0x0f) === 0x02,
  );
  env.registerFunction('net.IP.isGlobalUnicast(): bool', (v: unknown) => {
    const bytes = b(v);
    if (bytes.every((x) => x === 0)) return false;
    if (v4(v) && bytes.every((x) => x === 255)) return false;
    const loopback = v4(v) ? bytes[0] === 127 : bytes.every((x, i) => x === (i === 15 ? 1 : 0));
    return !loopback && !multicast(v) && !linkLocalUnicast(v);
  });
  env.registerOperator('net.IP == net.IP', (x: unknown, y: unknown) => ipEquals(ipOf(x), ipOf(y)));
  env.registerFunction('cidr(string): net.CIDR', (s: unknown) => new NetCidr(parseCidrArg(s)));
  env.registerFunction(
    'isCIDR(string): bool',
    (s: unknown) => kubernetesCidr(str(s)) !== undefined,
  );
  env.registerFunction('string(net.CIDR): string', (v: unknown) => {
    const prefix = cidrOf(v);
    return `${formatIp(prefix.ip)}/${prefix.bits}`;
  });
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: unknown, ip: unknown) =>
    prefixContains(cidrOf(c), ipOf(ip)),
  );
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: unknown, s: unknown) =>
    prefixContains(cidrOf(c), parseIpArg(s)),
  );
  const containsCidr = (outer: IpPrefix, inner: IpPrefix): boolean =>
    outer.bits <= inner.bits && prefixContains(outer, inner.ip);
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: unknown, o: unknown) =>
    containsCidr(cidrOf(c), cidrOf(o)),
  );
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: unknown, s: unknown) =>
    containsCidr(cidrOf(c), parseCidrArg(s)),
  );
  env.registerFunction('net.CIDR.ip(): net.IP', (c: unknown) => new NetIp(cidrOf(c).ip));
  env.registerFunction('net.CIDR.prefixLength(): int', (c: unknown) => BigInt(cidrOf(c).bits));
  env.registerFunction(
    'net.CIDR.masked(): net.CIDR',
    (c: unknown) => new NetCidr(maskPrefix(cidrOf(c))),
  );
  env.registerOperator('net.CIDR == net.CIDR', (x: unknown, y: unknown) => celEquals(x, y));
}

/** The parts of cel-js's parsed AST, checker and evaluator that the `has()` macro uses. */
interface MacroNode {
  readonly op: string;
  readonly args: unknown;
}
interface MacroChecker {
  check(node: MacroNode, ctx: unknown): unknown;
  getType(name: string): unknown;
}
interface MacroEvaluator {
  run(node: MacroNode, ctx: unknown): unknown;
}
interface HasMacro {
  readonly args: readonly MacroNode[];
}

/** The selection inside `has(e.f)`: the receiver expression and the field name. */
function hasSelection(macro: HasMacro): { receiver: MacroNode; field: string } {
  const node = macro.args[0];
  const args = node?.op === '.' && Array.isArray(node.args) ? (node.args as unknown[]) : undefined;
  const receiver = args?.[0] as MacroNode | undefined;
  const field = args?.[1];
  if (receiver === undefined || typeof field !== 'string') {
    throw new CelUnsupportedError('has() needs a field selection');
  }
  return { receiver, field };
}

/**
 * CEL's `has(e.f)` for any expression `e`: true when the map or object `e` has the key `f`.
 * Evaluating `e` fails as it does in cel-go when a step before the last is missing.
 */
function registerHas(env: Environment): void {
  env.registerFunction(
    `${OVERRIDE_PREFIX}has(ast): bool`,
    ({ args }: { args: readonly MacroNode[] }) => ({
      args,
      async: false,
      typeCheck(checker: MacroChecker, macro: HasMacro, ctx: unknown): unknown {
        checker.check(hasSelection(macro).receiver, ctx);
        return checker.getType('bool');
      },
      evaluate(evaluator: MacroEvaluator, macro: HasMacro, ctx: unknown): boolean {
        const { receiver, field } = hasSelection(macro);
        const target = evaluator.run(receiver, ctx);
        if (target instanceof Map) return target.has(field);
        throw new CelUnsupportedError('has() on a value that is not a map or an object');
      },
    }),
  );
}

/** Registers every function of the Kubernetes CEL library this package implements. */
export function registerKubernetesLibrary(env: Environment): void {
  registerHas(env);
  registerStrings(env);
  registerLists(env);
  registerDurations(env);
  registerUrls(env);
  registerQuantities(env);
  registerNetworks(env);
}
