import type { Manifest } from '@meshlingo/core';
import type { IstioIngestContext } from '../context.js';
import { record, specOf, text } from '../json.js';

/**
 * PeerAuthentication: mTLS modes. SMI assumes authenticated identities and has no mTLS setting;
 * the translated TrafficTargets mean the same under STRICT and PERMISSIVE (a plaintext client has
 * no identity and matches no source), so this is informational.
 */
export function ingestPeerAuthentication(manifest: Manifest, ctx: IstioIngestContext): void {
  const mode = text(record(specOf(manifest.object), 'mtls') ?? {}, 'mode') ?? 'UNSET';
  ctx.report('peer-authentication-dropped', {
    at: { manifest, field: ['spec'] },
    data: {
      name: `${manifest.object.metadata?.namespace ?? ctx.core.defaultNamespace}/${manifest.object.metadata?.name ?? ''}`,
      mode,
    },
  });
}
