import { describe, expect, it } from 'vitest';
import { indexContext, portProtocol, resolveTargetPort } from '../src/index.js';
import { read } from './helpers.js';

const deployment = (name: string, sa: string | undefined, labels: Record<string, string>) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  template:
    metadata: {labels: ${JSON.stringify(labels)}}
    spec:
      ${sa === undefined ? '' : `serviceAccountName: ${sa}`}
      containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]`;

const { context } = read(
  [
    deployment('api-v1', 'api', { app: 'api', version: 'v1', 'pod-template-hash': 'abc' }),
    deployment('api-v2', 'api', { app: 'api', version: 'v2', 'pod-template-hash': 'def' }),
    deployment('web', 'web', { app: 'web', tier: 'front' }),
    deployment('shared-a', 'a', { team: 'x' }),
    deployment('shared-b', 'b', { team: 'x', extra: 'y' }),
    deployment('nosa', undefined, { app: 'nosa' }),
    `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {serviceAccountName: reporter}`,
    `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: grpc-admin, port: 9000}
    - {name: metrics, port: 9100, targetPort: 9100, appProtocol: kubernetes.io/h2c}`,
  ].join('\n---\n'),
);
const index = indexContext(context);

describe('context', () => {
  it('reads workloads of every kind with their ServiceAccount (default when unset)', () => {
    expect(context.workloads.map((w) => `${w.kind}/${w.name}:${w.serviceAccount}`)).toContain(
      'CronJob/report:reporter',
    );
    expect(index.workloadsOf('shop', 'default').map((w) => w.name)).toEqual(['nosa']);
  });

  it('resolves a ServiceAccount to the labels its workloads share, leaving out volatile ones', () => {
    expect(index.selectorFor('shop', 'api')).toMatchObject({ ok: true, labels: { app: 'api' } });
    expect(index.selectorFor('shop', 'web')).toMatchObject({
      ok: true,
      labels: { app: 'web', tier: 'front' },
    });
  });

  it('refuses selectors that would pick other ServiceAccounts’ pods, or that do not exist', () => {
    expect(index.selectorFor('shop', 'a')).toMatchObject({ ok: false, reason: 'selects-others' });
    expect(index.selectorFor('shop', 'ghost')).toEqual({ ok: false, reason: 'no-workloads' });
  });

  it('finds Services of workloads and resolves named target ports and protocols', () => {
    const api = index.service('shop', 'api');
    if (api === undefined) throw new Error('no api Service');
    expect(index.workloadsBehind(api).map((w) => w.name)).toEqual(['api-v1', 'api-v2']);
    expect(resolveTargetPort(api.ports[0]!, index.workloadsBehind(api))).toBe(8080);
    expect(resolveTargetPort(api.ports[1]!, [])).toBe(9000);
    expect(api.ports.map(portProtocol)).toEqual(['http', 'grpc', 'h2c']);
  });
});
