import { defineMessages } from '@meshlingo/core';

/**
 * Every diagnostic of the Istio adapter; codes are `istio/<id>`. Tests assert ids, data and
 * positions, never the prose. `onUnrepresentable` in the data says which mode decided.
 */
export const istioMessages = defineMessages({
  // --- emit: TrafficTarget to AuthorizationPolicy ---------------------------------------------
  'selector-unresolved': {
    severity: 'error',
    message:
      'cannot select the pods of ServiceAccount {namespace}/{serviceAccount} ({reason}): AuthorizationPolicy selects workloads by labels only',
    hint: 'Add the Deployments (or other workloads) of {namespace} to the input or --context; with --on-unrepresentable widen the policy applies to the whole namespace.',
    description:
      'Istio has no destination identity condition: a policy selects pods by labels. The labels come from the workloads running as the ServiceAccount (`no-workloads`: none in the context; `no-common-labels`: they share no label; `selects-others`: every shared label is also on pods of another ServiceAccount). `widen` writes a namespace-wide policy (`widens-access`); `narrow` and `error` leave the TrafficTarget out.',
  },
  'selector-by-convention': {
    severity: 'info',
    message:
      'ServiceAccount {namespace}/{serviceAccount} is selected by the label app={serviceAccount} (selectorStrategy app-label)',
    description:
      'With `selectorStrategy: app-label` the selector is assumed, not derived from workloads; pods labelled differently are not covered.',
  },
  'identity-binding-unsupported': {
    severity: 'error',
    message: 'IdentityBinding {name} cannot be written as an Istio identity',
    description:
      'The experimental access v1alpha4 IdentityBinding subjects are not translated to Istio.',
  },
  'path-not-representable': {
    severity: 'error',
    message:
      'pathRegex "{pathRegex}" has no AuthorizationPolicy form ({reason}: "{branch}"); Istio paths are exact, prefix*, *suffix or {*}/{**} templates',
    hint: '--on-unrepresentable narrow leaves the match out; widen allows "{widened}".',
    description:
      'Reasons: `contains` (`.*x.*`), `unbounded` (a repeat such as `[0-9]+`), `flags` (`(?i)`), `shape` (anything else without a pattern form), `needs-templates` (a `[^/]+` segment on Istio before 1.22), `too-many` (more than 16 alternatives), `wildcard-literal` (a literal `*`, `{` or `}`). `narrow` drops the branch (or the match), `widen` uses the literal prefix before the first regex construct.',
  },
  'header-not-representable': {
    severity: 'error',
    message:
      'header {header}: value "{value}" has no AuthorizationPolicy form ({reason}); conditions match exact, prefix*, *suffix or * (present)',
    hint: '--on-unrepresentable narrow leaves the match out; widen uses "{widened}".',
    description:
      'Header conditions become `when: request.headers[<name>]` values, which have no regex. `narrow` drops the match; `widen` keeps only the literal prefix (or presence).',
  },
  'udp-not-supported': {
    severity: 'error',
    message:
      'UDPRoute {route} (ports {ports}) cannot be enforced: Istio does not proxy UDP, so the mesh neither allows nor denies it',
    hint: 'Use a Kubernetes NetworkPolicy for UDP; --on-unrepresentable narrow or widen writes the rest of the TrafficTarget.',
    description:
      'Istio sidecars do not intercept UDP: UDP traffic is outside every AuthorizationPolicy and stays open to every client.',
  },
  'tcp-port-protocol-unknown': {
    severity: 'error',
    message:
      'port {port} of ServiceAccount {namespace}/{serviceAccount} has no known protocol; HTTP rules and TCP ports cannot be told apart on it',
    hint: 'Name the Service port (http-..., tcp-...) or set appProtocol; narrow treats it as HTTP (plain TCP denied), widen as TCP (any HTTP allowed).',
    description:
      'An ALLOW rule with HTTP fields vanishes on TCP ports (istio/istio#37920), so HTTP matches and TCP ports of one TrafficTarget are written as separate rules chosen by each port protocol (Service port name or appProtocol).',
  },
  'http-matches-skip-tcp-port': {
    severity: 'info',
    message:
      'TrafficTarget {name}: ports {ports} carry plain TCP (Service port protocol), so its HTTP matches do not apply there; any connection from its sources is allowed on them',
    description:
      'Istio decides HTTP or TCP by the declared port protocol: on a TCP port the proxy sees no requests, only connections, which the TrafficTarget admits (its TCPRoute lists the port).',
  },
  'no-usable-rules': {
    severity: 'info',
    message: 'TrafficTarget {name} has no rule Istio can carry; no AuthorizationPolicy is written',
    description:
      'An ALLOW policy without rules would deny everything to the workload; nothing is written instead (see also default deny).',
  },
  'default-allow': {
    severity: 'warning',
    message:
      'Istio allows all traffic to workloads no ALLOW policy selects, where SMI denies it; default deny is off',
    hint: 'Set istio.defaultDeny to namespaces or mesh to keep the SMI allow-list meaning.',
    effect: 'widens-access',
    description:
      'SMI access is an allow-list; Istio is default-allow until an ALLOW policy selects a workload. Written without `defaultDeny`, workloads that are no TrafficTarget destination stay open.',
  },
  'default-deny': {
    severity: 'info',
    message:
      'default deny ({mode}) written for {scope}: ingress gateways, probes without Istio probe rewriting, and metrics scrapers now need a TrafficTarget; UDP stays unmediated',
    description:
      'Allow-nothing policies (`spec: {}`) make every workload in scope deny what no ALLOW policy allows.',
  },
  'weights-percent': {
    severity: 'info',
    message:
      'TrafficSplit {name}: weights {weights} written as percentages {percent} (Istio before 1.15 needs a sum of 100)',
    description:
      'Largest-remainder rounding: never negative, exact sum, each share within 1 % of the SMI share.',
  },
  'weights-scaled': {
    severity: 'warning',
    message: 'TrafficSplit {name}: weights {weights} exceed what Istio accepts; scaled to {scaled}',
    effect: 'changes-routing',
    description:
      'Istio reads a weight as int32 and adds them up as uint32; larger SMI weights are first divided by their greatest common divisor, then scaled to a total of 1,000,000 by largest remainder.',
  },
  'split-no-service-context': {
    severity: 'warning',
    message:
      'TrafficSplit {name}: Service {service} is not in the context, so only its HTTP traffic is split',
    hint: 'Add the Service to the input or --context so its TCP ports get a tcp route too.',
    effect: 'changes-routing',
    description:
      'Without the root Service, its port protocols are unknown, so no `tcp` route is written; TCP traffic to it is then not split.',
  },
  'split-tls-port': {
    severity: 'warning',
    message:
      'TrafficSplit {name}: port {port} of Service {service} carries TLS, which Istio cannot split without SNI hosts',
    effect: 'changes-routing',
    description:
      'Istio routes TLS (`https`, `tls`) ports by SNI host, which SMI does not have; such traffic goes to the root Service unsplit.',
  },
  'split-match-not-representable': {
    severity: 'error',
    message:
      'TrafficSplit {name}: match {match} of {group} tests header {header} twice; a VirtualService match holds one condition per header',
    hint: '--on-unrepresentable narrow leaves the match out; widen keeps the first condition.',
    description:
      'A VirtualService match block maps each header name to one condition; an SMI match with two conditions on one header needs both.',
  },

  'unused-route': {
    severity: 'info',
    message: '{kind} {name} is used by no TrafficTarget or TrafficSplit; nothing is written for it',
    effect: 'cosmetic',
    description:
      'An HTTPRouteGroup, TCPRoute or UDPRoute that no TrafficTarget or TrafficSplit names has no Istio form of its own.',
  },

  // --- ingest: AuthorizationPolicy to TrafficTarget -------------------------------------------
  'policy-action-dropped': {
    severity: 'error',
    message:
      '{action} policy {name} has no SMI form (SMI is allow-only); without it more traffic is allowed',
    hint: '--on-unrepresentable widen accepts the loss.',
    description:
      'DENY and CUSTOM policies take access away; SMI can only grant it, so reading Istio without them widens access.',
  },
  'audit-policy': {
    severity: 'info',
    message: 'AUDIT policy {name} is not translated (it never changes a decision)',
    effect: 'cosmetic',
    description: 'AUDIT policies only log; leaving them out changes no decision.',
  },
  'dry-run-policy': {
    severity: 'info',
    message: 'policy {name} is a dry run (istio.io/dry-run) and does not enforce; not translated',
    effect: 'cosmetic',
    description:
      'A policy annotated `istio.io/dry-run: "true"` is evaluated for logs only; it allows and denies nothing.',
  },
  'default-deny-policy': {
    severity: 'info',
    message:
      'policy {name} allows nothing ({scope}); SMI denies what no TrafficTarget allows, so nothing is written',
    description:
      'An ALLOW policy without rules allows nothing: the workloads it selects deny what no other ALLOW policy allows. SMI denies that already, so there is nothing to write.',
  },
  'target-refs-unsupported': {
    severity: 'error',
    message:
      'policy {name} attaches to {targets} (targetRefs); SMI has no gateway or waypoint attachment',
    hint: '--on-unrepresentable narrow leaves it out (its grants are lost).',
    description:
      'Policies with `targetRefs` attach to gateways and waypoints (ambient mesh), not to sidecar workloads; SMI cannot name those. Leaving the policy out loses what it allows.',
  },
  'selector-matches-nothing': {
    severity: 'error',
    message: 'policy {name}: no workload in the context matches selector {selector}',
    hint: 'Add the workloads of {namespace} to the input or --context.',
    description:
      'SMI names destinations by ServiceAccount, so the selected pods must be found in the context; a policy whose selector picks no known workload cannot be written.',
  },
  'destination-expanded': {
    severity: 'warning',
    message:
      'policy {name} applies to {scope}; written for the ServiceAccounts the context knows there ({accounts})',
    effect: 'narrows-access',
    description:
      'A policy without selector covers every workload of its namespace (or, in the root namespace, of the mesh), including later ones; SMI names destinations one ServiceAccount at a time.',
  },
  'selector-splits-account': {
    severity: 'error',
    message:
      'policy {name}: ServiceAccount {namespace}/{serviceAccount} also runs workloads the selector does not pick ({others}); a TrafficTarget covers them all',
    hint: 'widen keeps the ServiceAccount (more pods get the access); narrow leaves it out.',
    description:
      'A TrafficTarget covers every pod of its destination ServiceAccount; keeping the account (`widen`) also grants access to its pods the selector did not pick.',
  },
  'source-expanded': {
    severity: 'warning',
    message:
      'policy {name}: {what} expanded to the ServiceAccounts the context knows ({accounts}); later ones are not included',
    effect: 'narrows-access',
    description:
      'SMI lists identities; namespace patterns, wildcard principals and "any source" are written as the ServiceAccounts known now.',
  },
  'source-unresolved': {
    severity: 'error',
    message: 'policy {name}: {what} cannot be written as SMI ServiceAccounts ({reason})',
    hint: 'narrow leaves the source out.',
    description:
      'A principal outside the mesh trust domain (and its aliases), a pattern or namespace no known ServiceAccount matches, or "any source" without ServiceAccounts in the context cannot become SMI sources; that grant is left out.',
  },
  'source-field-dropped': {
    severity: 'error',
    message:
      'policy {name}: source field {field} has no SMI form; without it more traffic is allowed',
    hint: '--on-unrepresentable narrow leaves the source out; widen ignores the field.',
    description:
      'notPrincipals, notNamespaces, notServiceAccounts, ipBlocks, remoteIpBlocks (and their not* forms), requestPrincipals (JWT) and trustDomains restrict a source beyond its identity; SMI sources are identities only.',
  },
  'operation-field-dropped': {
    severity: 'error',
    message:
      'policy {name}: operation field {field} has no SMI form; without it more traffic is allowed',
    hint: '--on-unrepresentable narrow leaves the operation out; widen ignores the field.',
    description:
      'hosts, notHosts, notMethods, notPaths and notPorts restrict an operation in ways SMI matches cannot.',
  },
  'method-not-representable': {
    severity: 'error',
    message: '{what}: method "{method}" is not an SMI method name',
    hint: 'narrow leaves it out; widen allows every method.',
    description:
      'SMI methods are a fixed list of names; method patterns (`GE*`) and other methods (`PURGE`) cannot be written.',
  },
  'path-pattern-invalid': {
    severity: 'error',
    message: 'policy {name}: path "{path}" is not a valid Istio path template',
    description:
      'A `{*}`/`{**}` path that breaks the template rules (operators fill whole segments, `{**}` is the last) matches nothing in Istio; it is left out.',
  },
  'condition-dropped': {
    severity: 'error',
    message: 'policy {name}: condition {key} has no SMI form; without it more traffic is allowed',
    hint: '--on-unrepresentable narrow leaves the rule out; widen ignores the condition.',
    description:
      '`when` keys other than `request.headers[...]`, `destination.port` and the source keys (IPs, JWT claims, SNI, ...), and every `notValues`, restrict a rule beyond what SMI can say.',
  },
  'http-port-ambiguous': {
    severity: 'error',
    message:
      'policy {name}: port {port} is in a rule with HTTP fields, but its protocol is {protocol}; SMI would also allow plain TCP there',
    hint: 'Name the Service port or set appProtocol; narrow drops the port, widen keeps it.',
    description:
      "A rule with HTTP fields never allows plain TCP, while SMI allows plain TCP on a TrafficTarget's TCPRoute ports; the port is kept only when it is known to carry HTTP (a TCP port is dropped exactly, as the rule grants nothing there).",
  },
  'workloads-default-allow': {
    severity: 'warning',
    message:
      'no ALLOW policy selects {workloads}: Istio lets all traffic reach them, while SMI denies what no TrafficTarget allows',
    effect: 'narrows-access',
    description:
      'Reading Istio access policies: workloads no ALLOW policy selects are open in Istio; the SMI result grants them nothing.',
  },
  'rule-unusable': {
    severity: 'info',
    message: 'policy {name}: rule {rule} allows nothing SMI can name and is not written',
    description:
      'After what could not be carried, a rule has no sources or no operations left; nothing is written for it.',
  },
  'edited-since-generated': {
    severity: 'info',
    message:
      '{kind} {name} was changed after meshlingo generated it; it is read from its spec, not from its meshlingo.io/smi annotation',
    description:
      'The `meshlingo.io/smi` annotation records the SMI an object was made from and a hash of its spec; when the hash no longer matches, the annotation is ignored.',
  },

  // --- ingest: VirtualService to TrafficSplit -------------------------------------------------
  'host-not-service': {
    severity: 'error',
    message:
      'VirtualService {name}: host {host} is not a Kubernetes Service host (<name> or <name>.<namespace>.svc.{clusterDomain})',
    hint: 'narrow or widen skips the host.',
    effect: 'changes-routing',
    description:
      'TrafficSplit roots are Kubernetes Services; external hosts, wildcards and `name.namespace` forms (which Istio does not resolve) have no SMI form.',
  },
  'gateway-only': {
    severity: 'warning',
    message:
      'VirtualService {name} binds only gateways ({gateways}), not mesh sidecars; it has no SMI form',
    effect: 'changes-routing',
    description:
      'A VirtualService bound only to gateways does not route mesh (sidecar) traffic; SMI describes mesh traffic only.',
  },
  'gateways-dropped': {
    severity: 'warning',
    message:
      'VirtualService {name}: gateway bindings {gateways} are dropped (SMI routes mesh traffic)',
    effect: 'changes-routing',
    description:
      'Gateway bindings beside `mesh` route ingress traffic, which SMI does not describe.',
  },
  'http-field-dropped': {
    severity: 'warning',
    message: 'VirtualService {name}: {field} is dropped (SMI has no {what})',
    effect: 'changes-routing',
    description:
      'Behaviour fields (retries, timeouts, faults, mirrors, rewrites, CORS, header edits, exportTo) have no SMI equivalent.',
  },
  'cosmetic-field-dropped': {
    severity: 'info',
    message: '{kind} {name}: {field} is not carried (no effect on traffic)',
    effect: 'cosmetic',
    description:
      'Route and match names, stat prefixes and unreachable routes do not change where traffic goes.',
  },
  'match-field-dropped': {
    severity: 'error',
    message:
      'VirtualService {name}: match condition {field} has no SMI form; without it the split applies to other requests',
    hint: '--on-unrepresentable narrow leaves the match block out; widen ignores the condition.',
    effect: 'changes-routing',
    description:
      'scheme, authority, queryParams, withoutHeaders, port, sourceLabels, sourceNamespace and gateways narrow a match block; SMI matches test paths, methods and headers only.',
  },
  'route-shape': {
    severity: 'error',
    message:
      'VirtualService {name}: {what}; a TrafficSplit is one matched split plus the root Service',
    hint: '--on-unrepresentable narrow or widen keeps {kept}.',
    effect: 'changes-routing',
    description:
      'A TrafficSplit is one weighted split, optionally for matching requests only, with the rest going to the root Service. Redirects, direct responses, delegation, several matched routes, a default route elsewhere than the root, or none at all (Envoy answers 404) do not fit.',
  },
  'destination-subset': {
    severity: 'error',
    message:
      'VirtualService {name}: destination {host} subset {subset} has no SMI form (TrafficSplit backends are Services)',
    hint: 'Create a Service per version; --on-unrepresentable narrow or widen routes to the whole Service {host}.',
    effect: 'changes-routing',
    description:
      'Subsets are pod label sets of a DestinationRule; SMI backends are Services. `narrow` and `widen` route to the whole host Service instead.',
  },
  'destination-port': {
    severity: 'warning',
    message:
      'VirtualService {name}: destination port {port} is dropped (SMI backends receive traffic on the root Service port)',
    effect: 'changes-routing',
    description:
      "SMI sends a backend the request on the root Service's port; a destination port elsewhere is dropped.",
  },
  'destination-not-service': {
    severity: 'error',
    message:
      'VirtualService {name}: destination {host} is not a Service in namespace {namespace}, where TrafficSplit backends must be',
    hint: 'narrow or widen leaves the destination out.',
    effect: 'changes-routing',
    description:
      "TrafficSplit backends are Services in the split's namespace; other hosts are left out.",
  },
  'tcp-route-dropped': {
    severity: 'error',
    message:
      'VirtualService {name}: tcp route {index} differs from the HTTP split and has no SMI form',
    hint: 'narrow or widen drops it.',
    effect: 'changes-routing',
    description:
      'TCP routes that repeat the HTTP split (what meshlingo writes) are the same TrafficSplit; others (port matches, other destinations) have no SMI form.',
  },
  'tls-route-dropped': {
    severity: 'error',
    message: 'VirtualService {name}: tls routes (SNI routing) have no SMI form',
    hint: 'narrow or widen drops them.',
    effect: 'changes-routing',
    description: 'SNI-based TLS routing has no SMI equivalent.',
  },
  'self-route': {
    severity: 'info',
    message:
      'VirtualService {name} sends all traffic of {host} to itself; no TrafficSplit is needed',
    description:
      'A VirtualService whose only route sends everything to its own host changes no routing decision SMI can describe.',
  },
  'route-group-renamed': {
    severity: 'warning',
    message:
      'HTTPRouteGroup {namespace}/{group} restored from {kind} {name} differs from one restored before; written as {renamed}',
    effect: 'cosmetic',
    description:
      'Two objects restore an HTTPRouteGroup of the same name with different matches (generated by different runs); the later one gets a new name so neither changes meaning.',
  },

  // --- ingest: other kinds --------------------------------------------------------------------
  'destination-rule-dropped': {
    severity: 'warning',
    message: 'DestinationRule {name}: {field} has no SMI form',
    effect: 'changes-routing',
    description:
      'DestinationRule traffic policies (load balancing, connection pools, outlier detection, TLS) have no SMI form; subsets are reported where a route uses them.',
  },
  'peer-authentication-dropped': {
    severity: 'info',
    message:
      'PeerAuthentication {name} (mode {mode}) is not translated; SMI assumes authenticated identities',
    description: 'SMI assumes authenticated workload identities and has no mTLS setting.',
  },
  'kind-not-translated': {
    severity: 'warning',
    message: '{kind} {name} has no SMI form and is not translated',
    description:
      'Istio kinds without an SMI form: Gateway, ServiceEntry, Sidecar, EnvoyFilter, RequestAuthentication, Telemetry, WorkloadEntry and others. The effect says what leaving each out does.',
  },
  'legacy-rbac': {
    severity: 'info',
    message: '{kind} {name} is the rbac.istio.io API that Istio ignores since 1.6; not translated',
    effect: 'cosmetic',
    description:
      'ServiceRole, ServiceRoleBinding and (Cluster)RbacConfig (`rbac.istio.io/v1alpha1`, what smi-adapter-istio wrote) have been ignored by Istio since 1.6 and removed in 1.7.',
  },
});

/** The Istio message catalog's type. */
export type IstioMessages = typeof istioMessages;
