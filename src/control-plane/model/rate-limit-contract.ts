/**
 * The names global rate limiting agrees on between the translator (which emits the routers'
 * envoy.filters.http.ratelimit and each limited service's virtual host rate_limits) and the
 * control plane's rate limit service (control-plane/ratelimit/rate-limit-server.ts):
 * domain "switchyard", one descriptor `[{ key: "service", value: <service id> }]` per request.
 */
export const RATE_LIMIT_DOMAIN = 'switchyard';
export const SERVICE_DESCRIPTOR_KEY = 'service';
/** The routers' static cluster (HTTP/2) that reaches the rate limit service. */
export const DEFAULT_RATE_LIMIT_CLUSTER = 'switchyard_ratelimit';

/** Global (RLS) rate limiting as the control plane is configured for it. */
export interface GlobalRateLimitSettings {
  /** rate_limit_service.grpc_service.envoy_grpc.cluster_name the routers' filter names. */
  readonly clusterName: string;
  /** Refuse requests (500 RLSE) when the rate limit service fails, instead of letting them through. */
  readonly failureModeDeny: boolean;
}
