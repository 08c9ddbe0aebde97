import type { IngestContext } from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import type { TcpRouteRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { serviceParents, splitBackends } from './outbound.js';
import type { SplitDefinition } from './split-definition.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/** A Gateway API TCPRoute with Service parents: its (single) rule splits the connections. */
export function tcpRouteSplits(route: TcpRouteRecord, ctx: Ctx): SplitDefinition[] {
  const rule = route.rules[0];
  if (rule === undefined || rule.backendRefs.length === 0) return [];
  return serviceParents(route, ctx).flatMap((parent) => {
    if (route.rules.length > 1)
      ctx.report('split-rules', {
        at: { manifest: route.manifest, field: ['spec', 'rules', 1] },
        data: { kind: 'TCPRoute', route: `${route.namespace}/${route.name}`, service: parent.name },
      });
    const backends = splitBackends(
      rule.backendRefs,
      ['spec', 'rules', 0, 'backendRefs'],
      route,
      parent,
      ctx,
    );
    return [
      {
        manifest: route.manifest,
        kind: 'TCPRoute' as const,
        name: route.name,
        namespace: route.namespace,
        service: parent.name,
        ports: parent.port === undefined ? 'all' : [parent.port],
        backends,
      },
    ];
  });
}
