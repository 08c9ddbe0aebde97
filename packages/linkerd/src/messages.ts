import { defineMessages } from '@meshlingo/core';

/**
 * Every diagnostic of the Linkerd adapter; codes are `linkerd/<id>`. Tests assert ids, data and
 * positions, never the prose.
 */
export const linkerdMessages = defineMessages({
  // --- emit: access ---
  'no-workloads': {
    severity: 'error',
    message:
      'no workload in namespace {namespace} runs as ServiceAccount {serviceAccount}: Linkerd selects pods by labels, so the TrafficTarget cannot be written',
    hint: 'Add the Deployments (or other workloads) to the input or pass them with --context.',
    description:
      'Linkerd Servers select pods by labels and ports; the ServiceAccount of a TrafficTarget destination is mapped to the labels its workloads share. Without workloads there is nothing to select.',
  },
  'no-common-labels': {
    severity: 'error',
    message:
      'the workloads of ServiceAccount {namespace}/{serviceAccount} share no pod label, so no Server podSelector selects exactly them',
    hint: 'Give the pods of one ServiceAccount a common label (such as app).',
    description:
      'A Server podSelector needs labels every pod of the destination ServiceAccount has.',
  },
  'selector-too-broad': {
    severity: 'error',
    message:
      'the labels shared by ServiceAccount {namespace}/{serviceAccount} ({selector}) also select {others}, which run as another ServiceAccount',
    hint: 'Give the pods of each ServiceAccount a distinguishing label, or pass --on-unrepresentable widen to authorize those pods too.',
    description:
      'No label selector picks exactly the pods of the destination ServiceAccount. `widen` uses the shared labels anyway and so authorizes the other pods as well.',
  },
  'no-ports': {
    severity: 'error',
    message:
      'the pods of ServiceAccount {namespace}/{serviceAccount} declare no TCP container port, so no Server can carry HTTP rules that apply to every port',
    hint: 'Declare the container ports, or add a TCPRoute rule with the ports.',
    description:
      'A TrafficTarget with only HTTPRouteGroup rules applies to every port; meshlingo writes one Server per declared TCP container port.',
  },
  'identity-binding': {
    severity: 'error',
    message: 'IdentityBinding subjects cannot be expressed in Linkerd policy',
    description:
      'Linkerd authenticates clients by ServiceAccount identity; the experimental IdentityBinding subject has no counterpart. `narrow` leaves the subject out.',
  },
  'udp-unsupported': {
    severity: 'error',
    message:
      'UDPRoute {route}: Linkerd does not proxy UDP, so UDP access can neither be granted nor enforced',
    hint: 'Restrict UDP with a Kubernetes NetworkPolicy; pass --on-unrepresentable narrow to drop the UDP rules.',
    description:
      'UDP traffic bypasses the Linkerd proxy. meshlingo models it as never authorized by Linkerd, so dropping a UDPRoute rule narrows access; real enforcement needs a NetworkPolicy.',
  },
  'non-http-denied': {
    severity: 'warning',
    message:
      'TrafficTarget {target}: non-HTTP connections on port {port} are denied, because its HTTP rules must be authorized per route on a Server that also carries other grants',
    effect: 'narrows-access',
    description:
      'SMI lets a TrafficTarget with TCPRoute and HTTPRouteGroup rules open plain TCP connections on its ports. Linkerd authorizes non-HTTP traffic by Server-level policies only, and those also open every route; when other grants share the Server, meshlingo keeps the HTTP restriction and the non-HTTP connections are denied.',
  },
  'route-overlap': {
    severity: 'warning',
    message:
      'on Server {server}, requests matching both {first} and {second} may be denied to some sources of {targets}: Linkerd picks one route per request and the overlap cannot be written as one match',
    effect: 'narrows-access',
    description:
      'Linkerd authorizes a request on the single route it selects. meshlingo writes the intersection of overlapping matches as a more specific route carrying the union of their sources; when two regular expressions (or two header regexes) overlap, it cannot, and such requests may only be authorized for one of them.',
  },
  'default-allow': {
    severity: 'warning',
    message:
      'ports of namespace {namespace} that no Server covers follow the default inbound policy {policy}, while SMI denies them',
    effect: 'widens-access',
    hint: 'Set linkerd.defaultDeny to namespace (annotation) or cluster (install Linkerd with proxy.defaultInboundPolicy=deny).',
    description:
      'Linkerd allows traffic by default (`all-unauthenticated`); SMI access is an allow-list. Default deny is opt-in with the `defaultDeny` option.',
  },
  'restart-required': {
    severity: 'info',
    message:
      'namespace {namespace} gets config.linkerd.io/default-inbound-policy: deny; the proxy injector applies it to pods created afterwards, so restart its workloads',
    description: 'Linkerd copies the namespace default policy onto pods when it injects them.',
  },
  'probes-need-routes': {
    severity: 'info',
    message:
      'Server {server} gets HTTP routes, so Linkerd stops authorizing kubelet probes on port {port} by itself',
    hint: 'List the probe paths in linkerd.probePaths to get an unauthenticated probe route.',
    description:
      'Once a route is attached to a Server, Linkerd drops its default probe route: probes need a route and an authorization of their own.',
  },
  'probe-route': {
    severity: 'info',
    message:
      'Server {server} gets an unauthenticated probe route for {paths} from the probe networks',
    effect: 'widens-access',
    description:
      'Probe routes let any client in the probe networks send GET requests to the probe paths, which SMI does not allow.',
  },
  'split-no-service': {
    severity: 'error',
    message:
      'the root Service {namespace}/{service} of TrafficSplit {split} is not in the context; Linkerd needs its ports',
    hint: 'Add the Service to the input or pass it with --context.',
    description:
      'An HTTPRoute backendRef to a Service must name a port, so the root Service ports must be known.',
  },
  'split-tcp-unsupported': {
    severity: 'warning',
    message:
      'non-HTTP traffic to {service} port {port} is not split: Linkerd {version} splits TCP connections only from 2.17 (TCPRoute)',
    effect: 'changes-routing',
    description: 'Before Linkerd 2.17, only HTTP requests are split.',
  },
  'split-udp-port': {
    severity: 'warning',
    message: 'UDP port {port} of Service {service} is not split: Linkerd does not proxy UDP',
    effect: 'changes-routing',
    description: 'UDP traffic bypasses the Linkerd proxy.',
  },
  'split-matches-unsupported': {
    severity: 'error',
    message:
      'TrafficSplit {split} has matches, which a ServiceProfile cannot express (dstOverrides split every request)',
    hint: 'Use linkerd.splitStyle=http-route (Linkerd 2.13+).',
    description:
      'ServiceProfile dstOverrides apply to all traffic. `widen` splits every request, `narrow` leaves the split out.',
  },
  'split-style-unsupported': {
    severity: 'warning',
    message:
      'Linkerd {version} has no Service-parent HTTPRoutes (2.13+); TrafficSplits are written as ServiceProfiles',
    description: 'The http-route split style needs Linkerd 2.13 or later.',
  },
  'weights-rescaled': {
    severity: 'warning',
    message:
      'the weights of TrafficSplit {split} exceed 1000000, the HTTPRoute maximum, and were rescaled',
    effect: 'changes-routing',
    description:
      'HTTPRoute backend weights are at most 1,000,000; larger relative weights are scaled with largest-remainder rounding, which may move shares by up to one millionth.',
  },
  'backend-port-missing': {
    severity: 'warning',
    message:
      'backend Service {backend} has no port {port}; Linkerd fails the requests it sends there',
    effect: 'changes-routing',
    description:
      'SMI requires backends to expose the root Service ports; a backendRef to a missing port is invalid in Linkerd.',
  },
  // --- ingest ---
  'unsupported-kind': {
    severity: 'warning',
    message: '{kind} ({apiVersion}) has no SMI counterpart and is not translated',
    description:
      'Kinds such as EgressNetwork, HTTPLocalRateLimitPolicy, GRPCRoute and ExternalWorkload have nothing SMI can express.',
  },
  'unknown-version': {
    severity: 'error',
    message: '{kind} is not served as {apiVersion}; known versions: {versions}',
    description: 'The object names an API version Linkerd never served for its kind.',
  },
  'invalid-object': {
    severity: 'error',
    message: 'invalid {kind}: {reason}',
    description:
      'The object does not have the shape of its CRD and is left out, as Linkerd would reject it.',
  },
  'server-no-pods': {
    severity: 'warning',
    message:
      'Server {server} selects no workload in the context, so its authorizations name no destination ServiceAccount',
    effect: 'narrows-access',
    hint: 'Add the workloads to the input or pass them with --context.',
    description:
      'SMI destinations are ServiceAccounts; the pods a Server selects are mapped to their ServiceAccounts through the workloads in the context.',
  },
  'server-partial-account': {
    severity: 'error',
    message:
      'Server {server} selects only some workloads of ServiceAccount {serviceAccount} (not {others}); an SMI destination is the whole ServiceAccount',
    description:
      '`widen` makes the whole ServiceAccount the destination (authorizing its other pods too); `narrow` leaves that ServiceAccount out.',
  },
  'server-port-unresolved': {
    severity: 'warning',
    message:
      'Server {server} names port {port}, which no selected container declares; its authorizations are left out',
    effect: 'narrows-access',
    description: 'A named Server port resolves through the container ports of the selected pods.',
  },
  'external-workloads': {
    severity: 'warning',
    message: 'Server {server} selects ExternalWorkloads, which SMI cannot name; it is left out',
    effect: 'narrows-access',
    description: 'SMI destinations are Kubernetes ServiceAccounts.',
  },
  'proxy-protocol': {
    severity: 'info',
    message: 'Server {server} sets proxyProtocol {protocol}, which SMI has no field for',
    effect: 'cosmetic',
    description: 'Protocol detection settings do not change who may connect.',
  },
  'access-policy': {
    severity: 'warning',
    message:
      'Server {server} has accessPolicy {policy}, which lets clients in without an authorization; SMI cannot express it',
    effect: 'narrows-access',
    description:
      'SMI sources are listed ServiceAccounts; an access policy other than `deny` admits clients SMI cannot name, so the SMI output allows less.',
  },
  unauthenticated: {
    severity: 'warning',
    message:
      '{kind} {name} admits clients without a mesh identity; SMI sources are identities, so it is left out',
    effect: 'narrows-access',
    description:
      'Authorizations without an identity requirement (unauthenticated, unauthenticatedTLS, networks only) have no SMI form.',
  },
  'identity-wildcard': {
    severity: 'warning',
    message:
      'identity {identity} matches several identities; SMI sources name single ServiceAccounts, so it is left out',
    effect: 'narrows-access',
    description:
      'Wildcard identities (`*`, `*.suffix`) and namespace references cannot be listed as SMI sources.',
  },
  'foreign-identity': {
    severity: 'warning',
    message:
      'identity {identity} is not a ServiceAccount of trust domain {trustDomain} (control plane {controlPlane}); it is left out',
    effect: 'narrows-access',
    hint: 'Set linkerd.trustDomain and linkerd.controlPlaneNamespace to the cluster values.',
    description:
      'Identities of other trust domains, other control planes and SPIFFE IDs have no SMI form.',
  },
  'networks-dropped': {
    severity: 'warning',
    message: 'the network restriction of {kind} {name} is dropped: SMI has no client networks',
    effect: 'widens-access',
    description:
      'NetworkAuthentication CIDRs and ServerAuthorization networks restrict where clients connect from; the SMI TrafficTarget keeps only the identities.',
  },
  'dangling-reference': {
    severity: 'info',
    message:
      '{kind} {name} refers to {target}, which does not exist; Linkerd ignores it and so does the translation',
    effect: 'cosmetic',
    description: 'Linkerd fails closed on references to missing objects.',
  },
  'unsupported-target': {
    severity: 'warning',
    message: '{kind} {name} targets {target}, which SMI cannot express; it is left out',
    effect: 'narrows-access',
    description: 'Authorizations of GRPCRoutes and other targets have no SMI form.',
  },
  'route-authorization-ports': {
    severity: 'error',
    message:
      'route-level authorization {name} applies on port(s) {ports} of ServiceAccount {serviceAccount} only; SMI restricts HTTP rules to ports only together with plain TCP access',
    description:
      'An SMI TrafficTarget with HTTP rules applies to every port unless a TCPRoute rule names ports, which also admits non-HTTP connections there. `widen` writes the TCPRoute form; `narrow` leaves the authorization out.',
  },
  'route-precedence': {
    severity: 'warning',
    message:
      'authorization {name} of HTTPRoute {route}: Linkerd may route some of its requests to HTTPRoute {other}, which does not admit the same clients, while the SMI rule admits them',
    effect: 'widens-access',
    description:
      'Linkerd authorizes a request on the one route it selects. A route-level authorization covers only the requests its route wins; SMI rules cannot subtract the requests other routes win.',
  },
  'query-params': {
    severity: 'warning',
    message: 'queryParams matches are dropped: SMI matches the path only',
    effect: 'widens-access',
    description: 'HTTPRouteGroup matches cannot test query parameters.',
  },
  hostnames: {
    severity: 'warning',
    message:
      'hostnames of HTTPRoute {route} are dropped: SMI cannot match the Host header by hostname',
    effect: 'widens-access',
    description: 'HTTPRoute hostnames restrict which Host a route applies to.',
  },
  filters: {
    severity: 'info',
    message: 'filters of HTTPRoute {route} are dropped: SMI has no request or response filters',
    effect: 'cosmetic',
    description: 'Header modifiers and redirects change requests, not who may send them.',
  },
  'outbound-filters': {
    severity: 'warning',
    message: 'filters of HTTPRoute {route} are dropped: SMI has no request filters',
    effect: 'changes-routing',
    description: 'Redirects and header modifiers on outbound routes change what backends receive.',
  },
  timeouts: {
    severity: 'info',
    message: 'timeouts are dropped: SMI has no timeouts',
    effect: 'cosmetic',
    description: 'HTTPRoute timeouts and timeout annotations have no SMI form.',
  },
  retries: {
    severity: 'info',
    message: 'retry settings are dropped: SMI has no retries',
    effect: 'cosmetic',
    description: 'Retry annotations, ServiceProfile isRetryable and retryBudget have no SMI form.',
  },
  'profile-routes': {
    severity: 'info',
    message:
      'ServiceProfile {profile} routes are dropped: they name routes for metrics, retries and timeouts, not access',
    effect: 'cosmetic',
    description: 'ServiceProfile routes have no effect SMI can carry.',
  },
  'opaque-ports': {
    severity: 'info',
    message: 'opaquePorts are dropped: SMI has no protocol settings',
    effect: 'cosmetic',
    description: 'Opaque port settings change protocol detection, not access or routing.',
  },
  'regex-preference': {
    severity: 'info',
    message:
      'regular expression {pattern} is read as a whole-value match; Linkerd accepts a value only when its first (leftmost-first) match spans it, which may be narrower',
    effect: 'widens-access',
    description:
      'For patterns with alternations or lazy quantifiers, Linkerd can reject values the pattern matches as a whole.',
  },
  'invalid-regex': {
    severity: 'warning',
    message: 'regular expression {pattern} is not valid RE2 ({reason}); the match is left out',
    effect: 'narrows-access',
    description: 'Linkerd rejects routes with invalid regular expressions.',
  },
  'invalid-method': {
    severity: 'warning',
    message: 'method {method} is not one SMI can name; the match is left out',
    effect: 'narrows-access',
    description: 'SMI methods are the HTTP methods of its enum.',
  },
  'route-ignored': {
    severity: 'info',
    message: 'HTTPRoute {route} is ignored: {reason}',
    effect: 'cosmetic',
    description:
      'Linkerd ignores routes on opaque or gRPC Servers and routes of Services that have a ServiceProfile.',
  },
  'default-policy': {
    severity: 'warning',
    message:
      'pods of namespace {namespace} default to inbound policy {policy}, while SMI denies what no TrafficTarget allows',
    effect: 'narrows-access',
    description:
      'Ports without a Server follow the default policy; the SMI output denies them. Set linkerd.defaultDeny when the cluster already denies by default.',
  },
  'parent-port': {
    severity: 'warning',
    message:
      '{kind} {route} applies to port(s) {ports} of Service {service} only; a TrafficSplit applies to every port',
    effect: 'changes-routing',
    description: 'SMI splits all traffic of the root Service.',
  },
  'consumer-route': {
    severity: 'warning',
    message:
      'HTTPRoute {route} in namespace {namespace} applies only to clients of that namespace (consumer route); a TrafficSplit applies to every client',
    effect: 'changes-routing',
    description: 'Linkerd consumer routes (GEP-1426) have no SMI form.',
  },
  'backend-port': {
    severity: 'warning',
    message:
      'backend {backend} uses port {port} instead of the root Service port {rootPort}; SMI backends share the root ports',
    effect: 'changes-routing',
    description: 'SMI backends receive traffic on the root Service port numbers.',
  },
  'backend-dropped': {
    severity: 'warning',
    message: 'backend {backend} is dropped: {reason}',
    effect: 'changes-routing',
    description:
      'SMI backends are Services in the namespace of the split; other kinds and other namespaces cannot be named.',
  },
  'split-rules': {
    severity: 'warning',
    message:
      '{kind} {route} for Service {service} routes matching requests to different backends per rule; a TrafficSplit has one backend list, so only the first is kept',
    effect: 'changes-routing',
    description: 'A TrafficSplit has one list of weighted backends.',
  },
  'unmatched-fail': {
    severity: 'warning',
    message:
      'HTTPRoute {route} has no rule for requests its matches miss, so Linkerd fails them, while SMI sends them to the root Service',
    effect: 'changes-routing',
    description: 'SMI sends requests that miss a split’s matches to the root Service.',
  },
  'split-conflict': {
    severity: 'warning',
    message:
      'Service {service} is split differently by {kind} {name}; a Service has one TrafficSplit, so this one is dropped',
    effect: 'changes-routing',
    description: 'SMI allows one TrafficSplit per root Service.',
  },
  'split-all-zero': {
    severity: 'warning',
    message:
      '{kind} {name} gives every backend weight 0, which Linkerd fails and SMI forbids; it is dropped',
    effect: 'changes-routing',
    description: 'A TrafficSplit needs a backend with a positive weight.',
  },
  'authority-port': {
    severity: 'warning',
    message:
      'dstOverride {authority} names port {port}; SMI backends receive the port of the request',
    effect: 'changes-routing',
    description: 'An explicit port in a dstOverride authority sends traffic to another port.',
  },
  'profile-name': {
    severity: 'warning',
    message:
      'ServiceProfile {profile} is not named <service>.<namespace>.svc.{clusterDomain}; its dstOverrides are dropped',
    effect: 'changes-routing',
    hint: 'Set linkerd.clusterDomain to the cluster domain.',
    description: 'Linkerd finds ServiceProfiles by the fully-qualified name of the Service.',
  },
  'not-restored': {
    severity: 'info',
    message:
      'objects generated by meshlingo were changed since ({reason}); they are read as written, so SMI names are rebuilt from Linkerd names',
    effect: 'cosmetic',
    description:
      'Names and HTTPRouteGroup match lists are restored from the meshlingo.io/smi annotation only while the Linkerd objects are exactly what meshlingo wrote.',
  },
});

/** The message catalog type. */
export type LinkerdMessages = typeof linkerdMessages;
