import { manifestOrigin, type IngestContext, type SubjectNode } from '@meshlingo/core';
import { parseIdentity } from '../identity.js';
import type { LinkerdMessages } from '../messages.js';
import type { Manifest } from '@meshlingo/core';
import type { MeshTlsRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/**
 * An identity string as an SMI source. Wildcards and identities of other trust domains or
 * control planes are reported and left out (the SMI result allows less).
 */
export function identitySource(
  identity: string,
  manifest: Manifest,
  field: readonly (string | number)[],
  ctx: Ctx,
): SubjectNode | undefined {
  const parsed = parseIdentity(identity, ctx.options);
  const at = { manifest, field };
  if (parsed.kind === 'account')
    return { kind: 'ServiceAccount', ...parsed.account, origin: manifestOrigin(manifest, field) };
  if (parsed.kind === 'wildcard') ctx.report('identity-wildcard', { at, data: { identity } });
  else
    ctx.report('foreign-identity', {
      at,
      data: {
        identity,
        trustDomain: ctx.options.trustDomain,
        controlPlane: ctx.options.controlPlaneNamespace,
      },
    });
  return undefined;
}

/** The ServiceAccounts a MeshTLSAuthentication authenticates (reported once per object). */
export function meshTlsSources(record: MeshTlsRecord, ctx: Ctx): SubjectNode[] {
  const out: SubjectNode[] = [];
  (record.spec.identities ?? []).forEach((identity, i) => {
    const s = identitySource(identity, record.manifest, ['spec', 'identities', i], ctx);
    if (s !== undefined) out.push(s);
  });
  (record.spec.identityRefs ?? []).forEach((ref, i) => {
    const field = ['spec', 'identityRefs', i];
    if (ref.kind.toLowerCase() === 'serviceaccount' && ref.name !== undefined) {
      out.push({
        kind: 'ServiceAccount',
        name: ref.name,
        namespace: ref.namespace ?? record.namespace,
        origin: manifestOrigin(record.manifest, field),
      });
    } else if (ref.kind.toLowerCase() === 'namespace' || ref.name === undefined) {
      ctx.report('identity-wildcard', {
        at: { manifest: record.manifest, field },
        data: { identity: `${ref.kind}/${ref.name ?? '*'}` },
      });
    } else {
      ctx.report('foreign-identity', {
        at: { manifest: record.manifest, field },
        data: {
          identity: `${ref.kind}/${ref.name}`,
          trustDomain: ctx.options.trustDomain,
          controlPlane: ctx.options.controlPlaneNamespace,
        },
      });
    }
  });
  return out;
}
