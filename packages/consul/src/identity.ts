import type { ContextIndex } from '@meshlingo/core';
import type { ConsulOptions } from './options.js';

/** A Consul service identity: its name and Consul namespace (`default` without Enterprise namespaces). */
export interface ConsulName {
  readonly name: string;
  readonly namespace: string;
}

/** A Kubernetes ServiceAccount. */
export interface AccountRef {
  readonly namespace: string;
  readonly name: string;
}

/** `namespace/name`, for maps and sorting. */
export function identityKey(id: ConsulName): string {
  return `${id.namespace}/${id.name}`;
}

/** Sorts and de-duplicates ServiceAccounts. */
export function uniqueAccounts(list: Iterable<AccountRef>): AccountRef[] {
  const map = new Map<string, AccountRef>();
  for (const a of list)
    map.set(`${a.namespace}/${a.name}`, { namespace: a.namespace, name: a.name });
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The Consul namespace objects of a Kubernetes namespace land in (consul-k8s namespace modes). */
export function consulNamespaceOf(k8sNamespace: string, options: ConsulOptions): string {
  const ns = options.namespaces;
  switch (ns.mode) {
    case 'none':
      return 'default';
    case 'mirroring':
      return `${ns.prefix}${k8sNamespace}`;
    case 'single':
      return ns.namespace;
  }
}

/**
 * The Kubernetes namespaces a Consul namespace stands for: one (mirroring), `any` (without
 * namespaces, or with a single destination namespace, every Kubernetes namespace shares it), or
 * undefined when no Kubernetes namespace maps to it.
 */
export function k8sNamespacesOf(
  consulNamespace: string,
  options: ConsulOptions,
): 'any' | readonly string[] | undefined {
  const ns = options.namespaces;
  switch (ns.mode) {
    case 'none':
      return consulNamespace === 'default' ? 'any' : undefined;
    case 'single':
      return consulNamespace === ns.namespace ? 'any' : undefined;
    case 'mirroring': {
      if (!consulNamespace.startsWith(ns.prefix)) return undefined;
      const rest = consulNamespace.slice(ns.prefix.length);
      return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rest) ? [rest] : undefined;
    }
  }
}

/** Consul services registered by the pods of a ServiceAccount: the Kubernetes Services selecting them. */
function servicesOfAccount(account: AccountRef, cluster: ContextIndex): string[] {
  const names = new Set<string>();
  for (const w of cluster.workloadsOf(account.namespace, account.name))
    for (const s of cluster.servicesOf(w)) names.add(s.name);
  return [...names].sort();
}

/**
 * The Consul identities a ServiceAccount's pods have. With ACLs a pod can only register the
 * service named like its ServiceAccount (consul-k8s auth method binding rule `${serviceaccount.name}`);
 * without ACLs it registers the Kubernetes Service that selects it.
 */
export function identitiesOfAccount(
  account: AccountRef,
  options: ConsulOptions,
  cluster: ContextIndex,
): ConsulName[] {
  const namespace = consulNamespaceOf(account.namespace, options);
  const names = options.acls ? [account.name] : servicesOfAccount(account, cluster);
  return names.map((name) => ({ name, namespace }));
}

function knownAccounts(cluster: ContextIndex): AccountRef[] {
  return uniqueAccounts([
    ...cluster.context.serviceAccounts,
    ...cluster.context.workloads.map((w) => ({ namespace: w.namespace, name: w.serviceAccount })),
  ]);
}

/**
 * The ServiceAccounts (from the context) whose pods carry a Consul identity: the inverse of
 * {@link identitiesOfAccount}. Without Enterprise namespaces every same-named account of every
 * namespace shares the identity.
 */
export function accountsOfIdentity(
  id: ConsulName,
  options: ConsulOptions,
  cluster: ContextIndex,
): AccountRef[] {
  const namespaces = k8sNamespacesOf(id.namespace, options);
  if (namespaces === undefined) return [];
  const inScope = (ns: string): boolean => namespaces === 'any' || namespaces.includes(ns);
  if (options.acls)
    return knownAccounts(cluster).filter((a) => a.name === id.name && inScope(a.namespace));
  return uniqueAccounts(
    cluster.context.services
      .filter((s) => s.name === id.name && inScope(s.namespace))
      .flatMap((s) => cluster.workloadsBehind(s))
      .map((w) => ({ namespace: w.namespace, name: w.serviceAccount })),
  );
}

/** The fields that name an identity in a Consul object: no namespace field without Enterprise namespaces. */
export function wireName(
  id: ConsulName,
  options: ConsulOptions,
): { name: string; namespace?: string } {
  return options.namespaces.mode === 'none'
    ? { name: id.name }
    : { name: id.name, namespace: id.namespace };
}
