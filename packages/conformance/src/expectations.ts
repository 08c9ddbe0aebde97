import type { Diagnostic, DiagnosticData, Effect, Severity } from '@meshlingo/core';

/** What a test expects of one diagnostic; unset fields are not compared. */
export interface ExpectedDiagnostic {
  readonly code: string;
  readonly severity?: Severity;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  readonly file?: string;
  /** Compared key by key: each listed key must be present with this value. */
  readonly data?: DiagnosticData;
  readonly effect?: Effect;
}

/** The expectation a diagnostic meets exactly (for writing golden files). */
export function toExpected(d: Diagnostic): ExpectedDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    ...(d.location?.line !== undefined && { line: d.location.line }),
    ...(d.location?.column !== undefined && { column: d.location.column }),
    ...(d.location?.pointer !== undefined &&
      d.location.pointer !== '' && { pointer: d.location.pointer }),
    ...(d.data !== undefined && { data: d.data }),
    ...(d.effect !== undefined && { effect: d.effect }),
  };
}

/** Undefined when the diagnostic meets the expectation, else what differs. */
export function diagnosticMismatch(
  actual: Diagnostic,
  expected: ExpectedDiagnostic,
): string | undefined {
  const problems: string[] = [];
  const check = (field: string, got: unknown, want: unknown): void => {
    if (want !== undefined && got !== want)
      problems.push(`${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  check('code', actual.code, expected.code);
  check('severity', actual.severity, expected.severity);
  check('line', actual.location?.line, expected.line);
  check('column', actual.location?.column, expected.column);
  check('pointer', actual.location?.pointer ?? '', expected.pointer);
  check('file', actual.location?.file, expected.file);
  check('effect', actual.effect, expected.effect);
  for (const [key, value] of Object.entries(expected.data ?? {})) {
    const got =
      actual.data !== undefined && Object.hasOwn(actual.data, key) ? actual.data[key] : undefined;
    check(`data.${key}`, got, value);
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}

/**
 * Compares diagnostics with expectations in order. Every diagnostic must be expected (like
 * typescript-eslint's RuleTester, a run with an unexpected diagnostic fails). Returns the problems.
 */
export function compareDiagnostics(
  actual: readonly Diagnostic[],
  expected: readonly ExpectedDiagnostic[],
): string[] {
  const problems: string[] = [];
  if (actual.length !== expected.length) {
    problems.push(
      `expected ${expected.length} diagnostics, got ${actual.length}:\n${actual.map((d) => `  ${d.code} ${d.location?.line ?? '?'}:${d.location?.column ?? '?'} ${d.message}`).join('\n')}`,
    );
  }
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = expected[i];
    if (a === undefined || e === undefined) continue;
    const mismatch = diagnosticMismatch(a, e);
    if (mismatch !== undefined)
      problems.push(`diagnostic ${i} (${a.code} "${a.message}"): ${mismatch}`);
  }
  return problems;
}
