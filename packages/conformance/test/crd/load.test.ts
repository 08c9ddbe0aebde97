import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCrdDirectory, loadCrdSet, validateObject } from '../../src/crd/index.js';
import { codes, findings, widget, widgetCrd } from './helpers.js';

const v1beta1 = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names:
    kind: Gadget
    plural: gadgets
  scope: Namespaced
  versions:
  - name: v1alpha2
    served: true
    storage: true
  - name: v1alpha1
    served: false
    storage: false
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            size:
              type: integer
              maximum: 3
`;

describe('loadCrdSet', () => {
  it('reads apiextensions v1beta1: the top-level schema serves every version, without pruning', () => {
    const { crds, diagnostics } = loadCrdSet([{ path: 'gadget.yaml', text: v1beta1 }]);
    expect(diagnostics).toEqual([]);
    expect(crds.versions.map((v) => [v.apiVersion, v.served, v.pruning])).toEqual([
      ['example.com/v1alpha2', true, false],
      ['example.com/v1alpha1', false, false],
    ]);
    const gadget = { apiVersion: 'example.com/v1alpha2', kind: 'Gadget', metadata: { name: 'g' } };
    expect(codes(validateObject({ ...gadget, spec: { size: 2, extra: true } }, crds))).toEqual([]);
    expect(codes(validateObject({ ...gadget, spec: { size: 4 } }, crds))).toEqual(['crd/maximum']);
    expect(codes(validateObject({ ...gadget, apiVersion: 'example.com/v1alpha1' }, crds))).toEqual([
      'crd/not-served',
    ]);
  });

  it('reads the single `version` of old v1beta1 CRDs and prunes with preserveUnknownFields: false', () => {
    const text = v1beta1
      .replace(/ {2}versions:\n(?: {2}- .*\n(?: {4}.*\n)*)+/, '  version: v1\n')
      .replace('  scope: Namespaced\n', '  scope: Namespaced\n  preserveUnknownFields: false\n');
    const { crds, diagnostics } = loadCrdSet([{ path: 'gadget.yaml', text }]);
    expect(diagnostics).toEqual([]);
    expect(crds.versions.map((v) => [v.apiVersion, v.served, v.pruning])).toEqual([
      ['example.com/v1', true, true],
    ]);
    const object = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: { extra: 1 },
    };
    expect(findings(validateObject(object, crds))).toEqual([
      { code: 'crd/pruned', pointer: '/spec/extra', data: { field: 'spec.extra' } },
    ]);
  });

  it('skips documents that are not CRDs and reports documents that do not parse (Helm templates)', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
      '{{- if .Values.crds.enabled }}\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n{{- end }}\n',
      JSON.stringify(widgetCrd({ type: 'object' })),
    ].join('---\n');
    const { crds, diagnostics } = loadCrdSet([{ path: 'chart.yaml', text }]);
    expect(
      diagnostics.map((d) => [d.code, d.severity, d.location?.docIndex, d.data?.code]),
    ).toEqual([['crd/skipped-document', 'warning', 1, 'yaml/syntax']]);
    expect(crds.versions.map((v) => v.kind)).toEqual(['Widget']);
  });

  it('reads CustomResourceDefinitionList documents', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'CustomResourceDefinitionList',
      items: [widgetCrd({ type: 'object' })],
    };
    const { crds } = loadCrdSet([{ path: 'list.json', text: JSON.stringify(list) }]);
    expect(crds.find('example.com/v1', 'Widget')?.source).toEqual({
      file: 'list.json',
      docIndex: 0,
      pointer: '/items/0',
    });
  });

  it('reports invalid CRDs with a pointer into the CRD and keeps going', () => {
    const noGroup = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'x.y' },
      spec: { names: { kind: 'X' } },
    };
    const oldApi = { ...noGroup, apiVersion: 'apiextensions.k8s.io/v1alpha1' };
    const badSchema = widgetCrd({
      type: 'object',
      properties: {
        a: { type: 'strnig' },
        b: { $ref: '#/x' },
        c: { type: 'string', minLength: -1 },
      },
    });
    const text = [noGroup, oldApi, badSchema].map((c) => JSON.stringify(c)).join('\n---\n');
    const { crds, diagnostics } = loadCrdSet([{ path: 'bad.yaml', text }]);
    const schemaAt = '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties';
    expect(
      diagnostics.map((d) => [d.code, d.location?.docIndex, d.location?.pointer, d.data?.reason]),
    ).toEqual([
      ['crd/invalid-crd', 0, '/spec', 'spec.group is missing'],
      ['crd/invalid-crd', 1, '/apiVersion', 'unsupported apiVersion apiextensions.k8s.io/v1alpha1'],
      ['crd/invalid-crd', 2, `${schemaAt}/a/type`, 'unknown type strnig'],
      ['crd/invalid-crd', 2, `${schemaAt}/b/$ref`, '$ref is not allowed in CRD schemas'],
      ['crd/invalid-crd', 2, `${schemaAt}/c/minLength`, 'minLength must be a non-negative integer'],
    ]);
    expect(crds.versions.map((v) => v.kind)).toEqual(['Widget']);
  });

  it('lets a later CRD for the same group and kind replace the earlier one, with a warning', () => {
    const first = widgetCrd({ type: 'object', properties: { a: { type: 'string' } } });
    const second = widgetCrd({ type: 'object', properties: { b: { type: 'string' } } });
    const { crds, diagnostics } = loadCrdSet([
      { path: 'one.json', text: JSON.stringify(first) },
      { path: 'two.json', text: JSON.stringify(second) },
    ]);
    expect(diagnostics.map((d) => [d.code, d.location?.file, d.data?.previous])).toEqual([
      ['crd/duplicate-crd', 'two.json', 'one.json'],
    ]);
    expect(codes(validateObject(widget({ b: 'x' }), crds))).toEqual([]);
    expect(codes(validateObject(widget({ a: 'x' }), crds))).toEqual(['crd/pruned']);
  });

  it('counts which CEL rules it can evaluate', () => {
    const crd = widgetCrd({
      type: 'object',
      properties: {
        a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
      },
      'x-kubernetes-validations': [
        { rule: 'has(self.a)' },
        { rule: 'self.a.unknownFn()' },
        { rule: 'has(self.a)' },
      ],
    });
    const support = loadCrdSet([{ path: 'c.json', text: JSON.stringify(crd) }]).crds.celSupport();
    expect({
      ...support,
      unsupportedRules: support.unsupportedRules.map((r) => [r.rule, r.pointer]),
    }).toEqual({
      total: 4,
      supported: 2,
      unsupported: 2,
      distinct: { total: 3, supported: 1, unsupported: 2 },
      unsupportedRules: [
        [
          'self.a.unknownFn()',
          '/spec/versions/0/schema/openAPIV3Schema/properties/spec/x-kubernetes-validations/1',
        ],
        [
          'self == oldSelf',
          '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/a/x-kubernetes-validations/0',
        ],
      ],
    });
  });
});

describe('loadCrdDirectory', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshlingo-crd-'));
    await mkdir(join(dir, 'nested'));
    await writeFile(
      join(dir, 'nested', 'widget.yaml'),
      JSON.stringify(widgetCrd({ type: 'object' })),
    );
    await writeFile(join(dir, 'gadget.yml'), v1beta1);
    await writeFile(join(dir, 'notes.txt'), 'not yaml');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads directories recursively and reports unreadable paths as diagnostics', async () => {
    const { crds, diagnostics } = await loadCrdDirectory([dir, join(dir, 'missing.yaml')]);
    expect(crds.versions.map((v) => v.kind).sort()).toEqual(['Gadget', 'Gadget', 'Widget']);
    expect(diagnostics.map((d) => d.code)).toEqual(['yaml/unreadable-input']);
  });
});
