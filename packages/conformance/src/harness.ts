import fc from 'fast-check';
import {
  authorize,
  convert,
  featuresUsed,
  indexContext,
  route,
  shares,
  toYamlStream,
  writeSmi,
  type AccessRequest,
  type AnyAdapter,
  type ConvertResult,
  type Diagnostic,
  type KubeObject,
  type OnUnrepresentable,
  type RouteRequest,
} from '@meshlingo/core';
import {
  accessRequestArbitrary,
  fullFeatures,
  routeRequestArbitrary,
  worldArbitrary,
  worldToYaml,
  type World,
} from './arbitraries.js';
import { normalizeModel, type NormalLevel } from './normalize.js';

/** Options of the conformance checks. */
export interface HarnessOptions {
  /** Adapter options by adapter name. */
  readonly adapterOptions?: Readonly<Record<string, unknown>>;
  readonly onUnrepresentable?: OnUnrepresentable;
  /** How strictly the round trip is compared (default `exact`). */
  readonly level?: NormalLevel;
}

/** The world as SMI YAML (hub versions) plus its context, for error messages and reproduction. */
export const worldYaml = worldToYaml;

/** Emits a world with an adapter through the whole pipeline (YAML in, objects out). */
export function emitWorld(
  adapter: AnyAdapter,
  world: World,
  options: HarnessOptions = {},
): ConvertResult {
  return convert(toYamlStream(writeSmi(world.model).objects), {
    to: [adapter],
    context: world.contextObjects,
    ...(options.adapterOptions !== undefined && { adapterOptions: options.adapterOptions }),
    ...(options.onUnrepresentable !== undefined && {
      onUnrepresentable: options.onUnrepresentable,
    }),
  });
}

/** Reads native objects back into SMI with an adapter (YAML in, hub model out). */
export function ingestObjects(
  adapter: AnyAdapter,
  objects: readonly KubeObject[],
  world: World,
  options: HarnessOptions = {},
): ConvertResult {
  return convert(toYamlStream(objects), {
    to: ['smi'],
    from: [adapter],
    context: world.contextObjects,
    ...(options.adapterOptions !== undefined && { adapterOptions: options.adapterOptions }),
  });
}

function losses(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter(
    (d) => d.severity === 'error' || (d.effect !== undefined && d.effect !== 'cosmetic'),
  );
}

function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `  ${d.severity} ${d.code} ${d.message}`).join('\n');
}

/**
 * Emit then ingest; the model read back must equal the input model (normalised). Only
 * meaningful for worlds within the adapter's `full` features; any error or lossy diagnostic on
 * the way is a failure too. Returns the problems (empty when the round trip holds).
 */
export function checkRoundTrip(
  adapter: AnyAdapter,
  world: World,
  options: HarnessOptions = {},
): string[] {
  const original = convert(toYamlStream(writeSmi(world.model).objects), {
    to: ['smi'],
    context: world.contextObjects,
  });
  const emitted = emitWorld(adapter, world, options);
  const problems: string[] = [];
  const emitLosses = losses(emitted.diagnostics);
  if (emitLosses.length > 0)
    problems.push(`emit reported losses within full features:\n${describeDiagnostics(emitLosses)}`);
  const back = ingestObjects(adapter, emitted.objects, world, options);
  const ingestLosses = losses(back.diagnostics);
  if (ingestLosses.length > 0)
    problems.push(`ingest reported losses:\n${describeDiagnostics(ingestLosses)}`);
  const level = options.level ?? 'exact';
  const want = JSON.stringify(normalizeModel(original.model, level), null, 1);
  const got = JSON.stringify(normalizeModel(back.model, level), null, 1);
  if (want !== got)
    problems.push(
      `round trip changed the model\n--- native ---\n${toYamlStream(emitted.objects)}--- expected ---\n${want}\n--- got ---\n${got}`,
    );
  return problems;
}

/**
 * For features an adapter declares `none` (with a diagnostic code), using the feature must
 * produce that diagnostic.
 */
export function checkDeclaredLosses(
  adapter: AnyAdapter,
  world: World,
  options: HarnessOptions = {},
): string[] {
  const emitted = emitWorld(adapter, world, options);
  const codes = new Set(emitted.diagnostics.map((d) => d.code));
  const problems: string[] = [];
  for (const feature of featuresUsed(emitted.model)) {
    const cap = adapter.capabilities[feature];
    if (cap.level === 'none' && cap.code !== undefined && !codes.has(cap.code)) {
      problems.push(
        `feature ${feature} is declared none with code ${cap.code}, but emitting it reported no such diagnostic`,
      );
    }
  }
  return problems;
}

/**
 * Compares the adapter's native evaluator on the emitted objects with the SMI reference
 * evaluator. Where the emit reported no loss, decisions must be equal; in any case the native
 * side must never allow what SMI denies unless a `widens-access` diagnostic was reported. Traffic
 * shares must agree within the adapter's declared `shareTolerance`.
 */
export function checkSemantics(
  adapter: AnyAdapter,
  world: World,
  accessRequests: readonly AccessRequest[],
  routeRequests: readonly RouteRequest[],
  options: HarnessOptions = {},
): string[] {
  const emitted = emitWorld(adapter, world, options);
  const model = emitted.model;
  const lossy = losses(emitted.diagnostics);
  const widened = emitted.diagnostics.some((d) => d.effect === 'widens-access');
  const routingChanged = emitted.diagnostics.some(
    (d) => d.effect === 'changes-routing' || d.severity === 'error',
  );
  const env = {
    options: (options.adapterOptions?.[adapter.name] ?? {}) as unknown,
    cluster: indexContext(emitted.context),
  };
  const parsedOptions = (
    adapter.optionsSchema as { safeParse: (v: unknown) => { success: boolean; data?: unknown } }
  ).safeParse(env.options);
  const evalEnv = { ...env, options: parsedOptions.success ? parsedOptions.data : env.options };
  const problems: string[] = [];
  for (const request of accessRequests) {
    const smi = authorize(model, request).allowed;
    const native = adapter.evaluator.authorize(emitted.objects, request, evalEnv).allowed;
    if (smi === native) continue;
    if (native && !smi && !widened)
      problems.push(
        `native allows what SMI denies (no widens-access diagnostic): ${JSON.stringify(request)}`,
      );
    else if (lossy.length === 0)
      problems.push(
        `decisions differ without any loss reported (SMI ${smi}, native ${native}): ${JSON.stringify(request)}`,
      );
  }
  if (!routingChanged) {
    for (const request of routeRequests) {
      const want = shares(route(model, request));
      const got = shares(adapter.evaluator.route(emitted.objects, request, evalEnv));
      for (const service of new Set([...want.keys(), ...got.keys()])) {
        const diff = Math.abs((want.get(service) ?? 0) - (got.get(service) ?? 0));
        if (diff > adapter.shareTolerance + 1e-9) {
          problems.push(
            `share of ${service} differs by ${diff.toFixed(4)} (tolerance ${adapter.shareTolerance}): ${JSON.stringify(request)}`,
          );
        }
      }
    }
  }
  return problems;
}

/** Run count and seed for property runs: `MESHLINGO_PROPERTY_RUNS` and `MESHLINGO_SEED` override. */
export function propertySettings(defaultRuns = 25): { numRuns: number; seed: number } {
  const runs = Number(process.env.MESHLINGO_PROPERTY_RUNS ?? defaultRuns);
  const seed = Number(process.env.MESHLINGO_SEED ?? 20261126);
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
    seed: Number.isInteger(seed) ? seed : 20261126,
  };
}

function assertProblems(problems: string[], world: World): void {
  if (problems.length > 0)
    throw new Error(
      `${problems.join('\n')}\n--- counterexample (SMI and context) ---\n${worldYaml(world)}`,
    );
}

/** Property: round trips hold for random worlds within the adapter's full features. */
export function assertRoundTripProperty(
  adapter: AnyAdapter,
  options: HarnessOptions & { readonly runs?: number } = {},
): void {
  const settings = propertySettings(options.runs);
  fc.assert(
    fc.property(worldArbitrary({ features: fullFeatures(adapter.capabilities) }), (world) =>
      assertProblems(checkRoundTrip(adapter, world, options), world),
    ),
    settings,
  );
}

/** Property: emitted objects mean what the SMI means (decisions and shares), for random worlds and requests. */
export function assertSemanticProperty(
  adapter: AnyAdapter,
  options: HarnessOptions & {
    readonly runs?: number;
    readonly allFeatures?: boolean;
    /** Protocols of the generated access requests (default all). */
    readonly protocols?: readonly AccessRequest['protocol'][];
  } = {},
): void {
  const settings = propertySettings(options.runs);
  const worlds = worldArbitrary(
    options.allFeatures === true ? {} : { features: fullFeatures(adapter.capabilities) },
  );
  fc.assert(
    fc.property(
      worlds.chain((world) =>
        fc.tuple(
          fc.constant(world),
          fc.array(accessRequestArbitrary(world, options.protocols), {
            minLength: 1,
            maxLength: 20,
          }),
          fc.array(routeRequestArbitrary(world), { minLength: 1, maxLength: 10 }),
        ),
      ),
      ([world, access, routes]) =>
        assertProblems(checkSemantics(adapter, world, access, routes, options), world),
    ),
    settings,
  );
}
