import type { ManifestReader } from './reader.js';
import {
  notCarried,
  readParentRefs,
  readRouteObject,
  readRule,
  type ParentBinding,
  type RouteRead,
  type RuleRead,
} from './route.js';

/**
 * Reads a TCPRoute (v1 with exactly one rule, or v1alpha2): Service parents and the backends of
 * the first rule; a TCPRoute has no matches, so it splits every connection.
 */
export function readTcpRoute(r: ManifestReader): RouteRead {
  return readRouteObject(r, 'TCPRoute', (spec, path, namespace) => {
    let parents: ParentBinding[] = [];
    const rules: RuleRead[] = [];
    r.fields(spec, path, {
      parentRefs: (v, p) => {
        parents = readParentRefs(r, v, p, namespace);
      },
      useDefaultGateways: notCarried(r),
      rules: (v, p) => {
        const all = r.list(v, p);
        if (all.length > 1)
          r.report('tcp-extra-rules', p, {
            namespace,
            name: r.manifest.object.metadata?.name ?? '',
            count: all.length,
          });
        if (all.length === 0) return;
        const read = readRule(r, all[0], p, 0, namespace, undefined, {}, false);
        if (read !== undefined) rules.push(read);
      },
    });
    return { parents, rules };
  });
}
