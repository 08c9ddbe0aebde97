import { readHttpMatch } from './matches.js';
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
 * Reads an HTTPRoute (v1, v1beta1): Service parents, rules with their matches and Service
 * backends. Filters, timeouts, retries, session persistence, hostnames, query parameter matches
 * and default-gateway binding have no SMI form and are reported.
 */
export function readHttpRoute(r: ManifestReader): RouteRead {
  return readRouteObject(r, 'HTTPRoute', (spec, path, namespace) => {
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
            readHttpMatch,
            {
              filters: (fv, fp) => readFilters(r, fv, fp),
              timeouts: notCarried(r),
              retry: notCarried(r),
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
