import { z } from 'zod';

/**
 * Annotation on VirtualRouters meshlingo writes: the SMI details App Mesh has no field for
 * (HTTPRouteGroup and match names, the spelling of a pathRegex or header value when App Mesh
 * stores an equivalent form, original weights when they had to be scaled, and which routes send
 * traffic to the root Service rather than to split backends: an even split over exactly the root's
 * VirtualNodes looks the same). Ingest and the evaluator use each detail only while it still agrees
 * with the native fields, so an edited router is read from its native fields.
 */
export const HINT_ANNOTATION = 'meshlingo.io/appmesh-smi';

const HeaderSchema = z.strictObject({ name: z.string(), value: z.string() });

const RouteHintSchema = z.strictObject({
  route: z.string(),
  group: z.string(),
  match: z.string(),
  pathRegex: z.string().optional(),
  headers: z.array(HeaderSchema).optional(),
});

const RouterHintSchema = z.strictObject({
  fallback: z.array(z.string()).optional(),
  backends: z
    .array(z.strictObject({ service: z.string(), weight: z.number().int().nonnegative() }))
    .optional(),
  routes: z.array(RouteHintSchema).optional(),
});

/** The SMI details of one route (keyed by route name; lists keep untrusted keys out of objects). */
export type RouteHint = z.infer<typeof RouteHintSchema>;
/** The SMI details of a VirtualRouter. */
export type RouterHint = z.infer<typeof RouterHintSchema>;

/** The annotation value; undefined when there is nothing to record. */
export function formatHint(hint: RouterHint): string | undefined {
  if (
    hint.fallback === undefined &&
    hint.backends === undefined &&
    (hint.routes ?? []).length === 0
  )
    return undefined;
  return JSON.stringify({
    ...(hint.fallback !== undefined && { fallback: hint.fallback }),
    ...(hint.backends !== undefined && { backends: hint.backends }),
    ...((hint.routes ?? []).length > 0 && { routes: hint.routes }),
  });
}

/** Reads the annotation; a malformed value is ignored (the native fields are read instead). */
export function parseHint(value: string | undefined): RouterHint {
  if (value === undefined) return {};
  try {
    const parsed = RouterHintSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * Whether the hint names a route as one that sends traffic to the root Service: undefined
 * without a hint (then the route's targets decide), else true or false.
 */
export function hintedFallback(hint: RouterHint, route: string): boolean | undefined {
  return hint.fallback === undefined ? undefined : hint.fallback.includes(route);
}
