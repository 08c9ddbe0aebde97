import {
  createDiagnostic,
  type Diagnostic,
  type DiagnosticData,
  type SourceLocation,
} from '../diagnostics/diagnostic.js';
import { smiMessages } from '../diagnostics/messages.js';
import type {
  MeshModel,
  ObjectNode,
  Origin,
  RuleNode,
  TrafficSplitNode,
  TrafficTargetNode,
} from '../model/model.js';
import { indexModel, nodeKey, sortModel } from '../model/model.js';
import { objectKey } from './keys.js';
import type { ParseMode } from './repair.js';

function at(
  origin: Origin,
  field = '',
): { location?: SourceLocation; resource: Origin['resource'] } {
  const location = origin.location;
  return {
    resource: origin.resource,
    ...(location !== undefined && {
      location: { ...location, pointer: `${location.pointer ?? ''}${field}` },
    }),
  };
}

/**
 * The rules that span objects (design.md, "Semantics decisions"): every referenced route exists
 * and has no errors, match names exist (strict: error; lenient: warning and the name is ignored,
 * never widening), object names are unique, one TrafficSplit per root Service, and split match
 * groups exist. Objects that break a rule are left out of the returned model.
 */
export function crossValidate(
  model: MeshModel,
  rejected: ReadonlySet<string>,
  mode: ParseMode,
): { model: MeshModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (
    id: keyof typeof smiMessages,
    origin: Origin,
    data: DiagnosticData,
    extra: { effect?: 'narrows-access'; severity?: 'warning'; field?: string } = {},
  ): void => {
    const { field, ...rest } = extra;
    diagnostics.push(
      createDiagnostic('smi', smiMessages, id, { data, ...at(origin, field), ...rest }),
    );
  };

  const unique = <T extends ObjectNode>(kind: string, list: readonly T[]): T[] => {
    const seen = new Set<string>();
    return list.filter((node) => {
      const key = nodeKey(node.namespace, node.name);
      if (seen.has(key)) {
        report(
          'duplicate-object',
          node.origin,
          { kind, namespace: node.namespace, name: node.name },
          { field: '/metadata/name' },
        );
        return false;
      }
      seen.add(key);
      return true;
    });
  };
  const deduped: MeshModel = {
    trafficTargets: unique('TrafficTarget', model.trafficTargets),
    httpRouteGroups: unique('HTTPRouteGroup', model.httpRouteGroups),
    tcpRoutes: unique('TCPRoute', model.tcpRoutes),
    udpRoutes: unique('UDPRoute', model.udpRoutes),
    trafficSplits: unique('TrafficSplit', model.trafficSplits),
    identityBindings: unique('IdentityBinding', model.identityBindings),
  };
  const index = indexModel(deduped);
  const bindings = new Set(deduped.identityBindings.map((b) => nodeKey(b.namespace, b.name)));

  /** Checks a reference; reports and returns false when it cannot be used. */
  const resolvable = (kind: string, namespace: string, name: string, origin: Origin): boolean => {
    if (rejected.has(objectKey(kind, namespace, name))) {
      report('rejected-reference', origin, { kind, name });
      return false;
    }
    const exists =
      kind === 'HTTPRouteGroup'
        ? index.httpRouteGroup(namespace, name) !== undefined
        : kind === 'TCPRoute'
          ? index.tcpRoute(namespace, name) !== undefined
          : kind === 'UDPRoute'
            ? index.udpRoute(namespace, name) !== undefined
            : bindings.has(nodeKey(namespace, name));
    if (!exists) report('missing-route', origin, { kind, name, namespace });
    return exists;
  };

  const trafficTargets: TrafficTargetNode[] = [];
  for (const target of deduped.trafficTargets) {
    let usable = true;
    for (const subject of [target.destination, ...target.sources]) {
      if (
        subject.kind === 'IdentityBinding' &&
        !resolvable('IdentityBinding', subject.namespace, subject.name, subject.origin)
      ) {
        usable = false;
      }
    }
    const rules: RuleNode[] = [];
    for (const rule of target.rules) {
      if (!resolvable(rule.kind, target.namespace, rule.name, rule.origin)) {
        usable = false;
        continue;
      }
      const group =
        rule.kind === 'HTTPRouteGroup'
          ? index.httpRouteGroup(target.namespace, rule.name)
          : undefined;
      if (group === undefined || rule.matches === undefined) {
        rules.push(rule);
        continue;
      }
      const known = rule.matches.filter((match) => group.matches.some((m) => m.name === match));
      for (const match of rule.matches) {
        if (known.includes(match)) continue;
        if (mode === 'strict') {
          report('unknown-match', rule.origin, { group: group.name, match });
          usable = false;
        } else {
          report(
            'unknown-match',
            rule.origin,
            { group: group.name, match },
            { severity: 'warning', effect: 'narrows-access' },
          );
        }
      }
      // An empty list would mean "every match": drop the rule instead, which can only narrow.
      if (known.length > 0) rules.push({ ...rule, matches: known });
    }
    if (!usable) continue;
    // Dropping every HTTP rule would lift the HTTP restriction the TCP rules are AND-ed with;
    // leave the whole TrafficTarget out instead, which only narrows.
    const httpBefore = target.rules.filter((r) => r.kind === 'HTTPRouteGroup').length;
    const httpAfter = rules.filter((r) => r.kind === 'HTTPRouteGroup').length;
    if (rules.length === 0 || (httpBefore > 0 && httpAfter === 0)) {
      report(
        'empty-list',
        target.origin,
        { field: 'spec.rules', kind: 'TrafficTarget' },
        { severity: 'warning', effect: 'narrows-access' },
      );
      continue;
    }
    trafficTargets.push(
      rules.length === target.rules.length && rules.every((r, i) => r === target.rules[i])
        ? target
        : { ...target, rules },
    );
  }

  const trafficSplits: TrafficSplitNode[] = [];
  const roots = new Map<string, TrafficSplitNode>();
  for (const split of deduped.trafficSplits) {
    const rootKey = nodeKey(split.namespace, split.service);
    const first = roots.get(rootKey);
    if (first !== undefined) {
      report(
        'duplicate-split',
        split.origin,
        { first: first.name, second: split.name, service: split.service },
        { field: '/spec/service' },
      );
      continue;
    }
    roots.set(rootKey, split);
    let usable = true;
    for (const match of split.matches ?? []) {
      if (!resolvable('HTTPRouteGroup', split.namespace, match.name, match.origin)) usable = false;
    }
    if (usable) trafficSplits.push(split);
  }
  for (const split of trafficSplits) {
    for (const backend of split.backends) {
      const other = roots.get(nodeKey(split.namespace, backend.service));
      if (other !== undefined && other !== split) {
        report('nested-split', backend.origin, { service: backend.service, other: other.name });
      }
    }
  }
  return { model: sortModel({ ...deduped, trafficTargets, trafficSplits }), diagnostics };
}
