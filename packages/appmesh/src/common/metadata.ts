import { generatedMetadata, type ResourceRef } from '@meshlingo/core';

/**
 * Metadata of an object meshlingo writes (managed-by label, `meshlingo.io/source` naming what it
 * came from), without an empty annotations map when it came from nothing in particular.
 */
export function objectMetadata(
  name: string,
  namespace: string | undefined,
  sources: readonly ResourceRef[],
  annotations: Readonly<Record<string, string>> = {},
):
  ReturnType<typeof generatedMetadata> | Omit<ReturnType<typeof generatedMetadata>, 'annotations'> {
  const { annotations: all, ...rest } = generatedMetadata(name, namespace, sources, {
    annotations,
  });
  return Object.keys(all).length === 0 ? rest : { ...rest, annotations: all };
}
