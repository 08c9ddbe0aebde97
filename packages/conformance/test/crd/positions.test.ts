import { describe, expect, it } from 'vitest';
import { crdSetOf, validateYaml, widgetCrd } from './helpers.js';

const crds = crdSetOf(
  widgetCrd({
    type: 'object',
    properties: {
      replicas: { type: 'integer', maximum: 5 },
      rules: {
        type: 'array',
        items: {
          type: 'object',
          properties: { path: { type: 'string' } },
          'x-kubernetes-validations': [
            { rule: "self.path.startsWith('/')", message: 'path must be absolute' },
          ],
        },
      },
    },
  }),
);

describe('diagnostics of manifests read from YAML', () => {
  it('carry the file, document, pointer, line and column of the field', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: unrelated
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  replicas: 7
  rules:
  - path: /ok
  - path: relative
  colour: red
`;
    const [configMap, widget] = validateYaml(text, crds, 'widgets.yaml');
    expect(configMap?.known).toBe(false);
    expect(widget?.diagnostics.map((d) => [d.code, d.location, d.resource])).toEqual([
      [
        'crd/pruned',
        { file: 'widgets.yaml', docIndex: 1, pointer: '/spec/colour', line: 15, column: 3 },
        { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' },
      ],
      [
        'crd/maximum',
        { file: 'widgets.yaml', docIndex: 1, pointer: '/spec/replicas', line: 11, column: 3 },
        { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' },
      ],
      [
        'crd/cel-failed',
        { file: 'widgets.yaml', docIndex: 1, pointer: '/spec/rules/1', line: 14, column: 5 },
        { apiVersion: 'example.com/v1', kind: 'Widget', name: 'w' },
      ],
    ]);
  });

  it('point into the items of a List document', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: a
  spec: {}
- apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: b
  spec:
    replicas: 9
`;
    const [first, second] = validateYaml(text, crds);
    expect(first?.diagnostics).toEqual([]);
    expect(second?.diagnostics.map((d) => d.location)).toEqual([
      { file: 'input.yaml', docIndex: 0, pointer: '/items/1/spec/replicas', line: 14, column: 5 },
    ]);
  });
});
