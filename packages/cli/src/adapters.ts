import { adapterProblems, type AnyAdapter } from '@meshlingo/core';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A built-in adapter the CLI knows without importing it. */
export interface BuiltinAdapter {
  readonly name: string;
  readonly packageName: string;
  readonly description: string;
  readonly meshVersions: string;
  /** API groups of its native kinds (for `--from auto` and warnings). */
  readonly groups: readonly string[];
  /** Loads the adapter; absent while the package is not part of this build. */
  readonly load?: () => Promise<unknown>;
}

/**
 * The built-in adapters. Each is imported only when a command needs it, so `meshlingo --help`
 * and SMI-only runs never pay for the others.
 */
export const BUILTIN_ADAPTERS: readonly BuiltinAdapter[] = [
  {
    name: 'istio',
    packageName: '@meshlingo/istio',
    description: 'Istio: AuthorizationPolicy and VirtualService (security/networking v1, v1beta1)',
    meshVersions: '>=1.5 <=1.30',
    groups: [
      'security.istio.io',
      'networking.istio.io',
      'telemetry.istio.io',
      'extensions.istio.io',
      'rbac.istio.io',
    ],
    load: () => import('@meshlingo/istio'),
  },
  {
    name: 'linkerd',
    packageName: '@meshlingo/linkerd',
    description:
      'Linkerd policy (Server, AuthorizationPolicy, HTTPRoute) and traffic splitting (HTTPRoute, ServiceProfile)',
    meshVersions: '>=2.12 (stable 2.12-2.14, version-2.15 to version-2.20 edge releases)',
    groups: ['policy.linkerd.io', 'linkerd.io', 'workload.linkerd.io'],
    load: () => import('@meshlingo/linkerd'),
  },
  {
    name: 'consul',
    packageName: '@meshlingo/consul',
    description: 'Consul config entries (ServiceIntentions, ServiceSplitter, ServiceRouter)',
    meshVersions: '>=1.16 (consul-k8s CRDs consul.hashicorp.com/v1alpha1)',
    groups: ['consul.hashicorp.com'],
    load: () => import('@meshlingo/consul'),
  },
  {
    name: 'appmesh',
    packageName: '@meshlingo/appmesh',
    description:
      'AWS App Mesh (discontinued 30 September 2026): Mesh, VirtualNode, VirtualService, VirtualRouter',
    meshVersions: 'appmesh.k8s.aws/v1beta2 (reads v1beta1 too)',
    groups: ['appmesh.k8s.aws'],
    load: () => import('@meshlingo/appmesh'),
  },
  {
    name: 'gateway-api',
    packageName: '@meshlingo/gateway-api',
    description: 'Gateway API for service meshes (GAMMA): HTTPRoute, GRPCRoute, TCPRoute',
    meshVersions: 'Gateway API v1.1-v1.6',
    groups: ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'],
    load: () => import('@meshlingo/gateway-api'),
  },
];

/** An adapter that could not be used, with the reason. */
export class AdapterLoadError extends Error {}

function pickAdapter(module: unknown, from: string): AnyAdapter {
  const mod = module as { default?: unknown } | undefined;
  const candidate = mod?.default ?? module;
  const problems = adapterProblems(candidate);
  if (problems.length > 0)
    throw new AdapterLoadError(`${from} is not a meshlingo adapter: ${problems.join('; ')}`);
  return candidate as AnyAdapter;
}

/** Loads a built-in adapter by name. */
export async function loadBuiltin(name: string): Promise<AnyAdapter> {
  const entry = BUILTIN_ADAPTERS.find((a) => a.name === name);
  if (entry === undefined) {
    throw new AdapterLoadError(
      `unknown adapter "${name}"; built in: smi, ${BUILTIN_ADAPTERS.map((a) => a.name).join(', ')}`,
    );
  }
  if (entry.load === undefined) {
    throw new AdapterLoadError(
      `the ${name} adapter (${entry.packageName}) is not part of this build yet`,
    );
  }
  return pickAdapter(await entry.load(), entry.packageName);
}

/** Loads a third-party adapter from a package name or a file path (`--adapter`). */
export async function loadExternal(specifier: string): Promise<AnyAdapter> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const target = isPath ? pathToFileURL(resolve(specifier)).href : specifier;
  let module: unknown;
  try {
    module = await import(target);
  } catch (error) {
    throw new AdapterLoadError(
      `cannot load adapter ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return pickAdapter(module, specifier);
}

/** Every built-in adapter that is part of this build. */
export async function loadAllBuiltins(): Promise<AnyAdapter[]> {
  const out: AnyAdapter[] = [];
  for (const entry of BUILTIN_ADAPTERS)
    if (entry.load !== undefined) out.push(await loadBuiltin(entry.name));
  return out;
}
