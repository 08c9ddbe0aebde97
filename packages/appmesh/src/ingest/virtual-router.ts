import { HTTP_METHODS, type Manifest } from '@meshlingo/core';
import type { HeaderCondition } from '../common/http-match.js';
import { fieldName, type Cursor, type IngestSink } from './cursor.js';
import { readObject, readPortMapping, readRef } from './object.js';
import type {
  ObjectKey,
  ParsedGrpcMatch,
  ParsedHeader,
  ParsedHttpMatch,
  ParsedListener,
  ParsedPath,
  ParsedRoute,
  ParsedRouter,
  ParsedTarget,
} from './parsed.js';

const ROUTE_KEYS = {
  v1beta2: { http: 'httpRoute', http2: 'http2Route', grpc: 'grpcRoute', tcp: 'tcpRoute' },
  v1beta1: { http: 'http', http2: 'http2', grpc: 'grpc', tcp: 'tcp' },
} as const;

function readHeaders(match: Cursor, key: string): ParsedHeader[] {
  const out: ParsedHeader[] = [];
  for (const header of match.records(key)) {
    header.onlyKnown(['name', 'match', 'invert']);
    const name = header.string('name');
    if (name === undefined) {
      // Required by the CRD; without it the condition cannot be read (the match gets wider).
      if (!header.has('name')) header.invalid(header.at('name'), undefined, 'a name');
      continue;
    }
    const invert = header.boolean('invert') ?? false;
    const how = header.record('match');
    let condition: ParsedHeader['condition'] = { kind: 'present' };
    if (how !== undefined) {
      how.onlyKnown(['exact', 'prefix', 'suffix', 'regex', 'range']);
      const range = how.record('range');
      const kind = (['exact', 'prefix', 'suffix', 'regex'] as const).find((k) => how.has(k));
      if (kind !== undefined) {
        const value = how.string(kind);
        if (value === undefined) continue;
        condition = { kind, value } satisfies HeaderCondition;
      } else if (range !== undefined) {
        range.onlyKnown(['start', 'end']);
        const start = range.integer('start', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        const end = range.integer('end', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
        if (start === undefined || end === undefined) {
          if (!range.has('start')) range.invalid(range.at('start'), undefined, 'a start');
          if (!range.has('end')) range.invalid(range.at('end'), undefined, 'an end');
          continue;
        }
        condition = { kind: 'range', start, end };
      }
    }
    out.push({ name, condition, invert, path: header.path });
  }
  return out;
}

function readHttpMatch(match: Cursor): ParsedHttpMatch | undefined {
  match.onlyKnown(['prefix', 'path', 'method', 'headers', 'queryParameters', 'scheme', 'port']);
  let path: ParsedPath | undefined;
  const prefix = match.string('prefix');
  const exactOrRegex = match.record('path');
  if (prefix !== undefined) path = { prefix };
  else if (exactOrRegex !== undefined) {
    exactOrRegex.onlyKnown(['exact', 'regex']);
    const exact = exactOrRegex.string('exact');
    const regex = exactOrRegex.string('regex');
    path = exact !== undefined ? { exact } : regex !== undefined ? { regex } : undefined;
  }
  if (path === undefined) {
    // The controller's webhook rejects a route match without exactly one of prefix and path.
    match.invalid(match.at('prefix'), undefined, 'a prefix or a path');
    return undefined;
  }
  const method = match.oneOf(
    'method',
    HTTP_METHODS.filter((m) => m !== '*'),
  );
  const query = match.records('queryParameters').flatMap((q) => {
    q.onlyKnown(['name', 'match']);
    const name = q.string('name');
    if (!q.has('name')) q.invalid(q.at('name'), undefined, 'a name');
    const exact = q.record('match')?.string('exact');
    return name === undefined
      ? []
      : [{ name, ...(exact !== undefined && { exact }), path: q.path }];
  });
  const scheme = match.string('scheme');
  return {
    path,
    ...(method !== undefined && { method }),
    headers: readHeaders(match, 'headers'),
    query,
    ...(scheme !== undefined && { scheme: { value: scheme, path: match.at('scheme') } }),
  };
}

function readGrpcMatch(match: Cursor): ParsedGrpcMatch {
  match.onlyKnown(['serviceName', 'methodName', 'metadata', 'port']);
  const serviceName = match.string('serviceName');
  const methodName = match.string('methodName');
  return {
    ...(serviceName !== undefined && { serviceName }),
    ...(methodName !== undefined && { methodName }),
    metadata: readHeaders(match, 'metadata'),
  };
}

/** v1beta1 names a target node by name, or with the hack `<name>.<namespace>`. */
function legacyNodeRef(value: string, namespace: string): ObjectKey {
  const dot = value.indexOf('.');
  return dot === -1
    ? { namespace, name: value }
    : { namespace: value.slice(dot + 1), name: value.slice(0, dot) };
}

function readTargets(action: Cursor, namespace: string): ParsedTarget[] {
  const out: ParsedTarget[] = [];
  for (const target of action.records('weightedTargets')) {
    target.onlyKnown(['virtualNodeRef', 'virtualNodeARN', 'virtualNodeName', 'weight', 'port']);
    const weight = target.integer('weight', 0, 100);
    if (weight === undefined) {
      if (!target.has('weight')) target.invalid(target.at('weight'), undefined, 'a weight');
      continue;
    }
    const port = target.integer('port', 1, 65535);
    const base = { weight, ...(port !== undefined && { port }), path: target.path };
    const ref = target.record('virtualNodeRef');
    const legacyName = target.name('virtualNodeName');
    const node =
      ref !== undefined
        ? readRef(ref, namespace)
        : legacyName !== undefined
          ? legacyNodeRef(legacyName, namespace)
          : undefined;
    if (target.has('virtualNodeARN')) {
      target.sink.report('arn-reference', target.manifest, target.at('virtualNodeARN'), {
        data: { field: fieldName(target.at('virtualNodeARN')) },
        effect: 'changes-routing',
      });
    }
    out.push({ ...base, ...(node !== undefined && { node }) });
  }
  return out;
}

/** Reads the routes of a VirtualRouter (v1beta2) or of a v1beta1 VirtualService. */
export function readRoutes(spec: Cursor, namespace: string, legacy: boolean): ParsedRoute[] {
  const keys = ROUTE_KEYS[legacy ? 'v1beta1' : 'v1beta2'];
  const out: ParsedRoute[] = [];
  spec.records('routes').forEach((route, index) => {
    route.onlyKnown(['name', 'priority', ...Object.values(keys)]);
    const name = route.string('name') ?? `route-${index}`;
    const kinds = (Object.keys(keys) as (keyof typeof keys)[]).filter((k) => route.has(keys[k]));
    const kind = kinds[0];
    if (kind === undefined || kinds.length > 1) {
      route.invalid(
        route.path,
        undefined,
        `exactly one of ${Object.values(keys).join(', ')}`,
        kinds.length === 0 ? 'none of them' : kinds.map((k) => keys[k]).join(' and '),
      );
      return;
    }
    const body = route.record(keys[kind]);
    if (body === undefined) return;
    body.onlyKnown(['match', 'action', 'retryPolicy', 'timeout', ...(legacy ? ['priority'] : [])]);
    body.drop('retryPolicy', 'changes-routing');
    body.drop('timeout', 'changes-routing');
    // The v0.5 CRD puts priority inside the route body; walkthroughs put it on the route.
    const priority = route.integer('priority', 0, 1000) ?? body.integer('priority', 0, 1000);
    const match = body.record('match');
    const port = match?.integer('port', 1, 65535);
    const action = body.record('action');
    action?.onlyKnown(['weightedTargets']);
    const targets = action === undefined ? [] : readTargets(action, namespace);
    const common = {
      name,
      ...(priority !== undefined && { priority }),
      ...(port !== undefined && { port }),
      targets,
      path: route.path,
    };
    if (kind === 'tcp') {
      match?.onlyKnown(['port']);
      out.push({ ...common, kind });
    } else if (kind === 'grpc') {
      out.push({
        ...common,
        kind,
        grpc: match === undefined ? { metadata: [] } : readGrpcMatch(match),
      });
    } else {
      const http = match === undefined ? undefined : readHttpMatch(match);
      if (match === undefined) body.invalid(body.at('match'), undefined, 'a match');
      if (http !== undefined) out.push({ ...common, kind, http });
    }
  });
  return out;
}

/** Reads listeners (router side: port mappings only). */
export function readRouterListeners(spec: Cursor): ParsedListener[] {
  return spec.records('listeners').flatMap((listener) => {
    listener.onlyKnown(['portMapping']);
    const mapping = readPortMapping(listener);
    return mapping === undefined ? [] : [mapping];
  });
}

/**
 * Reads a VirtualRouter: its listeners (the ports clients dial) and its routes, in the order
 * written (priorities are applied when routes are evaluated or turned into SMI).
 */
export function readVirtualRouter(
  manifest: Manifest,
  sink: IngestSink,
  defaultNamespace: string,
): ParsedRouter | undefined {
  const start = readObject(manifest, sink, defaultNamespace, true);
  if (start === undefined) return undefined;
  const { spec, base } = start;
  spec.onlyKnown(['awsName', 'meshRef', 'listeners', 'routes']);
  return {
    ...base,
    listeners: readRouterListeners(spec),
    routes: readRoutes(spec, base.namespace, false),
  };
}
