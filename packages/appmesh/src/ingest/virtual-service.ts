import type { Manifest } from '@meshlingo/core';
import { fieldName, type Cursor, type IngestSink } from './cursor.js';
import { readObject, readRef } from './object.js';
import type { ObjectKey, ParsedProvider, ParsedVirtualService } from './parsed.js';
import { readRouterListeners, readRoutes } from './virtual-router.js';

function readProviderRef(
  provider: Cursor,
  key: 'virtualNode' | 'virtualRouter',
  namespace: string,
): ObjectKey | undefined {
  const side = provider.record(key);
  if (side === undefined) return undefined;
  side.onlyKnown([`${key}Ref`, `${key}ARN`]);
  if (side.has(`${key}ARN`)) {
    side.sink.report('arn-reference', side.manifest, side.at(`${key}ARN`), {
      data: { field: fieldName(side.at(`${key}ARN`)) },
      effect: 'changes-routing',
    });
  }
  const ref = side.record(`${key}Ref`);
  return ref === undefined ? undefined : readRef(ref, namespace);
}

/**
 * Reads a VirtualService: the host name clients dial (its AWS name) and who provides it. A
 * v1beta1 VirtualService is named by its host name and embeds its router and routes.
 */
export function readVirtualService(
  manifest: Manifest,
  sink: IngestSink,
  defaultNamespace: string,
): ParsedVirtualService | undefined {
  const start = readObject(manifest, sink, defaultNamespace, true);
  if (start === undefined) return undefined;
  const { spec, base } = start;
  if (base.legacy) {
    spec.onlyKnown(['meshName', 'virtualRouter', 'routes']);
    const router = spec.record('virtualRouter');
    router?.onlyKnown(['name', 'listeners']);
    const embedded: ParsedProvider = {
      kind: 'embedded',
      router: {
        ...base,
        name: router?.name('name') ?? base.name,
        listeners: router === undefined ? [] : readRouterListeners(router),
        routes: readRoutes(spec, base.namespace, true),
      },
    };
    return { ...base, awsName: base.name, provider: embedded };
  }
  spec.onlyKnown(['awsName', 'meshRef', 'provider']);
  const awsName = spec.has('awsName') ? spec.host('awsName') : `${base.name}.${base.namespace}`;
  const provider = spec.record('provider');
  provider?.onlyKnown(['virtualNode', 'virtualRouter']);
  const node =
    provider === undefined ? undefined : readProviderRef(provider, 'virtualNode', base.namespace);
  const router =
    provider === undefined ? undefined : readProviderRef(provider, 'virtualRouter', base.namespace);
  const parsed: ParsedProvider | undefined =
    node !== undefined
      ? { kind: 'node', ref: node }
      : router !== undefined
        ? { kind: 'router', ref: router }
        : undefined;
  return {
    ...base,
    awsName: awsName ?? base.name,
    ...(parsed !== undefined && { provider: parsed }),
  };
}
