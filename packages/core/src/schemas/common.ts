import { z } from 'zod';

/** The Kubernetes ObjectMeta fields a manifest may carry; any other key would be pruned. */
export const ObjectMetaSchema = z.strictObject({
  name: z.string(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  selfLink: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().nullable().optional(),
  deletionTimestamp: z.string().nullable().optional(),
  deletionGracePeriodSeconds: z.number().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(z.looseObject({})).optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(z.looseObject({})).optional(),
});
/** ObjectMeta as validated for SMI objects. */
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/** The HTTP methods SMI allows, upper-case; `*` means any. */
export const HTTP_METHODS = [
  '*',
  'GET',
  'HEAD',
  'PUT',
  'POST',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const;
/** One SMI HTTP method. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const HttpMethodSchema = z.enum(HTTP_METHODS);

/** Header conditions as the reference CRD writes them: a list of one-key maps (name to regex). */
export const HeaderListSchema = z.array(z.record(z.string(), z.string()));

/** The `type: number` ports of the reference CRDs. */
export const PortNumberSchema = z.number();

/** Builds the `{apiVersion, kind, metadata}` part of an SMI object schema. */
export function typeMeta<const A extends string, const K extends string>(apiVersion: A, kind: K) {
  return {
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: ObjectMetaSchema,
  };
}
