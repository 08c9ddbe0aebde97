/**
 * A YAML writer for Kubernetes objects whose output reads the same under YAML 1.1 (the Go YAML
 * reader behind kubectl, Helm and kustomize) and YAML 1.2 (the core schema): a string is written
 * plain only when no reader of either version could take it for anything but that string;
 * everything else is double-quoted. Block style, two-space indentation, keys in insertion order.
 */

const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~']);

/** A string that is safe unquoted in block context under YAML 1.1 and 1.2. */
function isPlainSafe(s: string): boolean {
  if (s === '' || !/^[A-Za-z_/]/.test(s)) return false;
  if (!/^[A-Za-z0-9_/][-A-Za-z0-9_./@%+=,~() :*]*$/.test(s)) return false;
  if (s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #')) return false;
  // `e5` is a float to some YAML 1.1 readers (their exponent rule lets the mantissa be empty).
  if (/^[eE][-+]?[0-9]/.test(s)) return false;
  return !RESERVED.has(s.toLowerCase());
}

/** Characters YAML does not allow raw in a double-quoted scalar, or that YAML 1.1 reads as line breaks. */
const NEEDS_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

function quote(s: string): string {
  return JSON.stringify(s).replace(
    NEEDS_ESCAPE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Multi-line text that a literal block scalar carries exactly without an indentation indicator:
 * no character that needs escaping, no line ending in white space, and a first line that starts
 * with a visible character (so the reader detects the indentation we write).
 */
function fitsLiteralBlock(s: string): boolean {
  if (!s.includes('\n')) return false;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s)) return false;
  if (/[ \t]\n|[ \t]$/.test(s)) return false;
  return /^[^\s]/.test(s);
}

function literalBlock(s: string, indent: string): string {
  const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? s : s.slice(0, -1);
  const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
  return `|${chomp}\n${lines.join('\n')}`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return isPlainSafe(s) ? s : quote(s);
}

function key(k: string): string {
  return isPlainSafe(k) ? k : quote(k);
}

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollection(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function entriesOf(value: object): [string, unknown][] {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

/** Writes a value that follows a `key:` or `- ` on the same line (or starts the next lines). */
function valueAfter(value: unknown, indent: string, out: string[], line: string): void {
  if (!isCollection(value)) {
    if (typeof value === 'string' && fitsLiteralBlock(value)) {
      out.push(`${line} ${literalBlock(value, `${indent}  `)}`);
    } else {
      out.push(`${line} ${scalar(value)}`);
    }
    return;
  }
  if (isEmptyCollection(value)) {
    out.push(`${line} ${Array.isArray(value) ? '[]' : '{}'}`);
    return;
  }
  out.push(line);
  writeCollection(value, `${indent}  `, out);
}

function writeCollection(value: object, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) writeItem(item, indent, out);
    return;
  }
  for (const [k, v] of entriesOf(value)) valueAfter(v, indent, out, `${indent}${key(k)}:`);
}

function writeItem(item: unknown, indent: string, out: string[]): void {
  if (!isCollection(item) || isEmptyCollection(item)) {
    valueAfter(item, indent, out, `${indent}-`);
    return;
  }
  // Write the item as a block two columns further in, then put the dash on its first line.
  const block: string[] = [];
  writeCollection(item, `${indent}  `, block);
  const first = block[0] ?? '';
  block[0] = `${indent}- ${first.slice(indent.length + 2)}`;
  out.push(...block);
}

/** Serialises one value (normally a Kubernetes object) as a YAML document, ending in a newline. */
export function toYaml(value: unknown): string {
  if (!isCollection(value)) return `${scalar(value)}\n`;
  if (isEmptyCollection(value)) return Array.isArray(value) ? '[]\n' : '{}\n';
  const out: string[] = [];
  writeCollection(value, '', out);
  return `${out.join('\n')}\n`;
}

/** Serialises values as a multi-document YAML stream separated by `---`. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/**
 * Serialises values as JSON: one object as itself, several as a `v1` `List` (what kubectl
 * prints and accepts for more than one object).
 */
export function toJson(values: readonly unknown[]): string {
  const payload =
    values.length === 1 ? values[0] : { apiVersion: 'v1', kind: 'List', items: values };
  return `${JSON.stringify(payload, null, 2)}\n`;
}
