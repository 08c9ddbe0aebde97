import { z } from 'zod';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { coreMessages } from '../diagnostics/messages.js';
import { manifestLocation, manifestOrigin, manifestRef, type Manifest } from '../io/manifest.js';
import { copyRecord } from '../model/metadata.js';
import { isDeepStrictEqual } from 'node:util';
import type {
  ClusterContext,
  ContainerPortInfo,
  NamespaceInfo,
  ServiceAccountInfo,
  ServiceInfo,
  WorkloadInfo,
  WorkloadKind,
} from './context.js';

const StringMap = z.record(z.string(), z.string());
const Meta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});

const ContainerSchema = z.looseObject({
  ports: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        containerPort: z.number(),
        protocol: z.string().optional(),
      }),
    )
    .optional(),
});

const PodSpecSchema = z.looseObject({
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(),
  containers: z.array(ContainerSchema).optional(),
  initContainers: z.array(ContainerSchema).optional(),
});

const TemplateSchema = z.looseObject({
  metadata: z.looseObject({ labels: StringMap.optional() }).optional(),
  spec: PodSpecSchema.optional(),
});

const ServiceSchema = z.looseObject({
  metadata: Meta,
  spec: z
    .looseObject({
      selector: StringMap.nullable().optional(),
      type: z.string().optional(),
      ports: z
        .array(
          z.looseObject({
            name: z.string().optional(),
            port: z.number(),
            targetPort: z.union([z.number(), z.string()]).optional(),
            protocol: z.string().optional(),
            appProtocol: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

const WorkloadSchema = z.looseObject({
  metadata: Meta,
  spec: z.looseObject({ template: TemplateSchema.optional() }).optional(),
});

const CronJobSchema = z.looseObject({
  metadata: Meta,
  spec: z
    .looseObject({
      jobTemplate: z
        .looseObject({ spec: z.looseObject({ template: TemplateSchema.optional() }).optional() })
        .optional(),
    })
    .optional(),
});

const PodSchema = z.looseObject({ metadata: Meta, spec: PodSpecSchema.optional() });
const NamedSchema = z.looseObject({ metadata: Meta });

const WORKLOAD_KINDS: Record<string, readonly string[]> = {
  Deployment: ['apps/v1'],
  StatefulSet: ['apps/v1'],
  DaemonSet: ['apps/v1'],
  ReplicaSet: ['apps/v1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1', 'batch/v1beta1'],
  Pod: ['v1'],
};

/** True for the kinds that make up the context: Namespaces, Services, ServiceAccounts and workloads. */
export function isContextKind(apiVersion: string, kind: string): boolean {
  if (apiVersion === 'v1' && ['Namespace', 'Service', 'ServiceAccount'].includes(kind)) return true;
  return Object.hasOwn(WORKLOAD_KINDS, kind) && (WORKLOAD_KINDS[kind] ?? []).includes(apiVersion);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[seg];
  }
  return node;
}

function podPorts(spec: z.infer<typeof PodSpecSchema> | undefined): ContainerPortInfo[] {
  const out: ContainerPortInfo[] = [];
  for (const container of spec?.containers ?? []) {
    for (const p of container.ports ?? []) {
      out.push({
        ...(p.name !== undefined && { name: p.name }),
        containerPort: p.containerPort,
        protocol: p.protocol ?? 'TCP',
      });
    }
  }
  return out;
}

function podServiceAccount(spec: z.infer<typeof PodSpecSchema> | undefined): string {
  return spec?.serviceAccountName ?? spec?.serviceAccount ?? 'default';
}

/**
 * Reads the context kinds among manifests into a {@link ClusterContext}. Objects of other kinds
 * are returned unchanged. The same object given twice with different content is an error; given
 * twice identically (input and `--context` overlap) it counts once.
 */
export function readContext(
  manifests: readonly Manifest[],
  defaultNamespace = 'default',
): { context: ClusterContext; others: Manifest[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const others: Manifest[] = [];
  const namespaces = new Map<string, NamespaceInfo>();
  const accounts = new Map<string, ServiceAccountInfo>();
  const services = new Map<string, ServiceInfo>();
  const workloads = new Map<string, WorkloadInfo>();
  const seen = new Map<string, Manifest>();

  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.object;
    if (!isContextKind(apiVersion, kind)) {
      others.push(manifest);
      continue;
    }
    const schema =
      kind === 'Service'
        ? ServiceSchema
        : kind === 'Pod'
          ? PodSchema
          : kind === 'CronJob'
            ? CronJobSchema
            : kind === 'Namespace' || kind === 'ServiceAccount'
              ? NamedSchema
              : WorkloadSchema;
    const parsed = schema.safeParse(manifest.object);
    const ref = manifestRef(manifest.object);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        diagnostics.push(
          createDiagnostic('core', coreMessages, 'invalid-context', {
            data: {
              kind,
              name: ref.name || '(unnamed)',
              field: path.join('.'),
              actual: describe(valueAt(manifest.object, issue.path)),
              expected: issue.code === 'invalid_type' ? `a ${issue.expected}` : issue.message,
            },
            location: manifestLocation(manifest, path),
            resource: ref,
          }),
        );
      }
      continue;
    }
    const meta = parsed.data.metadata;
    const namespace = kind === 'Namespace' ? '' : (meta.namespace ?? defaultNamespace);
    const key = `${kind}/${namespace}/${meta.name}`;
    const previous = seen.get(key);
    if (previous !== undefined) {
      if (!isDeepStrictEqual(previous.object, manifest.object)) {
        diagnostics.push(
          createDiagnostic('core', coreMessages, 'context-conflict', {
            data: { kind, namespace, name: meta.name },
            location: manifestLocation(manifest),
            resource: ref,
          }),
        );
      }
      continue;
    }
    seen.set(key, manifest);
    const origin = manifestOrigin(manifest);
    switch (kind) {
      case 'Namespace':
        namespaces.set(meta.name, {
          name: meta.name,
          labels: copyRecord(meta.labels) ?? {},
          annotations: copyRecord(meta.annotations) ?? {},
          origin,
        });
        break;
      case 'ServiceAccount':
        accounts.set(key, { name: meta.name, namespace, origin });
        break;
      case 'Service': {
        const spec = (parsed.data as z.infer<typeof ServiceSchema>).spec;
        const selector = spec?.selector === null ? undefined : copyRecord(spec?.selector);
        services.set(key, {
          name: meta.name,
          namespace,
          ...(selector !== undefined && { selector }),
          ...(spec?.type !== undefined && { type: spec.type }),
          ports: (spec?.ports ?? []).map((p) => ({
            ...(p.name !== undefined && { name: p.name }),
            port: p.port,
            ...(p.targetPort !== undefined && { targetPort: p.targetPort }),
            protocol: p.protocol ?? 'TCP',
            ...(p.appProtocol !== undefined && { appProtocol: p.appProtocol }),
          })),
          origin,
        });
        break;
      }
      default: {
        let podLabels: Record<string, string> | undefined;
        let podSpec: z.infer<typeof PodSpecSchema> | undefined;
        if (kind === 'Pod') {
          podLabels = meta.labels;
          podSpec = (parsed.data as z.infer<typeof PodSchema>).spec;
        } else if (kind === 'CronJob') {
          const template = (parsed.data as z.infer<typeof CronJobSchema>).spec?.jobTemplate?.spec
            ?.template;
          podLabels = template?.metadata?.labels;
          podSpec = template?.spec;
        } else {
          const template = (parsed.data as z.infer<typeof WorkloadSchema>).spec?.template;
          podLabels = template?.metadata?.labels;
          podSpec = template?.spec;
        }
        workloads.set(key, {
          kind: kind as WorkloadKind,
          name: meta.name,
          namespace,
          serviceAccount: podServiceAccount(podSpec),
          podLabels: copyRecord(podLabels) ?? {},
          containerPorts: podPorts(podSpec),
          origin,
        });
      }
    }
  }
  const byName = <T extends { namespace?: string; name: string }>(list: Iterable<T>): T[] =>
    [...list].sort((a, b) => {
      const x = `${a.namespace ?? ''}/${a.name}`;
      const y = `${b.namespace ?? ''}/${b.name}`;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return {
    context: {
      namespaces: byName(namespaces.values()),
      serviceAccounts: byName(accounts.values()),
      services: byName(services.values()),
      workloads: byName(workloads.values()),
    },
    others,
    diagnostics,
  };
}
