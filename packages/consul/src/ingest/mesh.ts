import type { MeshSpec, Parsed } from '../native.js';
import { fieldOf, FIELD_EFFECTS, type ConsulIngestContext } from './context.js';

/**
 * Mesh `mesh`: mesh-wide settings (transparent-proxy scope, TLS, request normalisation, peering)
 * with no SMI form. Request normalisation changes which path an L7 rule sees.
 */
export function ingestMesh(parsed: Parsed<MeshSpec>, ctx: ConsulIngestContext): void {
  for (const field of parsed.spec.fields) {
    const effect = Object.hasOwn(FIELD_EFFECTS, field) ? FIELD_EFFECTS[field] : undefined;
    ctx.report('service-defaults-field-ignored', {
      at: fieldOf(parsed, ['spec', field]),
      data: { kind: 'Mesh', name: parsed.name, field },
      ...(effect !== undefined && { effect }),
    });
  }
}
