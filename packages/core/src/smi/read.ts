import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import { manifestLocation, manifestRef, type Manifest } from '../io/manifest.js';
import type {
  HTTPRouteGroupNode,
  IdentityBindingNode,
  MeshModel,
  PortRouteNode,
  TrafficSplitNode,
} from '../model/model.js';
import type {
  IdentityBindingV1alpha4,
  TrafficTargetV1alpha1,
  TrafficTargetV1alpha2,
  TrafficTargetV1alpha3,
} from '../schemas/access.js';
import { findSmiSchema, isSmiApiVersion, SMI_SCHEMAS } from '../schemas/index.js';
import type {
  HTTPRouteGroupV1alpha1,
  HTTPRouteGroupV1alpha3,
  TCPRouteV1alpha4,
} from '../schemas/specs.js';
import type { TrafficSplitV1alpha1, TrafficSplitV1alpha3 } from '../schemas/split.js';
import { crossValidate } from './cross-validate.js';
import { objectKey } from './keys.js';
import { resolveLegacyPorts } from './legacy-port.js';
import { repairSmiObject, type ParseMode } from './repair.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import {
  buildHttpRouteGroup,
  buildIdentityBinding,
  buildPortRoute,
  buildTrafficSplit,
  buildTrafficTarget,
  NodeBuilder,
  type TrafficTargetDraft,
} from './to-model.js';

/** Options for reading SMI objects. */
export interface ReadSmiOptions {
  readonly mode?: ParseMode;
  /** Read the unreleased access v1alpha4 draft (IdentityBinding). */
  readonly experimental?: boolean;
  /** Namespace for objects that name none. Default `default`. */
  readonly defaultNamespace?: string;
}

/** Result of {@link readSmi}. */
export interface ReadSmiResult {
  /** Valid SMI objects, normalised to the hub versions. Objects with errors are left out. */
  readonly model: MeshModel;
  /** Manifests that are not SMI (native, context, anything else), in input order. */
  readonly others: Manifest[];
  readonly diagnostics: Diagnostic[];
  /** Kind/namespace/name of SMI objects left out because of errors. */
  readonly rejected: ReadonlySet<string>;
}

const LEGACY_GROUPS: Record<string, string> = {
  'spec.smi-spec.io':
    'Use specs.smi-spec.io (the group the SMI SDK always served); --lenient rewrites it.',
  'smi-spec.io': 'Rewrite the object for the access/specs/split.smi-spec.io groups.',
  'traffic.metrics.k8s.io': 'The group is metrics.smi-spec.io now.',
};

interface Collected {
  trafficTargets: TrafficTargetDraft[];
  httpRouteGroups: HTTPRouteGroupNode[];
  tcpRoutes: PortRouteNode[];
  udpRoutes: PortRouteNode[];
  trafficSplits: TrafficSplitNode[];
  identityBindings: IdentityBindingNode[];
}

/**
 * Reads every SMI object among the manifests: legacy groups and unknown versions are reported,
 * real-world variants are repaired (lenient) or reported (strict), each object is validated
 * against the schema of its version and normalised to the hub versions, then the cross-object
 * rules run. Objects with errors are left out of the model.
 */
export function readSmi(
  manifests: readonly Manifest[],
  options: ReadSmiOptions = {},
): ReadSmiResult {
  const read = readSmiObjects(manifests, options);
  const checked = crossValidate(read.model, read.rejected, options.mode ?? 'strict');
  return {
    ...read,
    model: checked.model,
    diagnostics: [...read.diagnostics, ...checked.diagnostics],
  };
}

/**
 * {@link readSmi} without the cross-object rules, for callers that add objects from other
 * sources (native input) before running {@link crossValidate} once over everything.
 */
export function readSmiObjects(
  manifests: readonly Manifest[],
  options: ReadSmiOptions = {},
): ReadSmiResult {
  const mode = options.mode ?? 'strict';
  const experimental = options.experimental ?? false;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const diagnostics: Diagnostic[] = [];
  const others: Manifest[] = [];
  const rejected = new Set<string>();
  const collected: Collected = {
    trafficTargets: [],
    httpRouteGroups: [],
    tcpRoutes: [],
    udpRoutes: [],
    trafficSplits: [],
    identityBindings: [],
  };

  for (const original of manifests) {
    let manifest = original;
    const [group = '', version = ''] = manifest.object.apiVersion.split('/');
    const location = manifestLocation(manifest, ['apiVersion']);
    const resource = manifestRef(manifest.object);
    const legacyFix = Object.hasOwn(LEGACY_GROUPS, group) ? LEGACY_GROUPS[group] : undefined;
    if (legacyFix !== undefined) {
      if (group === 'spec.smi-spec.io' && mode === 'lenient') {
        diagnostics.push(
          createDiagnostic('smi', smiMessages, 'repaired', {
            data: { what: `group spec.smi-spec.io read as specs.smi-spec.io` },
            location,
            resource,
          }),
        );
        manifest = {
          ...manifest,
          object: { ...manifest.object, apiVersion: `specs.smi-spec.io/${version}` },
        };
      } else {
        diagnostics.push(
          createDiagnostic('smi', smiMessages, 'legacy-group', {
            data: { apiVersion: manifest.object.apiVersion, group, fix: legacyFix },
            location,
            resource,
          }),
        );
        rejected.add(
          objectKey(
            manifest.object.kind,
            manifest.object.metadata?.namespace ?? defaultNamespace,
            resource.name,
          ),
        );
        continue;
      }
    }
    if (!isSmiApiVersion(manifest.object.apiVersion)) {
      others.push(manifest);
      continue;
    }
    const { kind } = manifest.object;
    const namespace =
      typeof manifest.object.metadata?.namespace === 'string'
        ? manifest.object.metadata.namespace
        : defaultNamespace;
    const key = objectKey(kind, namespace, resource.name);
    const entry = findSmiSchema(manifest.object.apiVersion, kind);
    if (entry === undefined) {
      const supported = SMI_SCHEMAS.filter((e) => e.kind === kind && !e.experimental)
        .map((e) => `${e.group}/${e.version}`)
        .join(', ');
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'unsupported-version', {
          data: {
            apiVersion: manifest.object.apiVersion,
            kind,
            supported: supported || 'none for this kind',
          },
          location,
          resource,
        }),
      );
      rejected.add(key);
      continue;
    }
    if (entry.experimental === true && !experimental) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'experimental-kind', {
          data: { apiVersion: manifest.object.apiVersion, kind },
          location,
          resource,
        }),
      );
      rejected.add(key);
      continue;
    }
    const repair = repairSmiObject(manifest, entry.version, mode);
    diagnostics.push(...repair.diagnostics);
    const parsed = entry.schema.safeParse(repair.object);
    if (!parsed.success) {
      diagnostics.push(...schemaDiagnostics(manifest, repair.object, parsed.error.issues));
      rejected.add(key);
      continue;
    }
    if (entry.readOnly === true) {
      diagnostics.push(
        createDiagnostic('smi', smiMessages, 'metrics-read-only', {
          data: { kind },
          location: manifestLocation(manifest),
          resource,
        }),
      );
      continue;
    }
    const builder = new NodeBuilder(manifest, defaultNamespace);
    addNode(builder, entry.version, parsed.data, repair.legacyPort, experimental, collected);
    diagnostics.push(...builder.diagnostics);
    // In strict mode a repairable variant is an error: the repaired copy was only built so that
    // the rest of the object still got checked.
    if (builder.failed || repair.diagnostics.some((d) => d.severity === 'error')) {
      rejected.add(key);
      dropLast(collected, kind);
    }
  }

  const ports = resolveLegacyPorts(collected.trafficTargets, collected.tcpRoutes);
  diagnostics.push(...ports.diagnostics);
  for (const key of ports.rejected) rejected.add(key);
  const model: MeshModel = {
    trafficTargets: ports.trafficTargets,
    httpRouteGroups: collected.httpRouteGroups,
    tcpRoutes: ports.tcpRoutes,
    udpRoutes: collected.udpRoutes,
    trafficSplits: collected.trafficSplits,
    identityBindings: collected.identityBindings,
  };
  return { model, others, diagnostics, rejected };
}

function dropLast(collected: Collected, kind: string): void {
  const lists: Record<string, unknown[]> = {
    TrafficTarget: collected.trafficTargets,
    HTTPRouteGroup: collected.httpRouteGroups,
    TCPRoute: collected.tcpRoutes,
    UDPRoute: collected.udpRoutes,
    TrafficSplit: collected.trafficSplits,
    IdentityBinding: collected.identityBindings,
  };
  lists[kind]?.pop();
}

function addNode(
  b: NodeBuilder,
  version: string,
  data: unknown,
  legacyPort: number | undefined,
  experimental: boolean,
  out: Collected,
): void {
  const kind = b.manifest.object.kind;
  switch (kind) {
    case 'TrafficTarget': {
      if (version === 'v1alpha1') {
        const tt = data as TrafficTargetV1alpha1;
        out.trafficTargets.push(
          buildTrafficTarget(
            b,
            {
              metadata: tt.metadata,
              destination: tt.destination,
              sources: tt.sources,
              rules: tt.specs,
              paths: { destination: ['destination'], sources: ['sources'], rules: ['specs'] },
            },
            experimental,
            legacyPort,
          ),
        );
      } else {
        const tt = data as TrafficTargetV1alpha2 | TrafficTargetV1alpha3;
        out.trafficTargets.push(
          buildTrafficTarget(
            b,
            {
              metadata: tt.metadata,
              destination: tt.spec.destination,
              sources: tt.spec.sources,
              rules: tt.spec.rules,
              paths: {
                destination: ['spec', 'destination'],
                sources: ['spec', 'sources'],
                rules: ['spec', 'rules'],
              },
            },
            experimental,
            legacyPort,
          ),
        );
      }
      return;
    }
    case 'HTTPRouteGroup': {
      if (version === 'v1alpha1' || version === 'v1alpha2') {
        const g = data as HTTPRouteGroupV1alpha1;
        out.httpRouteGroups.push(buildHttpRouteGroup(b, g.metadata, g.matches ?? [], ['matches']));
      } else {
        const g = data as HTTPRouteGroupV1alpha3;
        out.httpRouteGroups.push(
          buildHttpRouteGroup(b, g.metadata, g.spec.matches, ['spec', 'matches']),
        );
      }
      return;
    }
    case 'TCPRoute':
    case 'UDPRoute': {
      const r = data as TCPRouteV1alpha4;
      const ports = version === 'v1alpha4' ? (r.spec?.matches.ports ?? []) : undefined;
      (kind === 'TCPRoute' ? out.tcpRoutes : out.udpRoutes).push(
        buildPortRoute(b, r.metadata, ports),
      );
      return;
    }
    case 'TrafficSplit': {
      const s = data as TrafficSplitV1alpha1 | TrafficSplitV1alpha3;
      out.trafficSplits.push(
        buildTrafficSplit(b, {
          metadata: s.metadata,
          service: s.spec.service,
          backends: s.spec.backends,
          matches: 'matches' in s.spec ? s.spec.matches : undefined,
          quantityWeights: version === 'v1alpha1',
        }),
      );
      return;
    }
    case 'IdentityBinding':
      out.identityBindings.push(buildIdentityBinding(b, data as IdentityBindingV1alpha4));
      return;
    default:
      return;
  }
}
