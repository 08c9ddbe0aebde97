import type { z } from 'zod';
import type { ContextIndex } from '../context/context.js';
import type {
  Diagnostic,
  DiagnosticData,
  Effect,
  MessageCatalog,
  Severity,
} from '../diagnostics/diagnostic.js';
import type {
  AccessDecision,
  AccessRequest,
  RouteDecision,
  RouteRequest,
} from '../evaluator/requests.js';
import type { KubeObject, Manifest } from '../io/manifest.js';
import type { MeshModel, ModelIndex, Origin } from '../model/model.js';
import type { NameAllocator } from '../model/naming.js';
import type { ParseMode } from '../smi/repair.js';
import type { OnUnrepresentable } from '../smi/write.js';
import type { CapabilityMatrix } from './capabilities.js';

/** A native kind an adapter reads and writes. */
export interface NativeKind {
  readonly group: string;
  readonly kind: string;
  readonly versions: readonly string[];
}

/** The areas of SMI an adapter is asked to emit; composing `--to a,b` splits them up. */
export type EmitArea = 'access' | 'routing';

/** Options every adapter receives, owned by core. */
export interface CoreOptions {
  readonly onUnrepresentable: OnUnrepresentable;
  /** Namespace for objects that name none. */
  readonly defaultNamespace: string;
  readonly experimental: boolean;
  /** Strict (mirror the CRDs) or lenient (repair known variants, with a diagnostic each). */
  readonly mode: ParseMode;
}

/** Where a diagnostic points: a model node's origin (emit) or a field of a native manifest (ingest). */
export type ReportTarget =
  | { readonly origin: Origin; readonly field?: readonly (string | number)[] }
  | { readonly manifest: Manifest; readonly field?: readonly (string | number)[] };

/** What an adapter passes when it reports. */
export interface ReportInit {
  readonly at?: ReportTarget;
  readonly data?: DiagnosticData;
  readonly effect?: Effect;
  readonly severity?: Severity;
}

/** Options for {@link AdapterContext.unrepresentable}. */
export interface UnrepresentableInit extends ReportInit {
  /** Effect when the adapter narrows (or, in `error` mode, leaves the object out). Default `narrows-access`. */
  readonly narrowEffect?: Effect;
  /** Effect when the adapter widens. Default `widens-access`. */
  readonly widenEffect?: Effect;
  /** False when there is no broader form; `widen` then acts as `narrow`. */
  readonly canWiden?: boolean;
}

/** What the adapter should do after {@link AdapterContext.unrepresentable}. */
export type UnrepresentableAction = 'omit' | 'narrow' | 'widen';

/** Everything an adapter gets besides the model or the manifests. */
export interface AdapterContext<Options, Messages extends MessageCatalog> {
  /** The adapter's own options, validated against its `optionsSchema`. */
  readonly options: Options;
  readonly core: CoreOptions;
  /** Namespaces, Services, ServiceAccounts and workloads. */
  readonly cluster: ContextIndex;
  /** Unique names for generated objects. */
  readonly names: NameAllocator;
  /** Reports a diagnostic from the adapter's catalog; its code is `<adapter>/<id>`. */
  readonly report: (id: keyof Messages & string, init?: ReportInit) => void;
  /**
   * Reports a restriction the mesh cannot express and says what to do, following the core
   * `onUnrepresentable` option: `omit` (mode `error`: an error, leave the object out), `narrow`
   * or `widen` (a warning whose effect says which).
   */
  readonly unrepresentable: (
    id: keyof Messages & string,
    init?: UnrepresentableInit,
  ) => UnrepresentableAction;
  /** Passes on a diagnostic built elsewhere, such as by a core helper. */
  readonly sink: DiagnosticSink;
}

/** Context of {@link Adapter.emit}. */
export interface EmitContext<Options, Messages extends MessageCatalog> extends AdapterContext<
  Options,
  Messages
> {
  /** Which areas this adapter writes in this run (both unless targets are composed). */
  readonly areas: ReadonlySet<EmitArea>;
  readonly index: ModelIndex;
}

/** Context of {@link Adapter.ingest}. */
export type IngestContext<Options, Messages extends MessageCatalog> = AdapterContext<
  Options,
  Messages
>;

/** What an evaluator knows besides the native objects. */
export interface EvaluationEnv<Options> {
  readonly options: Options;
  readonly cluster: ContextIndex;
}

/** A mesh's documented semantics over its native objects. */
export interface AdapterEvaluator<Options> {
  readonly authorize: (
    objects: readonly KubeObject[],
    request: AccessRequest,
    env: EvaluationEnv<Options>,
  ) => AccessDecision;
  readonly route: (
    objects: readonly KubeObject[],
    request: RouteRequest,
    env: EvaluationEnv<Options>,
  ) => RouteDecision;
}

/** A mesh adapter: SMI to native objects and back, plus that mesh's semantics. */
export interface Adapter<Options = unknown, Messages extends MessageCatalog = MessageCatalog> {
  /** Short name used on the CLI (`--to istio`) and as the diagnostic source. */
  readonly name: string;
  /** npm package name. */
  readonly packageName: string;
  readonly description: string;
  /** Mesh versions the output targets, e.g. `>=1.15 <=1.30`. */
  readonly meshVersions: string;
  readonly nativeKinds: readonly NativeKind[];
  readonly capabilities: CapabilityMatrix;
  readonly messages: Messages;
  readonly optionsSchema: z.ZodType<Options>;
  /**
   * The largest difference between a backend's share in SMI and in the native output that the
   * adapter's weight rounding may cause (0 = exact; 0.01 for percentages).
   */
  readonly shareTolerance: number;
  /** SMI to native. Pure and synchronous: the same input gives the same output. */
  readonly emit: (model: MeshModel, ctx: EmitContext<Options, Messages>) => readonly KubeObject[];
  /** Native to SMI. Works on hand-written objects too. */
  readonly ingest: (
    manifests: readonly Manifest[],
    ctx: IngestContext<Options, Messages>,
  ) => MeshModel;
  /** True for the native objects this adapter reads. */
  readonly claims: (object: KubeObject) => boolean;
  readonly evaluator: AdapterEvaluator<Options>;
}

/** An adapter with its types erased, as the CLI and pipeline hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = Adapter<any, any>;

/**
 * Defines an adapter. It only returns its argument, but gives type inference for options and
 * message ids in one place, and checks the object at run time (a programmer error throws).
 */
export function defineAdapter<Options, const Messages extends MessageCatalog>(
  adapter: Adapter<Options, Messages>,
): Adapter<Options, Messages> {
  const problems = adapterProblems(adapter);
  if (problems.length > 0)
    throw new Error(`invalid adapter ${String(adapter.name)}: ${problems.join('; ')}`);
  return adapter;
}

/** What is wrong with an adapter object (for `--adapter PATH` and {@link defineAdapter}). */
export function adapterProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['not an object'];
  const a = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof a.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(a.name))
    problems.push('name must be a lower-case word');
  for (const fn of ['emit', 'ingest', 'claims'] as const) {
    if (typeof a[fn] !== 'function') problems.push(`${fn} must be a function`);
  }
  const evaluator = a.evaluator as Record<string, unknown> | undefined;
  if (typeof evaluator?.authorize !== 'function' || typeof evaluator.route !== 'function') {
    problems.push('evaluator must have authorize and route functions');
  }
  if (typeof a.capabilities !== 'object' || a.capabilities === null)
    problems.push('capabilities missing');
  if (typeof a.messages !== 'object' || a.messages === null) problems.push('messages missing');
  const schema = a.optionsSchema as { safeParse?: unknown } | undefined;
  if (typeof schema?.safeParse !== 'function') problems.push('optionsSchema must be a zod schema');
  if (!Array.isArray(a.nativeKinds)) problems.push('nativeKinds must be a list');
  if (typeof a.shareTolerance !== 'number') problems.push('shareTolerance must be a number');
  return problems;
}

/** A diagnostic sink shared by the pipeline and adapter contexts. */
export type DiagnosticSink = (diagnostic: Diagnostic) => void;
