import {
  createDiagnostic,
  type Diagnostic,
  type ResourceRef,
  type SourceLocation,
} from '../diagnostics/diagnostic.js';
import { coreMessages } from '../diagnostics/messages.js';
import type { Origin } from '../model/model.js';
import { formatPointer } from './positions.js';
import type { YamlDocument } from './reader.js';

/** A Kubernetes object as plain JSON data. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** One object of the input and where it was written. */
export interface Manifest {
  readonly object: KubeObject;
  /** The document holding it; absent for objects handed to the API without text. */
  readonly document?: YamlDocument;
  /** Name of the input (file path, `-`), also set when there is no document. */
  readonly file: string;
  readonly docIndex: number;
  /** Pointer of the object inside its document: `''`, or `/items/N` inside a `List`. */
  readonly pointer: string;
}

/** A reference to a manifest's object. */
export function manifestRef(object: KubeObject): ResourceRef {
  const ns = object.metadata?.namespace;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: typeof object.metadata?.name === 'string' ? object.metadata.name : '',
    ...(typeof ns === 'string' && { namespace: ns }),
  };
}

/** The location of a field inside a manifest (`path` is relative to the object). */
export function manifestLocation(
  manifest: Manifest,
  path: readonly (string | number)[] = [],
): SourceLocation {
  return {
    file: manifest.file,
    docIndex: manifest.docIndex,
    pointer: manifest.pointer + formatPointer(path),
  };
}

/** The origin of a field inside a manifest. */
export function manifestOrigin(
  manifest: Manifest,
  path: readonly (string | number)[] = [],
): Origin {
  return { resource: manifestRef(manifest.object), location: manifestLocation(manifest, path) };
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pointers of every `__proto__` key in a value (they would rewrite object prototypes). */
export function findProtoKeys(
  value: unknown,
  path: (string | number)[] = [],
  out: string[] = [],
): string[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findProtoKeys(item, [...path, i], out));
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (key === '__proto__') out.push(formatPointer([...path, key]));
      else findProtoKeys(value[key], [...path, key], out);
    }
  }
  return out;
}

function checkObject(
  value: unknown,
  at: { readonly file: string; readonly docIndex: number },
  pointer: string,
  diagnostics: Diagnostic[],
): KubeObject | undefined {
  const location = { file: at.file, docIndex: at.docIndex, pointer };
  if (!isRecord(value)) {
    diagnostics.push(
      createDiagnostic('core', coreMessages, 'not-an-object', {
        data: { what: describe(value) },
        location,
      }),
    );
    return undefined;
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      diagnostics.push(
        createDiagnostic('core', coreMessages, 'missing-type', {
          data: { field },
          location: {
            ...location,
            pointer: `${pointer}${Object.hasOwn(value, field) ? `/${field}` : ''}`,
          },
        }),
      );
      return undefined;
    }
  }
  const protoKeys = findProtoKeys(value);
  if (protoKeys.length > 0) {
    for (const p of protoKeys) {
      diagnostics.push(
        createDiagnostic('core', coreMessages, 'forbidden-key', {
          data: { key: '__proto__' },
          location: { ...location, pointer: pointer + p },
        }),
      );
    }
    return undefined;
  }
  return checkMetadata(value, location, diagnostics);
}

/**
 * Makes `metadata` what {@link KubeObject} promises: a map whose name and namespace are strings
 * and whose labels and annotations are maps of strings. A field written with no value (`labels:`
 * reads as null) counts as absent, as it does for Kubernetes; anything else is an error and the
 * object is not used.
 */
function checkMetadata(
  object: Record<string, unknown>,
  location: { readonly file: string; readonly docIndex: number; readonly pointer: string },
  diagnostics: Diagnostic[],
): KubeObject | undefined {
  const meta = object.metadata;
  if (meta === undefined) return object as KubeObject;
  if (meta === null) {
    const { metadata: _absent, ...rest } = object;
    return rest as KubeObject;
  }
  const problem = (path: string, actual: unknown, expected: string): undefined => {
    diagnostics.push(
      createDiagnostic('core', coreMessages, 'invalid-metadata', {
        data: { field: path, actual: describe(actual), expected },
        location: {
          ...location,
          pointer: `${location.pointer}/${path
            .split('.')
            .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
            .join('/')}`,
        },
      }),
    );
    return undefined;
  };
  if (!isRecord(meta)) return problem('metadata', meta, 'a map');
  const fixed: Record<string, unknown> = { ...meta };
  for (const field of ['name', 'namespace', 'generateName'] as const) {
    const v = meta[field];
    if (v === null) delete fixed[field];
    else if (v !== undefined && typeof v !== 'string')
      return problem(`metadata.${field}`, v, 'a string');
  }
  for (const field of ['labels', 'annotations'] as const) {
    const v = meta[field];
    if (v === null) {
      delete fixed[field];
      continue;
    }
    if (v === undefined) continue;
    if (!isRecord(v)) return problem(`metadata.${field}`, v, 'a map of strings');
    for (const [key, entry] of Object.entries(v)) {
      if (typeof entry !== 'string') return problem(`metadata.${field}.${key}`, entry, 'a string');
    }
  }
  return { ...object, metadata: fixed } as KubeObject;
}

/** `List`, or a typed list such as `TrafficSplitList` (but not the SMI metrics kind of that name). */
function isListKind(object: KubeObject): boolean {
  return (
    object.kind === 'List' || (object.kind.endsWith('List') && object.kind !== 'TrafficMetricsList')
  );
}

/**
 * Turns parsed documents into manifests: every document must be a Kubernetes object with
 * `apiVersion` and `kind`; `kind: List` (and `*List`) documents are expanded into their items.
 */
export function toManifests(documents: readonly YamlDocument[]): {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
} {
  const manifests: Manifest[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const document of documents) {
    const value = document.value;
    const base = { document, file: document.file.path, docIndex: document.index };
    const object = checkObject(value, base, '', diagnostics);
    if (object === undefined) continue;
    if (isListKind(object) && Array.isArray(object.items)) {
      // Typed lists from the API (`TrafficSplitList`) leave apiVersion and kind off their items.
      const itemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
      object.items.forEach((raw: unknown, i: number) => {
        const pointer = `/items/${i}`;
        const item =
          itemKind !== undefined && isRecord(raw)
            ? { apiVersion: object.apiVersion, kind: itemKind, ...raw }
            : raw;
        const checked = checkObject(item, base, pointer, diagnostics);
        if (checked !== undefined) manifests.push({ ...base, object: checked, pointer });
      });
    } else {
      manifests.push({ ...base, object, pointer: '' });
    }
  }
  return { manifests, diagnostics };
}

/**
 * Turns objects handed to the API (no YAML text) into manifests, with the same checks as
 * {@link toManifests}; positions then name the input and the object's index.
 */
export function objectsToManifests(
  values: readonly unknown[],
  file: string,
): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
  const manifests: Manifest[] = [];
  const diagnostics: Diagnostic[] = [];
  values.forEach((value, docIndex) => {
    const object = checkObject(value, { file, docIndex }, '', diagnostics);
    if (object !== undefined) manifests.push({ object, file, docIndex, pointer: '' });
  });
  return { manifests, diagnostics };
}
