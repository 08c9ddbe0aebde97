/**
 * Go `time.Duration` text (the form Kubernetes `metav1.Duration` fields use, such as
 * TrafficMetrics `window`) and RFC 3339 timestamps at second precision.
 */

const NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const TERM = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;

/** A parsed value, or why the text is not one. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * Parses a Go duration (`30s`, `1m30s`, `1.5h`, `500ms`, `-2m`) into nanoseconds exactly, with
 * Go's rules: every number needs a unit except a lone `0`, fractions are truncated at the
 * nanosecond.
 */
export function parseGoDuration(text: string): Parsed<bigint> {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, value: 0n };
  if (rest === '') return { ok: false, reason: 'it is empty' };
  let total = 0n;
  while (rest !== '') {
    const m = TERM.exec(rest);
    if (m === null) return { ok: false, reason: 'it is not a Go duration' };
    const [whole, int = '', frac = '', unit = ''] = m;
    if (int === '' && frac === '') return { ok: false, reason: 'a unit has no number' };
    const scale = NANOS[unit] ?? 1n;
    total += BigInt(int || '0') * scale;
    if (frac !== '') total += (BigInt(frac) * scale) / 10n ** BigInt(frac.length);
    rest = rest.slice(whole.length);
  }
  return { ok: true, value: negative ? -total : total };
}

function fraction(value: bigint, places: number): [bigint, string] {
  const scale = 10n ** BigInt(places);
  const digits = (value % scale).toString().padStart(places, '0').replace(/0+$/, '');
  return [value / scale, digits === '' ? '' : `.${digits}`];
}

/**
 * Formats nanoseconds the way Go's `Duration.String()` does: `30s`, `1m0s`, `1h0m0s`, `1m30s`,
 * `1.5s`, `500ms`, `0s`.
 */
export function formatGoDuration(nanoseconds: bigint): string {
  const negative = nanoseconds < 0n;
  const u = negative ? -nanoseconds : nanoseconds;
  const sign = negative ? '-' : '';
  if (u === 0n) return '0s';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) {
    const [int, frac] = fraction(u, 3);
    return `${sign}${int}${frac}µs`;
  }
  if (u < 1_000_000_000n) {
    const [int, frac] = fraction(u, 6);
    return `${sign}${int}${frac}ms`;
  }
  const [seconds, frac] = fraction(u, 9);
  const s = `${seconds % 60n}${frac}s`;
  const minutes = seconds / 60n;
  if (minutes === 0n) return `${sign}${s}`;
  const m = `${minutes % 60n}m${s}`;
  const hours = minutes / 60n;
  return hours === 0n ? `${sign}${m}` : `${sign}${hours}h${m}`;
}

/** RFC 3339 in UTC at second precision (`2026-11-26T09:00:00Z`), as Kubernetes `metav1.Time`. */
export function formatTimestamp(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads an evaluation time: RFC 3339 (`2026-11-26T09:00:00Z`, with an offset or fraction) or
 * Unix seconds (`1795683415`, `1795683415.5`). The result keeps milliseconds; callers truncate.
 */
export function parseTime(text: string): Parsed<Date> {
  const trimmed = text.trim();
  let ms: number;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else if (RFC3339.test(trimmed)) ms = Date.parse(trimmed.toUpperCase().replace(' ', 'T'));
  else return { ok: false, reason: 'it is neither RFC 3339 nor Unix seconds' };
  // Date holds at most ±8.64e15 ms; anything else is not a time.
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    return { ok: false, reason: 'it is out of range' };
  return { ok: true, value: new Date(ms) };
}
