import { describe, expect, it } from 'vitest';
import { validateObject } from '../../src/crd/index.js';
import { checkSpec, codes, crdSetOf, findings, widget, widgetCrd } from './helpers.js';

describe('pruning', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      free: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { known: { type: 'object', properties: { a: { type: 'string' } } } },
      },
      anything: { 'x-kubernetes-preserve-unknown-fields': true },
      list: {
        type: 'array',
        'x-kubernetes-preserve-unknown-fields': true,
        items: { type: 'object', properties: { a: { type: 'string' } } },
      },
    },
  };

  it('reports every field the schema does not allow as an error', () => {
    const result = checkSpec(schema, { name: 'x', nmae: 'typo', extra: { deep: 1 } });
    expect(findings(result)).toEqual([
      { code: 'crd/pruned', pointer: '/spec/nmae', data: { field: 'spec.nmae' } },
      { code: 'crd/pruned', pointer: '/spec/extra', data: { field: 'spec.extra' } },
    ]);
    expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('reports unknown top-level fields but never apiVersion, kind or metadata', () => {
    const result = validateObject(widget({}, { extra: 1 }), crdSetOf(widgetCrd(schema)));
    expect(findings(result)).toEqual([
      { code: 'crd/pruned', pointer: '/extra', data: { field: 'extra' } },
    ]);
  });

  it('keeps any key of a map (additionalProperties)', () => {
    expect(codes(checkSpec(schema, { labels: { a: 'b', 'c.d/e': 'f' } }))).toEqual([]);
  });

  it('stops pruning below x-kubernetes-preserve-unknown-fields, but prunes its declared properties', () => {
    const result = checkSpec(schema, {
      free: { whatever: { x: 1 }, known: { a: 'x', b: 'pruned' } },
      anything: { a: [1, { b: 2 }] },
    });
    expect(findings(result)).toEqual([
      { code: 'crd/pruned', pointer: '/spec/free/known/b', data: { field: 'spec.free.known.b' } },
    ]);
  });

  it('extends preserve-unknown-fields of a list to its items, as the API server does', () => {
    expect(codes(checkSpec(schema, { list: [{ a: 'x', b: 'kept' }] }))).toEqual([]);
  });

  it('does not prune when the CRD preserves unknown fields (v1beta1 default)', () => {
    const result = checkSpec(schema, { name: 'x', extra: 1 }, { preserveUnknownFields: true });
    expect(codes(result)).toEqual([]);
  });

  it('reports additionalProperties: false when fields are not pruned', () => {
    const closed = {
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    };
    const result = checkSpec(closed, { a: 'x', b: 'y' }, { preserveUnknownFields: true });
    expect(findings(result)).toEqual([
      { code: 'crd/additional-property', pointer: '/spec/b', data: { field: 'spec.b' } },
    ]);
  });

  it('treats unknown keys as plain data, even __proto__', () => {
    const spec = JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}') as unknown;
    const result = checkSpec(schema, spec);
    expect(findings(result)).toEqual([
      { code: 'crd/pruned', pointer: '/spec/__proto__', data: { field: 'spec.__proto__' } },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('root metadata (ObjectMeta)', () => {
  const crds = crdSetOf(widgetCrd({ type: 'object' }));

  it('accepts well-formed metadata', () => {
    const object = widget(
      {},
      {
        metadata: {
          name: 'my.widget-1',
          namespace: 'team-a',
          labels: { 'app.kubernetes.io/name': 'w', tier: '' },
          annotations: { 'meshlingo.io/source': 'x', Note: 'free text' },
          finalizers: ['example.com/cleanup'],
        },
      },
    );
    expect(findings(validateObject(object, crds))).toEqual([]);
  });

  it('prunes fields ObjectMeta does not have and drops values Go cannot decode', () => {
    const object = widget({}, { metadata: { name: 'w', nmae: 'x', labels: { version: 1.5 } } });
    expect(findings(validateObject(object, crds))).toEqual([
      { code: 'crd/pruned', pointer: '/metadata/nmae', data: { field: 'metadata.nmae' } },
      {
        code: 'crd/type',
        pointer: '/metadata/labels/version',
        data: { field: 'metadata.labels[version]', expected: 'string', actual: 'number' },
      },
    ]);
  });

  it('checks the name, namespace, label and annotation syntax', () => {
    const object = widget(
      {},
      {
        metadata: {
          name: 'Bad_Name',
          namespace: 'a.b',
          labels: { 'bad key!': 'ok', good: 'bad value!' },
          annotations: { '/x': 'y' },
        },
      },
    );
    const result = findings(validateObject(object, crds));
    expect(result.map((f) => [f.code, f.pointer])).toEqual([
      ['crd/metadata', '/metadata/name'],
      ['crd/metadata', '/metadata/namespace'],
      ['crd/metadata', '/metadata/labels/bad key!'],
      ['crd/metadata', '/metadata/labels/good'],
      ['crd/metadata', '/metadata/annotations/~1x'],
    ]);
    expect(result[0]?.data).toMatchObject({ field: 'metadata.name', value: 'Bad_Name' });
  });

  it('requires a name unless generateName is given', () => {
    const noName = { apiVersion: 'example.com/v1', kind: 'Widget', spec: {} };
    expect(findings(validateObject(noName, crds))).toEqual([
      { code: 'crd/required', pointer: '/metadata', data: { field: 'metadata', property: 'name' } },
    ]);
    const generated = { ...noName, metadata: { generateName: 'widget-' } };
    expect(codes(validateObject(generated, crds))).toEqual([]);
  });

  it('applies value validations the CRD declares for metadata.name', () => {
    const crd = widgetCrd(
      { type: 'object' },
      {
        rootProperties: {
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } },
        },
      },
    );
    const result = validateObject(widget({}), crdSetOf(crd));
    expect(codes(result)).toEqual([]);
    const long = widget({}, { metadata: { name: 'toolong' } });
    expect(findings(validateObject(long, crdSetOf(crd)))).toEqual([
      {
        code: 'crd/max-length',
        pointer: '/metadata/name',
        data: { field: 'metadata.name', length: 7, limit: 3 },
      },
    ]);
  });

  it('warns that a cluster-scoped kind loses metadata.namespace', () => {
    const clustered = crdSetOf(widgetCrd({ type: 'object' }, { scope: 'Cluster' }));
    expect(findings(validateObject(widget({}), clustered))).toEqual([
      {
        code: 'crd/namespace-ignored',
        pointer: '/metadata/namespace',
        data: { field: 'metadata.namespace', kind: 'Widget', namespace: 'default' },
      },
    ]);
  });

  it('ignores status when the CRD has a status subresource, and says so', () => {
    const crd = widgetCrd(
      { type: 'object' },
      {
        status: true,
        rootProperties: { status: { type: 'object', properties: { ready: { type: 'boolean' } } } },
      },
    );
    const result = validateObject(
      widget({}, { status: { ready: 'yes', unknown: 1 } }),
      crdSetOf(crd),
    );
    expect(findings(result, true)).toEqual([
      { code: 'crd/status-dropped', pointer: '/status', data: { field: 'status', kind: 'Widget' } },
    ]);
  });
});

describe('embedded resources', () => {
  const schema = {
    type: 'object',
    properties: {
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
      },
      loose: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    },
  };

  it('accepts an embedded object with type and object meta, without pruning them', () => {
    const spec = {
      template: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', labels: { a: 'b' } },
        spec: { replicas: 2 },
      },
      loose: { apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } },
    };
    expect(findings(checkSpec(schema, spec))).toEqual([]);
  });

  it('requires apiVersion and kind and checks their syntax', () => {
    const result = checkSpec(schema, {
      template: { metadata: { name: 'a/b' }, spec: { replicas: 1, other: true } },
      loose: { apiVersion: 'a/b/c', kind: 'Not_A_Kind' },
    });
    expect(findings(result)).toEqual([
      {
        code: 'crd/pruned',
        pointer: '/spec/template/spec/other',
        data: { field: 'spec.template.spec.other' },
      },
      {
        code: 'crd/embedded-resource',
        pointer: '/spec/template',
        data: { field: 'spec.template', reason: 'apiVersion is required' },
      },
      {
        code: 'crd/embedded-resource',
        pointer: '/spec/template',
        data: { field: 'spec.template', reason: 'kind is required' },
      },
      {
        code: 'crd/metadata',
        pointer: '/spec/template/metadata/name',
        data: { field: 'spec.template.metadata.name', reason: "may not contain '/'", value: 'a/b' },
      },
      {
        code: 'crd/embedded-resource',
        pointer: '/spec/loose',
        data: { field: 'spec.loose', reason: 'apiVersion a/b/c is not a valid group/version' },
      },
      {
        code: 'crd/embedded-resource',
        pointer: '/spec/loose',
        data: {
          field: 'spec.loose',
          reason:
            "kind Not_A_Kind may have mixed case, but otherwise must be lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
        },
      },
    ]);
  });
});

describe('kinds and versions', () => {
  const crd = widgetCrd({ type: 'object' });
  const versions = (crd.spec as { versions: Record<string, unknown>[] }).versions;
  const multi = {
    ...crd,
    spec: {
      ...(crd.spec as Record<string, unknown>),
      versions: [
        { ...versions[0], name: 'v1' },
        {
          ...versions[0],
          name: 'v1beta1',
          storage: false,
          deprecated: true,
          deprecationWarning: 'use v1',
        },
        { ...versions[0], name: 'v1alpha1', storage: false, served: false },
      ],
    },
  };
  const crds = crdSetOf(multi);

  it('warns about kinds no CRD defines and does not check them', () => {
    const result = validateObject(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
      crds,
    );
    expect(result.known).toBe(false);
    expect(findings(result)).toEqual([
      {
        code: 'crd/unknown-kind',
        pointer: '',
        data: { field: '<root>', apiVersion: 'v1', kind: 'Service' },
      },
    ]);
    expect(result.diagnostics[0]?.severity).toBe('warning');
  });

  it('rejects versions the CRD does not serve', () => {
    for (const version of ['v1alpha1', 'v2']) {
      const result = validateObject({ ...widget({}), apiVersion: `example.com/${version}` }, crds);
      expect(result.known).toBe(true);
      expect(findings(result)).toEqual([
        {
          code: 'crd/not-served',
          pointer: '/apiVersion',
          data: {
            field: 'apiVersion',
            kind: 'Widget',
            crd: 'widgets.example.com',
            version,
            served: 'v1, v1beta1',
          },
        },
      ]);
    }
  });

  it('warns about deprecated versions with the CRD warning', () => {
    const result = validateObject({ ...widget({}), apiVersion: 'example.com/v1beta1' }, crds);
    expect(findings(result)).toEqual([
      {
        code: 'crd/deprecated-version',
        pointer: '/apiVersion',
        data: {
          field: 'apiVersion',
          apiVersion: 'example.com/v1beta1',
          kind: 'Widget',
          warning: 'use v1',
        },
      },
    ]);
  });

  it('knows which group/version/kinds it serves', () => {
    expect(crds.versions.map((v) => [v.apiVersion, v.kind, v.served, v.deprecated])).toEqual([
      ['example.com/v1', 'Widget', true, false],
      ['example.com/v1beta1', 'Widget', true, true],
      ['example.com/v1alpha1', 'Widget', false, false],
    ]);
    expect(crds.find('example.com/v1', 'Widget')?.crd).toBe('widgets.example.com');
    expect(crds.find('example.com/v1', 'Gadget')).toBeUndefined();
  });
});
