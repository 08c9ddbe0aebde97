import { manifestOrigin, type IngestContext, type SubjectNode } from '@meshlingo/core';
import { networksAdmit } from '../cidr.js';
import type { LinkerdMessages } from '../messages.js';
import type { ServerAuthorizationRecord } from '../native.js';
import type { LinkerdOptions } from '../options.js';
import { selects } from '../selector.js';
import type { Authorization, RecordIndex } from './authorization.js';
import { identitySource } from './mesh-tls-authentication.js';

type Ctx = IngestContext<LinkerdOptions, LinkerdMessages>;

/**
 * A ServerAuthorization (the policy API of Linkerd 2.11) read for SMI: the Servers it names or
 * selects by label, and its meshTLS clients. Omitted networks mean the cluster networks, which
 * every meshed pod is in; explicit networks are dropped (reported).
 */
export function serverAuthorization(
  saz: ServerAuthorizationRecord,
  index: RecordIndex,
  ctx: Ctx,
): Authorization | undefined {
  const ns = saz.namespace;
  const name = `${ns}/${saz.name}`;
  const { server, client } = saz.spec;
  const at = (field: (string | number)[]) => ({
    manifest: saz.manifest,
    field: ['spec', ...field],
  });
  let servers;
  if (server.name !== undefined) {
    const found = index.server(ns, server.name);
    if (found === undefined) {
      ctx.report('dangling-reference', {
        at: at(['server', 'name']),
        data: { kind: 'ServerAuthorization', name, target: `Server ${server.name}` },
      });
      return undefined;
    }
    servers = [found];
  } else {
    const selector = server.selector ?? {};
    servers = index.servers(ns).filter((s) => selects(selector, s.labels));
  }
  const tls = client.meshTLS;
  if (client.unauthenticated === true || tls?.unauthenticatedTLS === true) {
    ctx.report('unauthenticated', {
      at: at(
        client.unauthenticated === true
          ? ['client', 'unauthenticated']
          : ['client', 'meshTLS', 'unauthenticatedTLS'],
      ),
      data: { kind: 'ServerAuthorization', name },
    });
    return undefined;
  }
  const identities = tls?.identities ?? [];
  const accounts = tls?.serviceAccounts ?? [];
  if (tls === undefined || identities.length + accounts.length === 0) {
    ctx.report('invalid-object', {
      at: at(['client']),
      data: { kind: 'ServerAuthorization', reason: 'it names no client, so Linkerd ignores it' },
    });
    return undefined;
  }
  const sources: SubjectNode[] = [];
  identities.forEach((identity, i) => {
    const s = identitySource(
      identity,
      saz.manifest,
      ['spec', 'client', 'meshTLS', 'identities', i],
      ctx,
    );
    if (s !== undefined) sources.push(s);
  });
  accounts.forEach((sa, i) =>
    sources.push({
      kind: 'ServiceAccount',
      name: sa.name,
      namespace: sa.namespace ?? ns,
      origin: manifestOrigin(saz.manifest, ['spec', 'client', 'meshTLS', 'serviceAccounts', i]),
    }),
  );
  if (client.networks !== undefined && !networksAdmit(client.networks, ctx.options.clusterNetworks))
    ctx.report('networks-dropped', {
      at: at(['client', 'networks']),
      data: { kind: 'ServerAuthorization', name },
    });
  return {
    manifest: saz.manifest,
    name: saz.name,
    namespace: ns,
    sources,
    on: { kind: 'servers', servers },
  };
}
