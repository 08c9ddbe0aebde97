/**
 * @meshlingo/core: SMI schemas for every version, the hub model, version conversion, YAML/JSON
 * reading and writing with positions, diagnostics, the cluster context, the SMI reference
 * evaluator, the adapter contract and the conversion pipeline.
 */

export type {
  Diagnostic,
  DiagnosticData,
  DiagnosticInit,
  Effect,
  MessageCatalog,
  MessageSpec,
  ResourceRef,
  Severity,
  SourceLocation,
} from './diagnostics/diagnostic.js';
export {
  createDiagnostic,
  defineMessages,
  hasErrors,
  renderTemplate,
  sortDiagnostics,
} from './diagnostics/diagnostic.js';
export { coreMessages, smiMessages, yamlMessages } from './diagnostics/messages.js';
export type { KrmResult } from './diagnostics/render.js';
export {
  formatLocation,
  pointerToFieldPath,
  renderJson,
  renderText,
  toKrmResults,
} from './diagnostics/render.js';

export type { SourceFile } from './io/source-file.js';
export { positionAt } from './io/source-file.js';
export type { ParsedStream, ReadLimits, YamlDocument } from './io/reader.js';
export { parseYamlStream } from './io/reader.js';
export { formatPointer, locatePointer, parsePointer } from './io/positions.js';
export type { ReadFilesResult } from './io/files.js';
export { decodeSource, findInvalidUtf8, readInputFiles } from './io/files.js';
export { toJson, toYaml, toYamlStream } from './io/writer.js';
export { writeFileAtomic } from './io/output.js';
export type { KubeObject, Manifest } from './io/manifest.js';
export {
  findProtoKeys,
  manifestLocation,
  manifestOrigin,
  manifestRef,
  objectsToManifests,
  toManifests,
} from './io/manifest.js';

export type { Rational } from './quantity.js';
export { formatQuantity, parseQuantity, reduce, scaleToIntegers } from './quantity.js';

export type { HttpMethod, ObjectMeta } from './schemas/common.js';
export { HTTP_METHODS, ObjectMetaSchema } from './schemas/common.js';
export type {
  IdentityBindingV1alpha4,
  TrafficTargetV1alpha1,
  TrafficTargetV1alpha2,
  TrafficTargetV1alpha3,
  TrafficTargetV1alpha4,
} from './schemas/access.js';
export {
  ACCESS_GROUP,
  IdentityBindingV1alpha4Schema,
  TrafficTargetV1alpha1Schema,
  TrafficTargetV1alpha2Schema,
  TrafficTargetV1alpha3Schema,
  TrafficTargetV1alpha4Schema,
} from './schemas/access.js';
export type {
  HTTPRouteGroupV1alpha1,
  HTTPRouteGroupV1alpha2,
  HTTPRouteGroupV1alpha3,
  HTTPRouteGroupV1alpha4,
  HttpMatchManifest,
  TCPRouteV1alpha1,
  TCPRouteV1alpha2,
  TCPRouteV1alpha3,
  TCPRouteV1alpha4,
  UDPRouteV1alpha4,
} from './schemas/specs.js';
export {
  HTTPRouteGroupV1alpha1Schema,
  HTTPRouteGroupV1alpha2Schema,
  HTTPRouteGroupV1alpha3Schema,
  HTTPRouteGroupV1alpha4Schema,
  SPECS_GROUP,
  TCPRouteV1alpha1Schema,
  TCPRouteV1alpha2Schema,
  TCPRouteV1alpha3Schema,
  TCPRouteV1alpha4Schema,
  UDPRouteV1alpha4Schema,
} from './schemas/specs.js';
export type {
  TrafficSplitV1alpha1,
  TrafficSplitV1alpha2,
  TrafficSplitV1alpha3,
  TrafficSplitV1alpha4,
} from './schemas/split.js';
export {
  SPLIT_GROUP,
  TrafficSplitV1alpha1Schema,
  TrafficSplitV1alpha2Schema,
  TrafficSplitV1alpha3Schema,
  TrafficSplitV1alpha4Schema,
} from './schemas/split.js';
export type { TrafficMetricsV1alpha1, TrafficMetricsV1alpha2 } from './schemas/metrics.js';
export {
  METRIC_NAMES,
  METRICS_GROUP,
  ObjectReferenceSchema,
  TrafficMetricsListV1alpha1Schema,
  TrafficMetricsListV1alpha2Schema,
  TrafficMetricsV1alpha1Schema,
  TrafficMetricsV1alpha2Schema,
} from './schemas/metrics.js';
export type { SmiArea, SmiSchemaEntry, SmiVersion, SmiVersions } from './schemas/index.js';
export {
  findSmiSchema,
  HUB_VERSIONS,
  isSmiApiVersion,
  SMI_GROUPS,
  SMI_SCHEMAS,
  SMI_VERSIONS,
} from './schemas/index.js';

export type {
  BackendNode,
  HeaderMatchNode,
  HTTPRouteGroupNode,
  HttpMatchNode,
  IdentityBindingNode,
  MeshModel,
  ModelIndex,
  ObjectNode,
  Origin,
  PortRouteNode,
  RouteKind,
  RuleNode,
  SplitMatchNode,
  SubjectNode,
  TrafficSplitNode,
  TrafficTargetNode,
} from './model/model.js';
export { EMPTY_MODEL, indexModel, nodeKey, sortModel } from './model/model.js';
export {
  copyRecord,
  formatResourceRef,
  formatSourceAnnotation,
  generatedMetadata,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  parseSourceAnnotation,
  PORTS_ANNOTATION,
  REPLACES_ANNOTATION,
  safeRecord,
  SOURCE_ANNOTATION,
  sourceMetadata,
} from './model/metadata.js';
export { largestRemainder } from './model/weights.js';
export type { NameAllocator } from './model/naming.js';
export { createNameAllocator, deriveName } from './model/naming.js';
export {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
  isHttpToken,
  isPlaceholder,
} from './model/validation.js';

export type {
  ClusterContext,
  ContainerPortInfo,
  ContextIndex,
  NamespaceInfo,
  SelectorResult,
  ServiceAccountInfo,
  ServiceInfo,
  ServicePortInfo,
  WorkloadInfo,
  WorkloadKind,
} from './context/context.js';
export {
  EMPTY_CONTEXT,
  indexContext,
  portProtocol,
  resolveTargetPort,
  selectorMatches,
  stableLabels,
  VOLATILE_LABELS,
} from './context/context.js';
export { isContextKind, readContext } from './context/read-context.js';

export type {
  AccessDecision,
  AccessRequest,
  HttpRequestInfo,
  RouteDecision,
  RouteRequest,
  ServiceAccountRef,
} from './evaluator/requests.js';
export { shares } from './evaluator/requests.js';
export {
  authorize,
  matchesHttp,
  route,
  rulesAdmit,
  selectedMatches,
} from './evaluator/evaluator.js';
export {
  checkRe2,
  compileRe2,
  matchesAnywhere,
  matchesFully,
  matchesPathRegex,
} from './evaluator/regex.js';

export type { ParseMode, RepairResult } from './smi/repair.js';
export type { ReadSmiOptions, ReadSmiResult } from './smi/read.js';
export { readSmi, readSmiObjects } from './smi/read.js';
export { crossValidate } from './smi/cross-validate.js';
export type { OnUnrepresentable, WriteSmiOptions } from './smi/write.js';
export { writeSmi } from './smi/write.js';

export type {
  Capability,
  CapabilityLevel,
  CapabilityMatrix,
  FeatureId,
} from './adapter/capabilities.js';
export { FEATURE_IDS, FEATURES } from './adapter/capabilities.js';
export type { PathShape } from './adapter/features.js';
export { classifyPath, featuresUsed, pathRegexFor } from './adapter/features.js';
export { escapeRegexLiteral, literalOfRegex } from './adapter/path-literal.js';
export type {
  Adapter,
  AdapterContext,
  AdapterEvaluator,
  AnyAdapter,
  CoreOptions,
  DiagnosticSink,
  EmitArea,
  EmitContext,
  EvaluationEnv,
  IngestContext,
  NativeKind,
  ReportInit,
  ReportTarget,
  UnrepresentableAction,
  UnrepresentableInit,
} from './adapter/adapter.js';
export { adapterProblems, defineAdapter } from './adapter/adapter.js';
export { createAdapterContext } from './adapter/context.js';

export type { PipelineInput } from './pipeline/load.js';
export { loadManifests } from './pipeline/load.js';
export type {
  ConvertOptions,
  ConvertResult,
  PipelineOptions,
  ReadResult,
} from './pipeline/convert.js';
export {
  convert,
  readInput,
  reportUnclaimed,
  resolvePositions,
  sortObjects,
} from './pipeline/convert.js';
export type { SmiOptions } from './pipeline/smi-adapter.js';
export { smiAdapter, SmiOptionsSchema } from './pipeline/smi-adapter.js';
