/**
 * App Runner health check settings → core.v3.HealthCheck (the active check of a revision's cluster).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto
 */
import type { HealthCheckSettings } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { duration, wrap } from './proto-values.js';

/** TCP: connect only (tcp_health_check {}); HTTP: GET `path`, 200 expected (Envoy's default). */
export function toHealthCheck(settings: HealthCheckSettings): ProtoObject {
  const checker: ProtoObject = settings.protocol === 'HTTP' ? { http_health_check: { path: settings.path } } : { tcp_health_check: {} };
  return {
    timeout: duration(settings.timeoutMs),
    interval: duration(settings.intervalMs),
    // no_traffic_interval: Envoy slows checks to 60 s on a cluster without traffic; App Runner's
    // interval applies always (a revision waiting for traffic must still turn healthy on time).
    no_traffic_interval: duration(settings.intervalMs),
    unhealthy_threshold: wrap(settings.unhealthyThreshold),
    healthy_threshold: wrap(settings.healthyThreshold),
    ...checker,
  };
}
