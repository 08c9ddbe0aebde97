import fc from 'fast-check';
import {
  accessRequestArbitrary,
  emitWorld,
  propertySettings,
  routeRequestArbitrary,
  worldArbitrary,
  worldYaml,
} from '@meshlingo/conformance';
import {
  authorize,
  convert,
  indexContext,
  route,
  shares,
  toYamlStream,
  type Diagnostic,
  type KubeObject,
} from '@meshlingo/core';
import { describe, it } from 'vitest';
import linkerd, { LinkerdOptionsSchema, SMI_ANNOTATION } from '../src/index.js';

const options = { defaultDeny: 'cluster' } as const;

/** The emitted objects without the SMI annotation, so ingest reads them as hand-written. */
function handWritten(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    const annotations = Object.fromEntries(
      Object.entries(o.metadata?.annotations ?? {}).filter(([k]) => k !== SMI_ANNOTATION),
    );
    return { ...o, metadata: { ...o.metadata, annotations } };
  });
}

const has = (diagnostics: readonly Diagnostic[], effect: string): boolean =>
  diagnostics.some(
    (d) => d.effect === effect || (d.severity === 'error' && effect === 'narrows-access'),
  );

describe('ingest of objects read as written', () => {
  it('gives SMI that decides like Linkerd, or reports how it differs', () => {
    const env = (world: { context: Parameters<typeof indexContext>[0] }) => ({
      options: LinkerdOptionsSchema.parse(options),
      cluster: indexContext(world.context),
    });
    fc.assert(
      fc.property(
        worldArbitrary().chain((world) =>
          fc.tuple(
            fc.constant(world),
            fc.array(accessRequestArbitrary(world), { minLength: 1, maxLength: 20 }),
            fc.array(routeRequestArbitrary(world), { minLength: 1, maxLength: 10 }),
          ),
        ),
        ([world, accessRequests, routeRequests]) => {
          const emitted = emitWorld(linkerd, world, {
            adapterOptions: { linkerd: options },
            onUnrepresentable: 'narrow',
          });
          const objects = handWritten(emitted.objects);
          const back = convert(toYamlStream(objects), {
            to: ['smi'],
            from: [linkerd],
            context: world.contextObjects,
            adapterOptions: { linkerd: options },
            onUnrepresentable: 'widen',
          });
          const problems: string[] = [];
          for (const request of accessRequests) {
            const native = linkerd.evaluator.authorize(objects, request, env(world)).allowed;
            const smi = authorize(back.model, request).allowed;
            if (smi && !native && !has(back.diagnostics, 'widens-access'))
              problems.push(`SMI allows what Linkerd denies: ${JSON.stringify(request)}`);
            if (!smi && native && !has(back.diagnostics, 'narrows-access'))
              problems.push(`SMI denies what Linkerd allows: ${JSON.stringify(request)}`);
          }
          if (!has(back.diagnostics, 'changes-routing')) {
            for (const request of routeRequests) {
              const want = shares(linkerd.evaluator.route(objects, request, env(world)));
              const got = shares(route(back.model, request));
              for (const service of new Set([...want.keys(), ...got.keys()]))
                if (Math.abs((want.get(service) ?? 0) - (got.get(service) ?? 0)) > 1e-9)
                  problems.push(`share of ${service} differs: ${JSON.stringify(request)}`);
            }
          }
          if (problems.length > 0)
            throw new Error(
              `${problems.join('\n')}\n--- linkerd ---\n${toYamlStream(objects)}--- smi ---\n${toYamlStream(back.objects)}--- diagnostics ---\n${back.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}\n--- world ---\n${worldYaml(world)}`,
            );
        },
      ),
      propertySettings(),
    );
  }, 60_000);
});
