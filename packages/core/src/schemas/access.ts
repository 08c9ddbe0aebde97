import { z } from 'zod';
import { PortNumberSchema, typeMeta } from './common.js';

/** access.smi-spec.io */
export const ACCESS_GROUP = 'access.smi-spec.io';

const subject = {
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
};

const SubjectSchema = z.strictObject(subject);

/** v1alpha1 and v1alpha2 destinations may restrict the whole TrafficTarget to one port. */
const DestinationWithPortSchema = z.strictObject({ ...subject, port: PortNumberSchema.optional() });

const ruleKindsV1alpha2 = z.enum(['HTTPRouteGroup', 'TCPRoute']);

const RuleV1alpha2Schema = z.strictObject({
  kind: ruleKindsV1alpha2,
  name: z.string(),
  matches: z.array(z.string()).optional(),
});

/** access.smi-spec.io/v1alpha1 TrafficTarget: no `spec` wrapper, rules are called `specs`. */
export const TrafficTargetV1alpha1Schema = z.strictObject({
  ...typeMeta('access.smi-spec.io/v1alpha1', 'TrafficTarget'),
  destination: DestinationWithPortSchema,
  sources: z.array(SubjectSchema).optional(),
  specs: z.array(RuleV1alpha2Schema).optional(),
});
export type TrafficTargetV1alpha1 = z.infer<typeof TrafficTargetV1alpha1Schema>;

/** access.smi-spec.io/v1alpha2 TrafficTarget. */
export const TrafficTargetV1alpha2Schema = z.strictObject({
  ...typeMeta('access.smi-spec.io/v1alpha2', 'TrafficTarget'),
  spec: z.strictObject({
    destination: DestinationWithPortSchema,
    sources: z.array(SubjectSchema).optional(),
    rules: z.array(RuleV1alpha2Schema).optional(),
  }),
});
export type TrafficTargetV1alpha2 = z.infer<typeof TrafficTargetV1alpha2Schema>;

const RuleV1alpha3Schema = z.strictObject({
  kind: z.enum(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']),
  name: z.string(),
  matches: z.array(z.string()).optional(),
});

/** access.smi-spec.io/v1alpha3 TrafficTarget, the hub version. */
export const TrafficTargetV1alpha3Schema = z.strictObject({
  ...typeMeta('access.smi-spec.io/v1alpha3', 'TrafficTarget'),
  spec: z.strictObject({
    destination: SubjectSchema,
    rules: z.array(RuleV1alpha3Schema),
    sources: z.array(SubjectSchema),
  }),
});
export type TrafficTargetV1alpha3 = z.infer<typeof TrafficTargetV1alpha3Schema>;

const SubjectV1alpha4Schema = z.strictObject({
  ...subject,
  kind: z.enum(['ServiceAccount', 'IdentityBinding']),
  group: z.string().optional(),
});

/** access.smi-spec.io/v1alpha4 TrafficTarget (unreleased draft; read with the experimental option). */
export const TrafficTargetV1alpha4Schema = z.strictObject({
  ...typeMeta('access.smi-spec.io/v1alpha4', 'TrafficTarget'),
  spec: z.strictObject({
    destination: SubjectV1alpha4Schema,
    rules: z.array(RuleV1alpha3Schema),
    sources: z.array(SubjectV1alpha4Schema),
  }),
});
export type TrafficTargetV1alpha4 = z.infer<typeof TrafficTargetV1alpha4Schema>;

/** access.smi-spec.io/v1alpha4 IdentityBinding (unreleased draft; experimental). */
export const IdentityBindingV1alpha4Schema = z.strictObject({
  ...typeMeta('access.smi-spec.io/v1alpha4', 'IdentityBinding'),
  spec: z.strictObject({
    schemes: z.strictObject({
      podLabelSelector: z
        .strictObject({ matchLabels: z.record(z.string(), z.string()) })
        .optional(),
      spiffeIdentities: z.array(z.string()).optional(),
      serviceAccount: z.string().optional(),
    }),
  }),
  status: z.strictObject({}).optional(),
});
export type IdentityBindingV1alpha4 = z.infer<typeof IdentityBindingV1alpha4Schema>;
