import { defineMessages } from '@meshlingo/core';

/**
 * Every diagnostic of the gateway-api adapter; codes are `gateway-api/<id>`. Tests assert ids,
 * data and positions, never the prose.
 */
export const gatewayApiMessages = defineMessages({
  // --- emit: SMI to Gateway API --------------------------------------------------------------
  'traffic-target-not-supported': {
    severity: 'error',
    message:
      'TrafficTarget {namespace}/{name} has no Gateway API equivalent (Gateway API defines no authorization); nothing is written for it',
    effect: 'narrows-access',
    hint: 'Compose an authorization target: --to gateway-api,istio or --to gateway-api,linkerd.',
    description:
      'Gateway API v1.6 has no authorization resource (GEP-3779 is not released), so TrafficTargets are not written. Alone, the target reports each TrafficTarget through --on-unrepresentable: `error` (default) fails the run, `narrow` accepts that only the mesh default decides (narrows-access on a default-deny mesh), `widen` accepts it on a default-allow mesh (widens-access). Composed with an authorization target (`--to gateway-api,istio`), that target writes access and this one is not asked.',
  },
  'route-spec-unused': {
    severity: 'info',
    message: '{kind} {namespace}/{name} is used by no TrafficSplit, so nothing is written for it',
    effect: 'cosmetic',
    description:
      'Gateway API routes carry HTTPRouteGroups only as the matches of a TrafficSplit; a route spec nothing uses has no meaning of its own.',
  },
  'root-service-external': {
    severity: 'warning',
    message:
      'root Service {namespace}/{service} is of type {type}; GAMMA routes need a ClusterIP Service parent (GEP-1294)',
    effect: 'changes-routing',
    description:
      'GEP-1294 says headless and ExternalName Services should not be route parents; meshes may ignore the route.',
  },
  'no-routable-port': {
    severity: 'warning',
    message:
      'root Service {namespace}/{service} has no TCP port, so TrafficSplit {name} is not written',
    effect: 'changes-routing',
    description:
      'Routes bind to Service ports; SMI splits of UDP or SCTP traffic have no Gateway API form.',
  },
  'tcp-route-not-served': {
    severity: 'warning',
    message:
      'port {port} of Service {namespace}/{service} carries TCP, but Gateway API {version} ({channel} channel) serves no TCPRoute, so its traffic is not split',
    effect: 'changes-routing',
    hint: 'TCPRoute is v1 in both channels from v1.6, and v1alpha2 in the experimental channel before.',
    description:
      'A TrafficSplit without matches splits TCP traffic too; that needs a TCPRoute, which only some releases and channels serve.',
  },
  'backend-port-missing': {
    severity: 'warning',
    message:
      'backend Service {namespace}/{service} has no port {port}; SMI and Gateway API both send traffic for root port {port} there',
    description:
      'SMI requires every backend to expose the root Service ports; a backendRef to a missing port fails its share of requests.',
  },
  'too-many-backends': {
    severity: 'error',
    message:
      'TrafficSplit {namespace}/{name} has {count} backends; a Gateway API rule holds at most 16',
    description: 'backendRefs has at most 16 entries (CRD maxItems).',
  },
  'too-many-matches': {
    severity: 'error',
    message:
      'TrafficSplit {namespace}/{name} needs {count} route matches; a route holds at most 128 (64 per rule)',
    description:
      'A route has at most 16 rules, 64 matches per rule and 128 in all (CEL); each SMI method becomes one match.',
  },
  'weights-scaled': {
    severity: 'warning',
    message:
      'weights of TrafficSplit {namespace}/{name} exceed 1000000 and are scaled to a total of 1000000',
    effect: 'changes-routing',
    description:
      'backendRef weights are at most 1,000,000; larger SMI weights are scaled with the largest-remainder method, which may move shares by up to one millionth.',
  },
  'match-not-representable': {
    severity: 'error',
    message: 'match {match} of HTTPRouteGroup {group} cannot be written: {reason}',
    effect: 'changes-routing',
    description:
      'A header name outside the HTTP token characters, or a value longer than the CRD allows. With --on-unrepresentable narrow the match is left out (its requests go to the root Service); with widen the condition is left out (the match takes more requests).',
  },
  'regex-path': {
    severity: 'info',
    message:
      '{kind} {namespace}/{name} matches paths with RegularExpression (implementation-specific; RE2 full match assumed) and ends with a `.*` regex fallback rule',
    effect: 'cosmetic',
    description:
      'Gateway API leaves regex dialect and precedence to the implementation. Istio and Linkerd rank every regex below every prefix, so a PathPrefix `/` fallback would shadow the regex rules; a `.*` regex fallback is ranked below every longer regex instead.',
  },
  'grpc-as-http': {
    severity: 'info',
    message:
      'port {port} of Service {namespace}/{service} says gRPC, but match {match} is not a gRPC method match ({reason}); an HTTPRoute is written',
    effect: 'cosmetic',
    description:
      'gRPC is HTTP/2, so an HTTPRoute routes it the same way; a GRPCRoute is only written when every match is a gRPC service or method.',
  },
  'port-protocol-assumed': {
    severity: 'info',
    message: 'port {port} of Service {namespace}/{service} names no protocol; it is routed as HTTP',
    description:
      'Without appProtocol or a protocol name prefix, meshes detect HTTP on the port; an HTTPRoute is written. Set appProtocol: tcp to split opaque TCP with a TCPRoute.',
  },

  // --- ingest: Gateway API to SMI ------------------------------------------------------------
  'unknown-field': {
    severity: 'warning',
    message: '{field} is not a {kind} field meshlingo knows; it is ignored',
    effect: 'changes-routing',
    description:
      'A field outside the Gateway API schema this adapter reads (a newer release or a typo); it is reported rather than dropped silently.',
  },
  'invalid-field': {
    severity: 'error',
    message: '{field} {reason}',
    description: 'A value the Gateway API schema rejects; the part holding it is not converted.',
  },
  'unsupported-version': {
    severity: 'error',
    message: '{kind} {apiVersion} is not supported; use {supported}',
    description:
      'Route kinds are read at v1 and v1beta1 (HTTPRoute), v1 (GRPCRoute), v1 and v1alpha2 (TCPRoute); older alpha versions have other shapes.',
  },
  'kind-not-supported': {
    severity: 'warning',
    message: '{kind} has no SMI equivalent and is not converted',
    effect: 'changes-routing',
    description:
      'Gateways, listeners, TLS and UDP routes and policies describe what SMI cannot (SMI has no UDP splits and no north-south traffic).',
  },
  'kind-ignored': {
    severity: 'info',
    message: '{kind} does not change mesh routing and is not converted',
    effect: 'cosmetic',
    description:
      'ReferenceGrants are not needed by mesh routes (GEP-1294); XMesh only describes the mesh implementation.',
  },
  'parent-not-service': {
    severity: 'warning',
    message:
      'parentRef {kind} {name} is not a Service, so this parent is not converted (SMI has no north-south routes)',
    effect: 'changes-routing',
    description:
      'Only `group: ""`, `kind: Service` parents make a GAMMA route; Gateway parents and ServiceImports have no SMI form.',
  },
  'consumer-route': {
    severity: 'warning',
    message:
      'parentRef to Service {namespace}/{service} makes a consumer route (it applies only to callers in {routeNamespace}); SMI splits apply to every caller, so it is not converted',
    effect: 'changes-routing',
    description:
      'A parentRef to a Service in another namespace makes a consumer route (Extended, MeshConsumerRoute): it only changes the traffic of callers in the route namespace. SMI splits have no caller scope, so the parent is not converted rather than widened to every caller.',
  },
  'no-parent': {
    severity: 'warning',
    message: '{kind} {namespace}/{name} has no Service parentRef, so it routes no mesh traffic',
    effect: 'changes-routing',
    description: 'Without parentRefs a route binds to nothing; there is no split to read.',
  },
  'no-rules': {
    severity: 'warning',
    message: '{kind} {namespace}/{name} has no rule with a backend, so it routes nothing',
    effect: 'changes-routing',
    description: 'A route without rules gets the default rule, which has no backend.',
  },
  'hostnames-not-supported': {
    severity: 'warning',
    message: 'hostnames have no SMI equivalent and are dropped',
    effect: 'changes-routing',
    description:
      'GEP-1294 says meshes should not act on hostnames of mesh routes, but some do; SMI cannot carry them.',
  },
  'filter-not-supported': {
    severity: 'warning',
    message: '{type} filter has no SMI equivalent and is dropped',
    effect: 'changes-routing',
    description:
      'Header modifiers, redirects, rewrites, mirrors, CORS, external auth and extension filters change requests; SMI has none of them.',
  },
  'query-params-not-supported': {
    severity: 'warning',
    message:
      'query parameter matches have no SMI equivalent; the match is read without them and takes more requests',
    effect: 'changes-routing',
    description:
      'SMI matches have no query parameters. The SMI match keeps the path, method and headers, so it takes requests the route would not.',
  },
  'field-not-supported': {
    severity: 'warning',
    message: '{field} has no SMI equivalent and is dropped',
    effect: 'changes-routing',
    description: 'Timeouts, retries, session persistence and default-gateway binding.',
  },
  'backend-not-service': {
    severity: 'warning',
    message: 'backendRef {name} is a {kind}, not a Service; SMI splits only to Services',
    effect: 'changes-routing',
    description:
      'ServiceImports and other backend kinds have no SMI form; the backend and its share are left out.',
  },
  'backend-other-namespace': {
    severity: 'warning',
    message:
      'backendRef {name} is in namespace {namespace}; SMI backends are in the split namespace {splitNamespace}',
    effect: 'changes-routing',
    description:
      'SMI backends are Services of the split namespace; a backend in another namespace is left out.',
  },
  'backend-port-differs': {
    severity: 'warning',
    message:
      'backendRef {name} receives traffic for port {parentPort} on port {port}; SMI sends it to the same port number',
    effect: 'changes-routing',
    description:
      'SMI sends traffic for root port P to port P of each backend. A backendRef on another port is read as if it used P.',
  },
  'rule-backends-differ': {
    severity: 'warning',
    message:
      'rule {rule} sends to other backends than rule {splitRule}; SMI has one backend set per Service, so its matches are dropped',
    effect: 'changes-routing',
    description:
      'SMI has one backend set per Service and sends everything else to the root. The first rule with matches decides the backends; rules with other backends are left out.',
  },
  'root-rule': {
    severity: 'warning',
    message:
      'rule {rule} sends its matches to the parent Service itself; SMI sends requests there only when they miss the split matches',
    effect: 'changes-routing',
    description:
      'Requests that match both this rule and a split rule go where Gateway API precedence says; in SMI they are split.',
  },
  'no-fallback': {
    severity: 'warning',
    message:
      'no rule takes the requests the matches miss (Gateway API answers them with 404); SMI sends them to the root Service',
    effect: 'changes-routing',
    description:
      'Without a catch-all rule Gateway API answers unmatched requests with 404; the SMI split sends them to the root Service instead.',
  },
  'fallback-not-root': {
    severity: 'warning',
    message:
      'the catch-all rule {rule} sends to {backends}; SMI sends requests that miss the matches to the root Service {service}',
    effect: 'changes-routing',
    description:
      'SMI sends requests that miss the split matches to the root Service; a catch-all rule to other backends cannot be carried.',
  },
  'rule-without-backends': {
    severity: 'warning',
    message:
      'rule {rule} has no backend SMI can use (Gateway API answers its requests with an error); it is dropped',
    effect: 'changes-routing',
    description:
      'Rules without a usable backend (redirects, or only non-Service backends) answer requests themselves; SMI cannot say that.',
  },
  'weights-all-zero': {
    severity: 'warning',
    message:
      'every backend of rule {rule} has weight 0; an SMI split needs a positive weight, so none is made',
    effect: 'changes-routing',
    description:
      'A rule whose weights are all 0 sends no traffic anywhere; an SMI split needs a positive weight.',
  },
  'backends-merged': {
    severity: 'info',
    message: 'backend {service} appears more than once in rule {rule}; its weights are added',
    effect: 'cosmetic',
    description:
      'The same Service listed twice in a rule gets the sum of its weights, which is what Gateway API does with the shares.',
  },
  'duplicate-header': {
    severity: 'info',
    message: 'header {name} is matched more than once; Gateway API uses the first, and so does SMI',
    effect: 'cosmetic',
    description:
      'Gateway API uses the first header match of a name; the later ones are left out of the SMI match too, so nothing changes.',
  },
  'invalid-regex': {
    severity: 'warning',
    message: '{field} is not an RE2 regex ({reason}); the match is dropped',
    effect: 'changes-routing',
    description: 'SMI regexes are RE2; a pattern RE2 rejects cannot be carried.',
  },
  'route-conflict': {
    severity: 'info',
    message:
      '{kind} {name} loses to {winnerKind} {winner} on the same Service port (GRPCRoute > HTTPRoute > TCPRoute) and has no effect',
    effect: 'cosmetic',
    description:
      'When routes of different kinds bind the same Service port, only the highest kind applies (GEP-1294); the others have no effect and are left out.',
  },
  'split-conflict': {
    severity: 'warning',
    message:
      '{kind} {name} routes Service {service} differently from {otherKind} {other}; SMI has one split per Service, so only {otherKind} {other} is read',
    effect: 'changes-routing',
    description:
      'Routes that bind one Service but split it differently (other backends, matches or ports) cannot be one SMI TrafficSplit; the first route by kind and name is read.',
  },
  'port-not-covered': {
    severity: 'warning',
    message:
      'the routes of Service {namespace}/{service} leave ports {missing} unrouted; the SMI TrafficSplit applies to every port',
    effect: 'changes-routing',
    description:
      'An SMI TrafficSplit applies to every port of its root Service (HTTP ports only, when it has matches); routes that bind only some ports leave the others to Kubernetes.',
  },
  'ports-unchecked': {
    severity: 'info',
    message:
      'Service {namespace}/{service} is not in the context, so its ports cannot be checked against the routes (the SMI TrafficSplit applies to every port)',
    hint: 'Add the Service to the input or pass it with --context FILE|DIR.',
    description:
      'The root Service is needed to check that the routes bind every port the SMI split covers.',
  },
  'annotation-ignored': {
    severity: 'info',
    message:
      'meshlingo.io/smi-matches no longer describes the rules of this route; names are derived from the route',
    effect: 'cosmetic',
    description:
      'The meshlingo.io/smi-matches annotation is only used while it still produces the route matches; after an edit the matches are read from the route itself.',
  },
  'tcp-extra-rules': {
    severity: 'warning',
    message: 'TCPRoute {namespace}/{name} has {count} rules; only the first is read',
    effect: 'changes-routing',
    description:
      'TCPRoute v1alpha2 allowed several rules without saying how they share connections; only the first rule is read (v1 allows exactly one).',
  },
});

/** The message ids of the gateway-api adapter. */
export type GatewayApiMessageId = keyof typeof gatewayApiMessages;
