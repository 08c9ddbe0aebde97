import type { CaseCoreOptions } from '@meshlingo/conformance';
import { parseYamlStream } from '@meshlingo/core';

/** A case's options.yaml: `core` options, and options per adapter name. */
export function parseOptions(text: string | undefined): {
  core: CaseCoreOptions;
  adapters: Record<string, unknown>;
} {
  if (text === undefined) return { core: {}, adapters: {} };
  const parsed = parseYamlStream({ path: 'options.yaml', text });
  const value = parsed.documents[0]?.value;
  if (typeof value !== 'object' || value === null) return { core: {}, adapters: {} };
  const { core, ...adapters } = value as { core?: CaseCoreOptions } & Record<string, unknown>;
  return { core: core ?? {}, adapters };
}
