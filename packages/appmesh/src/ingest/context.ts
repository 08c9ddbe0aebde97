import {
  coreMessages,
  createDiagnostic,
  manifestLocation,
  manifestRef,
  type IngestContext,
  type NameAllocator,
} from '@meshlingo/core';
import type { AppMeshMessageId, appMeshMessages } from '../messages.js';
import type { AppMeshOptions } from '../options.js';
import type { IngestSink } from './cursor.js';
import type { Topology } from './topology.js';

/** What the SMI derivations of ingest share. */
export interface DeriveContext {
  readonly topology: Topology;
  readonly sink: IngestSink;
  readonly names: NameAllocator;
  readonly options: AppMeshOptions;
  readonly cluster: IngestContext<AppMeshOptions, typeof appMeshMessages>['cluster'];
  /** Reports an id once per key (a node resolved from several places is reported once). */
  readonly once: (key: string, report: () => void) => void;
}

/** The sink of a real ingest: adapter diagnostics, and `core/placeholder` for placeholders. */
export function ingestSink(ctx: IngestContext<AppMeshOptions, typeof appMeshMessages>): IngestSink {
  return {
    report: (id: AppMeshMessageId, manifest, path, init = {}) =>
      ctx.report(id, { at: { manifest, field: path }, ...init }),
    placeholder: (manifest, path, value) =>
      ctx.sink(
        createDiagnostic('core', coreMessages, 'placeholder', {
          data: { value },
          location: manifestLocation(manifest, path),
          resource: manifestRef(manifest.object),
        }),
      ),
  };
}
