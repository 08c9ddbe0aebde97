import type { EmitContext, KubeObject, MeshModel } from '@meshlingo/core';
import type { LinkerdMessages } from '../messages.js';
import type { LinkerdOptions } from '../options.js';
import { targetApis } from '../versions.js';
import { emitAccess } from './access.js';
import { emitSplits } from './split.js';

/** SMI to Linkerd: access (Servers, policies, routes) and routing (splits), as asked. */
export function emitLinkerd(
  model: MeshModel,
  ctx: EmitContext<LinkerdOptions, LinkerdMessages>,
): KubeObject[] {
  const apis = targetApis(ctx.options);
  return [
    ...(ctx.areas.has('access') ? emitAccess(model, ctx, apis) : []),
    ...(ctx.areas.has('routing') ? emitSplits(model, ctx, apis) : []),
  ];
}
