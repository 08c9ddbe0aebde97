import {
  createDiagnostic,
  locatePointer,
  parseYamlStream,
  readInputFiles,
  type Diagnostic,
  type DiagnosticData,
  type SourceFile,
  type YamlDocument,
} from '@meshlingo/core';
import { createCrdSet, type CrdSet, type CrdVersion } from './crd-set.js';
import { CRD_SOURCE, crdMessages } from './messages.js';
import { isRecord } from './json.js';
import { compileSchema, type CompiledSchema } from './schema.js';

const CRD_API_VERSIONS = new Set(['apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1']);

/** Collects diagnostics about one document, with line and column resolved from its text. */
class DocumentReport {
  constructor(
    readonly document: YamlDocument,
    readonly diagnostics: Diagnostic[],
  ) {}

  add(id: keyof typeof crdMessages, pointer: string, data: DiagnosticData): void {
    this.diagnostics.push(
      createDiagnostic(CRD_SOURCE, crdMessages, id, {
        data,
        location: {
          file: this.document.file.path,
          docIndex: this.document.index,
          pointer,
          ...locatePointer(this.document, pointer),
        },
      }),
    );
  }
}

function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function child(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return isRecord(value) ? value : undefined;
}

interface SchemaSource {
  readonly raw: unknown;
  readonly pointer: string;
}

/** Compiles each distinct schema once: v1beta1 versions share the top-level one. */
class SchemaCache {
  private readonly compiled = new Map<unknown, CompiledSchema>();

  constructor(
    private readonly report: DocumentReport,
    private readonly crd: string,
  ) {}

  get(source: SchemaSource | undefined): CompiledSchema | undefined {
    if (source === undefined) return undefined;
    let schema = this.compiled.get(source.raw);
    if (schema === undefined) {
      const result = compileSchema(source.raw, source.pointer);
      for (const p of result.problems)
        this.report.add('invalid-crd', p.pointer, { crd: this.crd, reason: p.reason });
      schema = result.schema;
      this.compiled.set(source.raw, schema);
    }
    return schema;
  }
}

/** `<key>.openAPIV3Schema` of a CRD spec (`validation`, v1beta1) or of a version (`schema`). */
function schemaAt(
  container: Record<string, unknown> | undefined,
  key: 'schema' | 'validation',
  pointer: string,
): SchemaSource | undefined {
  const holder = container === undefined ? undefined : child(container, key);
  if (holder === undefined || !Object.hasOwn(holder, 'openAPIV3Schema')) return undefined;
  return { raw: holder.openAPIV3Schema, pointer: `${pointer}/${key}/openAPIV3Schema` };
}

/** Reads one CustomResourceDefinition into its versions; problems are reported, never thrown. */
function readCrd(
  raw: Record<string, unknown>,
  pointer: string,
  report: DocumentReport,
): CrdVersion[] {
  const apiVersion = text(raw, 'apiVersion') ?? '';
  const spec = child(raw, 'spec');
  const names = spec === undefined ? undefined : child(spec, 'names');
  const group = spec === undefined ? undefined : text(spec, 'group');
  const kind = names === undefined ? undefined : text(names, 'kind');
  const name =
    text(child(raw, 'metadata') ?? {}, 'name') ??
    `${text(names ?? {}, 'plural') ?? '?'}.${group ?? '?'}`;
  const invalid = (at: string, reason: string): CrdVersion[] => {
    report.add('invalid-crd', pointer + at, { crd: name, reason });
    return [];
  };
  if (!CRD_API_VERSIONS.has(apiVersion))
    return invalid('/apiVersion', `unsupported apiVersion ${apiVersion}`);
  if (spec === undefined) return invalid('', 'spec is missing');
  if (group === undefined) return invalid('/spec', 'spec.group is missing');
  if (kind === undefined) return invalid('/spec', 'spec.names.kind is missing');
  const v1 = apiVersion === 'apiextensions.k8s.io/v1';
  const scopeText = text(spec, 'scope');
  if (scopeText !== undefined && scopeText !== 'Namespaced' && scopeText !== 'Cluster') {
    return invalid('/spec/scope', `unknown scope ${scopeText}`);
  }
  if (scopeText === undefined && v1)
    report.add('invalid-crd', `${pointer}/spec`, { crd: name, reason: 'spec.scope is missing' });
  const scope = scopeText ?? 'Namespaced';
  const preserve = Object.hasOwn(spec, 'preserveUnknownFields')
    ? spec.preserveUnknownFields
    : undefined;
  // v1beta1 kept unknown fields unless told otherwise; v1 prunes unless told otherwise.
  const pruning = v1 ? preserve !== true : preserve === false;
  const schemas = new SchemaCache(report, name);
  const sharedSchema = v1 ? undefined : schemaAt(spec, 'validation', `${pointer}/spec`);
  const sharedStatus = isRecord(child(spec, 'subresources')?.status);
  const location = { file: report.document.file.path, docIndex: report.document.index, pointer };
  const make = (
    version: string,
    entry: Record<string, unknown> | undefined,
    at: string,
  ): CrdVersion => {
    const own = schemaAt(entry, 'schema', at);
    if (v1 && own === undefined)
      report.add('invalid-crd', at, { crd: name, reason: `version ${version} has no schema` });
    const flag = (key: string, fallback: boolean): boolean => {
      const value = entry !== undefined && Object.hasOwn(entry, key) ? entry[key] : undefined;
      return typeof value === 'boolean' ? value : fallback;
    };
    const subresources = entry === undefined ? undefined : child(entry, 'subresources');
    return {
      crd: name,
      group,
      version,
      kind,
      apiVersion: `${group}/${version}`,
      scope,
      served: flag('served', true),
      storage: flag('storage', true),
      deprecated: flag('deprecated', false),
      deprecationWarning: entry === undefined ? undefined : text(entry, 'deprecationWarning'),
      statusSubresource: subresources === undefined ? sharedStatus : isRecord(subresources.status),
      pruning,
      schema: schemas.get(own ?? sharedSchema),
      source: location,
    };
  };
  const rawVersions = Object.hasOwn(spec, 'versions') ? spec.versions : undefined;
  if (Array.isArray(rawVersions) && rawVersions.length > 0) {
    const out: CrdVersion[] = [];
    rawVersions.forEach((entry: unknown, i) => {
      const at = `${pointer}/spec/versions/${i}`;
      const versionName = isRecord(entry) ? text(entry, 'name') : undefined;
      if (!isRecord(entry) || versionName === undefined) {
        report.add('invalid-crd', at, { crd: name, reason: 'a version needs a name' });
        return;
      }
      out.push(make(versionName, entry, at));
    });
    return out;
  }
  const single = v1 ? undefined : text(spec, 'version');
  if (single === undefined) return invalid('/spec', 'spec.versions is missing');
  return [make(single, undefined, `${pointer}/spec`)];
}

function isCrd(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.kind === 'CustomResourceDefinition';
}

/**
 * Reads CustomResourceDefinitions from YAML or JSON texts (multi-document streams, `List` and
 * `CustomResourceDefinitionList` documents too) into a set looked up by `group/version` and kind.
 * Other documents are skipped silently; documents that do not parse (Helm templates) are
 * reported as `crd/skipped-document` and skipped. A later CRD for the same group and kind
 * replaces an earlier one (`crd/duplicate-crd`), as applying both to a cluster would.
 */
export function loadCrdSet(files: readonly SourceFile[]): {
  crds: CrdSet;
  diagnostics: Diagnostic[];
} {
  const diagnostics: Diagnostic[] = [];
  const byKind = new Map<string, CrdVersion[]>();
  for (const file of files) {
    const parsed = parseYamlStream(file);
    for (const d of parsed.diagnostics) {
      diagnostics.push(
        createDiagnostic(CRD_SOURCE, crdMessages, 'skipped-document', {
          data: { reason: d.message, code: d.code },
          ...(d.location !== undefined && { location: d.location }),
        }),
      );
    }
    for (const document of parsed.documents) {
      const report = new DocumentReport(document, diagnostics);
      const value = document.value;
      const candidates: { raw: Record<string, unknown>; pointer: string }[] = [];
      if (isCrd(value)) candidates.push({ raw: value, pointer: '' });
      else if (isRecord(value) && Array.isArray(value.items) && /List$/.test(String(value.kind))) {
        value.items.forEach((item: unknown, i) => {
          if (isCrd(item)) candidates.push({ raw: item, pointer: `/items/${i}` });
        });
      }
      for (const { raw, pointer } of candidates) {
        const versions = readCrd(raw, pointer, report);
        const first = versions[0];
        if (first === undefined) continue;
        const key = `${first.group}\u0000${first.kind}`;
        const previous = byKind.get(key)?.[0];
        if (previous !== undefined) {
          report.add('duplicate-crd', pointer, {
            group: first.group,
            kind: first.kind,
            crd: first.crd,
            previous: previous.source.file,
          });
        }
        byKind.set(key, versions);
      }
    }
  }
  return { crds: createCrdSet([...byKind.values()].flat()), diagnostics };
}

/**
 * Reads CRD files and directories (recursively, `.yaml`, `.yml`, `.json`) and loads them like
 * {@link loadCrdSet}. Unreadable paths are diagnostics, not exceptions.
 */
export async function loadCrdDirectory(
  paths: readonly string[],
): Promise<{ crds: CrdSet; diagnostics: Diagnostic[] }> {
  const read = await readInputFiles(paths);
  const loaded = loadCrdSet(read.files);
  return { crds: loaded.crds, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
}
