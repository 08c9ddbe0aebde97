import { generatedMetadata, type ResourceRef } from '@meshlingo/core';
import { SMI_ANNOTATION } from '../smi-annotation.js';

/**
 * Metadata of a generated object: the managed-by label, `meshlingo.io/source` naming the SMI
 * objects it came from, and `meshlingo.io/smi` when the translation was exact. No empty
 * `annotations` map on objects that came from nothing (default deny).
 */
export function metadataFor(
  name: string,
  namespace: string,
  sources: readonly ResourceRef[],
  fragment: string | undefined,
): Record<string, unknown> {
  const { annotations, ...rest } = generatedMetadata(name, namespace, sources, {
    ...(fragment !== undefined && { annotations: { [SMI_ANNOTATION]: fragment } }),
  });
  return Object.keys(annotations).length === 0 ? rest : { ...rest, annotations };
}
