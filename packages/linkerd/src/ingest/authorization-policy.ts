import type { IngestContext, SubjectNode } from '@meshlingo/core';
import { manifestOrigin } from '@meshlingo/core';
import { networksAdmit } from '../cidr.js';
import type { LinkerdMessages } from '../messages.js';
import {
  isCoreGroup,
  sameKind,
  type AuthorizationPolicyRecord,
  type MeshTlsRecord,
} from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { GATEWAY_GROUP, POLICY_GROUP } from '../versions.js';
import type { Authorization, RecordIndex } from './authorization.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/**
 * An AuthorizationPolicy read for SMI: its target (a Server, every Server of the namespace, or an
 * HTTPRoute) and the ServiceAccounts its authentications admit. Missing targets or
 * authentications make Linkerd ignore the policy; network restrictions are dropped (reported);
 * a policy without an identity requirement admits unauthenticated clients and has no SMI form.
 */
export function policyAuthorization(
  policy: AuthorizationPolicyRecord,
  index: RecordIndex,
  meshTls: (record: MeshTlsRecord) => SubjectNode[],
  ctx: Ctx,
): Authorization | undefined {
  const ns = policy.namespace;
  const name = `${ns}/${policy.name}`;
  const { targetRef } = policy;
  const group = (targetRef.group ?? '').toLowerCase();
  const dangling = (target: string, field: (string | number)[]): undefined => {
    ctx.report('dangling-reference', {
      at: { manifest: policy.manifest, field },
      data: { kind: 'AuthorizationPolicy', name, target },
    });
    return undefined;
  };
  let on: Authorization['on'];
  if (sameKind(targetRef.kind, 'Server') && group === POLICY_GROUP) {
    const server = index.server(ns, targetRef.name);
    if (server === undefined) return dangling(`Server ${targetRef.name}`, ['spec', 'targetRef']);
    on = { kind: 'servers', servers: [server] };
  } else if (sameKind(targetRef.kind, 'Namespace') && isCoreGroup(targetRef.group)) {
    if (targetRef.name !== ns)
      return dangling(`Namespace ${targetRef.name}`, ['spec', 'targetRef']);
    on = { kind: 'servers', servers: index.servers(ns) };
  } else if (
    sameKind(targetRef.kind, 'HTTPRoute') &&
    (group === POLICY_GROUP || group === GATEWAY_GROUP)
  ) {
    const route = index.route(ns, group, targetRef.name);
    if (route === undefined) return dangling(`HTTPRoute ${targetRef.name}`, ['spec', 'targetRef']);
    on = { kind: 'route', route };
  } else {
    ctx.report('unsupported-target', {
      at: { manifest: policy.manifest, field: ['spec', 'targetRef'] },
      data: { kind: 'AuthorizationPolicy', name, target: `${targetRef.kind} ${targetRef.name}` },
    });
    return undefined;
  }

  let sources: SubjectNode[] | undefined;
  let networkField: (string | number)[] | undefined;
  for (const [i, ref] of policy.requiredAuthenticationRefs.entries()) {
    const field = ['spec', 'requiredAuthenticationRefs', i];
    const refNs = ref.namespace ?? ns;
    if (sameKind(ref.kind, 'ServiceAccount') && isCoreGroup(ref.group)) {
      sources = [
        ...(sources ?? []),
        {
          kind: 'ServiceAccount',
          name: ref.name,
          namespace: refNs,
          origin: manifestOrigin(policy.manifest, field),
        },
      ];
    } else if (sameKind(ref.kind, 'MeshTLSAuthentication') && ref.group === POLICY_GROUP) {
      const record = index.meshTls(refNs, ref.name);
      if (record === undefined)
        return dangling(`MeshTLSAuthentication ${refNs}/${ref.name}`, field);
      sources = [...(sources ?? []), ...meshTls(record)];
    } else if (sameKind(ref.kind, 'NetworkAuthentication') && ref.group === POLICY_GROUP) {
      const record = index.network(refNs, ref.name);
      if (record === undefined)
        return dangling(`NetworkAuthentication ${refNs}/${ref.name}`, field);
      if (!networksAdmit(record.networks, ctx.options.clusterNetworks)) networkField = field;
    } else {
      return dangling(`${ref.kind} ${ref.name}`, field);
    }
  }
  if (sources === undefined) {
    ctx.report('unauthenticated', {
      at: { manifest: policy.manifest, field: ['spec', 'requiredAuthenticationRefs'] },
      data: { kind: 'AuthorizationPolicy', name },
    });
    return undefined;
  }
  // Without any source left there is nothing the network restriction could narrow.
  if (networkField !== undefined && sources.length > 0)
    ctx.report('networks-dropped', {
      at: { manifest: policy.manifest, field: networkField },
      data: { kind: 'AuthorizationPolicy', name },
    });
  return { manifest: policy.manifest, name: policy.name, namespace: ns, sources, on };
}
