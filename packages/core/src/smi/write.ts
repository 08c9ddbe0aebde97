import {
  createDiagnostic,
  type Diagnostic,
  type DiagnosticData,
  type Effect,
} from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import type { KubeObject } from '../io/manifest.js';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  parseSourceAnnotation,
  PORTS_ANNOTATION,
  REPLACES_ANNOTATION,
  SOURCE_ANNOTATION,
} from '../model/metadata.js';
import type {
  HTTPRouteGroupNode,
  HttpMatchNode,
  MeshModel,
  ObjectNode,
  Origin,
  PortRouteNode,
  RuleNode,
  SubjectNode,
  TrafficSplitNode,
  TrafficTargetNode,
} from '../model/model.js';
import { indexModel, nodeKey } from '../model/model.js';
import { HUB_VERSIONS, SMI_VERSIONS, type SmiVersions } from '../schemas/index.js';

/** What to do with a restriction the target cannot express (design.md, "Semantics decisions"). */
export type OnUnrepresentable = 'error' | 'narrow' | 'widen';

/** Options for {@link writeSmi}. */
export interface WriteSmiOptions {
  /** Versions to write; each defaults to the hub version. */
  readonly versions?: { readonly [A in keyof SmiVersions]?: SmiVersions[A] | undefined };
  readonly onUnrepresentable?: OnUnrepresentable;
  /** `list` (default; the reference CRD) or `map` (the spec documents, NGINX, smi-controller-sdk). */
  readonly headerForm?: 'list' | 'map';
}

const rank = (area: keyof typeof SMI_VERSIONS, version: string): number =>
  (SMI_VERSIONS[area] as readonly string[]).indexOf(version);

function metadata(node: ObjectNode, name = node.name): Record<string, unknown> {
  return {
    name,
    namespace: node.namespace,
    ...(node.labels !== undefined &&
      Object.keys(node.labels).length > 0 && { labels: { ...node.labels } }),
    ...(node.annotations !== undefined &&
      Object.keys(node.annotations).length > 0 && { annotations: { ...node.annotations } }),
  };
}

function subject(s: SubjectNode, port?: number): Record<string, unknown> {
  return {
    kind: s.kind,
    name: s.name,
    namespace: s.namespace,
    ...(port !== undefined && { port }),
    ...(s.kind === 'IdentityBinding' && { group: 'access.smi-spec.io' }),
  };
}

function rule(r: RuleNode): Record<string, unknown> {
  return {
    kind: r.kind,
    name: r.name,
    ...(r.matches !== undefined && { matches: [...r.matches] }),
  };
}

/** TrafficTargets a TCPRoute was made for (from their `destination.port`); empty for other routes. */
function synthesizedFrom(route: PortRouteNode | undefined): { name: string; namespace: string }[] {
  if (route?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return [];
  const source = route.annotations?.[SOURCE_ANNOTATION];
  if (source === undefined) return [];
  return parseSourceAnnotation(source)
    .filter(
      (ref) => ref.kind === 'TrafficTarget' && ref.apiVersion.startsWith('access.smi-spec.io/'),
    )
    .map((ref) => ({ name: ref.name, namespace: ref.namespace ?? '' }));
}

function isSynthesized(route: PortRouteNode): boolean {
  return synthesizedFrom(route).length > 0;
}

/** A TCPRoute meshlingo made from the `destination.port` of this TrafficTarget. */
function synthesizedFor(route: PortRouteNode | undefined, target: TrafficTargetNode): boolean {
  return synthesizedFrom(route).some(
    (t) => t.name === target.name && t.namespace === target.namespace,
  );
}

/**
 * Writes a model as SMI objects at the chosen versions (the hub versions by default). Every
 * down-conversion that cannot keep the meaning is a diagnostic; `onUnrepresentable` decides
 * whether the object is left out (`error`, the default), narrowed, or widened.
 */
export function writeSmi(
  model: MeshModel,
  options: WriteSmiOptions = {},
): { objects: KubeObject[]; diagnostics: Diagnostic[] } {
  const versions: SmiVersions = {
    access: options.versions?.access ?? HUB_VERSIONS.access,
    specs: options.versions?.specs ?? HUB_VERSIONS.specs,
    split: options.versions?.split ?? HUB_VERSIONS.split,
  };
  const mode = options.onUnrepresentable ?? 'error';
  const headerForm = options.headerForm ?? 'list';
  const diagnostics: Diagnostic[] = [];
  const objects: KubeObject[] = [];
  const index = indexModel(model);
  const accessRank = rank('access', versions.access);
  const specsRank = rank('specs', versions.specs);
  const splitRank = rank('split', versions.split);
  const portsInRoutes = specsRank >= rank('specs', 'v1alpha4');
  const udpPossible = accessRank >= rank('access', 'v1alpha3') && portsInRoutes;
  const headersPossible = specsRank >= rank('specs', 'v1alpha2');

  const loss = (
    origin: Origin,
    what: string,
    target: string,
    effect: Effect,
    data: DiagnosticData = {},
  ): void => {
    diagnostics.push(
      createDiagnostic('smi', smiMessages, 'down-conversion-loss', {
        data: { ...data, what, target, onUnrepresentable: mode },
        resource: origin.resource,
        ...(origin.location !== undefined && { location: origin.location }),
        severity: mode === 'error' ? 'error' : 'warning',
        effect,
      }),
    );
  };

  // --- HTTPRouteGroups: headers need specs >= v1alpha2.
  const writtenGroups = new Map<string, HTTPRouteGroupNode>();
  for (const group of model.httpRouteGroups) {
    let matches: readonly HttpMatchNode[] = group.matches;
    const withHeaders = matches.filter((m) => m.headers !== undefined);
    if (!headersPossible && withHeaders.length > 0) {
      for (const m of withHeaders) {
        loss(
          m.origin,
          `header conditions of match "${m.name}"`,
          `specs ${versions.specs}`,
          mode === 'widen' ? 'widens-access' : 'narrows-access',
        );
      }
      if (mode === 'error') continue;
      matches =
        mode === 'narrow'
          ? matches.filter((m) => m.headers === undefined)
          : matches.map(({ headers: _h, ...rest }) => rest);
    }
    writtenGroups.set(nodeKey(group.namespace, group.name), { ...group, matches });
  }

  // --- TrafficTargets.
  // TCPRoutes meshlingo made from a destination.port are written only while a TrafficTarget uses them.
  const usedRoutes = new Set<string>();
  for (const target of model.trafficTargets) {
    const hasBinding = [target.destination, ...target.sources].some(
      (s) => s.kind === 'IdentityBinding',
    );
    if (hasBinding && accessRank < rank('access', 'v1alpha3')) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'identity-binding-not-portable', {
          data: { name: target.name, version: versions.access },
          resource: target.origin.resource,
          ...(target.origin.location !== undefined && { location: target.origin.location }),
        }),
      );
      continue;
    }
    let rules: RuleNode[] = [...target.rules];
    const udp = rules.filter((r) => r.kind === 'UDPRoute');
    if (udp.length > 0 && !udpPossible) {
      for (const r of udp)
        loss(
          r.origin,
          `UDPRoute rule ${r.name}`,
          `access ${versions.access} / specs ${versions.specs}`,
          'narrows-access',
        );
      if (mode === 'error') continue;
      rules = rules.filter((r) => r.kind !== 'UDPRoute');
    }
    // HTTP rules whose groups lost matches (narrow at specs v1alpha1).
    const httpBefore = rules.filter((r) => r.kind === 'HTTPRouteGroup').length;
    const unwritten = rules.find(
      (r) => r.kind === 'HTTPRouteGroup' && !writtenGroups.has(nodeKey(target.namespace, r.name)),
    );
    if (unwritten !== undefined) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'rejected-reference', {
          data: { kind: unwritten.kind, name: unwritten.name },
          resource: unwritten.origin.resource,
          ...(unwritten.origin.location !== undefined && { location: unwritten.origin.location }),
        }),
      );
      continue;
    }
    rules = rules.flatMap((r) => {
      if (r.kind !== 'HTTPRouteGroup') return [r];
      const group = writtenGroups.get(nodeKey(target.namespace, r.name));
      if (group === undefined) return [];
      if (r.matches === undefined) return group.matches.length > 0 ? [r] : [];
      const kept = r.matches.filter((name) => group.matches.some((m) => m.name === name));
      return kept.length > 0 ? [{ ...r, matches: kept }] : [];
    });
    const httpAfter = rules.filter((r) => r.kind === 'HTTPRouteGroup').length;
    if ((httpBefore > 0 && httpAfter === 0) || rules.length === 0) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'target-dropped', {
          data: {
            name: target.name,
            reason: 'none of the matches its rules name could be written',
          },
          resource: target.origin.resource,
          ...(target.origin.location !== undefined && { location: target.origin.location }),
        }),
      );
      continue;
    }

    // Ports: carried by TCPRoutes from specs v1alpha4, else folded into destination.port.
    const tcpRules = rules.filter((r) => r.kind === 'TCPRoute');
    const tcpRoutes = tcpRules.map((r) => index.tcpRoute(target.namespace, r.name));
    const restricted =
      tcpRoutes.length > 0 &&
      tcpRoutes.every((route) => route !== undefined && route.ports.length > 0);
    let ports: number[] | undefined;
    if (!portsInRoutes && restricted) {
      if (accessRank >= rank('access', 'v1alpha3')) {
        loss(
          target.origin,
          'TCPRoute port restrictions',
          `specs ${versions.specs} with access ${versions.access}`,
          mode === 'widen' ? 'widens-access' : 'narrows-access',
        );
        if (mode !== 'widen') continue;
      } else {
        ports = [...new Set(tcpRoutes.flatMap((route) => route?.ports ?? []))].sort(
          (a, b) => a - b,
        );
        rules = rules.flatMap((r) => {
          if (r.kind !== 'TCPRoute') return [r];
          const route = index.tcpRoute(target.namespace, r.name);
          if (!synthesizedFor(route, target)) return [r];
          const replaced = route?.annotations?.[REPLACES_ANNOTATION];
          return replaced === undefined ? [] : replaced.split(',').map((name) => ({ ...r, name }));
        });
      }
    }
    for (const r of rules)
      if (r.kind === 'TCPRoute') usedRoutes.add(nodeKey(target.namespace, r.name));
    const perPort = ports === undefined ? [undefined] : ports;
    if (perPort.length > 1) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'fan-out', {
          data: {
            name: target.name,
            ports: perPort.join(', '),
            target: `access ${versions.access}`,
          },
          resource: target.origin.resource,
          ...(target.origin.location !== undefined && { location: target.origin.location }),
        }),
      );
    }
    for (const port of perPort) {
      const name = perPort.length > 1 ? `${target.name}-port-${port}` : target.name;
      const version = hasBinding ? 'v1alpha4' : versions.access;
      const destination = subject(target.destination, port);
      const sources = target.sources.map((s) => subject(s));
      const ruleList = rules.map(rule);
      objects.push(
        version === 'v1alpha1'
          ? {
              apiVersion: 'access.smi-spec.io/v1alpha1',
              kind: 'TrafficTarget',
              metadata: metadata(target, name),
              destination,
              specs: ruleList,
              sources,
            }
          : {
              apiVersion: `access.smi-spec.io/${version}`,
              kind: 'TrafficTarget',
              metadata: metadata(target, name),
              spec: { destination, rules: ruleList, sources },
            },
      );
    }
  }

  // --- Route objects.
  for (const group of writtenGroups.values()) {
    const matches = group.matches.map((m) => ({
      name: m.name,
      ...(m.pathRegex !== undefined && { pathRegex: m.pathRegex }),
      ...(m.methods !== undefined && { methods: [...m.methods] }),
      ...(m.headers !== undefined && {
        headers:
          headerForm === 'map'
            ? Object.fromEntries(m.headers.map((h) => [h.name, h.value]))
            : m.headers.map((h) => ({ [h.name]: h.value })),
      }),
    }));
    const apiVersion = `specs.smi-spec.io/${versions.specs}`;
    objects.push(
      specsRank <= rank('specs', 'v1alpha2')
        ? { apiVersion, kind: 'HTTPRouteGroup', metadata: metadata(group), matches }
        : { apiVersion, kind: 'HTTPRouteGroup', metadata: metadata(group), spec: { matches } },
    );
  }
  for (const route of model.tcpRoutes) {
    if (isSynthesized(route) && !usedRoutes.has(nodeKey(route.namespace, route.name))) continue;
    objects.push(portRoute('TCPRoute', route, versions.specs, portsInRoutes));
  }
  for (const route of model.udpRoutes) {
    if (!portsInRoutes) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'udp-route-left-out', {
          data: { name: route.name, version: versions.specs },
          resource: route.origin.resource,
          ...(route.origin.location !== undefined && { location: route.origin.location }),
        }),
      );
      continue;
    }
    objects.push(portRoute('UDPRoute', route, versions.specs, true));
  }

  // --- TrafficSplits: matches need split >= v1alpha3.
  for (const split of model.trafficSplits) {
    let matches = split.matches;
    if (matches !== undefined && splitRank < rank('split', 'v1alpha3')) {
      loss(split.origin, 'TrafficSplit matches', `split ${versions.split}`, 'changes-routing');
      if (mode !== 'widen') continue;
      matches = undefined;
    }
    objects.push(trafficSplit(split, versions.split, matches));
  }

  for (const binding of model.identityBindings) {
    objects.push({
      apiVersion: 'access.smi-spec.io/v1alpha4',
      kind: 'IdentityBinding',
      metadata: metadata(binding),
      spec: {
        schemes: {
          ...(binding.podLabelSelector !== undefined && {
            podLabelSelector: { matchLabels: { ...binding.podLabelSelector } },
          }),
          ...(binding.spiffeIdentities !== undefined && {
            spiffeIdentities: [...binding.spiffeIdentities],
          }),
          ...(binding.serviceAccount !== undefined && { serviceAccount: binding.serviceAccount }),
        },
      },
    });
  }
  return { objects, diagnostics };
}

function portRoute(
  kind: 'TCPRoute' | 'UDPRoute',
  route: PortRouteNode,
  version: string,
  portsInRoutes: boolean,
): KubeObject {
  const apiVersion = `specs.smi-spec.io/${version}`;
  if (portsInRoutes) {
    return {
      apiVersion,
      kind,
      metadata: metadata(route),
      spec: { matches: { ports: [...route.ports] } },
    };
  }
  // Older versions have no ports: keep them in an annotation so meshlingo can read them back.
  const node: ObjectNode =
    route.ports.length === 0
      ? route
      : {
          ...route,
          annotations: { ...route.annotations, [PORTS_ANNOTATION]: route.ports.join(',') },
        };
  return version === 'v1alpha3'
    ? { apiVersion, kind, metadata: metadata(node), spec: {} }
    : { apiVersion, kind, metadata: metadata(node) };
}

function trafficSplit(
  split: TrafficSplitNode,
  version: string,
  matches: TrafficSplitNode['matches'],
): KubeObject {
  return {
    apiVersion: `split.smi-spec.io/${version}`,
    kind: 'TrafficSplit',
    metadata: metadata(split),
    spec: {
      service: split.service,
      ...(matches !== undefined && {
        matches: matches.map((m) => ({ kind: m.kind, name: m.name })),
      }),
      backends: split.backends.map((b) => ({ service: b.service, weight: b.weight })),
    },
  };
}
