/**
 * IP address parsing with the rules of Go's `net.ParseIP` (the `ipv4`, `ipv6` and `cidr` string
 * formats), `net/netip.ParseAddr` (the Kubernetes CEL `ip()` and `cidr()` functions) and the
 * Kubernetes "sloppy" parser (`k8s-ip-sloppy`, leading zeros allowed).
 */

/** How strictly to read an address. */
export type IpSyntax = 'net' | 'netip' | 'sloppy';

/** A parsed address: 4 bytes for IPv4, 16 for IPv6 (IPv4 written inside IPv6 stays 16 bytes). */
export interface IpAddress {
  readonly bytes: Uint8Array;
}

function parseIPv4(text: string, syntax: IpSyntax): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    if (part.length > 1 && part.startsWith('0') && syntax !== 'sloppy') return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

function parseIPv6(text: string, syntax: IpSyntax): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let s = text;
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === '') return out;
  }
  while (i < 16) {
    const hex = /^[0-9A-Fa-f]+/.exec(s)?.[0] ?? '';
    if (hex === '' || (syntax === 'netip' && hex.length > 4)) return undefined;
    const value = Number.parseInt(hex, 16);
    if (value > 0xffff) return undefined;
    if (s[hex.length] === '.') {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      const v4 = parseIPv4(s, syntax);
      if (v4 === undefined) return undefined;
      out.set(v4, i);
      i += 4;
      s = '';
      break;
    }
    out[i] = value >> 8;
    out[i + 1] = value & 0xff;
    i += 2;
    s = s.slice(hex.length);
    if (s === '') break;
    if (!s.startsWith(':') || s.length === 1) return undefined;
    s = s.slice(1);
    if (s.startsWith(':')) {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const shift = 16 - i;
    out.copyWithin(ellipsis + shift, ellipsis, i);
    out.fill(0, ellipsis, ellipsis + shift);
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return out;
}

/** Parses an address; zones (`%eth0`) are never accepted. */
export function parseIp(text: string, syntax: IpSyntax): IpAddress | undefined {
  if (text.includes(':')) {
    const bytes = parseIPv6(text, syntax);
    return bytes === undefined ? undefined : { bytes };
  }
  if (text.includes('.')) {
    const bytes = parseIPv4(text, syntax);
    return bytes === undefined ? undefined : { bytes };
  }
  return undefined;
}

/** True for `::ffff:a.b.c.d`, an IPv4 address written as IPv6. */
export function isIPv4Mapped(ip: IpAddress): boolean {
  const b = ip.bytes;
  if (b.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** 4 or 6. */
export function ipFamily(ip: IpAddress): 4 | 6 {
  return ip.bytes.length === 4 ? 4 : 6;
}

/** The canonical text: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  const b = ip.bytes;
  if (b.length === 4) return Array.from(b).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] ?? 0) << 8) | (b[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (isIPv4Mapped(ip)) return `::ffff:${Array.from(b.slice(12)).join('.')}`;
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** An address and a prefix length, as written (not masked). */
export interface IpPrefix {
  readonly ip: IpAddress;
  readonly bits: number;
}

/**
 * Parses `address/bits`. `netip` rejects leading zeros in the length (Go's `netip.ParsePrefix`);
 * `net` accepts them (Go's `net.ParseCIDR`).
 */
export function parsePrefix(text: string, syntax: IpSyntax): IpPrefix | undefined {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash), syntax);
  const bitsText = text.slice(slash + 1);
  if (ip === undefined || !/^[0-9]{1,3}$/.test(bitsText)) return undefined;
  if (syntax === 'netip' && bitsText.length > 1 && bitsText.startsWith('0')) return undefined;
  const bits = Number(bitsText);
  if (bits > ip.bytes.length * 8) return undefined;
  return { ip, bits };
}

/** The prefix with every host bit cleared. */
export function maskPrefix(prefix: IpPrefix): IpPrefix {
  const bytes = new Uint8Array(prefix.ip.bytes);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.min(8, Math.max(0, prefix.bits - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { ip: { bytes }, bits: prefix.bits };
}

/** True when the address is inside the prefix (same family only). */
export function prefixContains(prefix: IpPrefix, ip: IpAddress): boolean {
  if (prefix.ip.bytes.length !== ip.bytes.length) return false;
  const a = maskPrefix(prefix).ip.bytes;
  const b = maskPrefix({ ip, bits: prefix.bits }).ip.bytes;
  return a.every((byte, i) => byte === b[i]);
}

/** Equal addresses (same family and bytes). */
export function ipEquals(a: IpAddress, b: IpAddress): boolean {
  return a.bytes.length === b.bytes.length && a.bytes.every((byte, i) => byte === b.bytes[i]);
}
