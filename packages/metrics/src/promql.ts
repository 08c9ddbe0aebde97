/**
 * Building PromQL text safely. Every value that comes from a caller (a namespace, a resource
 * name, a configured mesh name) reaches a query only through {@link promqlString}, and inside a
 * regular expression only after `escapeRegexLiteral` (core), so no input can change the query's shape.
 */

/** A Prometheus label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function isLabelName(value: string): boolean {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(value);
}

/**
 * Quotes text as a PromQL double-quoted string: backslash, double quote and every control
 * character are escaped, so the result is always exactly one string token.
 */
export function promqlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A label matcher operator. */
export type MatchOp = '=' | '!=' | '=~' | '!~';

/** One resolved label matcher: `label op "value"`. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  /** The value as Prometheus should see it (a regular expression for `=~` and `!~`). */
  readonly value: string;
}

/** Renders `metric{a="x",b=~"y"}`. */
export function selector(metric: string, matchers: readonly LabelMatcher[]): string {
  const inner = matchers.map((m) => `${m.label}${m.op}${promqlString(m.value)}`).join(', ');
  return `${metric}{${inner}}`;
}

/** A label derived with `label_replace` before aggregation. */
export interface LabelReplace {
  readonly label: string;
  readonly from: string;
  /** A fully anchored RE2 expression (Prometheus anchors it). */
  readonly regex: string;
  readonly replacement: string;
}

/** Wraps an expression in one `label_replace` per derivation, first derivation innermost. */
export function withDerivedLabels(expr: string, derive: readonly LabelReplace[]): string {
  return derive.reduce(
    (inner, d) =>
      `label_replace(${inner}, ${promqlString(d.label)}, ${promqlString(d.replacement)}, ${promqlString(d.from)}, ${promqlString(d.regex)})`,
    expr,
  );
}

/** Renders a window as a PromQL range: whole seconds as `60s`, anything else as milliseconds. */
export function promqlRange(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}
