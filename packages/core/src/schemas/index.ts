import type { z } from 'zod';
import {
  IdentityBindingV1alpha4Schema,
  TrafficTargetV1alpha1Schema,
  TrafficTargetV1alpha2Schema,
  TrafficTargetV1alpha3Schema,
  TrafficTargetV1alpha4Schema,
} from './access.js';
import {
  TrafficMetricsListV1alpha1Schema,
  TrafficMetricsListV1alpha2Schema,
  TrafficMetricsV1alpha1Schema,
  TrafficMetricsV1alpha2Schema,
} from './metrics.js';
import {
  HTTPRouteGroupV1alpha1Schema,
  HTTPRouteGroupV1alpha2Schema,
  HTTPRouteGroupV1alpha3Schema,
  HTTPRouteGroupV1alpha4Schema,
  TCPRouteV1alpha1Schema,
  TCPRouteV1alpha2Schema,
  TCPRouteV1alpha3Schema,
  TCPRouteV1alpha4Schema,
  UDPRouteV1alpha4Schema,
} from './specs.js';
import {
  TrafficSplitV1alpha1Schema,
  TrafficSplitV1alpha2Schema,
  TrafficSplitV1alpha3Schema,
  TrafficSplitV1alpha4Schema,
} from './split.js';

/** The SMI API areas that have versions a user can choose when writing. */
export type SmiArea = 'access' | 'specs' | 'split';

/** SMI versions meshlingo reads and writes, oldest first, per area. */
export const SMI_VERSIONS = {
  access: ['v1alpha1', 'v1alpha2', 'v1alpha3'],
  specs: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
  split: ['v1alpha1', 'v1alpha2', 'v1alpha3', 'v1alpha4'],
} as const satisfies Record<SmiArea, readonly string[]>;

/** A version of an area, e.g. `v1alpha3` for access. */
export type SmiVersion<A extends SmiArea> = (typeof SMI_VERSIONS)[A][number];

/** The versions every model is normalised to. */
export const HUB_VERSIONS = {
  access: 'v1alpha3',
  specs: 'v1alpha4',
  split: 'v1alpha4',
} as const satisfies { [A in SmiArea]: SmiVersion<A> };

/** The SMI versions to write, one per area. */
export interface SmiVersions {
  readonly access: SmiVersion<'access'>;
  readonly specs: SmiVersion<'specs'>;
  readonly split: SmiVersion<'split'>;
}

/** One SMI kind at one version, with its schema. */
export interface SmiSchemaEntry {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: z.ZodType;
  /** Unreleased draft kinds, read only with the experimental option. */
  readonly experimental?: boolean;
  /** Read-only metrics data (not part of the mesh model). */
  readonly readOnly?: boolean;
}

const entry = (
  apiVersion: string,
  kind: string,
  schema: z.ZodType,
  flags: { experimental?: boolean; readOnly?: boolean } = {},
): SmiSchemaEntry => {
  const [group = '', version = ''] = apiVersion.split('/');
  return { group, version, kind, schema, ...flags };
};

/** Every SMI group, version and kind meshlingo knows. */
export const SMI_SCHEMAS: readonly SmiSchemaEntry[] = [
  entry('access.smi-spec.io/v1alpha1', 'TrafficTarget', TrafficTargetV1alpha1Schema),
  entry('access.smi-spec.io/v1alpha2', 'TrafficTarget', TrafficTargetV1alpha2Schema),
  entry('access.smi-spec.io/v1alpha3', 'TrafficTarget', TrafficTargetV1alpha3Schema),
  entry('access.smi-spec.io/v1alpha4', 'TrafficTarget', TrafficTargetV1alpha4Schema, {
    experimental: true,
  }),
  entry('access.smi-spec.io/v1alpha4', 'IdentityBinding', IdentityBindingV1alpha4Schema, {
    experimental: true,
  }),
  entry('specs.smi-spec.io/v1alpha1', 'HTTPRouteGroup', HTTPRouteGroupV1alpha1Schema),
  entry('specs.smi-spec.io/v1alpha2', 'HTTPRouteGroup', HTTPRouteGroupV1alpha2Schema),
  entry('specs.smi-spec.io/v1alpha3', 'HTTPRouteGroup', HTTPRouteGroupV1alpha3Schema),
  entry('specs.smi-spec.io/v1alpha4', 'HTTPRouteGroup', HTTPRouteGroupV1alpha4Schema),
  entry('specs.smi-spec.io/v1alpha1', 'TCPRoute', TCPRouteV1alpha1Schema),
  entry('specs.smi-spec.io/v1alpha2', 'TCPRoute', TCPRouteV1alpha2Schema),
  entry('specs.smi-spec.io/v1alpha3', 'TCPRoute', TCPRouteV1alpha3Schema),
  entry('specs.smi-spec.io/v1alpha4', 'TCPRoute', TCPRouteV1alpha4Schema),
  entry('specs.smi-spec.io/v1alpha4', 'UDPRoute', UDPRouteV1alpha4Schema),
  entry('split.smi-spec.io/v1alpha1', 'TrafficSplit', TrafficSplitV1alpha1Schema),
  entry('split.smi-spec.io/v1alpha2', 'TrafficSplit', TrafficSplitV1alpha2Schema),
  entry('split.smi-spec.io/v1alpha3', 'TrafficSplit', TrafficSplitV1alpha3Schema),
  entry('split.smi-spec.io/v1alpha4', 'TrafficSplit', TrafficSplitV1alpha4Schema),
  entry('metrics.smi-spec.io/v1alpha1', 'TrafficMetrics', TrafficMetricsV1alpha1Schema, {
    readOnly: true,
  }),
  entry('metrics.smi-spec.io/v1alpha2', 'TrafficMetrics', TrafficMetricsV1alpha2Schema, {
    readOnly: true,
  }),
  entry('metrics.smi-spec.io/v1alpha1', 'TrafficMetricsList', TrafficMetricsListV1alpha1Schema, {
    readOnly: true,
  }),
  entry('metrics.smi-spec.io/v1alpha2', 'TrafficMetricsList', TrafficMetricsListV1alpha2Schema, {
    readOnly: true,
  }),
];

/** The SMI API groups. */
export const SMI_GROUPS = [
  'access.smi-spec.io',
  'specs.smi-spec.io',
  'split.smi-spec.io',
  'metrics.smi-spec.io',
] as const;

/** Looks up the schema of an SMI apiVersion and kind. */
export function findSmiSchema(apiVersion: string, kind: string): SmiSchemaEntry | undefined {
  return SMI_SCHEMAS.find((e) => `${e.group}/${e.version}` === apiVersion && e.kind === kind);
}

/** True for an apiVersion in one of the SMI groups (any version). */
export function isSmiApiVersion(apiVersion: string): boolean {
  const group = apiVersion.split('/')[0] ?? '';
  return (SMI_GROUPS as readonly string[]).includes(group);
}
