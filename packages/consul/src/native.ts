import {
  checkRe2,
  HTTP_METHODS,
  type KubeObject,
  type Manifest,
  type ResourceRef,
} from '@meshlingo/core';

/** The API group of every Consul-on-Kubernetes CRD. */
export const CONSUL_GROUP = 'consul.hashicorp.com';
/** The only version those CRDs serve. */
export const CONSUL_API_VERSION = `${CONSUL_GROUP}/v1alpha1`;

/** The Consul kinds this adapter writes and reads, in dependency order (defaults first). */
export const CONSUL_KINDS = [
  'ServiceDefaults',
  'ProxyDefaults',
  'Mesh',
  'ServiceResolver',
  'ServiceSplitter',
  'ServiceRouter',
  'ServiceIntentions',
] as const;
/** One of {@link CONSUL_KINDS}. */
export type ConsulKind = (typeof CONSUL_KINDS)[number];

/** The methods Consul accepts in intentions and routes (`structs.validateMethods`). */
export const CONSUL_METHODS: readonly string[] = HTTP_METHODS.filter((m) => m !== '*');

/** Protocols under which Consul allows L7 intentions, routers and splitters. */
export function isHttpLike(protocol: string): boolean {
  return protocol === 'http' || protocol === 'http2' || protocol === 'grpc';
}

/** One header condition of an intention permission or a route match. */
export interface HeaderMatcher {
  readonly name: string;
  readonly present?: boolean;
  readonly exact?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  /** Intentions only (consul-k8s 1.7+). */
  readonly contains?: string;
  readonly regex?: string;
  /** Intentions only (consul-k8s 1.7+), with exact/prefix/suffix/contains. */
  readonly ignoreCase?: boolean;
  readonly invert?: boolean;
}

/** `permissions[].http` of an intention, and the common part of a route's `match.http`. */
export interface HttpCriteria {
  readonly pathExact?: string;
  readonly pathPrefix?: string;
  readonly pathRegex?: string;
  readonly methods?: readonly string[];
  readonly header?: readonly HeaderMatcher[];
}

/** A JWT requirement (top level or per permission); only its presence matters here. */
export interface JwtRequirement {
  readonly providers?: readonly { readonly name: string }[];
}

/** One L7 permission of an intention source. */
export interface Permission {
  readonly action: 'allow' | 'deny';
  readonly http?: HttpCriteria;
  readonly jwt?: JwtRequirement;
}

/** One source of a ServiceIntentions. */
export interface IntentionSource {
  readonly name: string;
  readonly namespace?: string;
  readonly partition?: string;
  readonly peer?: string;
  readonly samenessGroup?: string;
  readonly action?: 'allow' | 'deny';
  readonly permissions?: readonly Permission[];
  readonly description?: string;
}

/** `spec` of a ServiceIntentions. */
export interface ServiceIntentionsSpec {
  readonly destination: { readonly name: string; readonly namespace?: string };
  readonly sources: readonly IntentionSource[];
  readonly jwt?: JwtRequirement;
}

/** Header changes of a split or route destination. */
export interface HeaderModifiers {
  readonly add?: Readonly<Record<string, string>>;
  readonly set?: Readonly<Record<string, string>>;
  readonly remove?: readonly string[];
}

/** One split of a ServiceSplitter. */
export interface Split {
  readonly weight: number;
  readonly service?: string;
  readonly serviceSubset?: string;
  readonly namespace?: string;
  readonly partition?: string;
  readonly requestHeaders?: HeaderModifiers;
  readonly responseHeaders?: HeaderModifiers;
}

/** `spec` of a ServiceSplitter. */
export interface ServiceSplitterSpec {
  readonly splits: readonly Split[];
}

/** A query parameter condition of a route. */
export interface QueryParamMatcher {
  readonly name: string;
  readonly present?: boolean;
  readonly exact?: string;
  readonly regex?: string;
}

/** `routes[].match.http` of a ServiceRouter. */
export interface RouteHttpMatch extends HttpCriteria {
  readonly caseInsensitive?: boolean;
  readonly queryParam?: readonly QueryParamMatcher[];
}

/** `routes[].destination` of a ServiceRouter. */
export interface RouteDestination {
  readonly service?: string;
  readonly serviceSubset?: string;
  readonly namespace?: string;
  readonly partition?: string;
  readonly prefixRewrite?: string;
  readonly requestTimeout?: string;
  readonly idleTimeout?: string;
  readonly numRetries?: number;
  readonly retryOnConnectFailure?: boolean;
  readonly retryOn?: readonly string[];
  readonly retryOnStatusCodes?: readonly number[];
  readonly requestHeaders?: HeaderModifiers;
  readonly responseHeaders?: HeaderModifiers;
}

/** One route of a ServiceRouter. */
export interface Route {
  readonly match?: { readonly http?: RouteHttpMatch };
  readonly destination?: RouteDestination;
}

/** `spec` of a ServiceRouter. */
export interface ServiceRouterSpec {
  readonly routes: readonly Route[];
}

/** `spec.redirect` of a ServiceResolver. */
export interface Redirect {
  readonly service?: string;
  readonly serviceSubset?: string;
  readonly namespace?: string;
  readonly partition?: string;
  readonly datacenter?: string;
  readonly peer?: string;
  readonly samenessGroup?: string;
}

/** `spec` of a ServiceResolver. */
export interface ServiceResolverSpec {
  readonly defaultSubset?: string;
  readonly subsets?: ReadonlyMap<
    string,
    { readonly filter?: string; readonly onlyPassing?: boolean }
  >;
  readonly redirect?: Redirect;
  /** Every other top-level field that is set (failover, loadBalancer, timeouts...). */
  readonly others: readonly string[];
}

/** `spec` of a ServiceDefaults: the protocol, and which other fields are set. */
export interface ServiceDefaultsSpec {
  readonly protocol?: string;
  readonly mutualTLSMode?: string;
  readonly others: readonly string[];
}

/** `spec` of a ProxyDefaults: the global protocol inside the free-form `config`, and the rest. */
export interface ProxyDefaultsSpec {
  readonly protocol?: string;
  readonly mutualTLSMode?: string;
  readonly configKeys: readonly string[];
  readonly others: readonly string[];
}

/** `spec` of a Mesh: which fields are set. */
export interface MeshSpec {
  readonly fields: readonly string[];
}

/** A Consul object that passed validation. */
export interface Parsed<S> {
  readonly manifest: Manifest;
  readonly name: string;
  /** The Kubernetes namespace of the custom resource. */
  readonly namespace: string;
  readonly annotations: ReadonlyMap<string, string>;
  readonly spec: S;
}

/** What the parser found wrong. `error`s make the API server or Consul reject the object. */
export interface ParseIssue {
  readonly severity: 'error' | 'warning';
  /** `invalid-field` (type or rule), `unknown-field` (pruned by the API server). */
  readonly id: 'invalid-field' | 'unknown-field';
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

type Shape =
  | 'string'
  | 'boolean'
  | 'number'
  | 'integer'
  | 'any'
  | { readonly list: Shape }
  | { readonly map: Shape }
  | { readonly enum: readonly string[] }
  | { readonly object: Readonly<Record<string, Shape>>; readonly required?: readonly string[] };

type Path = readonly (string | number)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Checks a value against a shape the way the CRD's structural schema does (unknown fields are pruned). */
function checkShape(value: unknown, shape: Shape, path: Path, issues: ParseIssue[]): void {
  const bad = (reason: string): void => {
    issues.push({ severity: 'error', id: 'invalid-field', path, reason });
  };
  if (shape === 'any') return;
  if (shape === 'string') {
    if (typeof value !== 'string') bad(`must be a string, not ${describeType(value)}`);
    return;
  }
  if (shape === 'boolean') {
    if (typeof value !== 'boolean') bad(`must be true or false, not ${describeType(value)}`);
    return;
  }
  if (shape === 'number' || shape === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) bad('must be a number');
    else if (shape === 'integer' && !Number.isInteger(value)) bad('must be a whole number');
    return;
  }
  if ('enum' in shape) {
    if (typeof value !== 'string' || !shape.enum.includes(value))
      bad(`must be one of ${shape.enum.join(', ')}`);
    return;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return bad(`must be a list, not ${describeType(value)}`);
    value.forEach((item: unknown, i) => checkShape(item, shape.list, [...path, i], issues));
    return;
  }
  if (!isRecord(value)) return bad(`must be a map, not ${describeType(value)}`);
  if ('map' in shape) {
    for (const [k, v] of Object.entries(value)) checkShape(v, shape.map, [...path, k], issues);
    return;
  }
  for (const key of shape.required ?? [])
    if (!Object.hasOwn(value, key))
      issues.push({
        severity: 'error',
        id: 'invalid-field',
        path: [...path, key],
        reason: 'is required',
      });
  for (const [k, v] of Object.entries(value)) {
    const field = Object.hasOwn(shape.object, k) ? shape.object[k] : undefined;
    if (field === undefined)
      issues.push({
        severity: 'warning',
        id: 'unknown-field',
        path: [...path, k],
        reason: 'is not in the CRD schema',
      });
    else checkShape(v, field, [...path, k], issues);
  }
}

const HEADER_MODIFIERS: Shape = {
  object: { add: { map: 'string' }, set: { map: 'string' }, remove: { list: 'string' } },
};
const JWT: Shape = {
  object: {
    providers: {
      list: {
        object: {
          name: 'string',
          verifyClaims: { list: { object: { path: { list: 'string' }, value: 'string' } } },
        },
      },
    },
  },
};
const HEADER: Shape = {
  object: {
    name: 'string',
    present: 'boolean',
    exact: 'string',
    prefix: 'string',
    suffix: 'string',
    contains: 'string',
    regex: 'string',
    ignoreCase: 'boolean',
    invert: 'boolean',
  },
  required: ['name'],
};
const ROUTE_HEADER: Shape = {
  object: {
    name: 'string',
    present: 'boolean',
    exact: 'string',
    prefix: 'string',
    suffix: 'string',
    regex: 'string',
    invert: 'boolean',
  },
  required: ['name'],
};
const CRITERIA = {
  pathExact: 'string',
  pathPrefix: 'string',
  pathRegex: 'string',
  methods: { list: 'string' },
} as const satisfies Record<string, Shape>;
const ACTION: Shape = { enum: ['allow', 'deny'] };

const SHAPES: Readonly<Record<string, Shape>> = {
  ServiceIntentions: {
    object: {
      destination: { object: { name: 'string', namespace: 'string' } },
      jwt: JWT,
      sources: {
        list: {
          object: {
            name: 'string',
            namespace: 'string',
            partition: 'string',
            peer: 'string',
            samenessGroup: 'string',
            action: ACTION,
            description: 'string',
            permissions: {
              list: {
                object: {
                  action: ACTION,
                  http: { object: { ...CRITERIA, header: { list: HEADER } } },
                  jwt: JWT,
                },
              },
            },
          },
        },
      },
    },
  },
  ServiceSplitter: {
    object: {
      splits: {
        list: {
          object: {
            weight: 'number',
            service: 'string',
            serviceSubset: 'string',
            namespace: 'string',
            partition: 'string',
            requestHeaders: HEADER_MODIFIERS,
            responseHeaders: HEADER_MODIFIERS,
          },
        },
      },
    },
  },
  ServiceRouter: {
    object: {
      routes: {
        list: {
          object: {
            match: {
              object: {
                http: {
                  object: {
                    ...CRITERIA,
                    caseInsensitive: 'boolean',
                    header: { list: ROUTE_HEADER },
                    queryParam: {
                      list: {
                        object: {
                          name: 'string',
                          present: 'boolean',
                          exact: 'string',
                          regex: 'string',
                        },
                        required: ['name'],
                      },
                    },
                  },
                },
              },
            },
            destination: {
              object: {
                service: 'string',
                serviceSubset: 'string',
                namespace: 'string',
                partition: 'string',
                prefixRewrite: 'string',
                requestTimeout: 'string',
                idleTimeout: 'string',
                numRetries: 'integer',
                retryOnConnectFailure: 'boolean',
                retryOn: { list: 'string' },
                retryOnStatusCodes: { list: 'integer' },
                requestHeaders: HEADER_MODIFIERS,
                responseHeaders: HEADER_MODIFIERS,
              },
            },
          },
        },
      },
    },
  },
  ServiceResolver: {
    object: {
      defaultSubset: 'string',
      subsets: { map: { object: { filter: 'string', onlyPassing: 'boolean' } } },
      redirect: {
        object: {
          service: 'string',
          serviceSubset: 'string',
          namespace: 'string',
          partition: 'string',
          datacenter: 'string',
          peer: 'string',
          samenessGroup: 'string',
        },
      },
      failover: { map: 'any' },
      connectTimeout: 'string',
      requestTimeout: 'string',
      loadBalancer: 'any',
      prioritizeByLocality: 'any',
    },
  },
};

/** Fields of the kinds read only for their protocol: every key is accepted, each is reported by ingest. */
const OPEN_KINDS = new Set(['ServiceDefaults', 'ProxyDefaults', 'Mesh']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Drops empty strings: Consul treats `""` like an absent field. */
function opt(value: unknown): string | undefined {
  const s = str(value);
  return s === undefined || s === '' ? undefined : s;
}

function checkCriteria(
  http: Record<string, unknown>,
  path: Path,
  issues: ParseIssue[],
  route: boolean,
): void {
  const bad = (at: Path, reason: string): void => {
    issues.push({ severity: 'error', id: 'invalid-field', path: at, reason });
  };
  const paths = ['pathExact', 'pathPrefix', 'pathRegex'].filter((k) => opt(http[k]) !== undefined);
  if (paths.length > 1) bad(path, `sets ${paths.join(' and ')}; at most one path match is allowed`);
  for (const k of ['pathExact', 'pathPrefix']) {
    const v = opt(http[k]);
    if (v !== undefined && !v.startsWith('/')) bad([...path, k], 'must start with "/"');
  }
  const regex = opt(http.pathRegex);
  if (regex !== undefined) {
    const reason = checkRe2(regex);
    if (reason !== undefined) bad([...path, 'pathRegex'], `is not a valid RE2 regex: ${reason}`);
  }
  const methods = Array.isArray(http.methods) ? http.methods : [];
  const seen = new Set<string>();
  methods.forEach((m: unknown, i) => {
    if (typeof m !== 'string') return;
    // The consul-k8s webhook compares against upper-case names.
    if (!CONSUL_METHODS.includes(m))
      bad([...path, 'methods', i], `"${m}" is not a method Consul accepts`);
    else if (seen.has(m)) bad([...path, 'methods', i], `"${m}" is listed twice`);
    seen.add(m);
  });
  const headers = Array.isArray(http.header) ? http.header : [];
  headers.forEach((h: unknown, i) => {
    if (!isRecord(h)) return;
    const at = [...path, 'header', i];
    if (opt(h.name) === undefined) bad([...at, 'name'], 'must not be empty');
    // Route headers have no `contains`: the API server prunes it, so it is no matcher there.
    const kinds = ['exact', 'prefix', 'suffix', ...(route ? [] : ['contains']), 'regex'].filter(
      (k) => typeof h[k] === 'string',
    );
    if (h.present === true) kinds.push('present');
    if (kinds.length !== 1)
      bad(
        at,
        `needs exactly one of present, exact, prefix, suffix${route ? '' : ', contains'}, regex`,
      );
    if (!route && h.ignoreCase === true && (kinds.includes('regex') || kinds.includes('present')))
      bad([...at, 'ignoreCase'], 'only applies to exact, prefix, suffix and contains');
    const r = str(h.regex);
    if (r !== undefined) {
      const reason = checkRe2(r);
      if (reason !== undefined) bad([...at, 'regex'], `is not a valid RE2 regex: ${reason}`);
    }
  });
  if (!route && paths.length === 0 && methods.length === 0 && headers.length === 0)
    bad(path, 'must hold at least one of a path, methods or header conditions');
}

function checkIntentions(spec: Record<string, unknown>, issues: ParseIssue[]): void {
  const bad = (at: Path, reason: string): void => {
    issues.push({ severity: 'error', id: 'invalid-field', path: at, reason });
  };
  const destination = isRecord(spec.destination) ? spec.destination : undefined;
  if (destination === undefined || opt(destination.name) === undefined)
    bad(['spec', 'destination', 'name'], 'is required');
  const wildcardDestination = destination?.name === '*';
  const sources = Array.isArray(spec.sources) ? spec.sources : [];
  if (sources.length === 0) bad(['spec', 'sources'], 'must list at least one source');
  const seen = new Set<string>();
  sources.forEach((s: unknown, i) => {
    if (!isRecord(s)) return;
    const at = ['spec', 'sources', i];
    if (opt(s.name) === undefined) bad([...at, 'name'], 'is required');
    const key = JSON.stringify(
      ['name', 'namespace', 'partition', 'peer', 'samenessGroup'].map((k) => opt(s[k]) ?? ''),
    );
    if (seen.has(key)) bad(at, 'names a source that is already listed');
    seen.add(key);
    for (const k of ['partition', 'peer', 'samenessGroup'])
      if (opt(s[k]) === '*') bad([...at, k], 'cannot be a wildcard');
    const permissions = Array.isArray(s.permissions) ? s.permissions : undefined;
    const hasAction = s.action !== undefined && s.action !== '';
    if (hasAction === (permissions !== undefined && permissions.length > 0))
      bad(at, 'needs either action or permissions, not both and not neither');
    if (permissions !== undefined && permissions.length > 0 && wildcardDestination)
      bad([...at, 'permissions'], 'are not allowed when the destination is "*"');
    permissions?.forEach((p: unknown, j) => {
      if (!isRecord(p)) return;
      const pat = [...at, 'permissions', j];
      if (p.action === undefined) bad([...pat, 'action'], 'is required');
      if (!isRecord(p.http)) bad([...pat, 'http'], 'is required');
      else checkCriteria(p.http, [...pat, 'http'], issues, false);
    });
    if (typeof s.description === 'string' && s.description.length > 512)
      bad([...at, 'description'], 'must be at most 512 characters');
  });
}

function checkSplitter(spec: Record<string, unknown>, issues: ParseIssue[]): void {
  const splits = Array.isArray(spec.splits) ? spec.splits : [];
  if (splits.length === 0)
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['spec', 'splits'],
      reason: 'must list at least one split',
    });
  let units = 0;
  const seen = new Set<string>();
  splits.forEach((s: unknown, i) => {
    if (!isRecord(s) || typeof s.weight !== 'number') return;
    const at = ['spec', 'splits', i];
    if (s.weight < 0 || s.weight > 100)
      issues.push({
        severity: 'error',
        id: 'invalid-field',
        path: [...at, 'weight'],
        reason: 'must be between 0 and 100',
      });
    units += Math.round(s.weight * 100);
    const key = JSON.stringify(
      ['service', 'serviceSubset', 'namespace', 'partition'].map((k) => opt(s[k]) ?? ''),
    );
    if (seen.has(key))
      issues.push({
        severity: 'error',
        id: 'invalid-field',
        path: at,
        reason: 'repeats a split target',
      });
    seen.add(key);
  });
  // Consul rounds each weight to hundredths and requires exactly 100 % (structs.ServiceSplitterConfigEntry.Validate).
  if (splits.length > 0 && units !== 10000)
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['spec', 'splits'],
      reason: `weights add up to ${units / 100}, not 100`,
    });
}

function checkRouter(spec: Record<string, unknown>, issues: ParseIssue[]): void {
  const routes = Array.isArray(spec.routes) ? spec.routes : [];
  routes.forEach((r: unknown, i) => {
    if (!isRecord(r) || !isRecord(r.match) || !isRecord(r.match.http)) return;
    checkCriteria(r.match.http, ['spec', 'routes', i, 'match', 'http'], issues, true);
  });
}

function checkResolver(spec: Record<string, unknown>, issues: ParseIssue[]): void {
  const subsets = isRecord(spec.subsets) ? spec.subsets : {};
  for (const name of Object.keys(subsets))
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name))
      issues.push({
        severity: 'error',
        id: 'invalid-field',
        path: ['spec', 'subsets', name],
        reason: 'is not a valid subset name',
      });
  const def = opt(spec.defaultSubset);
  if (def !== undefined && !Object.hasOwn(subsets, def))
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['spec', 'defaultSubset'],
      reason: `names no subset of this resolver`,
    });
  if (isRecord(spec.redirect) && isRecord(spec.failover) && Object.keys(spec.failover).length > 0)
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['spec', 'redirect'],
      reason: 'cannot be combined with failover',
    });
}

const SEMANTIC_CHECKS: Readonly<
  Record<string, (spec: Record<string, unknown>, issues: ParseIssue[]) => void>
> = {
  ServiceIntentions: checkIntentions,
  ServiceSplitter: checkSplitter,
  ServiceRouter: checkRouter,
  ServiceResolver: checkResolver,
};

/** Header conditions; route headers know no `contains` and `ignoreCase` (the API server prunes them). */
function headerMatchers(list: unknown, route: boolean): HeaderMatcher[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter(isRecord).map((h) => ({
    name: str(h.name) ?? '',
    ...(h.present === true && { present: true }),
    ...(typeof h.exact === 'string' && { exact: h.exact }),
    ...(typeof h.prefix === 'string' && { prefix: h.prefix }),
    ...(typeof h.suffix === 'string' && { suffix: h.suffix }),
    ...(!route && typeof h.contains === 'string' && { contains: h.contains }),
    ...(typeof h.regex === 'string' && { regex: h.regex }),
    ...(!route && h.ignoreCase === true && { ignoreCase: true }),
    ...(h.invert === true && { invert: true }),
  }));
}

function criteria(http: Record<string, unknown>, route: boolean): HttpCriteria {
  const methods = Array.isArray(http.methods)
    ? http.methods.filter((m) => typeof m === 'string')
    : [];
  const header = headerMatchers(http.header, route);
  const pathExact = opt(http.pathExact);
  const pathPrefix = opt(http.pathPrefix);
  const pathRegex = opt(http.pathRegex);
  return {
    ...(pathExact !== undefined && { pathExact }),
    ...(pathPrefix !== undefined && { pathPrefix }),
    ...(pathRegex !== undefined && { pathRegex }),
    ...(methods.length > 0 && { methods }),
    ...(header !== undefined && { header }),
  };
}

function jwt(value: unknown): JwtRequirement | undefined {
  if (!isRecord(value)) return undefined;
  const providers = Array.isArray(value.providers) ? value.providers.filter(isRecord) : [];
  return { providers: providers.map((p) => ({ name: str(p.name) ?? '' })) };
}

function modifiers(value: unknown): HeaderModifiers | undefined {
  if (!isRecord(value)) return undefined;
  const map = (v: unknown): Record<string, string> | undefined =>
    isRecord(v)
      ? (Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<
          string,
          string
        >)
      : undefined;
  const add = map(value.add);
  const set = map(value.set);
  const remove = Array.isArray(value.remove)
    ? value.remove.filter((x) => typeof x === 'string')
    : undefined;
  const empty =
    (add === undefined || Object.keys(add).length === 0) &&
    (set === undefined || Object.keys(set).length === 0) &&
    (remove === undefined || remove.length === 0);
  return empty
    ? undefined
    : {
        ...(add !== undefined && { add }),
        ...(set !== undefined && { set }),
        ...(remove !== undefined && { remove }),
      };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function buildIntentions(spec: Record<string, unknown>): ServiceIntentionsSpec {
  const destination = isRecord(spec.destination) ? spec.destination : {};
  const top = jwt(spec.jwt);
  return {
    destination: {
      name: opt(destination.name) ?? '',
      ...optional('namespace', opt(destination.namespace)),
    },
    ...(top !== undefined && { jwt: top }),
    sources: (Array.isArray(spec.sources) ? spec.sources.filter(isRecord) : []).map((s) => {
      const permissions = Array.isArray(s.permissions) ? s.permissions.filter(isRecord) : [];
      const action = s.action === 'allow' || s.action === 'deny' ? s.action : undefined;
      return {
        name: opt(s.name) ?? '',
        ...optional('namespace', opt(s.namespace)),
        ...optional('partition', opt(s.partition)),
        ...optional('peer', opt(s.peer)),
        ...optional('samenessGroup', opt(s.samenessGroup)),
        ...optional('description', opt(s.description)),
        ...(action !== undefined && { action }),
        ...(permissions.length > 0 && {
          permissions: permissions.map((p): Permission => {
            const pj = jwt(p.jwt);
            return {
              action: p.action === 'deny' ? 'deny' : 'allow',
              ...(isRecord(p.http) && { http: criteria(p.http, false) }),
              ...(pj !== undefined && { jwt: pj }),
            };
          }),
        }),
      };
    }),
  };
}

function buildSplitter(spec: Record<string, unknown>): ServiceSplitterSpec {
  return {
    splits: (Array.isArray(spec.splits) ? spec.splits.filter(isRecord) : []).map((s) => {
      const request = modifiers(s.requestHeaders);
      const response = modifiers(s.responseHeaders);
      return {
        weight: typeof s.weight === 'number' ? s.weight : 0,
        ...optional('service', opt(s.service)),
        ...optional('serviceSubset', opt(s.serviceSubset)),
        ...optional('namespace', opt(s.namespace)),
        ...optional('partition', opt(s.partition)),
        ...(request !== undefined && { requestHeaders: request }),
        ...(response !== undefined && { responseHeaders: response }),
      };
    }),
  };
}

function buildRouter(spec: Record<string, unknown>): ServiceRouterSpec {
  return {
    routes: (Array.isArray(spec.routes) ? spec.routes.filter(isRecord) : []).map((r): Route => {
      const http = isRecord(r.match) && isRecord(r.match.http) ? r.match.http : undefined;
      const d = isRecord(r.destination) ? r.destination : undefined;
      const queryParam = Array.isArray(http?.queryParam)
        ? http.queryParam.filter(isRecord).map((q) => ({
            name: str(q.name) ?? '',
            ...(q.present === true && { present: true }),
            ...optional('exact', str(q.exact)),
            ...optional('regex', str(q.regex)),
          }))
        : [];
      const request = modifiers(d?.requestHeaders);
      const response = modifiers(d?.responseHeaders);
      const retryOn = Array.isArray(d?.retryOn)
        ? d.retryOn.filter((x) => typeof x === 'string')
        : [];
      const codes = Array.isArray(d?.retryOnStatusCodes)
        ? d.retryOnStatusCodes.filter((x) => typeof x === 'number')
        : [];
      return {
        ...(http !== undefined && {
          match: {
            http: {
              ...criteria(http, true),
              ...(http.caseInsensitive === true && { caseInsensitive: true }),
              ...(queryParam.length > 0 && { queryParam }),
            },
          },
        }),
        ...(d !== undefined && {
          destination: {
            ...optional('service', opt(d.service)),
            ...optional('serviceSubset', opt(d.serviceSubset)),
            ...optional('namespace', opt(d.namespace)),
            ...optional('partition', opt(d.partition)),
            ...optional('prefixRewrite', opt(d.prefixRewrite)),
            ...optional('requestTimeout', opt(d.requestTimeout)),
            ...optional('idleTimeout', opt(d.idleTimeout)),
            ...(typeof d.numRetries === 'number' &&
              d.numRetries !== 0 && { numRetries: d.numRetries }),
            ...(d.retryOnConnectFailure === true && { retryOnConnectFailure: true }),
            ...(retryOn.length > 0 && { retryOn }),
            ...(codes.length > 0 && { retryOnStatusCodes: codes }),
            ...(request !== undefined && { requestHeaders: request }),
            ...(response !== undefined && { responseHeaders: response }),
          },
        }),
      };
    }),
  };
}

function setFields(spec: Record<string, unknown>, skip: readonly string[]): string[] {
  return Object.keys(spec)
    .filter((k) => !skip.includes(k))
    .filter((k) => {
      const v = spec[k];
      return !(
        v === undefined ||
        v === null ||
        v === '' ||
        v === false ||
        (Array.isArray(v) && v.length === 0) ||
        (isRecord(v) && Object.keys(v).length === 0)
      );
    })
    .sort();
}

function buildResolver(spec: Record<string, unknown>): ServiceResolverSpec {
  const subsets = new Map<string, { filter?: string; onlyPassing?: boolean }>();
  if (isRecord(spec.subsets))
    for (const [name, s] of Object.entries(spec.subsets))
      if (isRecord(s))
        subsets.set(name, {
          ...optional('filter', opt(s.filter)),
          ...(s.onlyPassing === true && { onlyPassing: true }),
        });
  const r = isRecord(spec.redirect) ? spec.redirect : undefined;
  const redirect: Redirect | undefined =
    r === undefined
      ? undefined
      : {
          ...optional('service', opt(r.service)),
          ...optional('serviceSubset', opt(r.serviceSubset)),
          ...optional('namespace', opt(r.namespace)),
          ...optional('partition', opt(r.partition)),
          ...optional('datacenter', opt(r.datacenter)),
          ...optional('peer', opt(r.peer)),
          ...optional('samenessGroup', opt(r.samenessGroup)),
        };
  const defaultSubset = opt(spec.defaultSubset);
  return {
    ...(defaultSubset !== undefined && { defaultSubset }),
    ...(subsets.size > 0 && { subsets }),
    ...(redirect !== undefined && Object.keys(redirect).length > 0 && { redirect }),
    others: setFields(spec, ['defaultSubset', 'subsets', 'redirect']),
  };
}

/** The place of an object for diagnostics and origins. */
export function objectRef(parsed: Parsed<unknown>): ResourceRef {
  return {
    apiVersion: parsed.manifest.object.apiVersion,
    kind: parsed.manifest.object.kind,
    namespace: parsed.namespace,
    name: parsed.name,
  };
}

/** A parsed object of any kind this adapter understands. */
export type AnyParsed =
  | { readonly kind: 'ServiceIntentions'; readonly parsed: Parsed<ServiceIntentionsSpec> }
  | { readonly kind: 'ServiceSplitter'; readonly parsed: Parsed<ServiceSplitterSpec> }
  | { readonly kind: 'ServiceRouter'; readonly parsed: Parsed<ServiceRouterSpec> }
  | { readonly kind: 'ServiceResolver'; readonly parsed: Parsed<ServiceResolverSpec> }
  | { readonly kind: 'ServiceDefaults'; readonly parsed: Parsed<ServiceDefaultsSpec> }
  | { readonly kind: 'ProxyDefaults'; readonly parsed: Parsed<ProxyDefaultsSpec> }
  | { readonly kind: 'Mesh'; readonly parsed: Parsed<MeshSpec> };

/**
 * Validates a Consul custom resource like the API server (structural schema; unknown fields are
 * pruned, so they are warnings) and Consul (the config entry's own rules) would, and returns its
 * typed form, or undefined when either would reject it. Kinds other than those in
 * {@link CONSUL_KINDS} give undefined with no issue.
 */
export function parseConsulObject(
  manifest: Manifest,
  defaultNamespace: string,
  issues: ParseIssue[] = [],
): AnyParsed | undefined {
  const object: KubeObject = manifest.object;
  if (object.apiVersion !== CONSUL_API_VERSION) return undefined;
  const kind = object.kind;
  if (!(CONSUL_KINDS as readonly string[]).includes(kind)) return undefined;
  const before = issues.length;
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const name = opt(metadata.name);
  if (name === undefined)
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['metadata', 'name'],
      reason: 'is required',
    });
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (spec === undefined && Object.hasOwn(object, 'spec'))
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['spec'],
      reason: 'must be a map',
    });
  const shape = Object.hasOwn(SHAPES, kind) ? SHAPES[kind] : undefined;
  const body = spec ?? {};
  if (shape !== undefined) checkShape(body, shape, ['spec'], issues);
  else if (!OPEN_KINDS.has(kind)) return undefined;
  const semantic = Object.hasOwn(SEMANTIC_CHECKS, kind) ? SEMANTIC_CHECKS[kind] : undefined;
  if (!issues.slice(before).some((i) => i.severity === 'error')) semantic?.(body, issues);
  if (kind === 'ProxyDefaults' && name !== undefined && name !== 'global')
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['metadata', 'name'],
      reason: 'must be "global"',
    });
  if (kind === 'Mesh' && name !== undefined && name !== 'mesh')
    issues.push({
      severity: 'error',
      id: 'invalid-field',
      path: ['metadata', 'name'],
      reason: 'must be "mesh"',
    });
  if (issues.slice(before).some((i) => i.severity === 'error') || name === undefined)
    return undefined;
  const annotations = new Map<string, string>();
  if (isRecord(metadata.annotations))
    for (const [k, v] of Object.entries(metadata.annotations))
      if (typeof v === 'string') annotations.set(k, v);
  const base = {
    manifest,
    name,
    namespace: opt(metadata.namespace) ?? defaultNamespace,
    annotations,
  };
  switch (kind) {
    case 'ServiceIntentions':
      return { kind, parsed: { ...base, spec: buildIntentions(body) } };
    case 'ServiceSplitter':
      return { kind, parsed: { ...base, spec: buildSplitter(body) } };
    case 'ServiceRouter':
      return { kind, parsed: { ...base, spec: buildRouter(body) } };
    case 'ServiceResolver':
      return { kind, parsed: { ...base, spec: buildResolver(body) } };
    case 'ServiceDefaults':
      return {
        kind,
        parsed: {
          ...base,
          spec: {
            ...optional('protocol', opt(body.protocol)),
            ...optional('mutualTLSMode', opt(body.mutualTLSMode)),
            others: setFields(body, ['protocol']),
          },
        },
      };
    case 'ProxyDefaults': {
      const config = isRecord(body.config) ? body.config : {};
      return {
        kind,
        parsed: {
          ...base,
          spec: {
            ...optional('protocol', opt(config.protocol)),
            ...optional('mutualTLSMode', opt(body.mutualTLSMode)),
            configKeys: Object.keys(config)
              .filter((k) => k !== 'protocol')
              .sort(),
            others: setFields(body, ['config']),
          },
        },
      };
    }
    case 'Mesh':
      return { kind, parsed: { ...base, spec: { fields: setFields(body, []) } } };
    default:
      return undefined;
  }
}
