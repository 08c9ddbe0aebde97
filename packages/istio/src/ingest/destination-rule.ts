import type { Manifest } from '@meshlingo/core';
import type { IstioIngestContext } from '../context.js';
import { specOf } from '../json.js';

/**
 * DestinationRule: client-side traffic policy and subsets. SMI has neither; subsets only matter
 * where a VirtualService routes to them, and that is reported there.
 */
export function ingestDestinationRule(manifest: Manifest, ctx: IstioIngestContext): void {
  const spec = specOf(manifest.object);
  const name = `${manifest.object.metadata?.namespace ?? ctx.core.defaultNamespace}/${manifest.object.metadata?.name ?? ''}`;
  for (const field of Object.keys(spec).sort()) {
    if (field === 'host') continue;
    ctx.report('destination-rule-dropped', {
      at: { manifest, field: ['spec', field] },
      data: { name, field },
      // Subsets change nothing by themselves; the routes that use them are reported.
      ...(field === 'subsets' && { effect: 'cosmetic', severity: 'info' }),
    });
  }
}
