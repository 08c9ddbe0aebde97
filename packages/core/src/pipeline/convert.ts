import type { z } from 'zod';
import type { AnyAdapter, CoreOptions, EmitArea } from '../adapter/adapter.js';
import { createAdapterContext } from '../adapter/context.js';
import { indexContext, type ClusterContext } from '../context/context.js';
import { readContext } from '../context/read-context.js';
import {
  createDiagnostic,
  sortDiagnostics,
  type Diagnostic,
  type MessageCatalog,
} from '../diagnostics/diagnostic.js';
import { coreMessages } from '../diagnostics/messages.js';
import type { KubeObject, Manifest } from '../io/manifest.js';
import { manifestLocation, manifestRef } from '../io/manifest.js';
import { locatePointer } from '../io/positions.js';
import type { ReadLimits, YamlDocument } from '../io/reader.js';
import { EMPTY_MODEL, indexModel, type MeshModel } from '../model/model.js';
import { createNameAllocator } from '../model/naming.js';
import type { SmiVersions } from '../schemas/index.js';
import { crossValidate } from '../smi/cross-validate.js';
import { readSmiObjects } from '../smi/read.js';
import type { OnUnrepresentable } from '../smi/write.js';
import { loadManifests, type PipelineInput } from './load.js';
import { smiAdapter } from './smi-adapter.js';

/** Options shared by every pipeline entry point. */
export interface PipelineOptions {
  /** Repair known real-world variants of SMI objects (each with a diagnostic). Default false (strict). */
  readonly lenient?: boolean;
  /** Read the unreleased access v1alpha4 draft (IdentityBinding). */
  readonly experimental?: boolean;
  /** Namespace for objects that name none. Default `default`. */
  readonly namespace?: string;
  /** What to do with restrictions a target cannot express. Default `error`. */
  readonly onUnrepresentable?: OnUnrepresentable;
  /** Extra context objects (Namespaces, Services, ServiceAccounts, workloads). */
  readonly context?: PipelineInput;
  readonly limits?: ReadLimits;
  /** Native input readers: each non-SMI object goes to the first adapter that claims it. */
  readonly from?: readonly AnyAdapter[];
  /** Options per adapter name (`smi` included), validated by each adapter's schema. */
  readonly adapterOptions?: Readonly<Record<string, unknown>>;
}

/** Options of {@link convert}. */
export interface ConvertOptions extends PipelineOptions {
  /** Targets; several compose (the first that supports an area writes it). `smi` is built in. */
  readonly to: readonly (AnyAdapter | 'smi')[];
  /** SMI versions for the `smi` target (hub versions by default). */
  readonly smiVersions?: Partial<SmiVersions>;
}

/** What {@link readInput} found. */
export interface ReadResult {
  /** SMI input and ingested native input, normalised and validated. */
  readonly model: MeshModel;
  readonly context: ClusterContext;
  /** Input objects that are neither SMI, nor context, nor claimed by a `from` adapter. */
  readonly passthrough: readonly Manifest[];
  /** Every input object, in input order. */
  readonly manifests: readonly Manifest[];
  /** Every parsed document (input and context), for positions. */
  readonly documents: readonly YamlDocument[];
  readonly diagnostics: Diagnostic[];
}

/** Result of {@link convert}. */
export interface ConvertResult {
  readonly objects: KubeObject[];
  readonly diagnostics: Diagnostic[];
  readonly model: MeshModel;
  readonly context: ClusterContext;
  readonly passthrough: readonly Manifest[];
}

/** Output order of the kinds core knows, as `group/Kind` (core group empty). */
const CORE_KIND_ORDER = [
  '/Namespace',
  '/ServiceAccount',
  '/Service',
  'specs.smi-spec.io/TCPRoute',
  'specs.smi-spec.io/UDPRoute',
  'specs.smi-spec.io/HTTPRouteGroup',
  'access.smi-spec.io/IdentityBinding',
  'access.smi-spec.io/TrafficTarget',
  'split.smi-spec.io/TrafficSplit',
];

function coreOptions(options: PipelineOptions): CoreOptions {
  const mode = options.onUnrepresentable;
  if (mode !== undefined && mode !== 'error' && mode !== 'narrow' && mode !== 'widen') {
    throw new TypeError(
      `onUnrepresentable must be 'error', 'narrow' or 'widen', not ${JSON.stringify(mode)}`,
    );
  }
  return {
    onUnrepresentable: options.onUnrepresentable ?? 'error',
    defaultNamespace: options.namespace ?? 'default',
    experimental: options.experimental ?? false,
    mode: options.lenient === true ? 'lenient' : 'strict',
  };
}

function adapterOptionsFor(
  adapter: AnyAdapter,
  all: Readonly<Record<string, unknown>> | undefined,
  sink: (d: Diagnostic) => void,
): { ok: true; value: unknown } | { ok: false } {
  const raw =
    (all !== undefined && Object.hasOwn(all, adapter.name) ? all[adapter.name] : undefined) ?? {};
  const parsed = (adapter.optionsSchema as z.ZodType).safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const reason = parsed.error.issues
    .map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`)
    .join('; ');
  sink(
    createDiagnostic('core', coreMessages, 'invalid-options', {
      data: { adapter: adapter.name, reason },
    }),
  );
  return { ok: false };
}

function guarded<T>(
  adapter: AnyAdapter,
  sink: (d: Diagnostic) => void,
  run: () => T,
  fallback: T,
): T {
  try {
    return run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    sink(
      createDiagnostic('core', coreMessages, 'adapter-error', {
        data: { adapter: adapter.name, reason },
      }),
    );
    return fallback;
  }
}

/** Adds line and column to every diagnostic that names a document and pointer, parsing only those documents again. */
export function resolvePositions(
  diagnostics: readonly Diagnostic[],
  documents: readonly YamlDocument[],
): Diagnostic[] {
  const docs = new Map<string, YamlDocument>();
  for (const d of documents) docs.set(`${d.file.path}\u0000${d.index}`, d);
  return diagnostics.map((d) => {
    const loc = d.location;
    if (loc === undefined || loc.line !== undefined || loc.docIndex === undefined) return d;
    const doc = docs.get(`${loc.file}\u0000${loc.docIndex}`);
    if (doc === undefined) return d;
    return { ...d, location: { ...loc, ...locatePointer(doc, loc.pointer ?? '') } };
  });
}

function mergeModels(models: readonly MeshModel[]): MeshModel {
  return {
    trafficTargets: models.flatMap((m) => m.trafficTargets),
    httpRouteGroups: models.flatMap((m) => m.httpRouteGroups),
    tcpRoutes: models.flatMap((m) => m.tcpRoutes),
    udpRoutes: models.flatMap((m) => m.udpRoutes),
    trafficSplits: models.flatMap((m) => m.trafficSplits),
    identityBindings: models.flatMap((m) => m.identityBindings),
  };
}

/**
 * Reads input into the hub model: parses every document, takes out the context objects, reads
 * SMI objects (every version, strict or lenient), lets the `from` adapters ingest the native
 * objects they claim, and runs the cross-object rules once over the result.
 */
export function readInput(input: PipelineInput, options: PipelineOptions = {}): ReadResult {
  const core = coreOptions(options);
  const diagnostics: Diagnostic[] = [];
  const sink = (d: Diagnostic): void => {
    diagnostics.push(d);
  };
  const loaded = loadManifests(input, options.limits);
  diagnostics.push(...loaded.diagnostics);
  const extra =
    options.context === undefined
      ? undefined
      : loadManifests(options.context, options.limits, '<context>');
  if (extra !== undefined) diagnostics.push(...extra.diagnostics);
  const contextRead = readContext(
    [...loaded.manifests, ...(extra?.manifests ?? [])],
    core.defaultNamespace,
  );
  diagnostics.push(...contextRead.diagnostics);
  const inputManifests = new Set(loaded.manifests);
  const smi = readSmiObjects(
    contextRead.others.filter((m) => inputManifests.has(m)),
    { mode: core.mode, experimental: core.experimental, defaultNamespace: core.defaultNamespace },
  );
  diagnostics.push(...smi.diagnostics);
  const cluster = indexContext(contextRead.context);
  const claimed = new Map<AnyAdapter, Manifest[]>();
  const passthrough: Manifest[] = [];
  for (const manifest of smi.others) {
    const owner = options.from?.find((a) =>
      guarded(a, sink, () => a.claims(manifest.object), false),
    );
    if (owner === undefined) passthrough.push(manifest);
    else claimed.set(owner, [...(claimed.get(owner) ?? []), manifest]);
  }
  const models: MeshModel[] = [smi.model];
  for (const [adapter, manifests] of claimed) {
    const opts = adapterOptionsFor(adapter, options.adapterOptions, sink);
    if (!opts.ok) continue;
    const ctx = createAdapterContext({
      source: adapter.name,
      messages: adapter.messages as MessageCatalog,
      options: opts.value,
      core,
      cluster,
      names: createNameAllocator(),
      sink,
    });
    models.push(guarded(adapter, sink, () => adapter.ingest(manifests, ctx), EMPTY_MODEL));
  }
  const checked = crossValidate(mergeModels(models), smi.rejected, core.mode);
  diagnostics.push(...checked.diagnostics);
  const documents = [...loaded.documents, ...(extra?.documents ?? [])];
  return {
    model: checked.model,
    context: contextRead.context,
    passthrough,
    manifests: [...loaded.manifests, ...(extra?.manifests ?? [])],
    documents,
    diagnostics: sortDiagnostics(resolvePositions(diagnostics, documents)),
  };
}

function supports(target: AnyAdapter, area: EmitArea): boolean {
  const feature = area === 'access' ? 'access.sources' : 'split.weights';
  return target.capabilities[feature].level !== 'none';
}

/** Sorts objects by kind (core kinds, then each target's native kinds), namespace and name. */
export function sortObjects(
  objects: readonly KubeObject[],
  adapters: readonly AnyAdapter[],
): KubeObject[] {
  const order = [
    ...CORE_KIND_ORDER,
    ...adapters.flatMap((a) => a.nativeKinds.map((k) => `${k.group}/${k.kind}`)),
  ];
  const groupKind = (o: KubeObject): string => {
    const slash = o.apiVersion.indexOf('/');
    return `${slash === -1 ? '' : o.apiVersion.slice(0, slash)}/${o.kind}`;
  };
  const rankOf = (o: KubeObject): number => {
    const i = order.indexOf(groupKind(o));
    return i === -1 ? order.length : i;
  };
  const key = (o: KubeObject): [number, string, string, string] => [
    rankOf(o),
    groupKind(o),
    o.metadata?.namespace ?? '',
    o.metadata?.name ?? '',
  ];
  return [...objects].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x[0] !== y[0]) return x[0] - y[0];
    for (let i = 1; i < 4; i++) if (x[i] !== y[i]) return (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
    return 0;
  });
}

/**
 * Converts input to one or more targets: SMI (any versions) or native objects of a mesh. Never
 * throws for bad input: every problem is a diagnostic with a position. Objects with errors are
 * left out; the caller decides whether to write the rest.
 */
export function convert(input: PipelineInput, options: ConvertOptions): ConvertResult {
  const read = readInput(input, options);
  const core = coreOptions(options);
  const diagnostics: Diagnostic[] = [...read.diagnostics];
  const emitted: Diagnostic[] = [];
  const sink = (d: Diagnostic): void => {
    emitted.push(d);
  };
  const targets: AnyAdapter[] = options.to.map((t) => (t === 'smi' ? smiAdapter : t));
  const areasFor = new Map<AnyAdapter, Set<EmitArea>>(targets.map((t) => [t, new Set<EmitArea>()]));
  for (const area of ['access', 'routing'] as const) {
    const owner = targets.find((t) => supports(t, area)) ?? targets[0];
    if (owner !== undefined) areasFor.get(owner)?.add(area);
  }
  const cluster = indexContext(read.context);
  const index = indexModel(read.model);
  const objects: KubeObject[] = [];
  const smiOptions = options.adapterOptions?.smi;
  const adapterOptions =
    options.smiVersions === undefined
      ? options.adapterOptions
      : {
          ...options.adapterOptions,
          smi: {
            ...(typeof smiOptions === 'object' ? smiOptions : {}),
            versions: options.smiVersions,
          },
        };
  for (const target of targets) {
    const areas = areasFor.get(target) ?? new Set<EmitArea>();
    if (areas.size === 0) continue;
    const opts = adapterOptionsFor(target, adapterOptions, sink);
    if (!opts.ok) continue;
    const ctx = {
      ...createAdapterContext({
        source: target.name,
        messages: target.messages as MessageCatalog,
        options: opts.value,
        core,
        cluster,
        names: createNameAllocator(),
        sink,
      }),
      areas,
      index,
    };
    objects.push(...guarded(target, sink, () => target.emit(read.model, ctx), []));
  }
  diagnostics.push(...resolvePositions(emitted, read.documents));
  return {
    objects: sortObjects(objects, targets),
    diagnostics: sortDiagnostics(diagnostics),
    model: read.model,
    context: read.context,
    passthrough: read.passthrough,
  };
}

/** Unclaimed native objects are reported when `from` adapters were given (helps spot a wrong `--from`). */
export function reportUnclaimed(
  passthrough: readonly Manifest[],
  knownGroups: readonly string[],
): Diagnostic[] {
  return passthrough
    .filter((m) => knownGroups.includes(m.object.apiVersion.split('/')[0] ?? ''))
    .map((m) =>
      createDiagnostic('core', coreMessages, 'unclaimed-native', {
        data: { kind: m.object.kind, apiVersion: m.object.apiVersion },
        location: manifestLocation(m),
        resource: manifestRef(m.object),
      }),
    );
}
