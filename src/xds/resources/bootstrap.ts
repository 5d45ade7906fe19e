/**
 * envoy.config.bootstrap.v3.Bootstrap (the ProtoObject form) → the Bootstrap view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/bootstrap/v3/bootstrap.proto
 *
 * Called once at router start by router/bootstrap/load-bootstrap.ts. Static listeners and clusters
 * go through the same decoders as xDS resources. Fields we don't implement (layered_runtime,
 * overload_manager, stats_sinks, tracing, …) are accepted and ignored, as an Envoy without that
 * extension would at worst warn.
 */
import type { ProtoObject } from '../proto-object.js';
import { deepFreeze, fail, joinPath, ok, type ValidationResult } from '../validation.js';
import type { Admin, AdsConfig, Bootstrap, DynamicResources, GrpcService, Node } from './bootstrap.types.js';
import type { Cluster } from './cluster.types.js';
import { decodeCluster } from './cluster.js';
import type { SocketAddress } from './common.types.js';
import { checkStaticClusterReferences } from './bootstrap-references.js';
import {
  bool,
  durationMs,
  fieldPath,
  has,
  inRange,
  isObject,
  list,
  obj,
  str,
  type Errors,
} from './fields.js';
import { decodeListener } from './listener.js';
import type { Listener } from './listener.types.js';

const DEFAULTS = {
  statsFlushIntervalMs: 5000, // Envoy default (bootstrap.proto stats_flush_interval)
  maxStatsFlushIntervalMs: 300_000 - 1, // Envoy: lt 300s
  minStatsFlushIntervalMs: 1, // Envoy: gte 1ms
} as const;

/** The resource decoders the bootstrap delegates to; tests may pass their own. */
export interface BootstrapDecoders {
  readonly decodeListener: (msg: ProtoObject, path: string) => ValidationResult<Listener>;
  readonly decodeCluster: (msg: ProtoObject, path: string) => ValidationResult<Cluster>;
}

const RESOURCE_DECODERS: BootstrapDecoders = { decodeListener, decodeCluster };

/**
 * Decodes a parsed Bootstrap. Returns the deep-frozen view, or every error found (paths are
 * camelCase from the bootstrap root: `staticResources.clusters[1].name`).
 */
export function decodeBootstrap(msg: ProtoObject, decoders: BootstrapDecoders = RESOURCE_DECODERS): ValidationResult<Bootstrap> {
  const errors: Errors = [];
  const node = decodeNode(obj(msg, 'node', '', errors) ?? {}, 'node', errors);
  const adminMsg = obj(msg, 'admin', '', errors);
  const admin = adminMsg === null ? null : decodeAdmin(adminMsg, 'admin', errors);

  const staticMsg = obj(msg, 'static_resources', '', errors) ?? {};
  const staticPath = 'staticResources';
  const staticListeners = decodeAll(staticMsg, 'listeners', staticPath, 'listener', decoders.decodeListener, errors);
  const staticClusters = decodeAll(staticMsg, 'clusters', staticPath, 'cluster', decoders.decodeCluster, errors);
  const staticClusterNames = namesOf(staticMsg, 'clusters');

  const dynamicMsg = obj(msg, 'dynamic_resources', '', errors);
  const dynamicResources = dynamicMsg === null ? null : decodeDynamic(dynamicMsg, 'dynamicResources', staticClusterNames, errors);

  let statsFlushIntervalMs = durationMs(msg, 'stats_flush_interval', '', errors, DEFAULTS.statsFlushIntervalMs);
  if (has(msg, 'stats_flush_interval')) {
    statsFlushIntervalMs = inRange(statsFlushIntervalMs, DEFAULTS.minStatsFlushIntervalMs, DEFAULTS.maxStatsFlushIntervalMs, 'statsFlushInterval', errors);
  }

  const outlierEventLogPath = decodeOutlierEventLogPath(msg, errors);

  // Envoy's validate_clusters: without CDS, every cluster a static route names must exist statically.
  if (dynamicResources === null || !dynamicResources.cdsFromAds) {
    checkStaticClusterReferences(staticMsg, staticPath, staticClusterNames, errors);
  }

  if (errors.length > 0) return fail(errors);
  return ok(deepFreeze({ node, staticListeners, staticClusters, dynamicResources, admin, statsFlushIntervalMs, outlierEventLogPath }));
}

/** cluster_manager.outlier_detection.event_log_path ('' when absent); event_service is refused. */
function decodeOutlierEventLogPath(msg: ProtoObject, errors: Errors): string {
  const cm = obj(msg, 'cluster_manager', '', errors);
  if (cm === null) return '';
  const od = obj(cm, 'outlier_detection', 'clusterManager', errors);
  if (od === null) return '';
  const path = 'clusterManager.outlierDetection';
  if (has(od, 'event_service')) errors.push({ path: fieldPath(path, 'event_service'), message: 'is not supported, use eventLogPath' });
  return str(od, 'event_log_path', path, errors);
}

/** Decodes each element of a repeated resource field, rejecting duplicate names. */
function decodeAll<T>(
  parent: ProtoObject,
  field: string,
  path: string,
  what: string,
  decode: (msg: ProtoObject, path: string) => ValidationResult<T>,
  errors: Errors,
): T[] {
  const out: T[] = [];
  const seen = new Map<string, number>();
  const base = fieldPath(path, field);
  const items = list(parent, field, path, errors);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    const name = typeof item.name === 'string' ? item.name : '';
    const first = seen.get(name);
    if (name !== '' && first !== undefined) {
      errors.push({ path: joinPath(itemPath, 'name'), message: `duplicate ${what} name "${name}" (also ${joinPath(base, first)})` });
    } else {
      seen.set(name, i);
    }
    const result = decode(item, itemPath);
    if (result.ok) out.push(result.value);
    else errors.push(...result.errors);
  }
  return out;
}

function namesOf(parent: ProtoObject, field: string): Set<string> {
  const names = new Set<string>();
  const items = parent[field];
  if (!Array.isArray(items)) return names;
  for (const item of items) if (isObject(item) && typeof item.name === 'string') names.add(item.name);
  return names;
}

function decodeNode(msg: ProtoObject, path: string, errors: Errors): Node {
  const locality = obj(msg, 'locality', path, errors) ?? {};
  const localityPath = fieldPath(path, 'locality');
  const metadata = msg.metadata;
  if (metadata !== undefined && !isObject(metadata)) errors.push({ path: fieldPath(path, 'metadata'), message: 'must be an object' });
  return {
    id: str(msg, 'id', path, errors),
    cluster: str(msg, 'cluster', path, errors),
    locality: {
      region: str(locality, 'region', localityPath, errors),
      zone: str(locality, 'zone', localityPath, errors),
      subZone: str(locality, 'sub_zone', localityPath, errors),
    },
    metadata: isObject(metadata) ? (metadata as Record<string, unknown>) : {},
    userAgentName: str(msg, 'user_agent_name', path, errors),
  };
}

function decodeAdmin(msg: ProtoObject, path: string, errors: Errors): Admin {
  const addressMsg = obj(msg, 'address', path, errors);
  const addressPath = fieldPath(path, 'address');
  let address: SocketAddress = { host: '127.0.0.1', port: 0 };
  if (addressMsg === null) errors.push({ path: addressPath, message: 'is required for the admin server' });
  else address = decodeAddress(addressMsg, addressPath, errors);
  return { address, accessLogPath: str(msg, 'access_log_path', path, errors) };
}

/** envoy.config.core.v3.Address holding a TCP socket_address. */
function decodeAddress(msg: ProtoObject, path: string, errors: Errors): SocketAddress {
  const socket = obj(msg, 'socket_address', path, errors);
  const socketPath = fieldPath(path, 'socket_address');
  if (socket === null) {
    const other = has(msg, 'pipe') ? 'pipe' : has(msg, 'envoy_internal_address') ? 'envoyInternalAddress' : null;
    errors.push({ path: other === null ? socketPath : fieldPath(path, other), message: other === null ? 'is required' : 'only socketAddress is supported' });
    return { host: '', port: 0 };
  }
  if (socket.protocol !== undefined && socket.protocol !== 'TCP') {
    errors.push({ path: fieldPath(socketPath, 'protocol'), message: `only TCP is supported, got ${JSON.stringify(socket.protocol)}` });
  }
  if (has(socket, 'named_port')) errors.push({ path: fieldPath(socketPath, 'named_port'), message: 'is not supported, use portValue' });
  const host = str(socket, 'address', socketPath, errors);
  if (host === '') errors.push({ path: fieldPath(socketPath, 'address'), message: 'is required' });
  const portValue = socket.port_value;
  const port = typeof portValue === 'number' ? inRange(portValue, 0, 65535, fieldPath(socketPath, 'port_value'), errors) : 0;
  return { host, port };
}

function decodeDynamic(msg: ProtoObject, path: string, staticClusters: ReadonlySet<string>, errors: Errors): DynamicResources {
  const adsMsg = obj(msg, 'ads_config', path, errors);
  const adsConfig = adsMsg === null ? null : decodeAdsConfig(adsMsg, fieldPath(path, 'ads_config'), staticClusters, errors);
  const ldsFromAds = decodeAdsSource(msg, 'lds_config', path, errors);
  const cdsFromAds = decodeAdsSource(msg, 'cds_config', path, errors);
  if ((ldsFromAds || cdsFromAds) && adsConfig === null) {
    errors.push({ path: fieldPath(path, 'ads_config'), message: 'is required when ldsConfig or cdsConfig use ads' });
  }
  return { adsConfig, ldsFromAds, cdsFromAds };
}

/** lds_config / cds_config: absent, or a ConfigSource with `ads: {}` (and resource_api_version V3). */
function decodeAdsSource(msg: ProtoObject, field: string, path: string, errors: Errors): boolean {
  const source = obj(msg, field, path, errors);
  if (source === null) return false;
  const sourcePath = fieldPath(path, field);
  const version = source.resource_api_version;
  if (version !== undefined && version !== 'V3') {
    errors.push({ path: fieldPath(sourcePath, 'resource_api_version'), message: `must be V3, got ${JSON.stringify(version)}` });
  }
  if (!isObject(source.ads)) {
    errors.push({ path: sourcePath, message: 'must be "ads: {}" (only ADS config sources are supported)' });
    return false;
  }
  return true;
}

function decodeAdsConfig(msg: ProtoObject, path: string, staticClusters: ReadonlySet<string>, errors: Errors): AdsConfig {
  const apiTypePath = fieldPath(path, 'api_type');
  const apiType = msg.api_type;
  if (apiType !== 'GRPC' && apiType !== 'DELTA_GRPC') {
    errors.push({ path: apiTypePath, message: `must be one of GRPC, DELTA_GRPC, got ${JSON.stringify(apiType ?? null)}` });
  }
  const transport = msg.transport_api_version;
  if (transport !== undefined && transport !== 'V3') {
    errors.push({ path: fieldPath(path, 'transport_api_version'), message: `must be V3, got ${JSON.stringify(transport)}` });
  }
  const grpcServices: GrpcService[] = [];
  const servicesPath = fieldPath(path, 'grpc_services');
  const items = list(msg, 'grpc_services', path, errors);
  if (items.length === 0) errors.push({ path: servicesPath, message: 'must name at least one gRPC service' });
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(servicesPath, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    const service = decodeGrpcService(item, itemPath, staticClusters, errors);
    if (service !== null) grpcServices.push(service);
  }
  return {
    apiType: apiType === 'DELTA_GRPC' ? 'DELTA_GRPC' : 'GRPC',
    grpcServices,
    setNodeOnFirstMessageOnly: bool(msg, 'set_node_on_first_message_only', path, errors),
  };
}

function decodeGrpcService(msg: ProtoObject, path: string, staticClusters: ReadonlySet<string>, errors: Errors): GrpcService | null {
  const envoyGrpc = obj(msg, 'envoy_grpc', path, errors);
  if (envoyGrpc !== null) {
    const envoyPath = fieldPath(path, 'envoy_grpc');
    const clusterName = str(envoyGrpc, 'cluster_name', envoyPath, errors);
    const namePath = fieldPath(envoyPath, 'cluster_name');
    if (clusterName === '') errors.push({ path: namePath, message: 'is required' });
    else if (!staticClusters.has(clusterName)) errors.push({ path: namePath, message: `unknown cluster "${clusterName}": must be a static cluster` });
    return { kind: 'envoyGrpc', clusterName };
  }
  const googleGrpc = obj(msg, 'google_grpc', path, errors);
  if (googleGrpc !== null) {
    const googlePath = fieldPath(path, 'google_grpc');
    const targetUri = str(googleGrpc, 'target_uri', googlePath, errors);
    if (targetUri === '') errors.push({ path: fieldPath(googlePath, 'target_uri'), message: 'is required' });
    return { kind: 'googleGrpc', targetUri };
  }
  errors.push({ path, message: 'must set envoyGrpc or googleGrpc' });
  return null;
}
