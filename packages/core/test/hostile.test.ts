import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authorize,
  featuresUsed,
  matchesFully,
  matchesPathRegex,
  readInputFiles,
} from '../src/index.js';
import { read } from './helpers.js';

describe('user regexes run on RE2', () => {
  it('finishes the catastrophic (a+)+$ on 50,000 a’s and a "!" (a backtracking engine would not)', () => {
    const input = `${'a'.repeat(50_000)}!`;
    expect(matchesPathRegex('(a+)+$', input)).toBe(false);
    expect(matchesFully('(a+)+$', input)).toBe(false);
    expect(matchesFully('(a|aa)+b', 'a'.repeat(50_000))).toBe(false);
  });

  it('evaluates a TrafficTarget with such a pattern on such a path', () => {
    const { model } = read(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: evil, namespace: ns}
spec: {matches: [{name: m, pathRegex: "(a+)+$", headers: [{x-a: "(a*)*b"}]}]}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: ns}
spec:
  destination: {kind: ServiceAccount, name: d, namespace: ns}
  rules: [{kind: HTTPRouteGroup, name: evil}]
  sources: [{kind: ServiceAccount, name: s, namespace: ns}]
`);
    const decision = authorize(model, {
      source: { namespace: 'ns', name: 's' },
      destination: { namespace: 'ns', name: 'd' },
      protocol: 'http',
      port: 80,
      http: {
        method: 'GET',
        path: `/${'a'.repeat(50_000)}!`,
        headers: { 'x-a': 'a'.repeat(50_000) },
      },
    });
    expect(decision.allowed).toBe(false);
  });
});

describe('readInputFiles', () => {
  it('reads directories recursively in name order, only manifest extensions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlingo-files-'));
    mkdirSync(join(dir, 'b-sub'));
    writeFileSync(join(dir, 'c.yaml'), 'c: 1\n');
    writeFileSync(join(dir, 'a.json'), '{"a": 1}\n');
    writeFileSync(join(dir, 'b-sub', 'x.yml'), 'x: 1\n');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const result = await readInputFiles([dir, empty, join(dir, 'missing.yaml')]);
    expect(result.files.map((f) => f.path.slice(dir.length + 1))).toEqual([
      'a.json',
      'b-sub/x.yml',
      'c.yaml',
    ]);
    expect(result.diagnostics.map((d) => d.code)).toEqual([
      'yaml/no-input-files',
      'yaml/unreadable-input',
    ]);
  });
});

describe('featuresUsed', () => {
  it('names the features a model needs', () => {
    const { model } = read(`apiVersion: specs.smi-spec.io/v1alpha4
kind: HTTPRouteGroup
metadata: {name: g, namespace: ns}
spec:
  matches:
    - {name: exact, pathRegex: /healthz$, methods: [GET]}
    - {name: prefix, pathRegex: /api/.*}
    - {name: regex, pathRegex: "/items/[0-9]+", headers: [{x-a: b}]}
---
apiVersion: specs.smi-spec.io/v1alpha4
kind: UDPRoute
metadata: {name: u, namespace: ns}
spec: {matches: {ports: [53]}}
---
apiVersion: access.smi-spec.io/v1alpha3
kind: TrafficTarget
metadata: {name: t, namespace: ns}
spec:
  destination: {kind: ServiceAccount, name: d, namespace: ns}
  rules: [{kind: HTTPRouteGroup, name: g}, {kind: UDPRoute, name: u}]
  sources: [{kind: ServiceAccount, name: s, namespace: ns}]
---
apiVersion: split.smi-spec.io/v1alpha4
kind: TrafficSplit
metadata: {name: s, namespace: ns}
spec:
  service: web
  matches: [{kind: HTTPRouteGroup, name: g}]
  backends: [{service: a, weight: 0}, {service: b, weight: 1}]
`);
    expect([...featuresUsed(model)].sort()).toEqual([
      'access.http.headers',
      'access.http.methods',
      'access.http.path-exact',
      'access.http.path-prefix',
      'access.http.path-regex',
      'access.sources',
      'access.udp.ports',
      'specs.http.headers',
      'split.matches',
      'split.weights',
      'split.zero-weight',
    ]);
  });
});
