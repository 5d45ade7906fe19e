/**
 * The one route of a service's virtual host: match every path (prefix '/') and forward to the
 * revisions' clusters with the service's routing settings, or answer 503 when nothing serves.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction
 */
import type { RoutingSettings } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { duration, wrap } from './proto-values.js';

/** Body of the 503 a service with no serving revision answers with. */
export const NO_REVISION_SERVING_BODY = 'no revision is serving';

export interface ClusterWeight {
  readonly name: string;
  readonly weight: number;
}

/**
 * A route forwarding to `clusters` (at least one). One cluster → RouteAction.cluster; several →
 * weighted_clusters with the percents as weights (Envoy sums them; total_weight is deprecated).
 */
export function forwardingRoute(routing: RoutingSettings, clusters: readonly ClusterWeight[]): ProtoObject {
  const action: Record<string, ProtoObject[keyof ProtoObject]> = {};
  if (clusters.length === 1) action.cluster = clusters[0].name;
  else action.weighted_clusters = { clusters: clusters.map((c) => ({ name: c.name, weight: wrap(c.weight) })) };
  // RouteAction.timeout: the whole request, upstream response included (0 disables it).
  action.timeout = duration(routing.requestTimeoutMs);
  // RouteAction.idle_timeout: unset leaves the HCM's stream_idle_timeout in charge.
  if (routing.idleTimeoutMs !== null) action.idle_timeout = duration(routing.idleTimeoutMs);
  const retry = retryPolicy(routing);
  if (retry !== null) action.retry_policy = retry;
  return { name: 'default', match: { prefix: '/' }, route: action };
}

/** A route that answers every request with 503 and a plain-text reason (DirectResponseAction). */
export function unavailableRoute(): ProtoObject {
  return { name: 'unavailable', match: { prefix: '/' }, direct_response: { status: 503, body: { inline_string: NO_REVISION_SERVING_BODY } } };
}

/**
 * RetryPolicy, or null when the service doesn't retry. No retries is expressed by leaving the policy
 * out: grpc-js-xds rejects num_retries 0, and for Envoy both mean the same.
 */
function retryPolicy(routing: RoutingSettings): ProtoObject | null {
  const { numRetries, retryOn, perTryTimeoutMs } = routing.retries;
  if (numRetries < 1 || retryOn.length === 0) return null;
  const policy: Record<string, ProtoObject[keyof ProtoObject]> = { retry_on: retryOn.join(','), num_retries: wrap(numRetries) };
  if (perTryTimeoutMs !== null) policy.per_try_timeout = duration(perTryTimeoutMs);
  return policy;
}
