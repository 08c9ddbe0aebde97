import type { Parsed, ServiceResolverSpec } from '../native.js';
import { fieldOf, type ConsulIngestContext } from './context.js';

/**
 * ServiceResolver fields with no SMI form: failover, load balancing, timeouts, locality, and
 * health-only subsets. Subsets and local redirects are read where a split or route reaches them.
 */
export function reportServiceResolver(
  parsed: Parsed<ServiceResolverSpec>,
  ctx: ConsulIngestContext,
): void {
  for (const field of parsed.spec.others)
    ctx.report('resolver-field-ignored', {
      at: fieldOf(parsed, ['spec', field]),
      data: { service: parsed.name, field },
    });
  for (const [name, subset] of parsed.spec.subsets ?? [])
    if (subset.onlyPassing === true)
      ctx.report('resolver-field-ignored', {
        at: fieldOf(parsed, ['spec', 'subsets', name, 'onlyPassing']),
        data: { service: parsed.name, field: `subsets.${name}.onlyPassing` },
      });
}
