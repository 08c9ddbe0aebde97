/** A parsed CIDR: IP version, network bits and prefix length. */
export interface Cidr {
  readonly version: 4 | 6;
  readonly bits: bigint;
  readonly prefix: number;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    out = (out << 8n) | BigInt(part);
  }
  return out;
}

function parseV6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined =>
    s === ''
      ? []
      : s.split(':').every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))
        ? s.split(':')
        : undefined;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1))
    return undefined;
  const all = [...head, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address; undefined when it is not an IP network. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = address.includes(':') ? 6 : 4;
  const value = version === 4 ? parseV4(address) : parseV6(address);
  const width = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width)
    return undefined;
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return { version, bits: value & mask, prefix };
}

function masked(c: Cidr, prefix: number): bigint {
  const width = c.version === 4 ? 32 : 128;
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return c.bits & mask;
}

/** True when `outer` contains every address of `inner`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.version === inner.version &&
    outer.prefix <= inner.prefix &&
    masked(inner, outer.prefix) === outer.bits
  );
}

/** True when two networks share an address. */
export function overlapsCidr(a: Cidr, b: Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

/** A network entry of a NetworkAuthentication or ServerAuthorization: a CIDR minus exceptions. */
export interface NetworkEntry {
  readonly cidr: string;
  readonly except?: readonly string[] | undefined;
}

/**
 * True when the entries admit every address of `network`: one entry's CIDR contains it and none of
 * that entry's exceptions overlaps it.
 */
export function networksCover(entries: readonly NetworkEntry[], network: string): boolean {
  const target = parseCidr(network);
  if (target === undefined) return false;
  return entries.some((e) => {
    const cidr = parseCidr(e.cidr);
    if (cidr === undefined || !containsCidr(cidr, target)) return false;
    return (e.except ?? []).every((x) => {
      const ex = parseCidr(x);
      return ex !== undefined && !overlapsCidr(ex, target);
    });
  });
}

/**
 * True when the entries admit every address of every listed network: with the cluster networks,
 * whether any meshed pod may connect, which is all SMI can tell apart.
 */
export function networksAdmit(
  entries: readonly NetworkEntry[],
  networks: readonly string[],
): boolean {
  return networks.every((n) => networksCover(entries, n));
}
