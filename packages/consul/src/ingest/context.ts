import {
  parseSourceAnnotation,
  SOURCE_ANNOTATION,
  type Effect,
  type IngestContext,
  type ReportTarget,
} from '@meshlingo/core';
import type { ConsulMessages } from '../messages.js';
import type { Parsed } from '../native.js';
import type { ConsulOptions } from '../options.js';

/** The ingest context of the Consul adapter. */
export type ConsulIngestContext = IngestContext<ConsulOptions, ConsulMessages>;

/** A field of a parsed Consul object, as a report target. */
export function fieldOf(
  parsed: Parsed<unknown>,
  path: readonly (string | number)[] = [],
): ReportTarget {
  return { manifest: parsed.manifest, field: path };
}

/** What leaving out a field of a Consul object does to the SMI, for fields whose meaning is known. */
export const FIELD_EFFECTS: Readonly<Record<string, Effect>> = {
  // Limits the destination enforces: SMI without them allows more.
  rateLimits: 'widens-access',
  maxInboundConnections: 'widens-access',
  // Paths exposed without mTLS (health checks): SMI without them allows less.
  expose: 'narrows-access',
  upstreamConfig: 'changes-routing',
  destination: 'changes-routing',
  transparentProxy: 'changes-routing',
  mode: 'changes-routing',
  meshGateway: 'changes-routing',
  envoyExtensions: 'changes-routing',
  failoverPolicy: 'changes-routing',
  prioritizeByLocality: 'changes-routing',
  localConnectTimeoutMs: 'changes-routing',
  localRequestTimeoutMs: 'changes-routing',
  accessLogs: 'cosmetic',
};

/**
 * The name an object meshlingo wrote had in SMI, from its `meshlingo.io/source` annotation: the
 * one source of that kind in that namespace, else undefined.
 */
export function restoredName(
  parsed: Parsed<unknown> | undefined,
  kind: string,
  namespace: string,
): string | undefined {
  const value = parsed?.annotations.get(SOURCE_ANNOTATION);
  if (value === undefined) return undefined;
  const refs = parseSourceAnnotation(value).filter(
    (r) => r.kind === kind && r.namespace === namespace,
  );
  return refs.length === 1 ? refs[0]?.name : undefined;
}
