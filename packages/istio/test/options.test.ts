import { describe, expect, it } from 'vitest';
import { featuresOf, IstioOptionsSchema } from '../src/index.js';

describe('options', () => {
  it('defaults to Istio 1.22, cluster.local, default deny off, workload selectors', () => {
    expect(IstioOptionsSchema.parse({})).toEqual({
      istioVersion: '1.22',
      trustDomain: 'cluster.local',
      trustDomainAliases: [],
      clusterDomain: 'cluster.local',
      rootNamespace: 'istio-system',
      defaultDeny: 'off',
      selectorStrategy: 'workloads',
    });
  });

  it('reads the Istio version as text, and numbers only when no trailing zero was lost', () => {
    expect(IstioOptionsSchema.parse({ istioVersion: 1.14 }).istioVersion).toBe('1.14');
    expect(IstioOptionsSchema.parse({ istioVersion: '1.20.3' }).istioVersion).toBe('1.20.3');
    // YAML's 1.20 is the number 1.2: refused, never read as Istio 1.2.
    expect(IstioOptionsSchema.safeParse({ istioVersion: 1.2 }).success).toBe(false);
    expect(IstioOptionsSchema.safeParse({ istioVersion: '2.0' }).success).toBe(false);
    expect(IstioOptionsSchema.safeParse({ defaultDeny: 'sometimes' }).success).toBe(false);
    expect(IstioOptionsSchema.safeParse({ unknown: true }).success).toBe(false);
  });

  it.each([
    ['1.5', 'security.istio.io/v1beta1', 'networking.istio.io/v1beta1', false, false],
    ['1.14', 'security.istio.io/v1beta1', 'networking.istio.io/v1beta1', false, false],
    ['1.15', 'security.istio.io/v1beta1', 'networking.istio.io/v1beta1', true, false],
    ['1.21', 'security.istio.io/v1beta1', 'networking.istio.io/v1beta1', true, false],
    ['1.22', 'security.istio.io/v1', 'networking.istio.io/v1', true, true],
  ])(
    'Istio %s: %s, %s, relative weights %s, path templates %s',
    (version, security, networking, relative, templates) => {
      expect(featuresOf(IstioOptionsSchema.parse({ istioVersion: version }))).toEqual({
        securityApiVersion: security,
        networkingApiVersion: networking,
        relativeWeights: relative,
        pathTemplates: templates,
      });
    },
  );
});
