import type { Manifest } from '@meshlingo/core';
import type { Cursor, IngestSink } from './cursor.js';
import { fieldName } from './cursor.js';
import { readObject, readPortMapping, readRef, readSelector } from './object.js';
import type { ParsedBackend, ParsedDiscovery, ParsedListener, ParsedNode } from './parsed.js';

function readListeners(spec: Cursor): ParsedListener[] {
  const out: ParsedListener[] = [];
  for (const listener of spec.records('listeners')) {
    listener.onlyKnown([
      'portMapping',
      'healthCheck',
      'outlierDetection',
      'connectionPool',
      'tls',
      'timeout',
    ]);
    // Health checks and outlier detection take endpoints out of load balancing; pools and
    // timeouts fail requests: all change where traffic ends up, none is SMI.
    listener.drop('healthCheck', 'changes-routing');
    listener.drop('outlierDetection', 'changes-routing');
    listener.drop('connectionPool', 'changes-routing');
    listener.drop('timeout', 'changes-routing');
    // A STRICT listener only admits clients with a valid certificate (and, with a SAN list,
    // only some clients): destination-side access control that SMI output cannot keep.
    const mode = listener.record('tls')?.raw('mode');
    listener.drop('tls', mode === 'STRICT' ? 'widens-access' : 'cosmetic', 'warning');
    const mapping = readPortMapping(listener);
    if (mapping !== undefined) out.push(mapping);
  }
  return out;
}

function readDiscovery(spec: Cursor, legacy: boolean): ParsedDiscovery | undefined {
  const discovery = spec.record('serviceDiscovery');
  if (discovery === undefined) return undefined;
  discovery.onlyKnown(legacy ? ['dns', 'cloudMap'] : ['dns', 'awsCloudMap']);
  const dns = discovery.record('dns');
  if (dns !== undefined) {
    const key = legacy ? 'hostName' : 'hostname';
    dns.onlyKnown(legacy ? ['hostName'] : ['hostname', 'responseType', 'ipPreference']);
    dns.drop('responseType', 'cosmetic');
    dns.drop('ipPreference', 'cosmetic');
    const hostname = dns.host(key);
    return hostname === undefined ? undefined : { kind: 'dns', hostname, path: dns.at(key) };
  }
  const cloudMap = discovery.record(legacy ? 'cloudMap' : 'awsCloudMap');
  if (cloudMap === undefined) return undefined;
  cloudMap.onlyKnown(['namespaceName', 'serviceName', 'attributes', 'ipPreference']);
  // Attributes pick which registered instances receive traffic.
  cloudMap.drop('attributes', 'changes-routing');
  cloudMap.drop('ipPreference', 'cosmetic');
  const namespaceName = cloudMap.name('namespaceName');
  const serviceName = cloudMap.name('serviceName');
  return namespaceName === undefined || serviceName === undefined
    ? undefined
    : { kind: 'cloud-map', namespaceName, serviceName, path: cloudMap.path };
}

function readBackends(spec: Cursor, namespace: string): ParsedBackend[] {
  const out: ParsedBackend[] = [];
  for (const backend of spec.records('backends')) {
    backend.onlyKnown(['virtualService', 'backendService']);
    const service = backend.record('virtualService') ?? backend.record('backendService');
    if (service === undefined) continue;
    service.onlyKnown(
      service.path.at(-1) === 'backendService'
        ? ['name', 'clientPolicy']
        : ['virtualServiceRef', 'virtualServiceARN', 'virtualServiceName', 'clientPolicy'],
    );
    service.drop('clientPolicy', 'cosmetic');
    if (service.has('virtualServiceARN')) {
      service.sink.report('arn-reference', service.manifest, service.at('virtualServiceARN'), {
        data: { field: fieldName(service.at('virtualServiceARN')) },
        effect: 'narrows-access',
      });
      continue;
    }
    const ref = service.record('virtualServiceRef');
    if (ref !== undefined) {
      const key = readRef(ref, namespace);
      if (key !== undefined) out.push({ kind: 'ref', ref: key, path: backend.path });
      continue;
    }
    // v1beta1: the VirtualService's AWS name (`virtualServiceName`, or `backendService.name`).
    const key = service.has('virtualServiceName') ? 'virtualServiceName' : 'name';
    const awsName = service.name(key);
    if (awsName !== undefined) out.push({ kind: 'aws-name', awsName, path: backend.path });
  }
  return out;
}

/**
 * Reads a VirtualNode of either version: which pods it stands for, the ports it listens on, the
 * DNS name (or Cloud Map service) through which it is reached, and the VirtualServices it may
 * call. Everything else is reported as dropped, with what dropping it changes.
 */
export function readVirtualNode(
  manifest: Manifest,
  sink: IngestSink,
  defaultNamespace: string,
): ParsedNode | undefined {
  const start = readObject(manifest, sink, defaultNamespace, true);
  if (start === undefined) return undefined;
  const { spec, base } = start;
  spec.onlyKnown(
    base.legacy
      ? ['meshName', 'listeners', 'serviceDiscovery', 'backends', 'backendDefaults', 'logging']
      : [
          'awsName',
          'meshRef',
          'podSelector',
          'listeners',
          'serviceDiscovery',
          'backends',
          'backendGroups',
          'backendDefaults',
          'logging',
        ],
  );
  spec.drop('backendDefaults', 'cosmetic');
  spec.drop('logging', 'cosmetic');
  if (spec.has('backendGroups')) {
    sink.report('backend-groups', manifest, spec.at('backendGroups'), {
      data: { node: `${base.namespace}/${base.name}` },
    });
  }
  const selector = spec.record('podSelector');
  const discovery = readDiscovery(spec, base.legacy);
  return {
    ...base,
    ...(selector !== undefined && { selector: readSelector(selector) }),
    listeners: readListeners(spec),
    ...(discovery !== undefined && { discovery }),
    backends: readBackends(spec, base.namespace),
  };
}
