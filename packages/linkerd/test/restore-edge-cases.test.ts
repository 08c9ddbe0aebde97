import { convert, toYamlStream, type KubeObject } from '@meshlingo/core';
import { describe, expect, it } from 'vitest';
import linkerd, { SMI_ANNOTATION } from '../src/index.js';
import { C0 } from './helpers.js';

const adapterOptions = { linkerd: { defaultDeny: 'cluster' } };

const SMI = `
apiVersion: specs.smi-spec.io/v1alpha4
kind: TCPRoute
metadata: {name: api-tcp, namespace: shop}
spec: {matches: {ports: [8080]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: web-to-api, namespace: shop}
spec:
  destination: {kind: ServiceAccount, name: api, namespace: shop}
  rules: [{kind: TCPRoute, name: api-tcp}]
  sources: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

function emitted(): KubeObject[] {
  const result = convert(SMI, { to: [linkerd], context: C0, adapterOptions });
  expect(result.diagnostics).toEqual([]);
  return [...result.objects];
}

function read(objects: readonly KubeObject[]) {
  return convert(toYamlStream(objects), {
    to: ['smi'],
    from: [linkerd],
    context: C0,
    adapterOptions,
  });
}

/** The object carrying the SMI annotation (the MeshTLSAuthentication of the TrafficTarget). */
function carrierIndex(objects: readonly KubeObject[]): number {
  const i = objects.findIndex((o) => o.metadata?.annotations?.[SMI_ANNOTATION] !== undefined);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

function withAnnotation(objects: readonly KubeObject[], value: string): KubeObject[] {
  const i = carrierIndex(objects);
  return objects.map((o, j) =>
    j === i
      ? {
          ...o,
          metadata: {
            ...o.metadata,
            annotations: { ...o.metadata?.annotations, [SMI_ANNOTATION]: value },
          },
        }
      : o,
  );
}

function annotationText(objects: readonly KubeObject[]): string {
  return objects[carrierIndex(objects)]?.metadata?.annotations?.[SMI_ANNOTATION] ?? '';
}

function annotationOf(objects: readonly KubeObject[]): unknown[] {
  return JSON.parse(annotationText(objects)) as unknown[];
}

/** The carrier's annotation with a piece of its JSON text replaced (it must be there). */
function editedAnnotation(objects: readonly KubeObject[], from: string, to: string): string {
  const text = annotationText(objects);
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The not-restored reasons of a read, and the TrafficTargets it gave. */
function outcome(objects: readonly KubeObject[]) {
  const result = read(objects);
  const notRestored = result.diagnostics.filter((d) => d.code === 'linkerd/not-restored');
  for (const d of notRestored) {
    expect(d.severity).toBe('info');
    expect(d.effect).toBe('cosmetic');
  }
  return {
    reasons: notRestored.map((d) => d.data?.reason),
    targets: result.model.trafficTargets.map((t) => ({
      name: t.name,
      sources: t.sources.map((s) => `${s.namespace}/${s.name}`),
    })),
  };
}

describe('restoring the SMI meshlingo wrote', () => {
  it('restores the original names while the objects are unchanged', () => {
    expect(outcome(emitted())).toEqual({
      reasons: [],
      targets: [{ name: 'web-to-api', sources: ['shop/web'] }],
    });
  });

  it('reads the objects as written when hand-written objects share their namespace', () => {
    const handWritten: KubeObject = {
      apiVersion: 'policy.linkerd.io/v1beta3',
      kind: 'Server',
      metadata: { name: 'api-metrics', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'api' } }, port: 9090 },
    };
    const { reasons, targets } = outcome([...emitted(), handWritten]);
    expect(reasons).toEqual(['hand-written objects share their namespaces']);
    // Read as written, the grant is still there, under a name derived from the Linkerd objects.
    expect(targets.map((t) => t.sources)).toEqual([['shop/web']]);
  });

  it('reads the objects as written when an annotation is not a list of objects', () => {
    const objects = emitted();
    const [first] = annotationOf(objects);
    const values = [
      '[{',
      JSON.stringify({ items: [first] }),
      JSON.stringify([first, 'TrafficTarget']),
      JSON.stringify([first, ['TrafficTarget']]),
      JSON.stringify([first, { kind: 'TrafficTarget', metadata: { name: 'x' } }]),
      `[${JSON.stringify(first).replace(/^\{/, '{"__proto__":{"polluted":true},')}]`,
    ];
    for (const value of values) {
      const { reasons, targets } = outcome(withAnnotation(objects, value));
      expect(reasons, value).toEqual(['an annotation cannot be read']);
      expect(targets.map((t) => t.sources)).toEqual([['shop/web']]);
    }
  });

  it('reads the objects as written when two annotations disagree on an SMI object', () => {
    const objects = emitted();
    const i = carrierIndex(objects);
    const carrier = objects[i];
    if (carrier === undefined) throw new Error('no carrier');
    const edited = editedAnnotation(objects, '"name":"web"', '"name":"db"');
    const copy: KubeObject = {
      ...carrier,
      metadata: {
        ...carrier.metadata,
        name: 'web-to-api-sources-copy',
        annotations: {
          ...carrier.metadata?.annotations,
          [SMI_ANNOTATION]: edited,
        },
      },
    };
    const { reasons } = outcome([...objects, copy]);
    expect(reasons).toEqual(['two annotations disagree on TrafficTarget/shop/web-to-api']);
  });

  it('reads the objects as written when an annotation holds invalid SMI', () => {
    const objects = emitted();
    // The destination loses its kind.
    const invalid = editedAnnotation(
      objects,
      '"kind":"ServiceAccount","name":"api"',
      '"name":"api"',
    );
    const { reasons, targets } = outcome(withAnnotation(objects, invalid));
    expect(reasons).toEqual(['an annotation holds invalid SMI']);
    expect(targets.map((t) => t.sources)).toEqual([['shop/web']]);
  });

  it('reads the objects as written when emitting the annotated SMI again loses some of it', () => {
    const objects = emitted();
    // A destination without workloads cannot be written (linkerd/no-workloads).
    const lossy = editedAnnotation(
      objects,
      '"name":"api","namespace":"shop"',
      '"name":"ghost","namespace":"shop"',
    );
    const { reasons, targets } = outcome(withAnnotation(objects, lossy));
    expect(reasons).toEqual(['writing the annotated SMI again would lose some of it']);
    expect(targets.map((t) => t.sources)).toEqual([['shop/web']]);
  });
});
