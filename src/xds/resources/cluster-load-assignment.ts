/**
 * envoy.config.endpoint.v3.ClusterLoadAssignment (EDS, or a cluster's inline load_assignment)
 * → the ClusterLoadAssignment view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/endpoint/v3/endpoint.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/endpoint/v3/endpoint_components.proto
 *
 * Called by the xDS client for every EDS resource and by decodeCluster for inline assignments.
 * Besides the proto's own rules it enforces what Envoy checks when it applies an assignment:
 * endpoints are IP literals unless the cluster resolves DNS, at most one drop_overload category,
 * and (as gRFC A27 requires) each locality at most once per priority and priorities contiguous from 0.
 */
import type { ProtoObject } from '../proto-object.js';
import { deepFreeze, fail, joinPath, ok, type ValidationResult } from '../validation.js';
import { decodeSocketAddress, isIpLiteral } from './address.js';
import type { ClusterLoadAssignment, HealthStatus, LbEndpoint, LocalityLbEndpoints } from './cluster-load-assignment.types.js';
import { decodeFractionalPercent, decodeLocality } from './common.js';
import type { Locality } from './common.types.js';
import {
  durationMs,
  enumOf,
  fieldPath,
  has,
  inRange,
  messages,
  num,
  obj,
  str,
  wrapped,
  type Errors,
} from './fields.js';
import { rejectUnsupported } from './not-supported.js';

const DEFAULTS = {
  lbEndpointWeight: 1, // Envoy default (LbEndpoint.load_balancing_weight unset = 1)
  overprovisioningFactorPercent: 140, // Envoy default (Policy.overprovisioning_factor)
  endpointStaleAfterMs: 0, // Envoy default: endpoints never go stale
  healthStatus: 'UNKNOWN', // Envoy default (core.v3.HealthStatus = 0)
} as const;

const MAX_PRIORITY = 128; // endpoint_components.proto: priority lte 128
const MAX_WEIGHT = 0xffff_ffff; // uint32
const HEALTH_STATUSES: readonly HealthStatus[] = ['UNKNOWN', 'HEALTHY', 'UNHEALTHY', 'DRAINING', 'TIMEOUT', 'DEGRADED'];

/** How the owning cluster treats endpoint addresses. */
export interface LoadAssignmentOptions {
  /**
   * STRICT_DNS / LOGICAL_DNS clusters resolve hostnames; STATIC and EDS take IP literals only
   * (Envoy: "malformed IP address … Consider setting resolver_name or setting cluster type to
   * 'STRICT_DNS' or 'LOGICAL_DNS'"). Default false.
   */
  readonly allowHostnames?: boolean;
}

/**
 * Decodes a ClusterLoadAssignment. `path` prefixes every error path ('' for an EDS resource,
 * 'loadAssignment' inside a cluster). Returns the deep-frozen view or every error found.
 */
export function decodeClusterLoadAssignment(msg: ProtoObject, path: string, options: LoadAssignmentOptions = {}): ValidationResult<ClusterLoadAssignment> {
  const errors: Errors = [];
  const value = decodeClusterLoadAssignmentInto(msg, path, errors, options);
  return errors.length > 0 ? fail(errors) : ok(deepFreeze(value));
}

/** The same, pushing into a caller's error list (for decoders that embed an assignment). */
export function decodeClusterLoadAssignmentInto(msg: ProtoObject, path: string, errors: Errors, options: LoadAssignmentOptions = {}): ClusterLoadAssignment {
  const clusterName = str(msg, 'cluster_name', path, errors);
  if (clusterName === '') errors.push({ path: fieldPath(path, 'cluster_name'), message: 'is required' });
  rejectUnsupported(msg, path, ['named_endpoints'], errors);

  const endpoints = messages(msg, 'endpoints', path, errors, (item, itemPath) => decodeLocalityLbEndpoints(item, itemPath, errors, options));
  checkPriorities(endpoints, fieldPath(path, 'endpoints'), errors);

  const policy = obj(msg, 'policy', path, errors) ?? {};
  const policyPath = fieldPath(path, 'policy');
  rejectUnsupported(policy, policyPath, ['weighted_priority_health'], errors);
  const factor = wrapped(policy, 'overprovisioning_factor', policyPath, errors, DEFAULTS.overprovisioningFactorPercent);
  if (factor <= 0) errors.push({ path: fieldPath(policyPath, 'overprovisioning_factor'), message: `must be greater than 0, got ${factor}` });
  const dropOverloads = messages(policy, 'drop_overloads', policyPath, errors, (item, itemPath) => {
    const category = str(item, 'category', itemPath, errors);
    if (category === '') errors.push({ path: fieldPath(itemPath, 'category'), message: 'is required' });
    const percent = obj(item, 'drop_percentage', itemPath, errors);
    const dropPercentage = percent === null ? { numerator: 0, denominator: 100 } : decodeFractionalPercent(percent, fieldPath(itemPath, 'drop_percentage'), errors);
    return { category, dropPercentage };
  });
  if (dropOverloads.length > 1) {
    errors.push({ path: fieldPath(policyPath, 'drop_overloads'), message: `has ${dropOverloads.length} categories, at most one is supported (as in Envoy)` });
  }
  const endpointStaleAfterMs = durationMs(policy, 'endpoint_stale_after', policyPath, errors, DEFAULTS.endpointStaleAfterMs);
  if (has(policy, 'endpoint_stale_after') && endpointStaleAfterMs === 0) {
    errors.push({ path: fieldPath(policyPath, 'endpoint_stale_after'), message: 'must be greater than 0' });
  }
  return { clusterName, endpoints, overprovisioningFactor: factor / 100, dropOverloads, endpointStaleAfterMs };
}

function decodeLocalityLbEndpoints(msg: ProtoObject, path: string, errors: Errors, options: LoadAssignmentOptions): LocalityLbEndpoints {
  const localityMsg = obj(msg, 'locality', path, errors);
  const locality: Locality = localityMsg === null ? { region: '', zone: '', subZone: '' } : decodeLocality(localityMsg, fieldPath(path, 'locality'), errors);
  rejectUnsupported(msg, path, ['leds_cluster_locality_config', 'proximity'], errors);
  let loadBalancingWeight: number | null = null;
  if (has(msg, 'load_balancing_weight')) {
    loadBalancingWeight = inRange(wrapped(msg, 'load_balancing_weight', path, errors, 1), 1, MAX_WEIGHT, fieldPath(path, 'load_balancing_weight'), errors);
  }
  const priority = inRange(num(msg, 'priority', path, errors), 0, MAX_PRIORITY, fieldPath(path, 'priority'), errors);
  // lb_endpoints or, equivalently, the load_balancer_endpoints wrapper of the lb_config oneof.
  const wrapper = obj(msg, 'load_balancer_endpoints', path, errors);
  const lbEndpoints =
    wrapper === null
      ? messages(msg, 'lb_endpoints', path, errors, (item, itemPath) => decodeLbEndpoint(item, itemPath, errors, options))
      : messages(wrapper, 'lb_endpoints', fieldPath(path, 'load_balancer_endpoints'), errors, (item, itemPath) =>
          decodeLbEndpoint(item, itemPath, errors, options),
        );
  return { locality, loadBalancingWeight, priority, lbEndpoints: lbEndpoints.filter((e): e is LbEndpoint => e !== null) };
}

/**
 * Decodes one envoy.config.endpoint.v3.LbEndpoint. Returns null (errors pushed) when it has no
 * usable address. Shared with any decoder that carries LbEndpoints.
 */
export function decodeLbEndpoint(msg: ProtoObject, path: string, errors: Errors, options: LoadAssignmentOptions = {}): LbEndpoint | null {
  if (has(msg, 'endpoint_name')) {
    errors.push({ path: fieldPath(path, 'endpoint_name'), message: 'is not supported, use endpoint' });
    return null;
  }
  const endpoint = obj(msg, 'endpoint', path, errors);
  const endpointPath = fieldPath(path, 'endpoint');
  if (endpoint === null) {
    errors.push({ path: endpointPath, message: 'is required' });
    return null;
  }
  rejectUnsupported(endpoint, endpointPath, ['additional_addresses'], errors);
  const addressMsg = obj(endpoint, 'address', endpointPath, errors);
  const addressPath = fieldPath(endpointPath, 'address');
  const address = addressMsg === null ? null : decodeSocketAddress(addressMsg, addressPath, errors);
  if (addressMsg === null) errors.push({ path: addressPath, message: 'is required' });
  if (address !== null && options.allowHostnames !== true && !isIpLiteral(address.host)) {
    errors.push({
      path: joinPath(fieldPath(addressPath, 'socket_address'), 'address'),
      message: `must be an IP address, got ${JSON.stringify(address.host)} (hostnames need a STRICT_DNS or LOGICAL_DNS cluster)`,
    });
  }
  const hostname = str(endpoint, 'hostname', endpointPath, errors);

  let healthCheckPort = 0;
  const hc = obj(endpoint, 'health_check_config', endpointPath, errors);
  if (hc !== null) {
    const hcPath = fieldPath(endpointPath, 'health_check_config');
    rejectUnsupported(hc, hcPath, ['hostname', 'address', 'disable_active_health_check'], errors);
    healthCheckPort = inRange(num(hc, 'port_value', hcPath, errors), 0, 65_535, fieldPath(hcPath, 'port_value'), errors);
  }
  const healthStatus = enumOf(msg, 'health_status', path, errors, HEALTH_STATUSES, DEFAULTS.healthStatus);
  const weight = wrapped(msg, 'load_balancing_weight', path, errors, DEFAULTS.lbEndpointWeight);
  const loadBalancingWeight = inRange(weight, 1, MAX_WEIGHT, fieldPath(path, 'load_balancing_weight'), errors);
  if (address === null) return null;
  return { address, hostname, healthStatus, loadBalancingWeight, healthCheckPort };
}

/** Each locality at most once per priority; priorities 0..max with none missing. */
function checkPriorities(endpoints: readonly LocalityLbEndpoints[], path: string, errors: Errors): void {
  const seen = new Map<string, number>();
  let maxPriority = -1;
  const present = new Set<number>();
  for (let i = 0; i < endpoints.length; i++) {
    const { locality, priority } = endpoints[i];
    present.add(priority);
    if (priority > maxPriority) maxPriority = priority;
    const key = JSON.stringify([priority, locality.region, locality.zone, locality.subZone]);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ path: fieldPath(joinPath(path, i), 'locality'), message: `duplicate locality in priority ${priority} (also ${joinPath(path, first)})` });
    } else seen.set(key, i);
  }
  for (let p = 0; p < maxPriority; p++) {
    if (!present.has(p)) {
      errors.push({ path, message: `priorities must be contiguous from 0: priority ${p} is missing (highest is ${maxPriority})` });
      break;
    }
  }
}
