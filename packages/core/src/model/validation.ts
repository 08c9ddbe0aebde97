/**
 * Kubernetes name and label rules (apimachinery `validation`). Each check returns undefined when
 * the value is valid, otherwise a short reason for the diagnostic.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Text copied from documentation that still holds a placeholder: `<NAMESPACE>`, `{{ .Values.x }}`, `${NS}`. */
export function isPlaceholder(value: string): boolean {
  return /<[^<>\s][^<>]*>|\{\{.*\}\}|\$\{[^}]+\}|\$\([^)]+\)/.test(value);
}

/** A DNS-1123 label: namespaces, most names. */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS1123_LABEL.test(value))
    return "must be lower-case letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

/** A DNS-1123 subdomain: object names of most kinds, ServiceAccounts. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be at most 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** A DNS-1035 label: Service names. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!DNS1035_LABEL.test(value))
    return "must be lower-case letters, digits and '-', starting with a letter and ending with a letter or digit";
  return undefined;
}

/** A label or annotation key: an optional DNS subdomain prefix and a name of up to 63 characters. */
export function checkQualifiedName(value: string): string | undefined {
  const slash = value.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : value.slice(0, slash);
  const name = slash === -1 ? value : value.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === '') return 'the prefix before "/" must not be empty';
    const bad = checkDns1123Subdomain(prefix);
    if (bad !== undefined) return `the prefix ${bad}`;
  }
  if (name === '') return 'the name part must not be empty';
  if (name.length > 63) return 'the name part must be at most 63 characters';
  if (!QUALIFIED_NAME_PART.test(name))
    return "the name part must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** A label value: up to 63 characters, may be empty. */
export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be at most 63 characters';
  if (!LABEL_VALUE.test(value))
    return "must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** An HTTP header field name (RFC 9110 token). */
export function isHttpToken(value: string): boolean {
  return HTTP_TOKEN.test(value);
}
