/**
 * @meshlingo/consul: SMI to Consul config entries (ServiceIntentions, ServiceSplitter,
 * ServiceRouter, ServiceResolver, ServiceDefaults) and back, with an evaluator of Consul's
 * intention precedence and discovery chains.
 */
import { defineAdapter } from '@meshlingo/core';
import { consulCapabilities } from './capabilities.js';
import { emitConsul } from './emit/index.js';
import { consulEvaluator } from './evaluator.js';
import { ingestConsul } from './ingest/index.js';
import { consulMessages } from './messages.js';
import { CONSUL_GROUP, CONSUL_KINDS } from './native.js';
import { ConsulOptionsSchema } from './options.js';

/** The Consul adapter. */
export const consulAdapter = defineAdapter({
  name: 'consul',
  packageName: '@meshlingo/consul',
  description: 'Consul config entries (ServiceIntentions, ServiceSplitter, ServiceRouter)',
  meshVersions: '>=1.16 (consul-k8s CRDs consul.hashicorp.com/v1alpha1)',
  nativeKinds: CONSUL_KINDS.map((kind) => ({ group: CONSUL_GROUP, kind, versions: ['v1alpha1'] })),
  capabilities: consulCapabilities,
  messages: consulMessages,
  optionsSchema: ConsulOptionsSchema,
  // Percentages in hundredths (0.0001 of the traffic), plus at most one nudge of 0.01 %.
  shareTolerance: 0.0002,
  emit: emitConsul,
  ingest: ingestConsul,
  claims: (object) => object.apiVersion.split('/')[0] === CONSUL_GROUP,
  evaluator: consulEvaluator,
});

export default consulAdapter;

export { consulCapabilities } from './capabilities.js';
export { compileModel, emitConsul } from './emit/index.js';
export type { ChainTarget, ConsulConfig, IntentionRequest, IntentionRule } from './evaluator.js';
export {
  authorizeConsul,
  buildConfig,
  consulEvaluator,
  criteriaMatch,
  decide,
  decidingRule,
  intentionRules,
  parseSubsetFilter,
  protocolOf,
  readConsulConfig,
  resolveTarget,
  routeConsul,
  splitTargets,
} from './evaluator.js';
export { SMI_ANNOTATION } from './fragment.js';
export type { AccountRef, ConsulName } from './identity.js';
export { ingestConsul } from './ingest/index.js';
export { DESCRIPTION_ANNOTATION } from './ingest/service-intentions.js';
export type { ConsulMessages } from './messages.js';
export { consulMessages } from './messages.js';
export type { ParseIssue } from './native.js';
export { CONSUL_API_VERSION, CONSUL_GROUP, CONSUL_KINDS, parseConsulObject } from './native.js';
export type { ConsulOptions } from './options.js';
export { ConsulOptionsSchema } from './options.js';
export { toUnits, webhookAccepts, webhookOrder } from './weights.js';
