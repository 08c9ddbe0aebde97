import type { Parsed, ProxyDefaultsSpec } from '../native.js';
import { fieldOf, FIELD_EFFECTS, type ConsulIngestContext } from './context.js';

/**
 * ProxyDefaults `global`: `config.protocol` is every service's default protocol; the rest of the
 * free-form `config` and every other field have no SMI form.
 */
export function ingestProxyDefaults(
  parsed: Parsed<ProxyDefaultsSpec>,
  ctx: ConsulIngestContext,
): void {
  const data = { kind: 'ProxyDefaults', name: parsed.name };
  for (const key of parsed.spec.configKeys)
    ctx.report('service-defaults-field-ignored', {
      at: fieldOf(parsed, ['spec', 'config', key]),
      data: { ...data, field: `config.${key}` },
    });
  for (const field of parsed.spec.others) {
    const at = fieldOf(parsed, ['spec', field]);
    if (field === 'mutualTLSMode' && parsed.spec.mutualTLSMode === 'permissive') {
      ctx.report('permissive-mtls', { at, data });
      continue;
    }
    const effect = Object.hasOwn(FIELD_EFFECTS, field) ? FIELD_EFFECTS[field] : undefined;
    ctx.report('service-defaults-field-ignored', {
      at,
      data: { ...data, field },
      ...(effect !== undefined && { effect }),
    });
  }
}
