import type { ContextIndex } from '../context/context.js';
import {
  createDiagnostic,
  type MessageCatalog,
  type SourceLocation,
} from '../diagnostics/diagnostic.js';
import { formatPointer } from '../io/positions.js';
import { manifestLocation, manifestRef } from '../io/manifest.js';
import type { NameAllocator } from '../model/naming.js';
import type {
  AdapterContext,
  CoreOptions,
  DiagnosticSink,
  ReportInit,
  ReportTarget,
  UnrepresentableAction,
} from './adapter.js';

function targetLocation(at: ReportTarget): {
  location?: SourceLocation;
  resource: NonNullable<ReturnType<typeof manifestRef>>;
} {
  if ('manifest' in at) {
    return {
      location: manifestLocation(at.manifest, at.field ?? []),
      resource: manifestRef(at.manifest.object),
    };
  }
  const base = at.origin.location;
  if (base === undefined) return { resource: at.origin.resource };
  const suffix = at.field === undefined ? '' : formatPointer(at.field);
  return {
    location: { ...base, pointer: `${base.pointer ?? ''}${suffix}` },
    resource: at.origin.resource,
  };
}

/** Builds the context an adapter's emit or ingest runs with. */
export function createAdapterContext<Options, Messages extends MessageCatalog>(args: {
  readonly source: string;
  readonly messages: Messages;
  readonly options: Options;
  readonly core: CoreOptions;
  readonly cluster: ContextIndex;
  readonly names: NameAllocator;
  readonly sink: DiagnosticSink;
}): AdapterContext<Options, Messages> {
  const { source, messages, sink, core } = args;
  const report = (id: keyof Messages & string, init: ReportInit = {}): void => {
    sink(
      createDiagnostic(source, messages, id, {
        ...(init.at !== undefined && targetLocation(init.at)),
        ...(init.data !== undefined && { data: init.data }),
        ...(init.effect !== undefined && { effect: init.effect }),
        ...(init.severity !== undefined && { severity: init.severity }),
      }),
    );
  };
  return {
    options: args.options,
    core,
    cluster: args.cluster,
    names: args.names,
    report,
    sink,
    unrepresentable(id, init = {}): UnrepresentableAction {
      const mode = core.onUnrepresentable;
      const narrowEffect = init.narrowEffect ?? 'narrows-access';
      const widen = mode === 'widen' && init.canWiden !== false;
      const data = { ...init.data, onUnrepresentable: mode };
      if (mode === 'error') {
        report(id, { ...init, data, severity: 'error', effect: narrowEffect });
        return 'omit';
      }
      report(id, {
        ...init,
        data,
        severity: 'warning',
        effect: widen ? (init.widenEffect ?? 'widens-access') : narrowEffect,
      });
      return widen ? 'widen' : 'narrow';
    },
  };
}
