import { HTTP_METHODS } from '@meshlingo/core';
import { z } from 'zod';
import type { SmiMatchSpec } from './emit/matches.js';

/** One SMI match behind a route rule, with the HTTPRouteGroup it belongs to. */
export interface AnnotatedMatch extends SmiMatchSpec {
  readonly group: string;
}

/** The content of the `meshlingo.io/smi-matches` annotation: the SMI matches of each rule but the fallback. */
export interface MatchesAnnotation {
  readonly rules: readonly (readonly AnnotatedMatch[])[];
}

const AnnotatedMatchSchema = z.strictObject({
  group: z.string().min(1),
  name: z.string().min(1),
  pathRegex: z.string().optional(),
  methods: z.array(z.enum(HTTP_METHODS)).min(1).optional(),
  headers: z
    .array(z.strictObject({ name: z.string().min(1), value: z.string() }))
    .min(1)
    .optional(),
});
const MatchesAnnotationSchema = z.strictObject({ rules: z.array(z.array(AnnotatedMatchSchema)) });

/** Writes the annotation value: compact JSON with the fields in a fixed order. */
export function encodeMatchesAnnotation(annotation: MatchesAnnotation): string {
  return JSON.stringify({
    rules: annotation.rules.map((rule) =>
      rule.map((m) => ({
        group: m.group,
        name: m.name,
        ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
        ...(m.methods !== undefined && { methods: m.methods }),
        ...(m.headers !== undefined && {
          headers: m.headers.map((h) => ({ name: h.name, value: h.value })),
        }),
      })),
    ),
  });
}

/** Reads the annotation value; undefined when it is not what meshlingo writes. */
export function decodeMatchesAnnotation(value: string): MatchesAnnotation | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = MatchesAnnotationSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return {
    rules: parsed.data.rules.map((rule) =>
      rule.map((m) => ({
        group: m.group,
        name: m.name,
        ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
        ...(m.methods !== undefined && { methods: m.methods }),
        ...(m.headers !== undefined && { headers: m.headers }),
      })),
    ),
  };
}
