import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  REPLACES_ANNOTATION,
  safeRecord,
  SOURCE_ANNOTATION,
  formatSourceAnnotation,
} from '../model/metadata.js';
import type { PortRouteNode, RuleNode, TrafficTargetNode } from '../model/model.js';
import { nodeKey } from '../model/model.js';
import { createNameAllocator } from '../model/naming.js';
import { objectKey } from './keys.js';
import type { TrafficTargetDraft } from './to-model.js';

/**
 * Turns the v1alpha1/v1alpha2 `destination.port` into hub TCPRoute rules (design: "access
 * v1alpha1/v1alpha2 destination.port restricts the whole TrafficTarget"). Every TCPRoute rule of
 * the TrafficTarget must end up restricted to the port: a rule whose route already covers exactly
 * that port stays; others are replaced by one new TCPRoute `<name>-port-<P>`, which is also added
 * when there is no TCPRoute rule, so (AND across layers) the HTTP rules are restricted too.
 */
export function resolveLegacyPorts(
  drafts: readonly TrafficTargetDraft[],
  routes: readonly PortRouteNode[],
): {
  trafficTargets: TrafficTargetNode[];
  tcpRoutes: PortRouteNode[];
  diagnostics: Diagnostic[];
  rejected: string[];
} {
  const diagnostics: Diagnostic[] = [];
  const rejected: string[] = [];
  const byKey = new Map(routes.map((r) => [nodeKey(r.namespace, r.name), r]));
  const names = createNameAllocator();
  for (const r of routes) names.reserve('TCPRoute', r.namespace, r.name);
  const added: PortRouteNode[] = [];
  const trafficTargets: TrafficTargetNode[] = [];

  for (const draft of drafts) {
    const { legacyPort, ...target } = draft;
    if (legacyPort === undefined) {
      trafficTargets.push(target);
      continue;
    }
    const { port } = legacyPort;
    const replaced: RuleNode[] = [];
    let conflict = false;
    for (const rule of target.rules) {
      if (rule.kind !== 'TCPRoute') continue;
      const route = byKey.get(nodeKey(target.namespace, rule.name));
      if (route === undefined) continue;
      if (route.ports.length === 1 && route.ports[0] === port) continue;
      if (route.ports.length > 0 && !route.ports.includes(port)) {
        diagnostics.push(
          createDiagnostic('smi', smiMessages, 'port-conflict', {
            data: { port, name: target.name, route: route.name },
            ...(legacyPort.origin.location !== undefined && {
              location: legacyPort.origin.location,
            }),
            resource: target.origin.resource,
          }),
        );
        conflict = true;
      }
      replaced.push(rule);
    }
    if (conflict) {
      rejected.push(objectKey('TrafficTarget', target.namespace, target.name));
      continue;
    }
    const hasTcp = target.rules.some((r) => r.kind === 'TCPRoute');
    if (hasTcp && replaced.length === 0) {
      trafficTargets.push(target);
      continue;
    }
    const name = names.claim('TCPRoute', target.namespace, `${target.name}-port-${port}`);
    const replacedNames = [...new Set(replaced.map((r) => r.name))];
    added.push({
      name,
      namespace: target.namespace,
      labels: safeRecord([[MANAGED_BY_LABEL, MANAGED_BY_VALUE]]),
      annotations: safeRecord([
        [SOURCE_ANNOTATION, formatSourceAnnotation([target.origin.resource])],
        ...(replacedNames.length > 0
          ? [[REPLACES_ANNOTATION, replacedNames.join(',')] as const]
          : []),
      ]),
      origin: legacyPort.origin,
      ports: [port],
    });
    diagnostics.push(
      createDiagnostic('smi', smiMessages, 'port-to-tcproute', {
        data: { port, name: target.name, route: name },
        ...(legacyPort.origin.location !== undefined && { location: legacyPort.origin.location }),
        resource: target.origin.resource,
      }),
    );
    const newRule: RuleNode = { kind: 'TCPRoute', name, origin: legacyPort.origin };
    const rules: RuleNode[] = [];
    let placed = false;
    for (const rule of target.rules) {
      if (replaced.includes(rule)) {
        if (!placed) rules.push(newRule);
        placed = true;
      } else {
        rules.push(rule);
      }
    }
    if (!placed) rules.push(newRule);
    trafficTargets.push({ ...target, rules });
  }
  return { trafficTargets, tcpRoutes: [...routes, ...added], diagnostics, rejected };
}
