import { defineMessages } from '@meshlingo/core';

/**
 * Every diagnostic of the App Mesh adapter; codes are `appmesh/<id>`. Tests assert ids, data and
 * positions, never the message text.
 */
export const appMeshMessages = defineMessages({
  // --- emit (SMI to App Mesh) ---
  discontinued: {
    severity: 'warning',
    message:
      'AWS App Mesh is discontinued on 30 September 2026; these objects stop working then (migrate with `meshlingo convert --from appmesh`)',
    description:
      'Reported once on every App Mesh output. AWS ends App Mesh on 30 September 2026; after that date meshes and their resources can no longer be accessed.',
  },
  'namespace-label': {
    severity: 'warning',
    message:
      'namespace {namespace} needs the labels {label}={mesh} and appmesh.k8s.aws/sidecarInjectorWebhook=enabled before these objects are applied',
    hint: 'kubectl label namespace {namespace} {label}={mesh} appmesh.k8s.aws/sidecarInjectorWebhook=enabled',
    description:
      'The App Mesh webhook gives every object the Mesh whose namespaceSelector matches its namespace, and rejects objects in namespaces no Mesh selects. Reported for each namespace with output whose Namespace (in the context) lacks the label, or is not in the context.',
  },
  'client-side-enforcement': {
    severity: 'info',
    message:
      'App Mesh enforces access in the calling pod (VirtualNode backends with egress filter DROP_ALL): callers outside the mesh, UDP and ports excluded from the sidecar are not restricted',
    description:
      'SMI access is enforced at the destination; App Mesh has no server-side policy, only the list of backends each VirtualNode may call. Reported once when TrafficTargets are written.',
  },
  'no-access-grants': {
    severity: 'info',
    message:
      'there is no TrafficTarget, so with egress filter DROP_ALL no VirtualNode may call another (SMI: no TrafficTarget means deny)',
    hint: 'Use --set appmesh.accessControl=permissive to let every workload call every service (routing only).',
    description:
      'SMI denies traffic that no TrafficTarget allows, and so does App Mesh with DROP_ALL and no backends. Routing-only setups usually want `accessControl: permissive`.',
  },
  'permissive-access': {
    severity: 'warning',
    message:
      'accessControl is permissive: every VirtualNode may call every VirtualService, although TrafficTargets restrict access',
    effect: 'widens-access',
    description:
      'With `accessControl: permissive` the TrafficTargets of the input are not translated; every workload gets every service as a backend.',
  },
  'egress-allow-all': {
    severity: 'warning',
    message:
      'egress filter ALLOW_ALL lets every meshed workload reach any destination, so the TrafficTargets do not restrict anything',
    effect: 'widens-access',
    description:
      'Backends only restrict callers when the Mesh drops undeclared egress (DROP_ALL, the default).',
  },
  'route-restriction': {
    severity: 'error',
    message:
      '{source} may make only some requests to {destination} on port {port}, but a backend grants every request to VirtualService {service}',
    description:
      'App Mesh grants a whole VirtualService (every path, method, header and port of it). HTTPRouteGroup matches that restrict a TrafficTarget cannot be carried; `onUnrepresentable` decides: `error` (default) and `narrow` leave the backend out, `widen` writes it.',
  },
  'port-restriction': {
    severity: 'error',
    message:
      '{source} may reach {destination} on some ports only, but a backend grants every port of VirtualService {service} ({ports})',
    description:
      'A backend grants every listener port of the VirtualService. TCPRoute port lists narrower than that cannot be carried; `onUnrepresentable` decides.',
  },
  'shared-service': {
    severity: 'error',
    message:
      'VirtualService {service} also sends traffic to {other}, which {source} may not call; granting it as a backend would allow that',
    description:
      'A Service that selects pods of several ServiceAccounts (or a split over them) is one VirtualService: granting it grants all of its pods.',
  },
  'udp-not-supported': {
    severity: 'error',
    message: 'UDPRoute {route} cannot be carried: App Mesh proxies TCP, HTTP, HTTP/2 and gRPC only',
    description:
      'App Mesh listeners support tcp, http, http2 and grpc. UDP traffic bypasses the sidecar, so App Mesh can neither allow nor restrict it.',
  },
  'udp-port-skipped': {
    severity: 'warning',
    message:
      'port {port}/{protocol} of Service {service} gets no listener: App Mesh proxies TCP only',
    description:
      'UDP and SCTP Service ports get no App Mesh listener; that traffic bypasses the sidecar.',
  },
  'protocol-defaulted': {
    severity: 'info',
    message:
      'port {port} of Service {service} names no protocol (appProtocol or a name prefix); using {protocol}',
    description:
      'Listener protocols come from `appProtocol`, then from the port name prefix (`http-`, `http2-`, `grpc-`, `tcp-`), else from the `defaultProtocol` option.',
  },
  'target-port-unresolved': {
    severity: 'warning',
    message:
      'port {port} of Service {service} targets {targetPort}, which no container of VirtualNode {node} names; the node gets no listener for it',
    effect: 'narrows-access',
    description:
      'A named targetPort is resolved through the container ports of the selected workloads; without a match the node has no listener for it.',
  },
  'protocol-conflict': {
    severity: 'warning',
    message:
      'Services give container port {port} of {workload} the protocols {protocols}; using {protocol}',
    description:
      'A VirtualNode listener has one protocol; Services that disagree about a container port get the first one (by Service name).',
  },
  'port-targetport-mismatch': {
    severity: 'warning',
    message:
      'Service {service} maps port {port} to container port {targetPort}; App Mesh DNS discovery connects to {targetPort} on the Service address, which only works when they are equal',
    description:
      'A VirtualRouter listens on the Service port and targets the container port; with DNS discovery the client Envoy connects to the Service address on the container port (aws/aws-app-mesh-controller-for-k8s#228). Keep port and targetPort equal.',
  },
  'ambiguous-discovery': {
    severity: 'warning',
    message:
      'no Service selects exactly the pods of {workload}; its VirtualNode uses the DNS name of {service}, which also selects other pods',
    effect: 'changes-routing',
    description:
      'A VirtualNode resolves its endpoints through one DNS name. Without a Service selecting exactly its pods, traffic routed to the node may reach other pods.',
  },
  'podselector-overlap': {
    severity: 'error',
    message:
      'the pods of {workload} match the VirtualNode selector of {other} too; the App Mesh webhook rejects pods that match two VirtualNodes',
    description:
      'Each pod must match at most one VirtualNode podSelector in its namespace. Give the workloads distinguishing labels.',
  },
  'workload-unselectable': {
    severity: 'warning',
    message: '{kind} {workload} has no pod labels, so no VirtualNode can select its pods',
    effect: 'narrows-access',
    description: 'VirtualNodes select pods by labels; a workload without pod labels is left out.',
  },
  'source-not-meshed': {
    severity: 'info',
    message:
      'ServiceAccount {source} runs no workload in the context, so no VirtualNode carries its access',
    description:
      'Backends belong to the VirtualNodes of the source workloads; a ServiceAccount without workloads has none (and no pods to call from).',
  },
  'destination-not-exposed': {
    severity: 'warning',
    message:
      'no Service exposes the pods of {destination}, so App Mesh has no VirtualService through which {source} may call them',
    effect: 'narrows-access',
    description:
      'App Mesh callers reach destinations through VirtualServices, which meshlingo makes from Services.',
  },
  'missing-service': {
    severity: 'error',
    message: 'Service {namespace}/{service} is not in the context',
    hint: 'Add the Service to the input or pass it with --context FILE|DIR.',
    description:
      'TrafficSplit roots and backends become VirtualRouters and weighted targets; their ports and pods come from the Service.',
  },
  'backend-not-meshed': {
    severity: 'error',
    message: 'backend Service {service} selects no workload with a VirtualNode',
    description: 'A weighted target is a VirtualNode; a Service without meshed pods has none.',
  },
  'root-without-ports': {
    severity: 'error',
    message: 'root Service {service} has no TCP port, so no VirtualRouter can listen for it',
    description:
      "A VirtualRouter listens on the root Service's TCP ports; a root without any has nothing to route.",
  },
  'backend-multiple-nodes': {
    severity: 'warning',
    message:
      'backend Service {service} selects {count} workloads; its weight is shared equally between their VirtualNodes',
    effect: 'changes-routing',
    description:
      'App Mesh weights VirtualNodes, not Services: a backend selecting several workloads is split evenly between them, whatever their replica counts.',
  },
  'backend-port-mismatch': {
    severity: 'warning',
    message:
      'backend Service {service} has no port {port}, so it gets no traffic on that port of {root}',
    effect: 'changes-routing',
    description: 'Backends are matched to root Service ports by port number.',
  },
  'weights-scaled': {
    severity: 'info',
    message: 'weights {from} written as {to} (App Mesh weights add up to at most 100)',
    effect: 'cosmetic',
    description:
      'App Mesh weights are integers 0-100 adding up to at most 100. Weights are divided by their common divisor, else rounded to 100 with the largest-remainder method (each share within 1%).',
  },
  'weight-precision-loss': {
    severity: 'warning',
    message:
      'weights {from} cannot be written within 0-100 without giving a backend 0; written as {to}',
    effect: 'changes-routing',
    description:
      'A positive weight that rounds to 0 is raised to 1 (taken from the largest), which moves shares by more than 1%.',
  },
  'too-many-targets': {
    severity: 'error',
    message: 'a route of {root} would have {count} weighted targets; App Mesh allows 10',
    description:
      'App Mesh routes take at most 10 weighted targets (CRD maxItems); a split with more backend VirtualNodes, or a Service selecting more than 10 workloads, cannot be written and is left out.',
  },
  'too-many-routes': {
    severity: 'error',
    message:
      'TrafficSplit {split} needs {count} routes on one listener; App Mesh priorities allow 99 matches',
    description:
      'Route priorities 10..999 leave room for 99 matches (and 9 methods each) before the route to the root Service at priority 1000.',
  },
  'match-not-representable': {
    severity: 'error',
    message: 'match {match} cannot be written as an App Mesh route: {reason}',
    description:
      'App Mesh route matches take at most 10 headers with names of at most 50 characters and values or regexes of at most 255.',
  },
  'split-matches-on-grpc': {
    severity: 'warning',
    message:
      'TrafficSplit {split} has HTTP matches, which a gRPC route on port {port} cannot carry; that port sends everything to the root Service',
    effect: 'changes-routing',
    description:
      'gRPC routes match service and method names and metadata, not paths, methods and headers.',
  },

  // --- ingest (App Mesh to SMI) ---
  'unsupported-version': {
    severity: 'warning',
    message:
      '{apiVersion} {kind} is not read (meshlingo reads appmesh.k8s.aws v1beta2 and v1beta1)',
    description:
      'Only appmesh.k8s.aws/v1beta2 and the legacy v1beta1 are read; other versions (v1alpha1) are skipped.',
  },
  'legacy-version': {
    severity: 'info',
    message: '{apiVersion} {kind} is the legacy API (controller up to v0.5); read as v1beta2',
    effect: 'cosmetic',
    description:
      'v1beta1 objects (controller up to v0.5) are converted: meshName, embedded routers, virtualNodeName and AWS-name backends.',
  },
  'invalid-field': {
    severity: 'warning',
    message: '{field} is {actual}; expected {expected}, so it is ignored',
    description:
      'A field that does not have the shape of the App Mesh CRD is left out, with what depends on it.',
  },
  'unknown-field': {
    severity: 'warning',
    message:
      'unknown field {field} (the App Mesh CRDs keep unknown fields, but the controller ignores them)',
    effect: 'cosmetic',
    description:
      'The App Mesh CRDs preserve unknown fields, so a misspelled field is accepted by the API server and silently ignored by the controller.',
  },
  'dropped-field': {
    severity: 'info',
    message: '{field} has no SMI equivalent and is dropped',
    description:
      'Operational settings (health checks, outlier detection, connection pools, timeouts, retries, TLS, logging, Cloud Map attributes, mesh ownership) have no place in SMI. The effect says what dropping them changes.',
  },
  'match-widened': {
    severity: 'warning',
    message: '{field} of route {route} has no SMI equivalent; the SMI match is broader',
    effect: 'changes-routing',
    description:
      'Query parameters, schemes, inverted and range header matches are not expressible in an HTTPRouteGroup.',
  },
  'unsupported-kind': {
    severity: 'warning',
    message: '{kind} {name} has no SMI equivalent (SMI has no ingress) and is dropped',
    effect: 'changes-routing',
    description:
      'VirtualGateway and GatewayRoute route ingress traffic, which SMI does not describe; a BackendGroup alone grants nothing (VirtualNodes using it are reported).',
  },
  'backend-groups': {
    severity: 'warning',
    message:
      'backendGroups of VirtualNode {node} (experimental) are not expanded; the backends they grant are dropped',
    effect: 'narrows-access',
    description:
      'backendGroups (experimental, controller flag enable-backend-groups) name sets of VirtualServices; they are not expanded, so what they grant is not in the SMI output.',
  },
  'arn-reference': {
    severity: 'warning',
    message: '{field} names an object outside this cluster by ARN; it is dropped',
    description: 'ARN references reach App Mesh objects that no Kubernetes object here describes.',
  },
  'service-name-guessed': {
    severity: 'warning',
    message: '{from} "{value}" is not a Service host name of this cluster; using Service {service}',
    description:
      'Service names come from VirtualService awsNames and VirtualNode DNS host names (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<clusterDomain>`); other names (Cloud Map, other domains) fall back to the object name.',
  },
  'reference-not-found': {
    severity: 'warning',
    message: '{kind} {namespace}/{name} referenced here is not in the input',
    description: 'References are resolved among the App Mesh objects of the same input.',
  },
  'identity-unresolved': {
    severity: 'warning',
    message:
      'no workload in the context matches the pods of VirtualNode {namespace}/{node}, so its ServiceAccount is unknown',
    hint: 'Add the Deployments (or other workloads) to the input or pass them with --context.',
    description:
      'SMI access names ServiceAccounts; they come from the workloads whose pods a VirtualNode selects.',
  },
  'router-unused': {
    severity: 'info',
    message:
      'no VirtualService in the input routes through VirtualRouter {router}, so it is not read (its root Service is unknown)',
    effect: 'cosmetic',
    description:
      'A TrafficSplit is made from a VirtualService (its root Service) and its router; give the VirtualServices with their routers.',
  },
  'routes-differ': {
    severity: 'warning',
    message:
      'route {route} of {router} sends traffic to other targets than route {first}; one TrafficSplit has one backend list, so it is dropped',
    effect: 'changes-routing',
    description:
      'Matched routes of one router send traffic to different targets; one SMI TrafficSplit has one backend list, so routes with other targets than the highest-priority one are dropped.',
  },
  'fallback-not-expressible': {
    severity: 'warning',
    message:
      'requests no match of {router} takes go to {targets} in App Mesh; SMI sends them to the root Service {service}',
    effect: 'changes-routing',
    description:
      'SMI sends requests that no match takes to the root Service. A catch-all route to other targets, or no catch-all route at all (App Mesh answers 404), cannot be expressed.',
  },
  'cross-namespace-target': {
    severity: 'warning',
    message:
      "target VirtualNode {node} is reached through a Service outside {namespace}; SMI backends are Services of the split's namespace, so it is dropped",
    effect: 'changes-routing',
    description:
      "TrafficSplit backends are Services in the split's namespace; a target node reached through a Service of another namespace is dropped.",
  },
  'listeners-differ': {
    severity: 'warning',
    message:
      'VirtualRouter {router} routes port {port} differently from port {first}; SMI splits are the same on every port, so port {first} is used',
    effect: 'changes-routing',
    description:
      'SMI splits apply to every port of the root Service; a router whose listeners route differently is read from its first listener that splits.',
  },
  'weights-all-zero': {
    severity: 'warning',
    message: 'every target of route {route} has weight 0, so it is not read as a TrafficSplit',
    effect: 'changes-routing',
    description:
      'A route whose targets all have weight 0 sends nothing anywhere (Envoy rejects it); it is not read.',
  },
  'grpc-route': {
    severity: 'info',
    message: 'gRPC route {route} is read as HTTP matches on the path /{service}/{method}',
    effect: 'cosmetic',
    description:
      'gRPC calls are HTTP/2 requests to /<service>/<method>; a grpcRoute match on service and method is read as that path (exact with a method, a prefix without).',
  },
  'mesh-allows-all': {
    severity: 'warning',
    message:
      'Mesh {mesh} has egress filter ALLOW_ALL: meshed workloads may call anything, but SMI allows only what the backends list',
    effect: 'narrows-access',
    description:
      'With egress ALLOW_ALL, meshed workloads reach any destination, declared or not; the TrafficTargets read from the backends allow only the declared ones.',
  },
  'egress-assumed': {
    severity: 'info',
    message:
      'no Mesh in the input; its egress filter is assumed to be DROP_ALL (the AWS default), so backends are read as access rules',
    description:
      'Without a Mesh in the input the egress filter is unknown; AWS defaults it to DROP_ALL, so backends are read as the complete list of what each workload may call.',
  },
  'access-not-derived': {
    severity: 'info',
    message:
      'no VirtualNode declares backends and no Mesh says how egress is filtered, so no TrafficTarget is written',
    description:
      'No backend and no Mesh: the input says nothing about access, and no TrafficTarget is written.',
  },
  'node-by-name': {
    severity: 'info',
    message:
      'v1beta1 VirtualNode {node} has no podSelector; its pods are taken to be those of the workload of the same name',
    description:
      'v1beta1 VirtualNodes have no podSelector; the controller matched pods through their Deployment name (or pod annotations).',
  },
});

/** Message ids of the App Mesh adapter. */
export type AppMeshMessageId = keyof typeof appMeshMessages;
