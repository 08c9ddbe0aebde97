import {
  createDiagnostic,
  type Diagnostic,
  type DiagnosticData,
} from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import { manifestLocation, type Manifest } from '../io/manifest.js';

/** Strict mirrors the reference CRDs; lenient repairs known real-world variants and says so. */
export type ParseMode = 'strict' | 'lenient';

/** Result of {@link repairSmiObject}. */
export interface RepairResult {
  /** The object to validate: repaired in lenient mode, and also in strict mode so that the rest of it still gets checked. */
  readonly object: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
  /** A v1alpha3 `spec.destination.port` removed by the repair (v1alpha2 meaning kept). */
  readonly legacyPort?: number;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DIGITS = /^\s*\d+\s*$/;

/** A deep copy of parsed YAML/JSON data (much cheaper than structuredClone for it). */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) {
    // defineProperty, not assignment: a key from input never reaches a prototype.
    Object.defineProperty(out, key, {
      value: cloneJson(value[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * Finds (strict) or repairs (lenient) the real-world variants of SMI objects: header maps instead
 * of lists of one-key maps, multi-key header items, string ports and weights, top-level `matches`
 * on v1alpha3/v1alpha4 HTTPRouteGroups, and the removed v1alpha3 `destination.port`.
 */
export function repairSmiObject(
  manifest: Manifest,
  version: string,
  mode: ParseMode,
): RepairResult {
  const object = cloneJson(manifest.object) as Json;
  const diagnostics: Diagnostic[] = [];
  let legacyPort: number | undefined;
  const found = (
    strictId: keyof typeof smiMessages,
    path: (string | number)[],
    data: DiagnosticData,
    what: string,
  ): void => {
    const location = manifestLocation(manifest, path);
    diagnostics.push(
      mode === 'strict'
        ? createDiagnostic('smi', smiMessages, strictId, { data, location })
        : createDiagnostic('smi', smiMessages, 'repaired', { data: { ...data, what }, location }),
    );
  };
  const spec = isRecord(object.spec) ? object.spec : undefined;

  switch (object.kind) {
    case 'HTTPRouteGroup': {
      const nested = version === 'v1alpha3' || version === 'v1alpha4';
      // Positions always name the field where the user wrote it, even after it was moved.
      let base = nested ? ['spec', 'matches'] : ['matches'];
      if (nested && Array.isArray(object.matches) && spec?.matches === undefined) {
        base = ['matches'];
        found(
          'top-level-matches',
          ['matches'],
          { apiVersion: String(object.apiVersion) },
          'moved top-level matches under spec',
        );
        object.spec = { ...(spec ?? {}), matches: object.matches };
        delete object.matches;
      }
      const holder = nested ? (object.spec as Json | undefined) : object;
      const matches = holder?.matches;
      if (Array.isArray(matches)) {
        matches.forEach((match: unknown, i) => {
          if (isRecord(match)) repairHeaders(match, [...base, i, 'headers'], found);
        });
      }
      break;
    }
    case 'TCPRoute':
    case 'UDPRoute': {
      const ports = isRecord(spec?.matches) ? spec.matches.ports : undefined;
      if (Array.isArray(ports)) {
        ports.forEach((port: unknown, i) => {
          if (typeof port === 'string' && DIGITS.test(port)) {
            found(
              'string-port',
              ['spec', 'matches', 'ports', i],
              { value: port },
              `port "${port}" read as a number`,
            );
            ports[i] = Number(port);
          }
        });
      }
      break;
    }
    case 'TrafficTarget': {
      const holder = version === 'v1alpha1' ? object : spec;
      const destPath = version === 'v1alpha1' ? ['destination'] : ['spec', 'destination'];
      const destination = isRecord(holder?.destination) ? holder.destination : undefined;
      if (destination === undefined || destination.port === undefined) break;
      const port = destination.port;
      if (typeof port === 'string' && DIGITS.test(port)) {
        if (version === 'v1alpha1' || version === 'v1alpha2') {
          found(
            'string-port',
            [...destPath, 'port'],
            { value: port },
            `port "${port}" read as a number`,
          );
        }
        destination.port = Number(port);
      }
      if (
        version !== 'v1alpha1' &&
        version !== 'v1alpha2' &&
        typeof destination.port === 'number'
      ) {
        found(
          'removed-destination-port',
          [...destPath, 'port'],
          { apiVersion: String(object.apiVersion) },
          `destination.port ${destination.port} kept as a port restriction (the v1alpha2 meaning)`,
        );
        legacyPort = destination.port;
        delete destination.port;
      }
      break;
    }
    case 'TrafficSplit': {
      // matches[].apiGroup exists in the Go types but not in the CRD; it can only name the specs
      // group, so dropping it loses nothing (decision: accept and ignore, never emit).
      const splitMatches = spec?.matches;
      if (Array.isArray(splitMatches)) {
        splitMatches.forEach((match: unknown, i) => {
          if (!isRecord(match) || match.apiGroup === undefined) return;
          const group =
            typeof match.apiGroup === 'string' ? match.apiGroup : JSON.stringify(match.apiGroup);
          diagnostics.push(
            createDiagnostic('smi', smiMessages, 'ignored-api-group', {
              data: { value: group },
              location: manifestLocation(manifest, ['spec', 'matches', i, 'apiGroup']),
              severity: group.split('/')[0] === 'specs.smi-spec.io' ? 'info' : 'warning',
            }),
          );
          delete match.apiGroup;
        });
      }
      const backends = spec?.backends;
      if (version !== 'v1alpha1' && Array.isArray(backends)) {
        backends.forEach((backend: unknown, i) => {
          if (
            isRecord(backend) &&
            typeof backend.weight === 'string' &&
            DIGITS.test(backend.weight)
          ) {
            found(
              'string-port',
              ['spec', 'backends', i, 'weight'],
              { value: backend.weight },
              `weight "${backend.weight}" read as a number`,
            );
            backend.weight = Number(backend.weight);
          }
        });
      }
      break;
    }
    default:
      break;
  }
  return { object, diagnostics, ...(legacyPort !== undefined && { legacyPort }) };
}

function repairHeaders(
  match: Json,
  path: (string | number)[],
  found: (
    id: keyof typeof smiMessages,
    path: (string | number)[],
    data: DiagnosticData,
    what: string,
  ) => void,
): void {
  const headers = match.headers;
  if (isRecord(headers)) {
    const entries = Object.entries(headers);
    found(
      'header-map-form',
      path,
      { name: entries[0]?.[0] ?? 'name' },
      'headers map written as a list of one-key maps',
    );
    match.headers = entries.map(([k, v]) => ({ [k]: v }));
    return;
  }
  if (!Array.isArray(headers)) return;
  const out: unknown[] = [];
  headers.forEach((entry: unknown, i) => {
    if (isRecord(entry) && Object.keys(entry).length !== 1) {
      const keys = Object.keys(entry);
      found(
        'header-entry-keys',
        [...path, i],
        { count: keys.length },
        keys.length === 0 ? 'empty headers item removed' : 'headers item split into one-key maps',
      );
      for (const k of keys) out.push({ [k]: entry[k] });
    } else {
      out.push(entry);
    }
  });
  match.headers = out;
}
