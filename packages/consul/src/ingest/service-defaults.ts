import type { Parsed, ServiceDefaultsSpec } from '../native.js';
import { fieldOf, FIELD_EFFECTS, type ConsulIngestContext } from './context.js';

/**
 * ServiceDefaults: the protocol decides how intentions and routes are read (L7 needs an HTTP-like
 * one); every other field has no SMI form and is reported with what leaving it out does.
 */
export function ingestServiceDefaults(
  parsed: Parsed<ServiceDefaultsSpec>,
  ctx: ConsulIngestContext,
): void {
  for (const field of parsed.spec.others) {
    const at = fieldOf(parsed, ['spec', field]);
    const data = { kind: 'ServiceDefaults', name: parsed.name };
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
