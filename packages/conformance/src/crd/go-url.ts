/**
 * The parts of Go's `net/url` that the Kubernetes CEL URL library and the `uri` string format
 * depend on: `url.ParseRequestURI` (the validity check) and `url.Parse` (the components). Only
 * the behaviour is mirrored; the field names follow Go so the library functions read naturally.
 */

/** A parsed URL; strings are unescaped like Go's `url.URL` fields. */
export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  readonly host: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly fragment: string;
}

type Mode = 'path' | 'host' | 'zone' | 'user' | 'query' | 'fragment';

class UrlError extends Error {}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return c - 0x41 + 10;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Go's `shouldEscape` for the encodings used here (RFC 3986 with Go's leniencies). */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'user':
        return '@/?:'.includes(ch);
      case 'query':
        return true;
      case 'fragment':
        return false;
      case 'host':
      case 'zone':
        break;
    }
  }
  if (mode === 'fragment' && `!()*`.includes(ch)) return false;
  return true;
}

function utf8Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Go's `unescape`: checks percent escapes (and host characters) and decodes them. */
function unescape(text: string, mode: Mode): string {
  const bytes = utf8Bytes(text);
  const out: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const c = bytes[i] ?? 0;
    if (c === 0x25) {
      const h1 = bytes[i + 1];
      const h2 = bytes[i + 2];
      if (h1 === undefined || h2 === undefined || !isHex(h1) || !isHex(h2)) {
        throw new UrlError(`invalid URL escape in ${text}`);
      }
      const value = (unhex(h1) << 4) | unhex(h2);
      const isPercent25 = h1 === 0x32 && h2 === 0x35;
      // RFC 3986 lets a host use %-escapes only for non-ASCII bytes; RFC 6874 adds %25.
      if (mode === 'host' && unhex(h1) < 8 && !isPercent25) {
        throw new UrlError(`invalid URL escape in host ${text}`);
      }
      if (mode === 'zone' && !isPercent25 && value !== 0x20 && shouldEscape(value, 'host')) {
        throw new UrlError(`invalid URL escape in zone ${text}`);
      }
      out.push(value);
      i += 3;
    } else if (c === 0x2b) {
      out.push(mode === 'query' ? 0x20 : c);
      i += 1;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
        throw new UrlError(
          `invalid character ${JSON.stringify(String.fromCharCode(c))} in host name`,
        );
      }
      out.push(c);
      i += 1;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** Go's `escape` for paths: percent-encodes every byte that `shouldEscape` says must be. */
function escapePath(text: string): string {
  let out = '';
  for (const c of utf8Bytes(text)) {
    out += shouldEscape(c, 'path')
      ? `%${c.toString(16).toUpperCase().padStart(2, '0')}`
      : String.fromCharCode(c);
  }
  return out;
}

function validEncodedPath(text: string): boolean {
  for (const c of utf8Bytes(text)) {
    if (`!$&'()*+,;=:@[]%`.includes(String.fromCharCode(c))) continue;
    if (shouldEscape(c, 'path')) return false;
  }
  return true;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (!port.startsWith(':')) return false;
  for (const ch of port.slice(1)) if (ch < '0' || ch > '9') return false;
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${colonPort} after host`);
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      return (
        unescape(host.slice(0, zone), 'host') +
        unescape(host.slice(zone, close), 'zone') +
        unescape(host.slice(close), 'host')
      );
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !validOptionalPort(host.slice(colon))) {
      throw new UrlError(`invalid port ${host.slice(colon)} after host`);
    }
  }
  return unescape(host, 'host');
}

function validUserinfo(text: string): boolean {
  for (const ch of text) {
    if (/[A-Za-z0-9]/.test(ch)) continue;
    if (!"-._:~!$&'()*+,;=%@".includes(ch)) return false;
  }
  return true;
}

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!validUserinfo(userinfo)) throw new UrlError('invalid userinfo');
    for (const part of userinfo.split(':', 2)) unescape(part, 'user');
  }
  return host;
}

function getScheme(raw: string): { scheme: string; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] ?? '';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function hasControlByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function parse(raw: string, viaRequest: boolean): GoUrl {
  if (hasControlByte(raw)) throw new UrlError('invalid control character in URL');
  if (raw === '' && viaRequest) throw new UrlError('empty url');
  const empty = { scheme: '', opaque: '', host: '', rawQuery: '', fragment: '', rawPath: '' };
  if (raw === '*') return { ...empty, path: '*' };
  const split = getScheme(raw);
  const scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...empty, scheme, opaque: rest, rawQuery, path: '' };
    if (viaRequest) throw new UrlError('invalid URI for request');
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) {
      throw new UrlError('first path segment in URL cannot contain colon');
    }
  }
  let host = '';
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    host = parseAuthority(authority);
  }
  const path = unescape(rest, 'path');
  const rawPath = escapePath(path) === rest ? '' : rest;
  return { ...empty, scheme, host, rawQuery, path, rawPath };
}

/** Go's `url.ParseRequestURI`: an absolute URI or an absolute path, no fragment handling. */
export function parseRequestUri(raw: string): GoUrl | Error {
  try {
    return parse(raw, true);
  } catch (error) {
    if (error instanceof UrlError) return error;
    throw error;
  }
}

/** Go's `url.Parse`: any URL reference, with a `#fragment`. */
export function parseUrl(raw: string): GoUrl | Error {
  try {
    const hash = raw.indexOf('#');
    const url = parse(hash < 0 ? raw : raw.slice(0, hash), false);
    if (hash < 0) return url;
    return { ...url, fragment: unescape(raw.slice(hash + 1), 'fragment') };
  } catch (error) {
    if (error instanceof UrlError) return error;
    throw error;
  }
}

/** Go's `URL.EscapedPath`. */
export function escapedPath(url: GoUrl): string {
  if (url.rawPath !== '' && validEncodedPath(url.rawPath)) {
    try {
      if (unescape(url.rawPath, 'path') === url.path) return url.rawPath;
    } catch {
      // An invalid raw path falls back to escaping the decoded one, as Go does.
    }
  }
  if (url.path === '*') return '*';
  return escapePath(url.path);
}

function splitHostPort(hostPort: string): { hostname: string; port: string } {
  let hostname = hostPort;
  let port = '';
  const colon = hostname.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(hostname.slice(colon))) {
    port = hostname.slice(colon + 1);
    hostname = hostname.slice(0, colon);
  }
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** Go's `URL.Hostname`: the host without port and without IPv6 brackets. */
export function urlHostname(url: GoUrl): string {
  return splitHostPort(url.host).hostname;
}

/** Go's `URL.Port`. */
export function urlPort(url: GoUrl): string {
  return splitHostPort(url.host).port;
}

/**
 * Go's `URL.Query`: `k=v` pairs split at `&`, unescaped with `+` as space. Pairs with a `;` or a
 * bad escape are dropped, like Go does since 1.17. Keys go into a Map: they are untrusted.
 */
export function urlQuery(url: GoUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of url.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    try {
      const key = unescape(eq < 0 ? part : part.slice(0, eq), 'query');
      const value = eq < 0 ? '' : unescape(part.slice(eq + 1), 'query');
      const list = out.get(key);
      if (list === undefined) out.set(key, [value]);
      else list.push(value);
    } catch (error) {
      if (!(error instanceof UrlError)) throw error;
    }
  }
  return out;
}
