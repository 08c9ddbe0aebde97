import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStringFormat, isStrfmtDuration } from '../../src/crd/formats.js';
import { parseGoDuration } from '../../src/crd/go-duration.js';
import {
  escapedPath,
  parseRequestUri,
  parseUrl,
  urlHostname,
  urlPort,
  urlQuery,
} from '../../src/crd/go-url.js';
import {
  formatIp,
  maskPrefix,
  parseIp,
  parsePrefix,
  prefixContains,
} from '../../src/crd/ip-address.js';
import { canonicalJson } from '../../src/crd/json.js';
import { escapeCelProperty } from '../../src/crd/cel-value.js';

describe('parseGoDuration (time.ParseDuration)', () => {
  it.each([
    ['0', 0n],
    ['1s', 1_000_000_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['+2h45m', 9_900_000_000_000n],
    ['300ms', 300_000_000n],
    ['1.s', 1_000_000_000n],
    ['.5us', 500n],
    ['1\u00b5s', 1_000n],
    ['1\u03bcs', 1_000n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
  ])('%s is %d ns', (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it.each(['', '1', 's', '.s', '1d', '1sec', '-', '1h-1m', '2562047h47m16.854775808s'])(
    'rejects %j',
    (text) => {
      expect(parseGoDuration(text)).toBeUndefined();
    },
  );

  it('adds its parts exactly', () => {
    const part = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(part, part, part, part, (h, m, s, ms) => {
        const nanos =
          ((BigInt(h) * 60n + BigInt(m)) * 60n + BigInt(s)) * 1_000_000_000n +
          BigInt(ms) * 1_000_000n;
        expect(parseGoDuration(`${h}h${m}m${s}s${ms}ms`)).toBe(nanos);
      }),
    );
  });

  it('the duration format also takes strfmt units, but not nonsense', () => {
    expect(isStrfmtDuration('2 weeks')).toBe(true);
    expect(isStrfmtDuration('1h 30min')).toBe(true);
    expect(isStrfmtDuration('3 parsecs')).toBe(false);
  });
});

describe('Go url parsing', () => {
  it.each([
    ['https://user:pw@example.com:8443/a%20b?x=1#frag', true],
    ['/absolute/path', true],
    ['file:///opt/plugin.wasm', true],
    ['oci://ghcr.io/org/plugin:1', true],
    ['mailto:someone@example.com', true],
    ['*', true],
    ['relative/path', false],
    ['', false],
    ['https://a:b:c/', false],
    ['https://exa mple.com/', false],
    ['https://example.com/%zz', false],
    ['http://[::1', false],
    ['1http://x', false],
    ['http://x/\u0001', false],
  ])('ParseRequestURI(%j) ok: %s', (raw, ok) => {
    expect(parseRequestUri(raw) instanceof Error).toBe(!ok);
  });

  it('splits components like url.URL', () => {
    const url = parseUrl('HTTPS://example.com:8443/p%2Fq/r?k=a+b&k=c&bad=%zz&semi;colon=1#top');
    if (url instanceof Error) throw url;
    expect([url.scheme, url.host, urlHostname(url), urlPort(url), url.fragment]).toEqual([
      'https',
      'example.com:8443',
      'example.com',
      '8443',
      'top',
    ]);
    // A valid escaped path is kept as written; an invalid one is escaped again from the decoded path.
    expect(escapedPath(url)).toBe('/p%2Fq/r');
    const spaced = parseUrl('http://x/p%2Fq/r s');
    if (spaced instanceof Error) throw spaced;
    expect(escapedPath(spaced)).toBe('/p/q/r%20s');
    expect([...urlQuery(url)]).toEqual([['k', ['a b', 'c']]]);
    const v6 = parseUrl('http://[fe80::1%25en0]:80/');
    if (v6 instanceof Error) throw v6;
    expect([v6.host, urlHostname(v6), urlPort(v6)]).toEqual([
      '[fe80::1%en0]:80',
      'fe80::1%en0',
      '80',
    ]);
  });
});

describe('IP addresses', () => {
  it.each([
    ['1.2.3.4', 'net', '1.2.3.4'],
    ['::', 'net', '::'],
    ['2001:DB8:0:0:1:0:0:1', 'netip', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', 'net', '::1'],
    ['::ffff:10.0.0.1', 'net', '::ffff:10.0.0.1'],
    ['1.2.3.04', 'sloppy', '1.2.3.4'],
  ] as const)('%s (%s) is %s', (text, syntax, canonical) => {
    const ip = parseIp(text, syntax);
    expect(ip && formatIp(ip)).toBe(canonical);
  });

  it.each([
    ['1.2.3.04', 'net'],
    ['1.2.3', 'net'],
    ['256.1.1.1', 'net'],
    ['1:2:3:4:5:6:7:8:9', 'net'],
    ['1::2::3', 'net'],
    ['fe80::1%eth0', 'net'],
    ['00001::', 'netip'],
    ['1:2:3:4:5:6:7::8', 'net'],
  ] as const)('rejects %s (%s)', (text, syntax) => {
    expect(parseIp(text, syntax)).toBeUndefined();
  });

  it('reads, masks and tests prefixes', () => {
    const prefix = parsePrefix('10.1.2.3/8', 'netip');
    if (prefix === undefined) throw new Error('no prefix');
    expect(formatIp(maskPrefix(prefix).ip)).toBe('10.0.0.0');
    const inside = parseIp('10.200.0.1', 'netip');
    const outside = parseIp('11.0.0.1', 'netip');
    expect(inside && prefixContains(prefix, inside)).toBe(true);
    expect(outside && prefixContains(prefix, outside)).toBe(false);
    expect(parsePrefix('10.0.0.0/08', 'netip')).toBeUndefined();
    expect(parsePrefix('10.0.0.0/08', 'net')).toBeDefined();
    expect(parsePrefix('::/129', 'net')).toBeUndefined();
  });
});

describe('string formats', () => {
  it.each([
    ['mac', '00:1a:2b:3c:4d:5e', true],
    ['mac', '001a.2b3c.4d5e', true],
    ['mac', '00:1a-2b:3c:4d:5e', false],
    ['k8s-short-name', 'my-name', true],
    ['k8s-short-name', 'My-Name', false],
    ['k8s-long-name', 'a.b-c.d', true],
    ['uuid4', '123e4567-e89b-42d3-a456-426614174000', true],
    ['uuid4', '123e4567-e89b-12d3-a456-426614174000', false],
    ['datetime', '2024-01-01T23:59:59+01:00', true],
    ['date-time', '2024-01-01 23:59:59Z', false],
    ['password', 'anything', true],
  ])('%s %j is %s', (format, value, valid) => {
    expect(checkStringFormat(format, value)).toBe(valid);
  });

  it('leaves unknown formats unchecked', () => {
    expect(checkStringFormat('email', 'nope')).toBeUndefined();
    expect(checkStringFormat('int-or-string', 'x')).toBeUndefined();
  });
});

describe('CEL property escaping', () => {
  it.each([
    ['name', 'name'],
    ['namespace', '__namespace__'],
    ['x-y.z/w', 'x__dash__y__dot__z__slash__w'],
    ['a__b', 'a__underscores__b'],
    ['1st', undefined],
    ['a b', undefined],
  ])('%s is %s', (name, escaped) => {
    expect(escapeCelProperty(name)).toBe(escaped);
  });
});

describe('canonicalJson', () => {
  it('is the same for equal values whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
      }),
    );
  });
});
