import type { Diagnostic } from './diagnostic.js';

/** Formats the place of a diagnostic as `file:line:col`, `file` or an empty string. */
export function formatLocation(d: Diagnostic): string {
  const loc = d.location;
  if (loc === undefined) return '';
  if (loc.line === undefined) return loc.file;
  return `${loc.file}:${loc.line}:${loc.column ?? 1}`;
}

/**
 * Renders diagnostics as text, one per line: `file:line:col severity message [code]`, with the
 * hint (when there is one) on an indented line below.
 */
export function renderText(diagnostics: readonly Diagnostic[]): string {
  let out = '';
  for (const d of diagnostics) {
    const where = formatLocation(d);
    const field =
      d.location?.pointer !== undefined && d.location.pointer !== ''
        ? ` (${d.location.pointer})`
        : '';
    const effect = d.effect !== undefined && d.effect !== 'cosmetic' ? ` {${d.effect}}` : '';
    out += `${where === '' ? 'meshlingo:' : `${where}`} ${d.severity} ${d.message}${effect}${field} [${d.code}]\n`;
    if (d.hint !== undefined) out += `  hint: ${d.hint}\n`;
  }
  return out;
}

/** Renders diagnostics as one JSON array. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return `${JSON.stringify(diagnostics, null, 2)}\n`;
}

/** A kustomize / KRM function `results[]` item. */
export interface KrmResult {
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly resourceRef?: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly name: string;
    readonly namespace?: string;
  };
  readonly field?: { readonly path: string };
  readonly file?: { readonly path: string; readonly index?: number };
  readonly tags: Readonly<Record<string, string>>;
}

/** Turns an RFC 6901 pointer into the dotted path KRM functions use (`spec.backends[1].weight`). */
export function pointerToFieldPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) path += `[${seg}]`;
    else path += path === '' ? seg : `.${seg}`;
  }
  return path;
}

/** Converts diagnostics to KRM function results (kustomize `ResourceList.results`). */
export function toKrmResults(diagnostics: readonly Diagnostic[]): KrmResult[] {
  return diagnostics.map((d) => ({
    message: d.message,
    severity: d.severity,
    ...(d.resource !== undefined && {
      resourceRef: {
        apiVersion: d.resource.apiVersion,
        kind: d.resource.kind,
        name: d.resource.name,
        ...(d.resource.namespace !== undefined && { namespace: d.resource.namespace }),
      },
    }),
    ...(d.location?.pointer !== undefined &&
      d.location.pointer !== '' && { field: { path: pointerToFieldPath(d.location.pointer) } }),
    ...(d.location !== undefined && {
      file: {
        path: d.location.file,
        ...(d.location.docIndex !== undefined && { index: d.location.docIndex }),
      },
    }),
    tags: { code: d.code, ...(d.effect !== undefined && { effect: d.effect }) },
  }));
}
