import { defineMessages } from './diagnostic.js';

/** Codes `yaml/*`: reading and writing YAML and JSON streams. */
export const yamlMessages = defineMessages({
  syntax: { severity: 'error', message: 'YAML syntax error: {reason}' },
  'duplicate-key': {
    severity: 'error',
    message: 'duplicate key "{key}" in a mapping',
    hint: 'Kubernetes keeps only one of them; remove the duplicate.',
  },
  'too-deep': {
    severity: 'error',
    message: 'the document nests deeper than {max} levels',
  },
  'alias-bomb': {
    severity: 'error',
    message: 'aliases in this document expand to more than {max} nodes',
    hint: 'This looks like an alias bomb ("billion laughs"); the document was not read.',
  },
  'cyclic-alias': {
    severity: 'error',
    message: 'an alias refers to the node that contains it',
  },
  'too-large': {
    severity: 'error',
    message: 'the input is {size} bytes; the limit is {max} bytes',
  },
  'invalid-utf8': {
    severity: 'error',
    message: 'the input is not valid UTF-8 (first bad byte at offset {offset})',
  },
  'unreadable-input': {
    severity: 'error',
    message: 'cannot read {path}: {reason}',
  },
  'no-input-files': {
    severity: 'warning',
    message: 'the directory {path} holds no .yaml, .yml or .json files',
  },
});

/** Codes `smi/*`: SMI schemas, versions, conversions and cross-object rules. */
export const smiMessages = defineMessages({
  'schema-violation': {
    severity: 'error',
    message: '{reason}',
  },
  'unknown-field': {
    severity: 'error',
    message: 'unknown field "{field}" (an API server with the SMI CRDs would drop it)',
  },
  'missing-field': {
    severity: 'error',
    message: 'required field "{field}" is missing',
  },
  'unsupported-version': {
    severity: 'error',
    message: '{apiVersion} {kind} is not an SMI version meshlingo reads',
    hint: 'Supported: {supported}.',
  },
  'legacy-group': {
    severity: 'error',
    message: 'apiVersion {apiVersion} uses the pre-release group {group}',
    hint: '{fix}',
  },
  'experimental-kind': {
    severity: 'error',
    message: '{kind} ({apiVersion}) is a draft SMI kind and needs the experimental option',
    hint: 'Pass --experimental (or { experimental: true }) to read it.',
  },
  'header-map-form': {
    severity: 'error',
    message: 'headers are written as a map; the SMI CRD expects a list of one-key maps',
    hint: 'Write `- {name}: value` items, or run with --lenient to accept the map form.',
  },
  'header-entry-keys': {
    severity: 'error',
    message: 'each headers item must have exactly one key; this one has {count}',
  },
  'duplicate-header': {
    severity: 'error',
    message: 'header "{header}" is matched twice in one match',
  },
  'invalid-header-name': {
    severity: 'error',
    message: '"{header}" is not a valid HTTP header name',
  },
  'string-port': {
    severity: 'error',
    message: 'port "{value}" is a string; ports are integers',
    hint: 'Write the number without quotes, or run with --lenient to convert it.',
  },
  'top-level-matches': {
    severity: 'error',
    message:
      '{apiVersion} HTTPRouteGroup has "matches" at the top level; this version keeps them under spec',
    hint: 'Move matches under spec, or run with --lenient to move them.',
  },
  'removed-destination-port': {
    severity: 'error',
    message: '{apiVersion} TrafficTarget has spec.destination.port, which v1alpha3 removed',
    hint: 'Restrict ports with a TCPRoute rule, or run with --lenient to convert the port into one.',
  },
  'ignored-api-group': {
    severity: 'info',
    message:
      'matches apiGroup "{value}" is ignored; TrafficSplit matches always name HTTPRouteGroups of specs.smi-spec.io',
  },
  repaired: {
    severity: 'warning',
    message: 'repaired: {what}',
  },
  'invalid-regex': {
    severity: 'error',
    message: '"{pattern}" is not a valid RE2 regular expression: {reason}',
  },
  'invalid-name': {
    severity: 'error',
    message: '"{value}" is not a valid {what}: {reason}',
  },
  'invalid-port': {
    severity: 'error',
    message: 'port {value} is outside 1-65535',
  },
  'invalid-weight': {
    severity: 'error',
    message: 'weight {value} is invalid: {reason}',
  },
  'invalid-quantity': {
    severity: 'error',
    message: '"{value}" is not a Kubernetes quantity',
  },
  'weights-scaled': {
    severity: 'info',
    message: 'v1alpha1 quantity weights {from} written as the integers {to} (same ratios)',
  },
  'apex-fqdn': {
    severity: 'info',
    message: 'root Service "{value}" read as the short name {service}',
  },
  'apex-other-namespace': {
    severity: 'error',
    message:
      'root Service "{value}" is in namespace {other}, not in the TrafficSplit namespace {namespace}',
  },
  'identity-binding-schemes': {
    severity: 'error',
    message: 'IdentityBinding {name}: {reason}',
  },
  'rejected-reference': {
    severity: 'error',
    message: '{kind} {name} referenced here has errors, so this object is not translated either',
  },
  'weights-all-zero': {
    severity: 'error',
    message: 'every backend of TrafficSplit {name} has weight 0; at least one must be positive',
  },
  'weights-overflow': {
    severity: 'error',
    message: 'the weights of TrafficSplit {name} add up to more than 4294967295',
  },
  'missing-route': {
    severity: 'error',
    message: '{kind} {name} referenced here does not exist in namespace {namespace}',
  },
  'unknown-match': {
    severity: 'error',
    message: 'HTTPRouteGroup {group} has no match named "{match}"',
  },
  'duplicate-match-name': {
    severity: 'error',
    message: 'match name "{match}" appears twice in HTTPRouteGroup {group}',
  },
  'match-all': {
    severity: 'warning',
    message: 'match "{match}" has no pathRegex, methods or headers, so it matches every request',
  },
  'empty-route-group': {
    severity: 'warning',
    message: 'HTTPRouteGroup {name} has no matches, so rules that use it allow nothing',
  },
  'duplicate-split': {
    severity: 'error',
    message: 'TrafficSplits {first} and {second} both split Service {service}',
  },
  'empty-list': {
    severity: 'error',
    message: '{field} is empty; {kind} needs at least one entry',
  },
  'unsupported-subject-kind': {
    severity: 'error',
    message: 'subject kind {kind} is not supported; use ServiceAccount',
  },
  'namespace-defaulted': {
    severity: 'warning',
    message: '{field} has no namespace; using the TrafficTarget namespace {namespace}',
  },
  'destination-namespace-differs': {
    severity: 'warning',
    message: 'TrafficTarget lives in namespace {namespace} but its destination is in {destination}',
    hint: 'Keep TrafficTargets in the destination namespace; some meshes (OSM) ignore others.',
  },
  'self-backend': {
    severity: 'warning',
    message: 'TrafficSplit {name} lists its root Service {service} as a backend',
  },
  'nested-split': {
    severity: 'warning',
    message: 'backend {service} is itself the root of TrafficSplit {other}; splits are not nested',
  },
  'duplicate-backend': {
    severity: 'error',
    message: 'backend {service} appears twice in TrafficSplit {name}',
  },
  'duplicate-object': {
    severity: 'error',
    message: '{kind} {namespace}/{name} is defined twice',
  },
  'match-kind': {
    severity: 'error',
    message: 'TrafficSplit matches may only reference HTTPRouteGroup, not {kind}',
  },
  'methods-collapsed': {
    severity: 'info',
    message: 'methods {methods} include "*", which already allows every method',
  },
  'duplicate-method': {
    severity: 'info',
    message: 'method {method} is listed more than once',
  },
  'metrics-read-only': {
    severity: 'info',
    message: '{kind} is read-only metrics data; it is validated but not converted',
  },
  'identity-binding-not-portable': {
    severity: 'error',
    message: 'IdentityBinding subject {name} cannot be written at access {version}',
  },
  'down-conversion-loss': {
    severity: 'error',
    message: '{what} cannot be written at {target}',
  },
  'port-to-tcproute': {
    severity: 'info',
    message: 'destination.port {port} of TrafficTarget {name} is written as TCPRoute {route}',
    effect: 'cosmetic',
  },
  'target-dropped': {
    severity: 'warning',
    message: 'TrafficTarget {name} is left out: {reason}',
    effect: 'narrows-access',
  },
  'fan-out': {
    severity: 'info',
    message:
      'TrafficTarget {name} restricts ports {ports}; written as one {target} TrafficTarget per port',
    effect: 'cosmetic',
  },
  'port-conflict': {
    severity: 'error',
    message:
      'destination.port {port} of TrafficTarget {name} excludes every port of TCPRoute {route}',
  },
  'udp-route-left-out': {
    severity: 'warning',
    message: 'UDPRoute {name} cannot be written at specs {version} and is left out',
    effect: 'cosmetic',
  },
});

/** Codes `core/*`: reading manifests, context, options and the pipeline. */
export const coreMessages = defineMessages({
  'not-an-object': {
    severity: 'error',
    message: 'the document is {what}, not a Kubernetes object',
  },
  'forbidden-key': {
    severity: 'error',
    message: 'the key "{key}" is not allowed; it could rewrite object prototypes',
  },
  'invalid-metadata': {
    severity: 'error',
    message: '{field} is {actual}; expected {expected}',
  },
  'missing-type': {
    severity: 'error',
    message: 'the object has no {field}',
  },
  placeholder: {
    severity: 'error',
    message: '"{value}" looks like a placeholder copied from documentation',
    hint: 'Replace it with a real value.',
  },
  'invalid-options': {
    severity: 'error',
    message: 'invalid options for {adapter}: {reason}',
  },
  'unclaimed-native': {
    severity: 'warning',
    message: '{kind} ({apiVersion}) belongs to no loaded adapter and is ignored',
  },
  'missing-context': {
    severity: 'error',
    message: '{what} {name} is not in the context',
    hint: 'Add it to the input or pass it with --context FILE|DIR.',
  },
  'ambiguous-selector': {
    severity: 'error',
    message:
      'no label selector picks exactly the pods of ServiceAccount {namespace}/{name}: {reason}',
    hint: 'Give those pods a label the other workloads in {namespace} do not have.',
  },
  'invalid-context': {
    severity: 'error',
    message: '{kind} {name}: {field} is {actual}; expected {expected}',
  },
  'context-conflict': {
    severity: 'error',
    message: '{kind} {namespace}/{name} is given twice with different content',
  },
  unrepresentable: {
    severity: 'error',
    message: '{what} cannot be expressed in {target}',
  },
  'adapter-error': {
    severity: 'error',
    message: 'adapter {adapter} failed on this input: {reason}',
    hint: 'This is a bug in the adapter; please report it with the input.',
  },
});
