/**
 * envoy.config.cluster.v3.Cluster (CDS, or a bootstrap static cluster) → the Cluster view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 *
 * Called by the xDS client for every CDS resource and by decodeBootstrap for static clusters.
 * The parts live beside this file: cluster-lb.ts (lb_policy and its configs), health-check.ts,
 * outlier-detection.ts, circuit-breakers.ts, upstream-protocol.ts. Fields that would change
 * behaviour and that the router does not implement are refused ("is not supported"); pure
 * tuning fields (DNS refresh, stats, preconnect, TCP keepalive, …) are accepted and ignored.
 */
import type { ProtoObject } from '../proto-object.js';
import { deepFreeze, fail, ok, type ValidationResult } from '../validation.js';
import { decodeTcpSocketAddress } from './address.js';
import { decodeCircuitBreakers } from './circuit-breakers.js';
import { decodeClusterLoadAssignmentInto } from './cluster-load-assignment.js';
import type { ClusterLoadAssignment } from './cluster-load-assignment.types.js';
import { decodeLbSettings } from './cluster-lb.js';
import type { Cluster, HealthCheck } from './cluster.types.js';
import { decodeConfigSource } from './common.js';
import type { ConfigSource, SocketAddress } from './common.types.js';
import { bool, durationMs, enumOf, fieldPath, has, messages, obj, str, wrapped, type Errors } from './fields.js';
import { decodeHealthCheck } from './health-check.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeOutlierDetection } from './outlier-detection.js';
import { decodeUpstreamProtocol } from './upstream-protocol.js';

const DEFAULTS = {
  type: 'STATIC', // Envoy default (Cluster.DiscoveryType = 0)
  connectTimeoutMs: 5000, // Envoy default (Cluster.connect_timeout)
  perConnectionBufferLimitBytes: 1024 * 1024, // Envoy default (1 MiB)
} as const;

const TYPES = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'EDS'] as const;

/** Behaviour-changing Cluster fields the router does not implement. */
const UNSUPPORTED = [
  'transport_socket',
  'transport_socket_matches',
  'lb_subset_config',
  'upstream_config',
  'filters',
  'dns_resolvers',
  'dns_resolution_config',
  'typed_dns_resolver_config',
  'use_tcp_for_dns_lookups',
  'close_connections_on_host_health_failure',
  'connection_pool_per_downstream_connection',
] as const;

/**
 * Decodes a Cluster. `path` prefixes every error path ('' for a CDS resource,
 * 'staticResources.clusters[0]' in a bootstrap). Returns the deep-frozen view or every error.
 */
export function decodeCluster(msg: ProtoObject, path: string): ValidationResult<Cluster> {
  const errors: Errors = [];
  const name = str(msg, 'name', path, errors);
  if (name === '') errors.push({ path: fieldPath(path, 'name'), message: 'is required' });

  if (has(msg, 'cluster_type')) errors.push({ path: fieldPath(path, 'cluster_type'), message: 'is not supported (custom cluster types), use type' });
  const type = enumOf(msg, 'type', path, errors, TYPES, DEFAULTS.type);
  rejectUnsupported(msg, path, UNSUPPORTED, errors);

  const { edsServiceName, edsConfig } = decodeEds(msg, path, name, type, errors);
  const loadAssignment = decodeLoadAssignment(msg, path, type, errors);

  let connectTimeoutMs = durationMs(msg, 'connect_timeout', path, errors, DEFAULTS.connectTimeoutMs);
  if (has(msg, 'connect_timeout') && connectTimeoutMs <= 0) {
    errors.push({ path: fieldPath(path, 'connect_timeout'), message: `must be greater than 0, got ${connectTimeoutMs}ms` });
    connectTimeoutMs = DEFAULTS.connectTimeoutMs;
  }

  const healthChecks: HealthCheck[] = messages(msg, 'health_checks', path, errors, (item, itemPath) => decodeHealthCheck(item, itemPath, errors));
  if (healthChecks.length > 1) {
    errors.push({ path: fieldPath(path, 'health_checks'), message: `has ${healthChecks.length} entries, at most one is supported (as in Envoy)` });
  }
  const breakersMsg = obj(msg, 'circuit_breakers', path, errors);
  const outlierMsg = obj(msg, 'outlier_detection', path, errors);
  const lrsMsg = obj(msg, 'lrs_server', path, errors);

  const value: Cluster = {
    name,
    type,
    edsServiceName,
    edsConfig,
    connectTimeoutMs,
    ...decodeLbSettings(msg, path, errors),
    loadAssignment,
    circuitBreakers: breakersMsg === null ? [] : decodeCircuitBreakers(breakersMsg, fieldPath(path, 'circuit_breakers'), errors),
    healthChecks,
    outlierDetection: outlierMsg === null ? null : decodeOutlierDetection(outlierMsg, fieldPath(path, 'outlier_detection'), errors),
    ...decodeUpstreamProtocol(msg, path, errors),
    perConnectionBufferLimitBytes: wrapped(msg, 'per_connection_buffer_limit_bytes', path, errors, DEFAULTS.perConnectionBufferLimitBytes),
    ignoreHealthOnHostRemoval: bool(msg, 'ignore_health_on_host_removal', path, errors),
    lrsServer: lrsMsg === null ? null : decodeConfigSource(lrsMsg, fieldPath(path, 'lrs_server'), errors),
    upstreamBindAddress: decodeBindConfig(msg, path, errors),
  };
  return errors.length > 0 ? fail(errors) : ok(deepFreeze(value));
}

/** eds_cluster_config: required for EDS clusters; service_name defaults to the cluster name. */
function decodeEds(msg: ProtoObject, path: string, name: string, type: Cluster['type'], errors: Errors): { edsServiceName: string; edsConfig: ConfigSource | null } {
  if (type !== 'EDS') return { edsServiceName: '', edsConfig: null }; // Envoy ignores eds_cluster_config elsewhere
  const edsPath = fieldPath(path, 'eds_cluster_config');
  const eds = obj(msg, 'eds_cluster_config', path, errors);
  if (eds === null) {
    errors.push({ path: edsPath, message: 'is required for EDS clusters' });
    return { edsServiceName: name, edsConfig: null };
  }
  const sourceMsg = obj(eds, 'eds_config', edsPath, errors);
  let edsConfig: ConfigSource | null = null;
  if (sourceMsg === null) errors.push({ path: fieldPath(edsPath, 'eds_config'), message: 'is required for EDS clusters' });
  else edsConfig = decodeConfigSource(sourceMsg, fieldPath(edsPath, 'eds_config'), errors);
  const serviceName = str(eds, 'service_name', edsPath, errors);
  return { edsServiceName: serviceName === '' ? name : serviceName, edsConfig };
}

/** load_assignment: required for STATIC and the DNS types, refused for EDS (its endpoints come from EDS). */
function decodeLoadAssignment(msg: ProtoObject, path: string, type: Cluster['type'], errors: Errors): ClusterLoadAssignment | null {
  const laPath = fieldPath(path, 'load_assignment');
  const la = obj(msg, 'load_assignment', path, errors);
  if (type === 'EDS') {
    if (la !== null) errors.push({ path: laPath, message: 'must not be set for EDS clusters (endpoints come from EDS)' });
    return null;
  }
  if (la === null) {
    errors.push({ path: laPath, message: `is required for ${type} clusters` });
    return null;
  }
  const allowHostnames = type === 'STRICT_DNS' || type === 'LOGICAL_DNS';
  const cla = decodeClusterLoadAssignmentInto(la, laPath, errors, { allowHostnames });
  if (type === 'LOGICAL_DNS' && (cla.endpoints.length !== 1 || cla.endpoints[0].lbEndpoints.length !== 1)) {
    errors.push({ path: fieldPath(laPath, 'endpoints'), message: 'LOGICAL_DNS clusters must have a single locality_lb_endpoint and a single lb_endpoint' });
  }
  return cla;
}

/** upstream_bind_config: only source_address. */
function decodeBindConfig(msg: ProtoObject, path: string, errors: Errors): SocketAddress | null {
  const bind = obj(msg, 'upstream_bind_config', path, errors);
  if (bind === null) return null;
  const bindPath = fieldPath(path, 'upstream_bind_config');
  rejectUnsupported(bind, bindPath, ['freebind', 'socket_options', 'extra_source_addresses', 'additional_source_addresses', 'local_address_selector'], errors);
  const source = obj(bind, 'source_address', bindPath, errors);
  if (source === null) {
    errors.push({ path: fieldPath(bindPath, 'source_address'), message: 'is required' });
    return null;
  }
  return decodeTcpSocketAddress(source, fieldPath(bindPath, 'source_address'), errors);
}
