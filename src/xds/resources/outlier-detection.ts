/**
 * envoy.config.cluster.v3.OutlierDetection → the OutlierDetection view, Envoy's defaults applied.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/outlier_detection.proto
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier
 */
import type { ProtoObject } from '../proto-object.js';
import type { OutlierDetection } from './cluster.types.js';
import { bool, durationMs, fieldPath, has, inRange, obj, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

/** Every default from outlier_detection.proto; durations in ms. */
export const OUTLIER_DETECTION_DEFAULTS: OutlierDetection = {
  consecutive5xx: 5, // Envoy default
  consecutiveGatewayFailure: 5, // Envoy default
  consecutiveLocalOriginFailure: 5, // Envoy default
  intervalMs: 10_000, // Envoy default
  baseEjectionTimeMs: 30_000, // Envoy default
  maxEjectionTimeMs: 300_000, // Envoy default
  maxEjectionPercent: 10, // Envoy default
  enforcingConsecutive5xx: 100, // Envoy default
  enforcingConsecutiveGatewayFailure: 0, // Envoy default
  enforcingConsecutiveLocalOriginFailure: 100, // Envoy default
  enforcingSuccessRate: 100, // Envoy default
  successRateMinimumHosts: 5, // Envoy default
  successRateRequestVolume: 100, // Envoy default
  successRateStdevFactor: 1900, // Envoy default (divided by 1000: 1.9)
  failurePercentageThreshold: 85, // Envoy default
  enforcingFailurePercentage: 0, // Envoy default
  enforcingFailurePercentageLocalOrigin: 0, // Envoy default
  failurePercentageMinimumHosts: 5, // Envoy default
  failurePercentageRequestVolume: 50, // Envoy default
  splitExternalLocalOriginErrors: false, // Envoy default
};

/** Wrapper fields that are percentages (proto rule lte 100). */
const PERCENT_FIELDS = new Set([
  'max_ejection_percent',
  'enforcing_consecutive_5xx',
  'enforcing_success_rate',
  'enforcing_consecutive_gateway_failure',
  'enforcing_consecutive_local_origin_failure',
  'failure_percentage_threshold',
  'enforcing_failure_percentage',
  'enforcing_failure_percentage_local_origin',
]);

/** Decodes outlier_detection under `path` (the field's own path). */
export function decodeOutlierDetection(msg: ProtoObject, path: string, errors: Errors): OutlierDetection {
  const d = OUTLIER_DETECTION_DEFAULTS;
  rejectUnsupported(msg, path, ['monitors', 'always_eject_one_host', 'max_ejection_time_jitter', 'enforcing_local_origin_success_rate'], errors);
  // successful_active_health_check_uneject_host defaults to true, which is what we do; false is refused.
  const uneject = obj(msg, 'successful_active_health_check_uneject_host', path, errors);
  if (uneject !== null && uneject.value === false) {
    errors.push({ path: fieldPath(path, 'successful_active_health_check_uneject_host'), message: 'false is not supported' });
  }
  const u32 = (field: string, fallback: number): number => {
    const v = wrapped(msg, field, path, errors, fallback);
    return inRange(v, 0, PERCENT_FIELDS.has(field) ? 100 : 0xffff_ffff, fieldPath(path, field), errors);
  };
  const view: OutlierDetection = {
    consecutive5xx: u32('consecutive_5xx', d.consecutive5xx),
    consecutiveGatewayFailure: u32('consecutive_gateway_failure', d.consecutiveGatewayFailure),
    consecutiveLocalOriginFailure: u32('consecutive_local_origin_failure', d.consecutiveLocalOriginFailure),
    intervalMs: positive(msg, 'interval', path, errors, d.intervalMs),
    baseEjectionTimeMs: positive(msg, 'base_ejection_time', path, errors, d.baseEjectionTimeMs),
    maxEjectionTimeMs: positive(msg, 'max_ejection_time', path, errors, d.maxEjectionTimeMs),
    maxEjectionPercent: u32('max_ejection_percent', d.maxEjectionPercent),
    enforcingConsecutive5xx: u32('enforcing_consecutive_5xx', d.enforcingConsecutive5xx),
    enforcingConsecutiveGatewayFailure: u32('enforcing_consecutive_gateway_failure', d.enforcingConsecutiveGatewayFailure),
    enforcingConsecutiveLocalOriginFailure: u32('enforcing_consecutive_local_origin_failure', d.enforcingConsecutiveLocalOriginFailure),
    enforcingSuccessRate: u32('enforcing_success_rate', d.enforcingSuccessRate),
    successRateMinimumHosts: u32('success_rate_minimum_hosts', d.successRateMinimumHosts),
    successRateRequestVolume: u32('success_rate_request_volume', d.successRateRequestVolume),
    successRateStdevFactor: u32('success_rate_stdev_factor', d.successRateStdevFactor),
    failurePercentageThreshold: u32('failure_percentage_threshold', d.failurePercentageThreshold),
    enforcingFailurePercentage: u32('enforcing_failure_percentage', d.enforcingFailurePercentage),
    enforcingFailurePercentageLocalOrigin: u32('enforcing_failure_percentage_local_origin', d.enforcingFailurePercentageLocalOrigin),
    failurePercentageMinimumHosts: u32('failure_percentage_minimum_hosts', d.failurePercentageMinimumHosts),
    failurePercentageRequestVolume: u32('failure_percentage_request_volume', d.failurePercentageRequestVolume),
    splitExternalLocalOriginErrors: bool(msg, 'split_external_local_origin_errors', path, errors),
  };
  // Envoy: "outlier detector's max_ejection_time cannot be smaller than base_ejection_time".
  if (view.maxEjectionTimeMs < view.baseEjectionTimeMs) {
    errors.push({
      path: fieldPath(path, has(msg, 'max_ejection_time') ? 'max_ejection_time' : 'base_ejection_time'),
      message: `maxEjectionTime (${view.maxEjectionTimeMs}ms) must not be smaller than baseEjectionTime (${view.baseEjectionTimeMs}ms)`,
    });
  }
  return view;
}

function positive(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: number): number {
  if (!has(msg, field)) return fallback;
  const before = errors.length;
  const ms = durationMs(msg, field, path, errors, fallback);
  if (errors.length === before && ms <= 0) errors.push({ path: fieldPath(path, field), message: `must be greater than 0, got ${ms}ms` });
  return ms;
}
