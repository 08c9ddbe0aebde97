import { z } from 'zod';
import { HeaderListSchema, HttpMethodSchema, PortNumberSchema, typeMeta } from './common.js';

/** specs.smi-spec.io */
export const SPECS_GROUP = 'specs.smi-spec.io';

/** One HTTP match. The reference CRD allows `headers` in every version. */
export const HttpMatchSchema = z.strictObject({
  name: z.string(),
  pathRegex: z.string().optional(),
  methods: z.array(HttpMethodSchema).optional(),
  headers: HeaderListSchema.optional(),
});
export type HttpMatchManifest = z.infer<typeof HttpMatchSchema>;

/** specs.smi-spec.io/v1alpha1 HTTPRouteGroup: `matches` at the top level. */
export const HTTPRouteGroupV1alpha1Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha1', 'HTTPRouteGroup'),
  matches: z.array(HttpMatchSchema).optional(),
});
export type HTTPRouteGroupV1alpha1 = z.infer<typeof HTTPRouteGroupV1alpha1Schema>;

/** specs.smi-spec.io/v1alpha2 HTTPRouteGroup: `matches` at the top level, headers added. */
export const HTTPRouteGroupV1alpha2Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha2', 'HTTPRouteGroup'),
  matches: z.array(HttpMatchSchema).optional(),
});
export type HTTPRouteGroupV1alpha2 = z.infer<typeof HTTPRouteGroupV1alpha2Schema>;

const routeGroupSpec = z.strictObject({ matches: z.array(HttpMatchSchema) });

/** specs.smi-spec.io/v1alpha3 HTTPRouteGroup: `spec.matches`. */
export const HTTPRouteGroupV1alpha3Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha3', 'HTTPRouteGroup'),
  spec: routeGroupSpec,
});
export type HTTPRouteGroupV1alpha3 = z.infer<typeof HTTPRouteGroupV1alpha3Schema>;

/** specs.smi-spec.io/v1alpha4 HTTPRouteGroup, the hub version. */
export const HTTPRouteGroupV1alpha4Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha4', 'HTTPRouteGroup'),
  spec: routeGroupSpec,
});
export type HTTPRouteGroupV1alpha4 = z.infer<typeof HTTPRouteGroupV1alpha4Schema>;

/** specs.smi-spec.io/v1alpha1 TCPRoute: no fields; all TCP traffic. */
export const TCPRouteV1alpha1Schema = z.strictObject(
  typeMeta('specs.smi-spec.io/v1alpha1', 'TCPRoute'),
);
export type TCPRouteV1alpha1 = z.infer<typeof TCPRouteV1alpha1Schema>;

/** specs.smi-spec.io/v1alpha2 TCPRoute: no fields. */
export const TCPRouteV1alpha2Schema = z.strictObject(
  typeMeta('specs.smi-spec.io/v1alpha2', 'TCPRoute'),
);
export type TCPRouteV1alpha2 = z.infer<typeof TCPRouteV1alpha2Schema>;

/** specs.smi-spec.io/v1alpha3 TCPRoute: an empty `spec`. */
export const TCPRouteV1alpha3Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha3', 'TCPRoute'),
  spec: z.strictObject({}).optional(),
});
export type TCPRouteV1alpha3 = z.infer<typeof TCPRouteV1alpha3Schema>;

const portMatchSpec = z.strictObject({
  matches: z.strictObject({ ports: z.array(PortNumberSchema) }),
});

/** specs.smi-spec.io/v1alpha4 TCPRoute: `spec.matches.ports`; an empty list means every port. */
export const TCPRouteV1alpha4Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha4', 'TCPRoute'),
  spec: portMatchSpec.optional(),
});
export type TCPRouteV1alpha4 = z.infer<typeof TCPRouteV1alpha4Schema>;

/** specs.smi-spec.io/v1alpha4 UDPRoute: same shape as the TCPRoute, for UDP. */
export const UDPRouteV1alpha4Schema = z.strictObject({
  ...typeMeta('specs.smi-spec.io/v1alpha4', 'UDPRoute'),
  spec: portMatchSpec.optional(),
});
export type UDPRouteV1alpha4 = z.infer<typeof UDPRouteV1alpha4Schema>;
