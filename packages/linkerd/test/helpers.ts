import {
  indexContext,
  parseYamlStream,
  readContext,
  toManifests,
  type EvaluationEnv,
  type KubeObject,
} from '@meshlingo/core';
import { LinkerdOptionsSchema, type LinkerdOptions } from '../src/index.js';

/** The objects of a YAML stream. */
export function objects(yaml: string): KubeObject[] {
  return toManifests(parseYamlStream({ path: 'test.yaml', text: yaml }).documents).manifests.map(
    (m) => m.object,
  );
}

/** Context C0 of the Linkerd research vectors: the api workload (http 8080, metrics 9090). */
export const C0 = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, version: v1}}
    spec:
      serviceAccountName: api
      containers:
        - name: api
          image: example/api:1
          ports:
            - {name: http, containerPort: 8080}
            - {name: metrics, containerPort: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
`;

/** An evaluation environment: context objects from YAML and adapter options. */
export function env(
  contextYaml: string = C0,
  options: Partial<LinkerdOptions> = {},
): EvaluationEnv<LinkerdOptions> {
  const manifests = toManifests(
    parseYamlStream({ path: 'context.yaml', text: contextYaml }).documents,
  ).manifests;
  return {
    options: LinkerdOptionsSchema.parse(options),
    cluster: indexContext(readContext(manifests).context),
  };
}

/** An HTTP request from a ServiceAccount of `shop` to the api pods. */
export function http(
  from: string,
  method: string,
  path: string,
  port = 8080,
  headers: Record<string, string> = {},
) {
  const [namespace = 'shop', name = from] = from.includes('/') ? from.split('/') : ['shop', from];
  return {
    source: { namespace, name },
    destination: { namespace: 'shop', name: 'api', podLabels: { app: 'api', version: 'v1' } },
    protocol: 'http' as const,
    port,
    http: { method, path, headers },
  };
}

/** A non-HTTP connection from a ServiceAccount of `shop` to the api pods. */
export function tcp(from: string, port: number) {
  const { http: _http, ...rest } = http(from, 'GET', '/', port);
  return { ...rest, protocol: 'tcp' as const };
}
