import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { objectsToManifests, toManifests, type KubeObject, type Manifest } from '../io/manifest.js';
import { parseYamlStream, type ReadLimits, type YamlDocument } from '../io/reader.js';
import type { SourceFile } from '../io/source-file.js';

/** What the pipeline reads: YAML/JSON text, several named texts, or objects. */
export type PipelineInput = string | readonly SourceFile[] | readonly KubeObject[];

function isSourceFiles(
  input: readonly SourceFile[] | readonly KubeObject[],
): input is readonly SourceFile[] {
  const first = input[0] as Partial<SourceFile> | undefined;
  return first !== undefined && typeof first.text === 'string' && typeof first.path === 'string';
}

/** Parses input into manifests (no SMI or context interpretation yet). */
export function loadManifests(
  input: PipelineInput,
  limits: ReadLimits = {},
  name = '<input>',
): { manifests: Manifest[]; documents: YamlDocument[]; diagnostics: Diagnostic[] } {
  if (typeof input === 'string') return loadManifests([{ path: name, text: input }], limits);
  if (input.length === 0) return { manifests: [], documents: [], diagnostics: [] };
  if (!isSourceFiles(input)) {
    return { ...objectsToManifests(input, name), documents: [] };
  }
  const manifests: Manifest[] = [];
  const documents: YamlDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of input) {
    const parsed = parseYamlStream(file, limits);
    diagnostics.push(...parsed.diagnostics);
    documents.push(...parsed.documents);
    const converted = toManifests(parsed.documents);
    manifests.push(...converted.manifests);
    diagnostics.push(...converted.diagnostics);
  }
  return { manifests, documents, diagnostics };
}
