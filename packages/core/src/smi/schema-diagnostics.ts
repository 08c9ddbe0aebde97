import type { z } from 'zod';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import { manifestLocation, manifestRef, type Manifest } from '../io/manifest.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = Object.hasOwn(node, seg) ? (node as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function expectedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'array'
        ? 'a list'
        : issue.expected === 'object'
          ? 'a map'
          : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'a value of another type';
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues for a manifest into diagnostics: unknown keys become `smi/unknown-field`
 * (an API server would prune them, losing data), absent required fields `smi/missing-field`,
 * everything else `smi/schema-violation` naming the field, what was found and what was expected.
 */
export function schemaDiagnostics(
  manifest: Manifest,
  validated: unknown,
  issues: readonly z.core.$ZodIssue[],
): Diagnostic[] {
  const resource = manifestRef(manifest.object);
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push(
          createDiagnostic('smi', smiMessages, 'unknown-field', {
            data: { field: [...path, key].join('.') },
            location: manifestLocation(manifest, [...path, key]),
            resource,
          }),
        );
      }
      continue;
    }
    const actual = valueAt(validated, issue.path);
    const field = path.join('.') || '(object)';
    if (actual === undefined && issue.code === 'invalid_type') {
      out.push(
        createDiagnostic('smi', smiMessages, 'missing-field', {
          data: { field },
          location: manifestLocation(manifest, path),
          resource,
        }),
      );
      continue;
    }
    out.push(
      createDiagnostic('smi', smiMessages, 'schema-violation', {
        data: {
          field,
          reason: `${field} is ${describeValue(actual)}; expected ${expectedText(issue)}`,
        },
        location: manifestLocation(manifest, path),
        resource,
      }),
    );
  }
  return out;
}
