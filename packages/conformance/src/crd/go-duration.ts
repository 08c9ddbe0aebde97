/**
 * Go's `time.ParseDuration`, which both the CEL `duration()` function of the API server and the
 * `duration` string format accept: a signed sequence of decimal numbers, each with an optional
 * fraction and a unit (`300ms`, `-1.5h`, `2h45m`); `0` alone needs no unit.
 */

const UNIT_NANOS = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const MAX_NANOS = (1n << 63n) - 1n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Nanoseconds of a Go duration string, or undefined when Go would reject it (syntax or overflow). */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return undefined;
    let i = 0;
    while (isDigit(s[i])) i += 1;
    const whole = s.slice(0, i);
    s = s.slice(i);
    let fraction = '';
    if (s.startsWith('.')) {
      let j = 1;
      while (isDigit(s[j])) j += 1;
      fraction = s.slice(1, j);
      s = s.slice(j);
    }
    if (whole === '' && fraction === '') return undefined;
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k += 1;
    if (k === 0) return undefined;
    const unit = UNIT_NANOS.get(s.slice(0, k));
    s = s.slice(k);
    if (unit === undefined) return undefined;
    let value = BigInt(whole === '' ? '0' : whole);
    if (value > (1n << 63n) / unit) return undefined;
    value *= unit;
    if (fraction !== '') {
      // Go scales the fraction in float64, which is nanosecond-exact for every unit up to hours.
      const digits = fraction.slice(0, 18);
      const scaled = (Number(digits) / 10 ** digits.length) * Number(unit);
      value += BigInt(Math.trunc(scaled));
      if (value > 1n << 63n) return undefined;
    }
    total += value;
    if (total > 1n << 63n) return undefined;
  }
  if (negative) return -total;
  return total > MAX_NANOS ? undefined : total;
}
