import { toJson, toYaml } from '@meshlingo/core';
import {
  createPrometheusClient,
  fetchTrafficMetrics,
  MESHES,
  parseGoDuration,
  parseResourceKind,
  parseTime,
  renderTrafficMetricsTable,
  type MeshName,
  type MeshOptions,
  type ResourceKind,
  type TrafficMetricsVersion,
} from '@meshlingo/metrics';
import { Option, type Command } from 'commander';
import { exitCodeFor, printDiagnostics, UsageError, type Io } from '../io.js';

interface MetricsFlags {
  readonly mesh: MeshName;
  readonly prometheus: string;
  readonly namespace: string;
  readonly edges?: boolean;
  readonly window: string;
  readonly time?: string;
  readonly timeout: string;
  readonly output?: 'table' | 'yaml' | 'json';
  readonly apiVersion: TrafficMetricsVersion;
  readonly label?: string[];
  readonly failure?: string;
  readonly consulNamespace?: string;
  readonly consulNamespaceMirroring?: boolean;
  readonly appmeshMesh?: string;
  readonly diagnostics: 'text' | 'json';
}

/** Splits `deployments/web` (or `deployments` plus a separate name) into a kind and a name. */
function parseTarget(
  resource: string,
  separateName: string | undefined,
): { kind: ResourceKind; name?: string } {
  const slash = resource.indexOf('/');
  const kindText = slash === -1 ? resource : resource.slice(0, slash);
  const name = slash === -1 ? separateName : resource.slice(slash + 1);
  if (slash !== -1 && separateName !== undefined) {
    throw new UsageError(`give the name once: either ${resource} or ${kindText} ${separateName}`);
  }
  const kind = parseResourceKind(kindText);
  if (kind === undefined) {
    throw new UsageError(
      `unknown kind "${kindText}"; use namespaces, deployments, pods, daemonsets or statefulsets`,
    );
  }
  if (name === '') throw new UsageError(`${resource}: the name after "/" is empty`);
  return name === undefined ? { kind } : { kind, name };
}

function parseLabels(entries: readonly string[] | undefined): Record<string, string> | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0)
      throw new UsageError(`--label ${entry}: expected KEY=LABEL, e.g. pod=kubernetes_pod_name`);
    // defineProperty keeps a key such as `__proto__` an own key, which the library then rejects.
    Object.defineProperty(labels, entry.slice(0, eq), {
      value: entry.slice(eq + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return labels;
}

function meshOptions(flags: MetricsFlags): MeshOptions {
  const labels = parseLabels(flags.label);
  let success: MeshOptions['success'];
  if (flags.failure !== undefined) {
    const at = flags.failure.indexOf('=~');
    if (at <= 0)
      throw new UsageError(
        `--failure ${flags.failure}: expected LABEL=~REGEX, e.g. response_code=~5..`,
      );
    success = { label: flags.failure.slice(0, at), failure: flags.failure.slice(at + 2) };
  }
  return {
    ...(labels !== undefined && { labels }),
    ...(success !== undefined && { success }),
    ...(flags.consulNamespace !== undefined && { consulNamespace: flags.consulNamespace }),
    ...(flags.consulNamespaceMirroring === true && { consulNamespaceMirroring: true }),
    ...(flags.appmeshMesh !== undefined && { appMeshName: flags.appmeshMesh }),
  };
}

function parseTimeout(text: string): number {
  const parsed = parseGoDuration(text);
  if (!parsed.ok || parsed.value < 1_000_000n || parsed.value > 3_600_000_000_000n) {
    throw new UsageError(`--timeout ${text}: expected a Go duration between 1ms and 1h, e.g. 10s`);
  }
  return Number(parsed.value / 1_000_000n);
}

/**
 * `meshlingo metrics`: SMI TrafficMetrics of a resource (or of every resource of a kind, or of
 * a resource's edges) computed from the Prometheus that holds a mesh's metrics. Prints a table on
 * a terminal and YAML otherwise, unless `-o` says; exit 1 when Prometheus cannot answer.
 */
export function metricsCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('metrics')
    .description('SMI TrafficMetrics of a resource or its edges, computed from Prometheus')
    .argument(
      '<resource>',
      'KIND/NAME (deployments/web, pods/web-0, namespaces/shop) or KIND for all',
    )
    .argument('[name]', 'the name, when not given as KIND/NAME')
    .addOption(
      new Option('--mesh <mesh>', 'the mesh whose metrics Prometheus holds')
        .choices([...MESHES])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--prometheus <url>', 'Prometheus base URL, e.g. http://127.0.0.1:9090')
        .env('PROMETHEUS_URL')
        .makeOptionMandatory(),
    )
    .option('-n, --namespace <name>', 'namespace of the resource', 'default')
    .option('--edges', 'the traffic between the resource and each peer, in both directions')
    .option('-w, --window <duration>', 'look-back window ending at --time (Go duration)', '30s')
    .option('--time <time>', 'end of the window: RFC 3339 or Unix seconds (default: now)')
    .option('--timeout <duration>', 'deadline of each Prometheus query', '10s')
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format (default: table on a terminal, else yaml)',
      ).choices(['table', 'yaml', 'json']),
    )
    .addOption(
      new Option('--api-version <version>', 'metrics.smi-spec.io version to write')
        .choices(['v1alpha1', 'v1alpha2'])
        .default('v1alpha2'),
    )
    .option(
      '--label <key=label...>',
      'use another Prometheus label name, e.g. pod=kubernetes_pod_name',
    )
    .option('--failure <label=~regex>', 'failure rule: responses whose label matches are failures')
    .option('--consul-namespace <name>', 'Consul namespace of the services (default: default)')
    .option('--consul-namespace-mirroring', 'Consul namespaces mirror Kubernetes namespaces')
    .option('--appmesh-mesh <name>', 'App Mesh mesh name in Envoy cluster names (default: any)')
    .addOption(
      new Option('--diagnostics <format>', 'diagnostics format on stderr')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (resource: string, separateName: string | undefined, flags: MetricsFlags) => {
      const target = parseTarget(resource, separateName);
      const options = meshOptions(flags);
      let time: Date | undefined;
      if (flags.time !== undefined) {
        const parsed = parseTime(flags.time);
        if (!parsed.ok) throw new UsageError(`--time ${flags.time}: ${parsed.reason}`);
        time = parsed.value;
      }
      const client = createPrometheusClient({
        url: flags.prometheus,
        timeoutMs: parseTimeout(flags.timeout),
      });
      const result = await fetchTrafficMetrics(
        client,
        {
          mesh: flags.mesh,
          kind: target.kind,
          namespace: flags.namespace,
          ...(target.name !== undefined && { name: target.name }),
          edges: flags.edges === true,
          window: flags.window,
          options,
        },
        { version: flags.apiVersion, ...(time !== undefined && { time }) },
      );
      printDiagnostics(io, result.diagnostics, flags.diagnostics);
      const code = exitCodeFor(result.diagnostics);
      if (result.object !== undefined && code === 0) {
        const format = flags.output ?? (io.isTTY ? 'table' : 'yaml');
        if (format === 'table') io.stdout(renderTrafficMetricsTable(result.object));
        else if (format === 'json') io.stdout(toJson([result.object]));
        else io.stdout(toYaml(result.object));
      }
      setExit(code);
    });
}
