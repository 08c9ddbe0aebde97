import { readGrpcMatch } from './matches.js';
import type { ManifestReader } from './reader.js';
import {
  hostnamesHandler,
  notCarried,
  readFilters,
  readParentRefs,
  readRouteObject,
  readRule,
  type ParentBinding,
  type RouteRead,
  type RuleRead,
} from './route.js';

/**
 * Reads a GRPCRoute (v1): Service parents, rules whose service and method matches become SMI
 * path matches, and Service backends. Filters, session persistence, hostnames and
 * default-gateway binding have no SMI form and are reported.
 */
export function readGrpcRoute(r: ManifestReader): RouteRead {
  return readRouteObject(r, 'GRPCRoute', (spec, path, namespace) => {
    let parents: ParentBinding[] = [];
    const rules: RuleRead[] = [];
    r.fields(spec, path, {
      parentRefs: (v, p) => {
        parents = readParentRefs(r, v, p, namespace);
      },
      hostnames: hostnamesHandler(r),
      useDefaultGateways: notCarried(r),
      rules: (v, p) => {
        r.list(v, p).forEach((rule, i) => {
          const read = readRule(
            r,
            rule,
            p,
            i,
            namespace,
            readGrpcMatch,
            {
              filters: (fv, fp) => readFilters(r, fv, fp),
              sessionPersistence: notCarried(r),
            },
            true,
          );
          if (read !== undefined) rules.push(read);
        });
      },
    });
    return { parents, rules };
  });
}
