import {
  classifyPath,
  HTTP_METHODS,
  nodeKey,
  selectedMatches,
  type HttpMatchNode,
  type MeshModel,
  type ResourceRef,
  type SubjectNode,
  type TrafficTargetNode,
} from '@meshlingo/core';
import type { ListenerProtocol } from '../common/protocol.js';
import type { AppMeshEmitContext, NodePlan, ServicePlan } from './topology.js';

/** Where traffic for a VirtualService can end up: a node, a container port, a listener protocol. */
export interface ReachElement {
  readonly node: NodePlan;
  readonly port: number;
  readonly protocol: ListenerProtocol;
}

/** A VirtualService to write, and everything it can reach. */
export interface VirtualServicePlan {
  readonly service: ServicePlan;
  readonly reach: readonly ReachElement[];
}

/** Backends per source VirtualNode, and the TrafficTargets behind them. */
export interface BackendPlan {
  readonly backends: Map<NodePlan, VirtualServicePlan[]>;
  readonly sources: Map<NodePlan, ResourceRef[]>;
}

/** What the TrafficTargets of one (source, destination) pair admit on one port. */
interface Admission {
  readonly allHttp: boolean;
  readonly someHttp: boolean;
  readonly allTcp: boolean;
}

type Coverage = 'full' | 'partial' | 'none';

const ALL_METHODS = HTTP_METHODS.filter((m) => m !== '*');

function matchesEverything(m: HttpMatchNode): boolean {
  const path =
    m.pathRegex === undefined ||
    ((shape) => shape.kind === 'prefix' && (shape.prefix === '' || shape.prefix === '/'))(
      classifyPath(m.pathRegex),
    );
  const methods =
    m.methods === undefined ||
    m.methods.length === 0 ||
    m.methods.includes('*') ||
    ALL_METHODS.every((x) => m.methods?.includes(x) === true);
  return path && methods && (m.headers ?? []).length === 0;
}

function admission(
  ctx: AppMeshEmitContext,
  targets: readonly TrafficTargetNode[],
  port: number,
): Admission {
  let allHttp = false;
  let someHttp = false;
  let allTcp = false;
  for (const tt of targets) {
    const tcp = tt.rules.filter((r) => r.kind === 'TCPRoute');
    const http = tt.rules.filter((r) => r.kind === 'HTTPRouteGroup');
    const covers = tcp.some((r) => {
      const ports = ctx.index.tcpRoute(tt.namespace, r.name)?.ports;
      return ports !== undefined && (ports.length === 0 || ports.includes(port));
    });
    // SMI: AND across the TCP and HTTP layers, OR within each layer.
    const httpPasses = (tcp.length > 0 || http.length > 0) && (tcp.length === 0 || covers);
    const selected = http.map((r) => {
      const group = ctx.index.httpRouteGroup(tt.namespace, r.name);
      return group === undefined ? [] : selectedMatches(group, r);
    });
    allTcp ||= covers;
    someHttp ||= httpPasses && (http.length === 0 || selected.some((s) => s.length > 0));
    allHttp ||=
      httpPasses && (http.length === 0 || selected.some((s) => s.some(matchesEverything)));
  }
  return { allHttp, someHttp, allTcp };
}

/** How much of what a listener lets through the TrafficTargets allow. */
function coverage(a: Admission, protocol: ListenerProtocol): Coverage {
  if (protocol !== 'tcp') return a.allHttp ? 'full' : a.someHttp ? 'partial' : 'none';
  // A TCP listener passes any bytes, HTTP included.
  if (a.allTcp && a.allHttp) return 'full';
  return a.allTcp || a.someHttp ? 'partial' : 'none';
}

const subjectKey = (s: { namespace: string; name: string }): string => nodeKey(s.namespace, s.name);

/**
 * Decides the backends of every VirtualNode from the TrafficTargets. A backend grants all of a
 * VirtualService: every pod it routes to, on every listener port, every request. A source gets a
 * VirtualService when its TrafficTargets allow all of that; when they allow only part of it, the
 * restriction cannot be written and `onUnrepresentable` decides (`widen` grants, the others leave
 * it out, `error` reports an error). UDPRoute rules cannot be carried at all.
 */
export function planBackends(
  ctx: AppMeshEmitContext,
  model: MeshModel,
  services: readonly VirtualServicePlan[],
  nodesOfAccount: (namespace: string, account: string) => readonly NodePlan[],
): BackendPlan {
  const backends = new Map<NodePlan, VirtualServicePlan[]>();
  const sources = new Map<NodePlan, ResourceRef[]>();
  const targets = model.trafficTargets;
  for (const tt of targets) {
    tt.rules.forEach((rule, i) => {
      if (rule.kind !== 'UDPRoute') return;
      ctx.unrepresentable('udp-not-supported', {
        at: { origin: tt.origin, field: ['spec', 'rules', i] },
        data: { route: `${tt.namespace}/${rule.name}` },
        canWiden: false,
      });
    });
  }
  const accounts = new Map<string, SubjectNode>();
  for (const tt of targets)
    for (const s of tt.sources) if (s.kind === 'ServiceAccount') accounts.set(subjectKey(s), s);
  const pairTargets = (source: string, destination: string): TrafficTargetNode[] =>
    targets.filter(
      (tt) =>
        tt.destination.kind === 'ServiceAccount' &&
        subjectKey(tt.destination) === destination &&
        tt.sources.some((s) => s.kind === 'ServiceAccount' && subjectKey(s) === source),
    );
  const reached = new Set(
    services.flatMap((s) =>
      s.reach.flatMap((r) => r.node.accounts.map((a) => nodeKey(r.node.namespace, a))),
    ),
  );

  for (const [key, subject] of [...accounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const callers = nodesOfAccount(subject.namespace, subject.name);
    if (callers.length === 0) {
      ctx.report('source-not-meshed', { at: { origin: subject.origin }, data: { source: key } });
      continue;
    }
    for (const tt of targets) {
      const destination = subjectKey(tt.destination);
      // UDPRoute rules are reported on their own; only TCP and HTTP need a VirtualService.
      const proxied = tt.rules.some((r) => r.kind !== 'UDPRoute');
      if (!proxied || !tt.sources.some((s) => subjectKey(s) === key) || reached.has(destination))
        continue;
      const hasPods =
        ctx.cluster.workloadsOf(tt.destination.namespace, tt.destination.name).length > 0;
      if (hasPods)
        ctx.report('destination-not-exposed', {
          at: { origin: tt.origin, field: ['spec', 'destination'] },
          data: { source: key, destination },
        });
    }
    for (const vs of services) {
      const elements = vs.reach.flatMap((r) =>
        r.node.accounts.map((a) => {
          const destination = nodeKey(r.node.namespace, a);
          const tts = pairTargets(key, destination);
          return {
            ...r,
            destination,
            tts,
            coverage: coverage(admission(ctx, tts, r.port), r.protocol),
          };
        }),
      );
      if (elements.every((e) => e.coverage === 'none')) continue;
      const granted = elements.find((e) => e.coverage !== 'none');
      const grantedBy = elements.flatMap((e) => e.tts);
      if (!elements.every((e) => e.coverage === 'full')) {
        const origin = grantedBy[0]?.origin ?? subject.origin;
        const service = `${vs.service.info.namespace}/${vs.service.info.name}`;
        const other = elements.find((e) => e.tts.length === 0);
        // Partly allowed HTTP (paths, methods, headers) is a route restriction; the rest (ports
        // allowed or not, HTTP-only on a TCP port) a port restriction.
        const routes = elements.find(
          (e) => e.coverage === 'partial' && !admission(ctx, e.tts, e.port).allHttp,
        );
        const action =
          other !== undefined
            ? ctx.unrepresentable('shared-service', {
                at: { origin, field: ['spec', 'destination'] },
                data: { source: key, service, other: other.destination },
              })
            : routes !== undefined
              ? ctx.unrepresentable('route-restriction', {
                  at: { origin, field: ['spec', 'rules'] },
                  data: {
                    source: key,
                    destination: routes.destination,
                    service,
                    port: routes.port,
                  },
                })
              : ctx.unrepresentable('port-restriction', {
                  at: { origin, field: ['spec', 'rules'] },
                  data: {
                    source: key,
                    destination: granted?.destination ?? '',
                    service,
                    ports: [...new Set(elements.map((e) => e.port))]
                      .sort((a, b) => a - b)
                      .join(','),
                  },
                });
        if (action !== 'widen') continue;
      }
      for (const caller of callers) {
        const list = backends.get(caller) ?? [];
        if (!list.includes(vs)) list.push(vs);
        backends.set(caller, list);
        const refs = sources.get(caller) ?? [];
        for (const tt of grantedBy)
          if (!refs.includes(tt.origin.resource)) refs.push(tt.origin.resource);
        sources.set(caller, refs);
      }
    }
  }
  return { backends, sources };
}

/**
 * Every VirtualNode may call every VirtualService except those that only reach itself (what
 * `accessControl: permissive` asks for, and what routing needs when another target writes access).
 */
export function permissiveBackends(
  nodes: readonly NodePlan[],
  services: readonly VirtualServicePlan[],
): BackendPlan {
  const backends = new Map<NodePlan, VirtualServicePlan[]>();
  for (const node of nodes) {
    const list = services.filter((s) => s.reach.some((r) => r.node !== node));
    if (list.length > 0) backends.set(node, list);
  }
  return { backends, sources: new Map() };
}
