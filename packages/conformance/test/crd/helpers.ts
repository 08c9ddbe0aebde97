import { parseYamlStream, toManifests, type Diagnostic, type KubeObject } from '@meshlingo/core';
import {
  loadCrdSet,
  validateManifest,
  validateObject,
  type CrdSet,
  type CrdValidation,
} from '../../src/crd/index.js';

/** Options of a test CRD: group `example.com`, kind `Widget`, version `v1`. */
export interface TestCrdOptions {
  readonly scope?: 'Namespaced' | 'Cluster';
  readonly preserveUnknownFields?: boolean;
  readonly status?: boolean;
  /** Extra top-level properties next to `spec`. */
  readonly rootProperties?: Record<string, unknown>;
  /** Keywords added to the root schema (rules, required...). */
  readonly root?: Record<string, unknown>;
}

/** A v1 CRD for `example.com/v1` `Widget` whose `spec` has the given schema. */
export function widgetCrd(
  spec: Record<string, unknown>,
  options: TestCrdOptions = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      scope: options.scope ?? 'Namespaced',
      ...(options.preserveUnknownFields !== undefined && {
        preserveUnknownFields: options.preserveUnknownFields,
      }),
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(options.status === true && { subresources: { status: {} } }),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                ...options.rootProperties,
              },
              ...options.root,
            },
          },
        },
      ],
    },
  };
}

/** Loads CRD objects (written as JSON, which is YAML) and fails on any load diagnostic. */
export function crdSetOf(...crds: Record<string, unknown>[]): CrdSet {
  const loaded = loadCrdSet(
    crds.map((crd, i) => ({ path: `crd-${i}.json`, text: JSON.stringify(crd) })),
  );
  if (loaded.diagnostics.length > 0) {
    throw new Error(
      `unexpected CRD diagnostics: ${loaded.diagnostics.map((d) => d.message).join('; ')}`,
    );
  }
  return loaded.crds;
}

/** A Widget with the given spec (and optional extra root fields). */
export function widget(spec: unknown, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec,
    ...extra,
  };
}

/** The comparable part of a diagnostic: code, JSON pointer and data. */
export interface Finding {
  readonly code: string;
  readonly pointer: string | undefined;
  readonly data: Diagnostic['data'];
}

/** Findings of a validation, without `crd/cel-unsupported` infos unless asked for. */
export function findings(result: CrdValidation, withInfo = false): Finding[] {
  return result.diagnostics
    .filter((d) => withInfo || d.severity !== 'info')
    .map((d) => ({ code: d.code, pointer: d.location?.pointer, data: d.data }));
}

/** Codes of a validation's diagnostics (errors and warnings). */
export function codes(result: CrdValidation): string[] {
  return findings(result).map((f) => f.code);
}

/** Validates a Widget spec against a CRD built from a spec schema. */
export function checkSpec(
  schema: Record<string, unknown>,
  spec: unknown,
  options: TestCrdOptions = {},
): CrdValidation {
  return validateObject(widget(spec), crdSetOf(widgetCrd(schema, options)));
}

/** Validates every object of a YAML text (as manifests, with positions). */
export function validateYaml(text: string, crds: CrdSet, path = 'input.yaml'): CrdValidation[] {
  const parsed = parseYamlStream({ path, text });
  const { manifests } = toManifests(parsed.documents);
  return manifests.map((m) => validateManifest(m, crds));
}
