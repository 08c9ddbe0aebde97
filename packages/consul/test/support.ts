import {
  convert,
  createAdapterContext,
  createNameAllocator,
  EMPTY_CONTEXT,
  indexContext,
  indexModel,
  parseYamlStream,
  readContext,
  toManifests,
  type ConvertResult,
  type Diagnostic,
  type KubeObject,
  type MeshModel,
  type OnUnrepresentable,
} from '@meshlingo/core';
import consul, { ConsulOptionsSchema, type ConsulOptions } from '../src/index.js';

/** Shared helpers of the hand-written Consul tests. */

export function objects(yaml: string): KubeObject[] {
  return toManifests(parseYamlStream({ path: 'test.yaml', text: yaml }).documents).manifests.map(
    (m) => m.object,
  );
}

/** An evaluation environment: parsed options and an indexed context. */
export function env(options: unknown = {}, context = '') {
  const cluster =
    context === ''
      ? indexContext(EMPTY_CONTEXT)
      : indexContext(
          readContext(
            toManifests(parseYamlStream({ path: 'c.yaml', text: context }).documents).manifests,
            'default',
          ).context,
        );
  return { options: ConsulOptionsSchema.parse(options), cluster };
}

interface RunOptions {
  readonly context?: string;
  readonly options?: unknown;
  readonly onUnrepresentable?: OnUnrepresentable;
}

/** SMI to Consul through the pipeline. */
export function toConsul(input: string, run: RunOptions = {}): ConvertResult {
  return convert(input, {
    to: [consul],
    ...(run.context !== undefined && { context: run.context }),
    ...(run.options !== undefined && { adapterOptions: { consul: run.options } }),
    ...(run.onUnrepresentable !== undefined && { onUnrepresentable: run.onUnrepresentable }),
  });
}

/** Consul to SMI through the pipeline. */
export function fromConsul(input: string, run: RunOptions = {}): ConvertResult {
  return convert(input, {
    from: [consul],
    to: ['smi'],
    ...(run.context !== undefined && { context: run.context }),
    ...(run.options !== undefined && { adapterOptions: { consul: run.options } }),
    ...(run.onUnrepresentable !== undefined && { onUnrepresentable: run.onUnrepresentable }),
  });
}

/** The diagnostics with one code (`consul/...` or another source's). */
export function withCode(result: { diagnostics: readonly Diagnostic[] }, code: string) {
  return result.diagnostics.filter((d) => d.code === code);
}

/** The codes of the diagnostics, in order. */
export function codesOf(result: { diagnostics: readonly Diagnostic[] }): string[] {
  return result.diagnostics.map((d) => d.code);
}

/** The objects of one kind. */
export function ofKind(result: { objects: readonly KubeObject[] }, kind: string): KubeObject[] {
  return result.objects.filter((o) => o.kind === kind);
}

/** The spec of the only object of a kind with a name. */
export function specOf(
  result: { objects: readonly KubeObject[] },
  kind: string,
  name: string,
): Record<string, unknown> {
  const found = result.objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return (found[0]?.spec ?? {}) as Record<string, unknown>;
}

/**
 * Runs the Consul emitter directly on a model (for models the SMI reader never produces, such as
 * a split that lists a backend twice), collecting its diagnostics.
 */
export function emitDirect(
  model: MeshModel,
  options: unknown = {},
  context = '',
): { objects: KubeObject[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed: ConsulOptions = ConsulOptionsSchema.parse(options);
  const ctx = {
    ...createAdapterContext({
      source: consul.name,
      messages: consul.messages,
      options: parsed,
      core: {
        onUnrepresentable: 'error',
        defaultNamespace: 'default',
        experimental: false,
        mode: 'strict',
      },
      cluster: env(options, context).cluster,
      names: createNameAllocator(),
      sink: (d: Diagnostic) => {
        diagnostics.push(d);
      },
    }),
    areas: new Set(['access', 'routing'] as const),
    index: indexModel(model),
  };
  return { objects: [...consul.emit(model, ctx)], diagnostics };
}
