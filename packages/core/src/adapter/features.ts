import { escapeRegexLiteral, literalOfRegex } from './path-literal.js';
import type { FeatureId } from './capabilities.js';
import type { HttpMatchNode, MeshModel } from '../model/model.js';
import { indexModel } from '../model/model.js';
import { selectedMatches } from '../evaluator/evaluator.js';

/** How a pathRegex can be carried: a literal path, a literal prefix, or only as a regex. */
export type PathShape =
  | { readonly kind: 'exact'; readonly path: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'regex' };

/**
 * Classifies an SMI pathRegex (start-anchored): `/api/v1$` is the exact path `/api/v1`; `/api`,
 * `/api/.*` and `/api.*` are the prefix `/api` (a literal pattern without `$` already matches every
 * path that starts with it); anything else needs a regex engine.
 */
export function classifyPath(pathRegex: string): PathShape {
  let body = pathRegex.startsWith('^') ? pathRegex.slice(1) : pathRegex;
  if (body.endsWith('$') && !body.endsWith('\\$')) {
    const literal = literalOfRegex(body.slice(0, -1));
    return literal === undefined ? { kind: 'regex' } : { kind: 'exact', path: literal };
  }
  if (body.endsWith('.*') && !body.endsWith('\\.*')) body = body.slice(0, -2);
  const literal = literalOfRegex(body);
  return literal === undefined ? { kind: 'regex' } : { kind: 'prefix', prefix: literal };
}

/** The start-anchored SMI pathRegex for a literal path (`exact`) or prefix. */
export function pathRegexFor(
  shape: { kind: 'exact'; path: string } | { kind: 'prefix'; prefix: string },
): string {
  return shape.kind === 'exact'
    ? `${escapeRegexLiteral(shape.path)}$`
    : escapeRegexLiteral(shape.prefix);
}

function httpFeatures(match: HttpMatchNode, out: Set<FeatureId>, layer: 'access' | 'split'): void {
  if (layer === 'split') {
    if (match.headers !== undefined) out.add('specs.http.headers');
    return;
  }
  if (match.pathRegex !== undefined) {
    const shape = classifyPath(match.pathRegex);
    out.add(
      shape.kind === 'exact'
        ? 'access.http.path-exact'
        : shape.kind === 'prefix'
          ? 'access.http.path-prefix'
          : 'access.http.path-regex',
    );
  }
  if (match.methods !== undefined && !match.methods.includes('*')) out.add('access.http.methods');
  if (match.headers !== undefined) out.add('access.http.headers');
}

/**
 * The features a model uses, for the portability report and for checking that an adapter's
 * diagnostics match its declared capabilities.
 */
export function featuresUsed(model: MeshModel): Set<FeatureId> {
  const out = new Set<FeatureId>();
  const index = indexModel(model);
  for (const target of model.trafficTargets) {
    out.add('access.sources');
    for (const rule of target.rules) {
      if (rule.kind === 'TCPRoute') out.add('access.tcp.ports');
      if (rule.kind === 'UDPRoute') out.add('access.udp.ports');
      if (rule.kind === 'HTTPRouteGroup') {
        const group = index.httpRouteGroup(target.namespace, rule.name);
        if (group !== undefined)
          for (const m of selectedMatches(group, rule)) httpFeatures(m, out, 'access');
      }
    }
  }
  for (const split of model.trafficSplits) {
    out.add('split.weights');
    if (split.backends.some((b) => b.weight === 0)) out.add('split.zero-weight');
    if (split.matches !== undefined) {
      out.add('split.matches');
      for (const m of split.matches) {
        const group = index.httpRouteGroup(split.namespace, m.name);
        for (const match of group?.matches ?? []) httpFeatures(match, out, 'split');
      }
    }
  }
  return out;
}
