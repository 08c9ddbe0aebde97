import type { ServiceAccountRef } from '@meshlingo/core';

/** What identity strings are built from. */
export interface IdentitySettings {
  readonly trustDomain: string;
  readonly controlPlaneNamespace: string;
}

/**
 * The mTLS identity Linkerd gives a workload:
 * `<sa>.<ns>.serviceaccount.identity.<control-plane-ns>.<trust-domain>` (the policy controller's
 * `ClusterInfo::service_account_identity`).
 */
export function identityOf(account: ServiceAccountRef, settings: IdentitySettings): string {
  return `${account.name}.${account.namespace}.serviceaccount.identity.${settings.controlPlaneNamespace}.${settings.trustDomain}`;
}

/** What an identity string in a MeshTLSAuthentication or ServerAuthorization means for SMI. */
export type ParsedIdentity =
  | { readonly kind: 'account'; readonly account: ServiceAccountRef }
  /** `*`, a `*.` suffix, or a namespace-wide reference: several identities at once. */
  | { readonly kind: 'wildcard'; readonly pattern: string }
  /** An identity of another trust domain or control plane, or a SPIFFE ID. */
  | { readonly kind: 'foreign'; readonly identity: string };

/** Reads an identity string back into a ServiceAccount when it names one of this cluster. */
export function parseIdentity(identity: string, settings: IdentitySettings): ParsedIdentity {
  if (identity === '*' || identity.startsWith('*.')) return { kind: 'wildcard', pattern: identity };
  const suffix = `.serviceaccount.identity.${settings.controlPlaneNamespace}.${settings.trustDomain}`;
  if (identity.endsWith(suffix)) {
    const parts = identity.slice(0, -suffix.length).split('.');
    const [name, namespace] = parts;
    if (parts.length === 2 && name !== undefined && namespace !== undefined && name !== '')
      return { kind: 'account', account: { name, namespace } };
  }
  return { kind: 'foreign', identity };
}

/**
 * Linkerd's identity match (policy controller `IdentityMatch`): `*` matches any authenticated
 * identity, `*.<suffix>` matches identities ending with `.<suffix>`, anything else is exact.
 */
export function identityMatches(pattern: string, identity: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return identity.endsWith(pattern.slice(1));
  return pattern === identity;
}
