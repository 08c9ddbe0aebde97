import { defineMessages } from '@meshlingo/core';

/** Every diagnostic of the Consul adapter; codes are `consul/<id>`. */
export const consulMessages = defineMessages({
  // Writing Consul (SMI to Consul).
  'namespace-collapsed': {
    severity: 'warning',
    message:
      'Consul identity "{identity}" stands for the ServiceAccounts {sources} and "{destination}" for {destinations}, but the SMI does not grant all of them the same access',
    effect: 'widens-access',
    hint: 'Use Consul Enterprise namespace mirroring (consul.namespaces.mode=mirroring), or give every namespace the same grant.',
    description:
      'Without Enterprise namespaces (or with a single destination namespace) Consul has one flat service namespace: same-named ServiceAccounts of different Kubernetes namespaces are the same identity, and same-named destinations share one ServiceIntentions. When the SMI grants them different access, `widen` gives all of them the union, `narrow` (and `error`) leaves the source out.',
  },
  'port-restriction-dropped': {
    severity: 'warning',
    message:
      'Consul intentions cannot restrict ports; the TrafficTarget allows only ports {ports} of "{destination}"',
    effect: 'widens-access',
    description:
      'Consul intentions apply to the whole destination service. A TCPRoute port list that does not cover every container port of the destination workloads cannot be carried: `widen` allows every port, `narrow` (and `error`) leaves the grant out.',
  },
  'ports-cover-workloads': {
    severity: 'info',
    message:
      'the ports {ports} cover every container port of "{destination}", so the port list restricts nothing',
    effect: 'cosmetic',
    description:
      'The port restriction was dropped without loss: the destination workloads (from the context) expose no TCP port outside the list.',
  },
  'udp-unsupported': {
    severity: 'warning',
    message: 'Consul service mesh carries TCP only; the UDPRoute rule "{route}" cannot be carried',
    effect: 'narrows-access',
    description:
      'Consul proxies do not carry UDP (hashicorp/consul#9037) and intentions never authorize it. The UDP grant is left out (`error` leaves out the whole TrafficTarget). UDP traffic that bypasses the proxies is not governed by Consul at all: restrict it with a NetworkPolicy.',
  },
  'tcp-blocked-by-http': {
    severity: 'warning',
    message:
      '"{destination}" gets protocol {protocol} for L7 features, so the non-HTTP TCP traffic the TrafficTarget allows cannot pass',
    effect: 'narrows-access',
    description:
      'A Consul service has one protocol. L7 intentions, routers and splitters need an HTTP-like one, and then the proxy accepts only HTTP: TCP traffic other SMI rules allow to the same destination is refused.',
  },
  'service-defaults-protocol': {
    severity: 'info',
    message: 'ServiceDefaults "{service}" sets protocol {protocol} (needed by {reasons})',
    description:
      'L7 intentions, ServiceRouters and ServiceSplitters require every service in the chain to have an HTTP-like protocol. Apply ServiceDefaults before the objects that need them and delete them last.',
  },
  'l7-subsumed': {
    severity: 'info',
    message:
      'source "{source}" may open any connection to "{destination}", which includes its HTTP rules; it gets one L4 allow',
    effect: 'cosmetic',
    description:
      'A TCP grant without ports and HTTP grants for the same source and destination union to "everything", one L4 intention.',
  },
  'unresolved-identity': {
    severity: 'warning',
    message:
      'ServiceAccount {namespace}/{name} has no Consul identity: without ACLs the identity is the Kubernetes Service that selects its pods, and the context shows none',
    effect: 'narrows-access',
    description:
      'Without ACLs a pod registers the Kubernetes Service selecting it. Add the Services and workloads to the context (`--context`), or enable ACLs mode (`consul.acls=true`) if the cluster has them.',
  },
  'identity-binding-unsupported': {
    severity: 'warning',
    message:
      'IdentityBinding "{name}" (access v1alpha4 draft) has no Consul identity; it is left out',
    effect: 'narrows-access',
    description:
      'Consul identities are service names; the draft IdentityBinding selects pods by labels or SPIFFE ids.',
  },
  'default-service-account': {
    severity: 'warning',
    message:
      'ServiceAccount {namespace}/default cannot join a Consul mesh with ACLs (the default binding rule excludes it)',
    description:
      'consul-k8s creates its Kubernetes auth binding rule with `serviceaccount.name!=default`: pods running as `default` cannot log in, so they cannot send or receive mesh traffic.',
  },
  'service-name-mismatch': {
    severity: 'warning',
    message:
      'with ACLs the pods of ServiceAccount {namespace}/{name} can only register the Consul service "{name}", but they are selected by the Services {services}',
    description:
      'With ACLs a pod may register only the Consul service named like its ServiceAccount; consul-k8s registers the Kubernetes Service that selects the pod, so a differently named Service fails to register.',
  },
  'default-policy-allow': {
    severity: 'warning',
    message:
      'the cluster default intention policy is allow: services no TrafficTarget names stay reachable',
    effect: 'widens-access',
    hint: 'Set consul.defaultDeny=true to write a "*" to "*" deny intention, or make the cluster default deny.',
    description:
      'SMI access is an allow-list. In a Consul cluster whose default policy is allow (no ACLs, or `default_intention_policy = allow`), destinations without intentions accept everyone unless a `*` to `*` deny intention exists.',
  },
  'default-deny-emitted': {
    severity: 'info',
    message:
      'wrote the cluster-wide "*" to "*" deny intention {namespace}/{name}; merge it with any existing ServiceIntentions for destination "*"',
    description:
      'Consul allows one ServiceIntentions per destination, and `*` is a destination too: the default-deny object is a cluster-wide singleton.',
  },
  'unreferenced-route': {
    severity: 'info',
    message: '{kind} "{name}" is used by no TrafficTarget or TrafficSplit and has no Consul form',
    effect: 'cosmetic',
    description: 'Route objects only mean something through the objects that reference them.',
  },
  'weights-rounded': {
    severity: 'info',
    message:
      'TrafficSplit weights {weights} became the percentages {percentages} (Consul splits in hundredths of a percent)',
    effect: 'cosmetic',
    description:
      'Weights are scaled to percentages with two decimals by the largest-remainder method: never negative, exact sum of 100, each within 0.01 % of its share.',
  },
  'splits-reordered': {
    severity: 'info',
    message:
      'splits of "{service}" are written in the order {order} because the consul-k8s webhook would reject the float32 sum of the SMI order',
    effect: 'cosmetic',
    description:
      'The consul-k8s webhook adds split weights as float32 in list order and requires exactly 100. Split order has no meaning in Consul.',
  },
  'weights-nudged': {
    severity: 'info',
    message:
      'moved {amount} % between the two largest splits of "{service}" so the consul-k8s webhook accepts the weights',
    effect: 'cosmetic',
    description: 'Only when no order of the rounded weights passes the float32 check.',
  },
  'weights-unverified': {
    severity: 'warning',
    message:
      'no order of the split weights of "{service}" passes the consul-k8s float32 check; the webhook may reject the ServiceSplitter',
    description: 'Consul itself accepts the weights; only the consul-k8s webhook check may fail.',
  },
  'duplicate-backend': {
    severity: 'info',
    message: 'backend "{service}" is listed more than once; its weights are added up',
    effect: 'cosmetic',
    description: 'Consul rejects a split target that appears twice.',
  },
  'split-collision': {
    severity: 'error',
    message:
      'the TrafficSplit writes Consul {kind} "{name}", which {other} writes too (Consul names are unique per Consul namespace)',
    effect: 'changes-routing',
    description:
      'Without Enterprise namespaces, same-named Services of different Kubernetes namespaces are one Consul service, which can have one ServiceSplitter and one ServiceRouter.',
  },
  'split-namespace-collapsed': {
    severity: 'warning',
    message:
      'the Services {services} also exist in namespaces {namespaces}: in one flat Consul namespace they are the same services, so the split reaches their pods and applies to their clients too',
    effect: 'changes-routing',
    hint: 'Use Consul Enterprise namespace mirroring (consul.namespaces.mode=mirroring).',
    description:
      'Without Enterprise namespaces, same-named Services of different Kubernetes namespaces register one Consul service whose instances merge; its splitter and router apply to every client.',
  },
  'nested-split': {
    severity: 'warning',
    message:
      'backend "{service}" has a TrafficSplit of its own; Consul follows splitters, so its traffic is split again',
    effect: 'changes-routing',
    description:
      'Consul flattens chains of splitters (weights multiply); SMI routes to the backend Service as such.',
  },
  'root-service-ignore': {
    severity: 'warning',
    message:
      'Service {namespace}/{root} selects the pods of the backends {backends}; consul-k8s needs it labelled consul.hashicorp.com/service-ignore: "true", and clients then need intentions to "{root}" as well',
    description:
      'consul-k8s registers each pod under exactly one Kubernetes Service. With backends written as services the root becomes a virtual service: it must be ignored by consul-k8s, gets the root ClusterIP as a virtual IP (Consul 1.16 and later), and in transparent-proxy mode clients need an allow intention to the root name too.',
  },
  'virtual-ip-unsupported': {
    severity: 'warning',
    message:
      'Consul {consulVersion} does not give the virtual service "{root}" a virtual IP; clients must dial it as an explicit upstream',
    effect: 'changes-routing',
    description:
      'consul-k8s assigns the ClusterIP of a service-ignored root Service to its Consul name from Consul 1.16 on.',
  },
  'root-without-instances': {
    severity: 'warning',
    message:
      'requests to "{root}" that miss the TrafficSplit matches go to the root service, which has no instances once it is ignored by consul-k8s',
    effect: 'changes-routing',
    hint: 'Write the backends as subsets (consul.backends=subsets), or run root pods that no backend Service selects.',
    description:
      'With backends written as services, the root Service must be ignored by consul-k8s, so the traffic a ServiceRouter leaves to the root has nowhere to go.',
  },
  'backend-account-mismatch': {
    severity: 'warning',
    message:
      'with ACLs the pods behind backend "{service}" must run as ServiceAccount "{service}", but they run as {accounts}',
    description:
      'With ACLs a pod can only register the Consul service named like its ServiceAccount; each backend written as a service needs its own ServiceAccount.',
  },
  'backend-service-ignore': {
    severity: 'warning',
    message:
      'backend "{service}" is written as subset "{subset}" of "{root}"; label Service {namespace}/{service} consul.hashicorp.com/service-ignore: "true" so its pods register only as "{root}"',
    description:
      'consul-k8s registers each pod under exactly one Kubernetes Service; with subsets the pods must register as the root service.',
  },
  'subset-meta-required': {
    severity: 'info',
    message:
      'subset "{subset}" selects instances by service metadata: the pods of "{service}" need the annotations {annotations}',
    description:
      'Consul subsets filter on service metadata, which consul-k8s takes from `consul.hashicorp.com/service-meta-<key>` pod annotations.',
  },
  'subset-not-derivable': {
    severity: 'info',
    message: 'backend "{service}" is written as a service: {reason}',
    description:
      'A backend becomes a subset when its Service selects a subset of the root Service pods through extra labels that can be Consul metadata keys.',
  },
  'virtual-service-created': {
    severity: 'info',
    message:
      'the TrafficSplit matches route to the virtual service "{virtual}", whose ServiceSplitter holds the backends',
    description:
      'A ServiceRouter sends matching requests to a service; the split behind the matches gets a service name of its own (no instances, no Kubernetes Service).',
  },

  // Reading Consul (Consul to SMI).
  'invalid-object': {
    severity: 'error',
    message: '{kind} {field} {reason}; the API server or Consul rejects the object',
    description:
      'The object breaks its CRD schema or a Consul config-entry rule, so it never takes effect; it is not read.',
  },
  'duplicate-entry': {
    severity: 'error',
    message:
      '{kind} "{name}" configures Consul service "{service}" again; consul-k8s rejects a second one',
    description:
      'Consul names are unique per Consul namespace (cluster-wide without Enterprise namespaces), and a destination has one ServiceIntentions.',
  },
  'identity-ambiguous': {
    severity: 'warning',
    message:
      'ServiceAccount {account} carries the Consul identities {identities}, which have different access to "{destination}"; it is left out',
    effect: 'narrows-access',
    description:
      "Without ACLs a ServiceAccount's pods register the Services that select them; SMI cannot tell those pods apart.",
  },
  'identity-not-account': {
    severity: 'warning',
    message: 'Consul service "{name}" cannot be a ServiceAccount name ({reason}); it is left out',
    effect: 'narrows-access',
    description:
      'Consul service names may use characters Kubernetes names may not; such a source or destination cannot become an SMI ServiceAccount.',
  },
  'unknown-field': {
    severity: 'warning',
    message: '{kind} field {field} is not in the CRD schema; the API server drops it',
    effect: 'cosmetic',
    description:
      'The API server prunes fields its structural schema does not know, so they never reach Consul.',
  },
  'unsupported-kind': {
    severity: 'warning',
    message: 'Consul kind {kind} has no SMI form and is not read',
    effect: 'changes-routing',
    description:
      'Kinds such as ExportedServices, IngressGateway, TerminatingGateway, JWTProvider or SamenessGroup configure things SMI cannot describe.',
  },
  'wildcard-source': {
    severity: 'warning',
    message:
      'source "{source}" is a wildcard; SMI lists the ServiceAccounts known now ({count}), so services added later lose access',
    effect: 'narrows-access',
    description:
      'SMI has no wildcard: a `*` source is expanded to the identities the input and the context know (`--context`), so identities added later are not covered.',
  },
  'wildcard-destination': {
    severity: 'warning',
    message:
      'destination "{destination}" is a wildcard; SMI lists the ServiceAccounts known now ({count}), so services added later are not covered',
    effect: 'narrows-access',
    description:
      'A `*` destination applies to every service; SMI lists each known destination ServiceAccount instead.',
  },
  'deny-folded': {
    severity: 'info',
    message:
      'deny intention for source "{source}" is expressed by leaving it out of the allow-list',
    effect: 'cosmetic',
    description: 'SMI is an allow-list: a deny intention is expressed by not allowing that source.',
  },
  'default-deny-recognized': {
    severity: 'info',
    message: 'the "*" to "*" deny intention is SMI default deny',
    effect: 'cosmetic',
    description:
      'A `*` to `*` deny intention makes the cluster deny by default, which is what SMI means already.',
  },
  'l7-deny-subtraction': {
    severity: 'warning',
    message:
      'source "{source}": allow permissions after a deny permission allow "all but" something, which SMI cannot express',
    effect: 'narrows-access',
    description:
      'SMI has no deny. Allow permissions that follow a deny are left out (`narrow`, `error`) or kept as if the deny were absent (`widen`).',
  },
  'header-invert': {
    severity: 'warning',
    message:
      'source "{source}": the inverted header condition on "{header}" has no SMI form; the permission is left out',
    effect: 'narrows-access',
    description:
      'SMI header conditions are regexes that must match; an inverted condition (or a missing header) has no SMI form. `narrow` and `error` leave the permission out, `widen` keeps it without the inverted condition.',
  },
  'jwt-dropped': {
    severity: 'warning',
    message: 'a JWT requirement (providers {providers}) has no SMI form',
    effect: 'narrows-access',
    description:
      'SMI cannot require JWTs: `widen` keeps the grants without the requirement, `narrow` (and `error`) leaves out the grants that need a JWT.',
  },
  'remote-source': {
    severity: 'warning',
    message:
      'source "{source}" comes from {field} "{value}", which SMI cannot name; it is left out',
    effect: 'narrows-access',
    description:
      'Sources from cluster peers, other admin partitions and sameness groups are outside the Kubernetes cluster that SMI describes.',
  },
  'namespace-unmapped': {
    severity: 'warning',
    message:
      'Consul namespace "{consulNamespace}" maps to no Kubernetes namespace in namespace mode {mode}; "{name}" is left out',
    effect: 'narrows-access',
    description:
      'Under the configured namespace mode (consul.namespaces) the Consul namespace corresponds to no Kubernetes namespace, so its identities have no ServiceAccount.',
  },
  'namespace-assumed': {
    severity: 'info',
    message:
      'no ServiceAccount of Consul identity "{name}" is in the context; it is read as {namespace}/{name}',
    effect: 'narrows-access',
    hint: 'Pass the ServiceAccounts and workloads with --context so every namespace with that name is listed.',
    description:
      "Without Enterprise namespaces a Consul identity covers every same-named ServiceAccount of every namespace; with none in the context, the one in the object's namespace is assumed.",
  },
  'description-to-annotation': {
    severity: 'info',
    message:
      'the description of source "{source}" is kept as an annotation of TrafficTarget "{target}"',
    effect: 'cosmetic',
    description:
      'Source descriptions are kept in the `consul.meshlingo.io/description` annotation of the TrafficTarget.',
  },
  'l7-requires-http': {
    severity: 'warning',
    message:
      'L7 permissions of source "{source}" need an HTTP-like protocol, but "{destination}" has protocol {protocol}; Consul does not apply them',
    effect: 'narrows-access',
    description:
      'Consul rejects L7 permissions for a destination whose protocol is not HTTP-like; proxies treat them as deny.',
  },
  'default-allow-not-expressible': {
    severity: 'warning',
    message:
      'the source cluster allows by default; SMI is an allow-list, so traffic no intention decides is denied in the SMI',
    effect: 'narrows-access',
    description:
      "When the source cluster's default intention policy is allow (consul.defaultPolicy, or no ACLs), traffic that no intention decides is allowed there but denied by SMI.",
  },
  'subset-unmapped': {
    severity: 'warning',
    message:
      'subset "{subset}" of "{service}" matches no Kubernetes Service in the context; the split to it is left out',
    effect: 'changes-routing',
    description:
      "A subset becomes the Kubernetes Service whose selector is the root Service's plus the subset filter's metadata (or a Service named like the subset); without one in the context it has no SMI backend.",
  },
  'header-modifiers-dropped': {
    severity: 'warning',
    message: 'header changes at {field} have no SMI form',
    effect: 'changes-routing',
    description: 'Request and response header changes of splits and routes have no SMI form.',
  },
  'remote-target': {
    severity: 'warning',
    message: 'the target at {field} is in {what} "{value}", which SMI cannot name; it is left out',
    effect: 'changes-routing',
    description:
      "SMI backends are Services in the split's namespace; targets in other namespaces, partitions, datacenters, peers or sameness groups have no SMI form.",
  },
  'split-flattened': {
    severity: 'info',
    message:
      'split to "{service}" follows its own ServiceSplitter (Consul flattens splitters); the weights are multiplied',
    effect: 'cosmetic',
    description:
      'Consul follows a split to a service that has its own ServiceSplitter; SMI backends are not split again, so the weights are multiplied out.',
  },
  'zero-total-weight': {
    severity: 'error',
    message: 'every split of "{service}" has weight 0',
    description: 'SMI needs at least one backend with a positive weight.',
  },
  'route-dropped': {
    severity: 'warning',
    message: 'route {index} of "{service}" is left out: {reason}',
    effect: 'changes-routing',
    description:
      'SMI matches carry path, methods and header regexes; routes with query parameter or inverted header conditions, or to another partition, are left out.',
  },
  'route-options-dropped': {
    severity: 'warning',
    message: 'route {index} of "{service}": {fields} have no SMI form',
    effect: 'changes-routing',
    description:
      'Rewrites, timeouts, retries and header changes of a route destination have no SMI form; the route is kept without them.',
  },
  'router-destinations-differ': {
    severity: 'warning',
    message:
      'routes of "{service}" go to different destinations; one TrafficSplit per root can only carry those to {kept}',
    effect: 'changes-routing',
    description:
      'SMI allows one TrafficSplit per root Service, with one set of backends for all its matches.',
  },
  'router-default-split': {
    severity: 'warning',
    message:
      'requests to "{service}" that match no route are split by its ServiceSplitter, but SMI sends them to the root Service',
    effect: 'changes-routing',
    description:
      "In Consul a router's unmatched requests go through the root's splitter; in SMI requests that miss a split's matches go to the root Service.",
  },
  'routing-no-effect': {
    severity: 'info',
    message:
      'the routing of "{service}" sends every request to "{service}" itself; there is no TrafficSplit to write',
    effect: 'cosmetic',
    description:
      'Routes and splits that only lead back to the service itself change nothing SMI describes.',
  },
  'resolver-field-ignored': {
    severity: 'warning',
    message: 'ServiceResolver "{service}" field {field} has no SMI form',
    effect: 'changes-routing',
    description:
      'Failover, load balancing, timeouts, locality and health-only subsets have no SMI form.',
  },
  'service-defaults-field-ignored': {
    severity: 'info',
    message: '{kind} "{name}" field {field} has no SMI form',
    effect: 'cosmetic',
    description:
      'ServiceDefaults, ProxyDefaults and Mesh fields other than the protocol have no SMI form; the effect says what leaving each out does.',
  },
  'permissive-mtls': {
    severity: 'warning',
    message:
      '{kind} "{name}" sets mutualTLSMode permissive: intentions are not enforced for plain-text traffic, which the SMI denies',
    effect: 'narrows-access',
    description:
      'With mutualTLSMode permissive a service also accepts plain-text traffic, which intentions do not govern.',
  },
  'smi-annotation-invalid': {
    severity: 'warning',
    message:
      'the consul.meshlingo.io/smi annotation cannot be read ({reason}); names come from the Consul object',
    effect: 'cosmetic',
    description:
      'The annotation must hold the SMI objects meshlingo wrote (a JSON list); anything else is ignored.',
  },
  'smi-annotation-stale': {
    severity: 'info',
    message:
      'the consul.meshlingo.io/smi annotation no longer matches the object; the SMI is read from the object itself',
    effect: 'cosmetic',
    description:
      'The annotation is used only when the SMI it holds translates, without any loss, to exactly the object (and its companions) as they are now.',
  },
});

/** The Consul message catalog's type. */
export type ConsulMessages = typeof consulMessages;
