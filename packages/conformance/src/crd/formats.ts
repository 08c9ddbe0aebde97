import { compileRe2 } from '@meshlingo/core';
import { parseGoDuration } from './go-duration.js';
import { parseRequestUri } from './go-url.js';
import { parseIp, parsePrefix } from './ip-address.js';

/**
 * String formats checked the way the API server's format registry (kube-openapi `strfmt`) checks
 * them. The registry ignores dashes in names (`date-time` is `datetime`). Formats missing here are
 * not checked: `email`, `isbn`, `isbn10`, `isbn13`, `creditcard`, `ssn`, `hexcolor`, `rgbcolor`,
 * `bsonobjectid` and any name the registry does not know.
 */
export const CHECKED_STRING_FORMATS = [
  'byte',
  'cidr',
  'date',
  'datetime',
  'duration',
  'hostname',
  'ipv4',
  'ipv6',
  'k8s-ip-sloppy',
  'k8s-long-name',
  'k8s-short-name',
  'mac',
  'password',
  'uri',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
] as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const FULL_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME_OF_DAY = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const SHORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LONG_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAC_COLON = /^[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2})*$/;
const MAC_DOT = /^[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4})*$/;
// The strfmt hostname pattern; it needs Unicode classes, so it runs on RE2 like the original.
const HOSTNAME =
  '^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z0-9\\p{S}\\p{L}])(-?[a-zA-Z0-9\\p{S}\\p{L}]){1,62})$';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's `time.Parse("2006-01-02", s)`: four-digit year, real month and day. */
function isFullDate(value: string): boolean {
  const m = FULL_DATE.exec(value);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const max = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  return day <= max;
}

/** strfmt `IsDateTime`: a full date, `T`, and an RFC 3339 time with seconds and an offset. */
export function isDateTime(value: string): boolean {
  if (value.length < 4) return false;
  const parts = value.toLowerCase().split('t');
  const date = parts[0];
  const time = parts[1];
  if (date === undefined || time === undefined || !isFullDate(date)) return false;
  const m = TIME_OF_DAY.exec(time);
  if (m === null) return false;
  return (m[1] ?? '') <= '23' && (m[2] ?? '') <= '59' && (m[3] ?? '') <= '59';
}

const TIME_UNITS: readonly (readonly string[])[] = [
  ['ns', 'nano'],
  ['us', '\u00b5s', 'micro'],
  ['ms', 'milli'],
  ['s', 'sec'],
  ['m', 'min'],
  ['h', 'hr', 'hour'],
  ['d', 'day'],
  ['w', 'wk', 'week'],
];

/** strfmt `ParseDuration`: a Go duration, or the Scala-style `3 days 2h` it also accepts. */
export function isStrfmtDuration(value: string): boolean {
  if (parseGoDuration(value) !== undefined) return true;
  if (!/^\s*(?:\d+\s*[A-Za-z\u00b5]+\s*)+$/.test(value)) return false;
  for (const m of value.matchAll(/(\d+)\s*([A-Za-z\u00b5]+)/g)) {
    const unit = (m[2] ?? '').trim().toLowerCase();
    for (const variants of TIME_UNITS) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) return true;
    }
  }
  return false;
}

function isHostname(value: string): boolean {
  const re = compileRe2(HOSTNAME);
  if (re instanceof Error || !re.matcher(value).find()) return false;
  return (
    Buffer.byteLength(value) <= 255 && value.split('.').every((p) => Buffer.byteLength(p) <= 63)
  );
}

function isMac(value: string): boolean {
  const groups = (value.length + 1) / 3;
  if (MAC_COLON.test(value)) return groups === 6 || groups === 8 || groups === 20;
  const bytes = (2 * (value.length + 1)) / 5;
  if (MAC_DOT.test(value)) return bytes === 6 || bytes === 8 || bytes === 20;
  return false;
}

const STRING_CHECKS = new Map<string, (value: string) => boolean>([
  ['byte', (v) => BASE64.test(v)],
  ['cidr', (v) => parsePrefix(v, 'net') !== undefined],
  ['date', isFullDate],
  ['datetime', isDateTime],
  ['duration', isStrfmtDuration],
  ['hostname', isHostname],
  ['ipv4', (v) => v.includes('.') && parseIp(v, 'net') !== undefined],
  ['ipv6', (v) => v.includes(':') && parseIp(v, 'net') !== undefined],
  ['k8sipsloppy', (v) => parseIp(v, 'sloppy') !== undefined],
  ['k8slongname', (v) => v.length <= 253 && LONG_NAME.test(v)],
  ['k8sshortname', (v) => v.length <= 63 && SHORT_NAME.test(v)],
  ['mac', isMac],
  ['password', () => true],
  ['uri', (v) => !(parseRequestUri(v) instanceof Error)],
  ['uuid', (v) => UUID.test(v)],
  ['uuid3', (v) => UUID3.test(v)],
  ['uuid4', (v) => UUID4.test(v)],
  ['uuid5', (v) => UUID5.test(v)],
]);

/** True or false for a checked string format; undefined when the format is not checked. */
export function checkStringFormat(format: string, value: string): boolean | undefined {
  return STRING_CHECKS.get(format.replaceAll('-', ''))?.(value);
}

const INT32 = 2 ** 31;

/**
 * `int32` and `int64` ranges. The API server itself does not check them (it stores every integer
 * as int64), but the controller's typed client fails to decode a value out of range, so the
 * object would be accepted and then be unusable.
 */
export function checkNumberFormat(format: string, value: number): boolean | undefined {
  if (format === 'int32')
    return Number.isInteger(value) ? value >= -INT32 && value < INT32 : undefined;
  if (format === 'int64') {
    return Number.isInteger(value) ? value >= -(2 ** 63) && value < 2 ** 63 : undefined;
  }
  return undefined;
}
