/** How bad a diagnostic is. `error` makes the run exit 1 and keeps the affected object out of the output. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * What a lossy translation did to the meaning of the configuration. Checks key on this, never on
 * severity: a `widens-access` diagnostic is a finding even when the user chose to accept it.
 */
export type Effect = 'widens-access' | 'narrows-access' | 'changes-routing' | 'cosmetic';

/** A Kubernetes object reference as used in diagnostics, origins and the `meshlingo.io/source` annotation. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * Where something is in the user's input. `line` and `column` are 1-based; `pointer` is an RFC 6901
 * JSON pointer into the document (`/spec/backends/1/weight`). `docIndex` is 0-based.
 */
export interface SourceLocation {
  readonly file: string;
  readonly docIndex?: number;
  readonly pointer?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Template arguments of a diagnostic; tests assert these, not the rendered message. */
export type DiagnosticData = Readonly<Record<string, string | number | boolean>>;

/** One finding. Errors in user input are always reported this way, never thrown. */
export interface Diagnostic {
  /** Stable id, `<source>/<id>`, e.g. `smi/unknown-match` or `istio/regex-not-representable`. */
  readonly code: string;
  readonly severity: Severity;
  /** One line of prose rendered from the catalog template. */
  readonly message: string;
  /** The package area that produced it: `yaml`, `smi`, `core`, or an adapter name. */
  readonly source: string;
  readonly resource?: ResourceRef;
  readonly location?: SourceLocation;
  readonly data?: DiagnosticData;
  readonly effect?: Effect;
  readonly hint?: string;
}

/** One entry of a message catalog. */
export interface MessageSpec {
  readonly severity: Severity;
  /** Template; `{name}` is replaced with `data.name`. */
  readonly message: string;
  /** The default effect of the loss this message reports, if it reports one. */
  readonly effect?: Effect;
  readonly hint?: string;
  /** Longer explanation for generated docs. */
  readonly description?: string;
}

/** Message id to spec. Ids are kebab-case and never reused once retired. */
export type MessageCatalog = Readonly<Record<string, MessageSpec>>;

/** Identity helper that keeps the literal ids of a catalog for type checking `report()` calls. */
export function defineMessages<const M extends MessageCatalog>(messages: M): M {
  return messages;
}

/** Options for {@link createDiagnostic}. */
export interface DiagnosticInit {
  readonly data?: DiagnosticData;
  readonly location?: SourceLocation;
  readonly resource?: ResourceRef;
  readonly severity?: Severity;
  readonly effect?: Effect;
  readonly hint?: string;
}

/** Replaces `{key}` placeholders with data values; unknown keys stay visible so a bad template is noticed. */
export function renderTemplate(template: string, data: DiagnosticData | undefined): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
    const value = data !== undefined && Object.hasOwn(data, key) ? data[key] : undefined;
    return value === undefined ? whole : String(value);
  });
}

/** Builds a diagnostic from a catalog entry. Throws (a programmer error) when the id is not in the catalog. */
export function createDiagnostic(
  source: string,
  catalog: MessageCatalog,
  id: string,
  init: DiagnosticInit = {},
): Diagnostic {
  const spec = Object.hasOwn(catalog, id) ? catalog[id] : undefined;
  if (spec === undefined) throw new Error(`unknown message id ${source}/${id}`);
  const effect = init.effect ?? spec.effect;
  const hint = init.hint ?? spec.hint;
  return {
    code: `${source}/${id}`,
    severity: init.severity ?? spec.severity,
    message: renderTemplate(spec.message, init.data),
    source,
    ...(init.resource !== undefined && { resource: init.resource }),
    ...(init.location !== undefined && { location: init.location }),
    ...(init.data !== undefined && { data: init.data }),
    ...(effect !== undefined && { effect }),
    ...(hint !== undefined && { hint: renderTemplate(hint, init.data) }),
  };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Deterministic order: file, document, line, column, severity, code. Returns a new array. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? '';
    const fb = b.location?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const keys: [number, number][] = [
      [a.location?.docIndex ?? -1, b.location?.docIndex ?? -1],
      [a.location?.line ?? 0, b.location?.line ?? 0],
      [a.location?.column ?? 0, b.location?.column ?? 0],
      [severityRank[a.severity], severityRank[b.severity]],
    ];
    for (const [x, y] of keys) if (x !== y) return x - y;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}
