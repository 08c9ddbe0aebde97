import {
  manifestOrigin,
  manifestRef,
  parseSourceAnnotation,
  SOURCE_ANNOTATION,
  sourceMetadata,
  type HTTPRouteGroupNode,
  type HttpMatchNode,
  type Manifest,
  type MeshModel,
  type Origin,
  type PortRouteNode,
  type RuleNode,
  type SubjectNode,
  type TrafficSplitNode,
  type TrafficTargetNode,
} from '@meshlingo/core';
import type { IstioIngestContext } from '../context.js';
import type { SmiFragment } from '../smi-annotation.js';

/** An HTTP match before it gets its origin. */
export type MatchDraft = Omit<HttpMatchNode, 'origin'>;

/**
 * Collects the SMI nodes rebuilt from Istio objects: gives every node an origin in its source
 * object and the provenance metadata, keeps names unique, and merges route groups that several
 * objects restore (renaming one that differs from an earlier one of the same name).
 */
export class ModelBuilder {
  private readonly targets: TrafficTargetNode[] = [];
  private readonly groups = new Map<string, HTTPRouteGroupNode>();
  private readonly tcpRoutes = new Map<string, PortRouteNode>();
  private readonly splits: TrafficSplitNode[] = [];

  constructor(private readonly ctx: IstioIngestContext) {}

  private meta(manifest: Manifest): Pick<TrafficTargetNode, 'labels' | 'annotations'> {
    return sourceMetadata([manifestRef(manifest.object)]);
  }

  /** Adds a route group; returns the name it got (a new one when it clashes with another). */
  addGroup(
    manifest: Manifest,
    namespace: string,
    name: string,
    matches: readonly MatchDraft[],
    at: Origin,
  ): string {
    const key = `${namespace}/${name}`;
    const nodeMatches = matches.map((m) => ({ ...m, origin: at }));
    const same = (g: HTTPRouteGroupNode): boolean =>
      JSON.stringify(g.matches.map(({ origin: _o, ...m }) => m)) === JSON.stringify(matches);
    const existing = this.groups.get(key);
    if (existing !== undefined && same(existing)) return name;
    let finalName = name;
    if (existing !== undefined) {
      finalName = this.ctx.names.claim('HTTPRouteGroup', namespace, name);
      this.ctx.report('route-group-renamed', {
        at: { manifest },
        data: {
          namespace,
          group: name,
          kind: manifest.object.kind,
          name: manifest.object.metadata?.name ?? '',
          renamed: finalName,
        },
      });
    } else this.ctx.names.reserve('HTTPRouteGroup', namespace, name);
    this.groups.set(`${namespace}/${finalName}`, {
      name: finalName,
      namespace,
      ...this.meta(manifest),
      matches: nodeMatches,
      origin: at,
    });
    return finalName;
  }

  /** Adds a TCPRoute; same merging as {@link addGroup}. */
  addTcpRoute(
    manifest: Manifest,
    namespace: string,
    name: string,
    ports: readonly number[],
    at: Origin,
  ): string {
    const key = `${namespace}/${name}`;
    const existing = this.tcpRoutes.get(key);
    const sorted = [...ports].sort((a, b) => a - b);
    if (
      existing !== undefined &&
      JSON.stringify([...existing.ports].sort((a, b) => a - b)) === JSON.stringify(sorted)
    )
      return name;
    const finalName =
      existing === undefined ? name : this.ctx.names.claim('TCPRoute', namespace, name);
    if (existing === undefined) this.ctx.names.reserve('TCPRoute', namespace, name);
    this.tcpRoutes.set(`${namespace}/${finalName}`, {
      name: finalName,
      namespace,
      ...this.meta(manifest),
      ports: [...ports],
      origin: at,
    });
    return finalName;
  }

  addTarget(
    manifest: Manifest,
    target: {
      name: string;
      namespace: string;
      destination: Omit<SubjectNode, 'origin'>;
      sources: readonly Omit<SubjectNode, 'origin'>[];
      rules: readonly Omit<RuleNode, 'origin'>[];
    },
    at: Origin,
  ): void {
    this.targets.push({
      name: this.ctx.names.claim('TrafficTarget', target.namespace, target.name),
      namespace: target.namespace,
      ...this.meta(manifest),
      destination: { ...target.destination, origin: at },
      sources: target.sources.map((s) => ({ ...s, origin: at })),
      rules: target.rules.map((r) => ({ ...r, origin: at })),
      origin: at,
    });
  }

  addSplit(
    manifest: Manifest,
    split: {
      name: string;
      namespace: string;
      service: string;
      backends: readonly { service: string; weight: number }[];
      matches?: readonly string[];
    },
    at: Origin,
  ): void {
    this.splits.push({
      name: this.ctx.names.claim('TrafficSplit', split.namespace, split.name),
      namespace: split.namespace,
      ...this.meta(manifest),
      service: split.service,
      backends: split.backends.map((b) => ({ ...b, origin: at })),
      ...(split.matches !== undefined && {
        matches: split.matches.map((name) => ({
          kind: 'HTTPRouteGroup' as const,
          name,
          origin: at,
        })),
      }),
      origin: at,
    });
  }

  /** Restores the SMI objects recorded in a `meshlingo.io/smi` annotation. */
  addFragment(manifest: Manifest, fragment: SmiFragment): void {
    const at = manifestOrigin(manifest);
    const renamed = new Map<string, string>();
    for (const g of fragment.httpRouteGroups ?? []) {
      const matches = g.matches.map((m): MatchDraft => ({
        name: m.name,
        ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
        ...(m.methods !== undefined && { methods: m.methods }),
        ...(m.headers !== undefined && { headers: m.headers }),
      }));
      const name = this.addGroup(manifest, g.namespace, g.name, matches, at);
      renamed.set(`HTTPRouteGroup/${g.namespace}/${g.name}`, name);
    }
    for (const r of fragment.tcpRoutes ?? []) {
      renamed.set(
        `TCPRoute/${r.namespace}/${r.name}`,
        this.addTcpRoute(manifest, r.namespace, r.name, r.ports, at),
      );
    }
    const nameOf = (kind: string, namespace: string, name: string): string =>
      renamed.get(`${kind}/${namespace}/${name}`) ?? name;
    for (const t of fragment.trafficTargets ?? []) {
      this.addTarget(
        manifest,
        {
          name: t.name,
          namespace: t.namespace,
          destination: t.destination,
          sources: t.sources,
          rules: t.rules.map((r) => ({
            kind: r.kind,
            name: nameOf(r.kind, t.namespace, r.name),
            ...(r.matches !== undefined && { matches: r.matches }),
          })),
        },
        at,
      );
    }
    for (const s of fragment.trafficSplits ?? []) {
      this.addSplit(
        manifest,
        {
          name: s.name,
          namespace: s.namespace,
          service: s.service,
          backends: s.backends,
          ...(s.matches !== undefined && {
            matches: s.matches.map((m) => nameOf('HTTPRouteGroup', s.namespace, m)),
          }),
        },
        at,
      );
    }
  }

  /** The model built so far. */
  model(): MeshModel {
    return {
      trafficTargets: this.targets,
      httpRouteGroups: [...this.groups.values()],
      tcpRoutes: [...this.tcpRoutes.values()],
      udpRoutes: [],
      trafficSplits: this.splits,
      identityBindings: [],
    };
  }
}

/** The name of the SMI object of `kind` named in an object's `meshlingo.io/source`, if one. */
export function sourceName(manifest: Manifest, kind: string): string | undefined {
  const annotations = manifest.object.metadata?.annotations;
  const value =
    annotations !== undefined && Object.hasOwn(annotations, SOURCE_ANNOTATION)
      ? annotations[SOURCE_ANNOTATION]
      : undefined;
  if (typeof value !== 'string') return undefined;
  const refs = parseSourceAnnotation(value).filter((r) => r.kind === kind);
  return refs.length === 1 ? refs[0]?.name : undefined;
}
