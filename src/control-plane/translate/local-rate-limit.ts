/**
 * Per-service request rate limits with Envoy's local rate limit filter, configured the way its
 * docs show for per-route limits: the HCM carries the filter with no token bucket (so it limits
 * nothing by itself) and each limited service's virtual host carries a full LocalRateLimit in
 * typed_per_filter_config. Every router enforces the limit on its own (a local token bucket).
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/local_rate_limit_filter
 */
import type { Service } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { LOCAL_RATELIMIT_TYPE_URL } from '../../xds/type-urls.js';
import { duration, fullRuntimeFraction, wrap } from './proto-values.js';

/** The filter name, also the key of its typed_per_filter_config entries. */
export const LOCAL_RATELIMIT_FILTER_NAME = 'envoy.filters.http.local_ratelimit';
/** Stat prefix of the HCM-level filter (the name Envoy's docs use). */
const HCM_STAT_PREFIX = 'http_local_rate_limiter';
/** Envoy refuses a token bucket fill_interval under 50 ms. */
const MIN_FILL_INTERVAL_MS = 50;

/** Whether the service sets a requests-per-second limit. */
export function hasRateLimit(service: Service): boolean {
  const rps = service.rateLimit.requestsPerSecond;
  return rps !== null && rps > 0;
}

/** The http_filters entry for the ingress HCM: present, but without a token bucket it limits nothing. */
export function localRateLimitHttpFilter(): ProtoObject {
  return { name: LOCAL_RATELIMIT_FILTER_NAME, typed_config: { '@type': LOCAL_RATELIMIT_TYPE_URL, stat_prefix: HCM_STAT_PREFIX } };
}

/**
 * The typed_per_filter_config entry of a limited service's virtual hosts, or null when the service
 * has no limit. filter_enabled and filter_enforced are 100%: Envoy's defaults (0%) would only count.
 * Stats are `<service-id>.http_local_rate_limit.{ok,rate_limited,…}`.
 */
export function localRateLimitPerRoute(service: Service): ProtoObject | null {
  if (!hasRateLimit(service)) return null;
  return {
    '@type': LOCAL_RATELIMIT_TYPE_URL,
    stat_prefix: service.id,
    token_bucket: tokenBucket(service.rateLimit.requestsPerSecond as number, service.rateLimit.burst),
    filter_enabled: fullRuntimeFraction(),
    filter_enforced: fullRuntimeFraction(),
  };
}

/**
 * type.v3.TokenBucket for `rps` requests per second with room for `burst` (default `rps`):
 * max_tokens = burst, tokens_per_fill = rps every 1 s. A fractional rate below 1/s becomes one token
 * every 1000/rps ms; other fractional rates are rounded (Envoy's fields are integers).
 */
export function tokenBucket(rps: number, burst: number | null): ProtoObject {
  let tokensPerFill: number;
  let fillIntervalMs: number;
  if (Number.isInteger(rps)) {
    tokensPerFill = rps;
    fillIntervalMs = 1000;
  } else if (rps < 1) {
    tokensPerFill = 1;
    fillIntervalMs = Math.max(MIN_FILL_INTERVAL_MS, Math.round(1000 / rps));
  } else {
    tokensPerFill = Math.round(rps);
    fillIntervalMs = 1000;
  }
  // max_tokens must be > 0 (token_bucket.proto).
  const maxTokens = Math.max(1, Math.round(burst !== null && burst > 0 ? burst : Math.max(rps, 1)));
  return { max_tokens: maxTokens, tokens_per_fill: wrap(tokensPerFill), fill_interval: duration(fillIntervalMs) };
}
