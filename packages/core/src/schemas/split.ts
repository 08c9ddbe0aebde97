import { z } from 'zod';
import { typeMeta } from './common.js';

/** split.smi-spec.io */
export const SPLIT_GROUP = 'split.smi-spec.io';

/** v1alpha1 weights are Kubernetes quantities (int-or-string: `1`, `500m`). */
const QuantityWeightSchema = z.union([z.number(), z.string()]);

/** split.smi-spec.io/v1alpha1 TrafficSplit. */
export const TrafficSplitV1alpha1Schema = z.strictObject({
  ...typeMeta('split.smi-spec.io/v1alpha1', 'TrafficSplit'),
  spec: z.strictObject({
    service: z.string(),
    backends: z.array(z.strictObject({ service: z.string(), weight: QuantityWeightSchema })),
  }),
});
export type TrafficSplitV1alpha1 = z.infer<typeof TrafficSplitV1alpha1Schema>;

const BackendSchema = z.strictObject({ service: z.string(), weight: z.number() });

/** split.smi-spec.io/v1alpha2 TrafficSplit: integer weights. */
export const TrafficSplitV1alpha2Schema = z.strictObject({
  ...typeMeta('split.smi-spec.io/v1alpha2', 'TrafficSplit'),
  spec: z.strictObject({ service: z.string(), backends: z.array(BackendSchema) }),
});
export type TrafficSplitV1alpha2 = z.infer<typeof TrafficSplitV1alpha2Schema>;

const splitWithMatches = z.strictObject({
  service: z.string(),
  matches: z
    .array(z.strictObject({ kind: z.enum(['HTTPRouteGroup']), name: z.string() }))
    .optional(),
  backends: z.array(BackendSchema),
});

/** split.smi-spec.io/v1alpha3 TrafficSplit: adds `matches`. */
export const TrafficSplitV1alpha3Schema = z.strictObject({
  ...typeMeta('split.smi-spec.io/v1alpha3', 'TrafficSplit'),
  spec: splitWithMatches,
});
export type TrafficSplitV1alpha3 = z.infer<typeof TrafficSplitV1alpha3Schema>;

/** split.smi-spec.io/v1alpha4 TrafficSplit, the hub version. */
export const TrafficSplitV1alpha4Schema = z.strictObject({
  ...typeMeta('split.smi-spec.io/v1alpha4', 'TrafficSplit'),
  spec: splitWithMatches,
});
export type TrafficSplitV1alpha4 = z.infer<typeof TrafficSplitV1alpha4Schema>;
