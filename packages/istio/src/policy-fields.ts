import { isRecord } from './json.js';

/**
 * AuthorizationPolicy fields Istio only knows for HTTP (pilot `security/authz/model`: they need
 * the HTTP connection manager). On TCP traffic an ALLOW rule using any of them is dropped, and a
 * DENY, CUSTOM or AUDIT rule loses them.
 */
export const HTTP_OPERATION_FIELDS = [
  'hosts',
  'notHosts',
  'methods',
  'notMethods',
  'paths',
  'notPaths',
] as const;

/** Source fields that only exist for HTTP (JWT request principals). */
export const HTTP_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals'] as const;

/** `when` keys under `request.` (headers, JWT claims) need HTTP. */
export function isHttpConditionKey(key: string): boolean {
  return key.startsWith('request.');
}

function nonEmptyList(record: Record<string, unknown>, key: string): boolean {
  const v = Object.hasOwn(record, key) ? record[key] : undefined;
  return Array.isArray(v) && v.length > 0;
}

function items(
  record: Record<string, unknown>,
  key: string,
  inner: string,
): Record<string, unknown>[] {
  const v = Object.hasOwn(record, key) ? record[key] : undefined;
  if (!Array.isArray(v)) return [];
  return v
    .filter(isRecord)
    .map((entry) => (Object.hasOwn(entry, inner) ? entry[inner] : undefined))
    .filter(isRecord);
}

/** Whether a rule uses any HTTP-only field anywhere (istio/istio#37920). */
export function hasHttpOnlyField(rule: Record<string, unknown>): boolean {
  if (items(rule, 'from', 'source').some((s) => HTTP_SOURCE_FIELDS.some((k) => nonEmptyList(s, k))))
    return true;
  if (
    items(rule, 'to', 'operation').some((o) =>
      HTTP_OPERATION_FIELDS.some((k) => nonEmptyList(o, k)),
    )
  )
    return true;
  const when = Object.hasOwn(rule, 'when') ? rule.when : undefined;
  return (
    Array.isArray(when) &&
    when.some((c) => isRecord(c) && typeof c.key === 'string' && isHttpConditionKey(c.key))
  );
}
