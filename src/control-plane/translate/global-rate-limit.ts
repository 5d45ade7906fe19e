/**
 * Per-service request rate limits with Envoy's global rate limit filter, used instead of the
 * local token buckets (local-rate-limit.ts) when the control plane runs its rate limit service
 * (PlatformState.globalRateLimit): every router asks the one service, so a limit holds across
 * routers. The ingress HCM carries envoy.filters.http.ratelimit (domain "switchyard", the RLS
 * cluster, a 100 ms timeout) and each limited service's virtual hosts carry one rate_limits
 * entry whose generic_key action yields the descriptor `[{ service: <service id> }]`
 * (model/rate-limit-contract.ts). Unlimited services carry nothing and never cost an RLS call.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rate_limit_filter
 */
import { RATE_LIMIT_DOMAIN, SERVICE_DESCRIPTOR_KEY, type GlobalRateLimitSettings } from '../model/rate-limit-contract.js';
import type { Service } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { RATELIMIT_FILTER_TYPE_URL } from '../../xds/type-urls.js';
import { hasRateLimit } from './local-rate-limit.js';
import { duration } from './proto-values.js';

export const RATELIMIT_FILTER_NAME = 'envoy.filters.http.ratelimit';
/**
 * The filter timeout we publish instead of Envoy's 20 ms: the first calls on a fresh Node.js gRPC
 * channel (router worker and rate limit service both warming up) measured 20–25 ms on loopback,
 * which would let them through on failure_mode_allowed (or refuse them with failure_mode_deny).
 * Warm calls take 2–3 ms, so only a slow or dead service ever waits this long.
 */
export const RATELIMIT_TIMEOUT_MS = 100;

/** The http_filters entry for the ingress HCM. */
export function globalRateLimitHttpFilter(settings: GlobalRateLimitSettings): ProtoObject {
  return {
    name: RATELIMIT_FILTER_NAME,
    typed_config: {
      '@type': RATELIMIT_FILTER_TYPE_URL,
      domain: RATE_LIMIT_DOMAIN,
      failure_mode_deny: settings.failureModeDeny,
      timeout: duration(RATELIMIT_TIMEOUT_MS),
      rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: settings.clusterName } }, transport_api_version: 'V3' },
    },
  };
}

/** VirtualHost.rate_limits of a limited service, or null when it has no limit. */
export function serviceRateLimits(service: Service): ProtoObject[] | null {
  if (!hasRateLimit(service)) return null;
  return [{ actions: [{ generic_key: { descriptor_key: SERVICE_DESCRIPTOR_KEY, descriptor_value: service.id } }] }];
}
