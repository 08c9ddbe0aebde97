import { normalizeModel } from '@meshlingo/conformance';
import {
  convert,
  featuresUsed,
  type AnyAdapter,
  type CapabilityLevel,
  type Diagnostic,
  type Effect,
  type FeatureId,
  type PipelineInput,
  type PipelineOptions,
  type SourceFile,
  toYamlStream,
} from '@meshlingo/core';

/** How a mesh carries the input, for `meshlingo check`. */
export interface MeshReport {
  readonly mesh: string;
  /** `ok`: carried (maybe approximated, never widened); `fails`: an object cannot be carried, or access would widen. */
  readonly status: 'ok' | 'approximated' | 'fails';
  readonly features: readonly { readonly feature: FeatureId; readonly level: CapabilityLevel }[];
  /** Findings of the translation, by code: how often, how bad, what they do. */
  readonly findings: readonly {
    readonly code: string;
    readonly severity: string;
    readonly effect?: Effect;
    readonly count: number;
    readonly example: string;
  }[];
  /** `exact`: SMI -> mesh -> SMI gives the input back; `semantic`: same meaning, other names or layout; `lossy`: meaning changed. */
  readonly roundTrip: 'exact' | 'semantic' | 'lossy' | 'not-checked';
  readonly objects: number;
}

function asSourceFiles(input: PipelineInput | undefined, name: string): SourceFile[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ path: name, text: input }];
  const first = input[0] as Partial<SourceFile> | undefined;
  if (first !== undefined && typeof first.text === 'string')
    return [...(input as readonly SourceFile[])];
  return [{ path: name, text: toYamlStream(input) }];
}

function contextOf(input: PipelineInput, context: PipelineInput | undefined): SourceFile[] {
  return [...asSourceFiles(input, '<input>'), ...asSourceFiles(context, '<context>')];
}

function findings(diagnostics: readonly Diagnostic[]): MeshReport['findings'] {
  const by = new Map<
    string,
    { code: string; severity: string; effect?: Effect; count: number; example: string }
  >();
  for (const d of diagnostics) {
    const entry = by.get(d.code);
    if (entry === undefined) {
      by.set(d.code, {
        code: d.code,
        severity: d.severity,
        ...(d.effect !== undefined && { effect: d.effect }),
        count: 1,
        example: d.message,
      });
    } else {
      entry.count += 1;
    }
  }
  return [...by.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
}

/**
 * What each target carries exactly, approximates or loses for an SMI input, with a round-trip
 * verdict. The input's own problems (errors in the SMI) are returned separately.
 */
export function checkPortability(
  input: PipelineInput,
  targets: readonly AnyAdapter[],
  options: PipelineOptions,
): { reports: MeshReport[]; inputDiagnostics: Diagnostic[] } {
  const base = convert(input, { ...options, to: ['smi'] });
  const used = [...featuresUsed(base.model)].sort();
  const reports = targets.map((adapter): MeshReport => {
    const emitted = convert(input, { ...options, to: [adapter] });
    const own = emitted.diagnostics.filter(
      (d) =>
        !base.diagnostics.some((b) => b.code === d.code && b.location?.line === d.location?.line),
    );
    const fails = own.some((d) => d.severity === 'error' || d.effect === 'widens-access');
    const approximated = own.some((d) => d.effect !== undefined && d.effect !== 'cosmetic');
    let roundTrip: MeshReport['roundTrip'] = 'not-checked';
    if (!fails) {
      // Read back with the same context (the input's own context objects and --context).
      const back = convert(emitted.objects, {
        ...options,
        to: ['smi'],
        from: [adapter],
        context: contextOf(input, options.context),
      });
      const same = (level: 'exact' | 'semantic') =>
        JSON.stringify(normalizeModel(base.model, level)) ===
        JSON.stringify(normalizeModel(back.model, level));
      roundTrip = same('exact') ? 'exact' : same('semantic') ? 'semantic' : 'lossy';
    }
    return {
      mesh: adapter.name,
      status: fails ? 'fails' : approximated || roundTrip === 'lossy' ? 'approximated' : 'ok',
      features: used.map((feature) => ({ feature, level: adapter.capabilities[feature].level })),
      findings: findings(own),
      roundTrip,
      objects: emitted.objects.length,
    };
  });
  return { reports, inputDiagnostics: base.diagnostics };
}

/** The report as text. */
export function renderCheck(reports: readonly MeshReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(
      `${r.mesh}: ${r.status.toUpperCase()} (${r.objects} objects, round trip: ${r.roundTrip})`,
    );
    const exact = r.features.filter((f) => f.level === 'full').map((f) => f.feature);
    const other = r.features.filter((f) => f.level !== 'full');
    if (exact.length > 0) out.push(`  carried exactly: ${exact.join(', ')}`);
    for (const f of other)
      out.push(
        `  ${f.level === 'partial' ? 'approximated or lost in part' : 'not carried'}: ${f.feature}`,
      );
    for (const f of r.findings) {
      out.push(
        `  ${f.severity} ${f.code}${f.effect === undefined ? '' : ` {${f.effect}}`} x${f.count}: ${f.example}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
