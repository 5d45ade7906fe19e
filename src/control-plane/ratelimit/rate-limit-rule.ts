/**
 * A platform request limit as the rate limit service enforces it: `limit` requests per fixed
 * window of `windowMs`. From a service's `rateLimit { requestsPerSecond, burst }`:
 *
 *   limit    = round(burst ?? requestsPerSecond), at least 1
 *   windowMs = max(1000, round(limit / requestsPerSecond × 1000))
 *
 * so the average rate is requestsPerSecond and up to `burst` requests may come at once:
 * 5 rps → 5 per 1 s; 5 rps burst 10 → 10 per 2 s; 0.5 rps → 1 per 2 s. A burst under the rate
 * caps each second at the burst, as the local token bucket (max_tokens = burst) does.
 */
import type { RateLimitSettings } from '../model/types.js';

export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
  /** requests_per_unit for RateLimitResponse.current_limit (unit SECOND). */
  readonly requestsPerSecond: number;
}

/** The rule of a service's settings, or null when it sets no limit. */
export function ruleFor(settings: RateLimitSettings): RateLimitRule | null {
  const rps = settings.requestsPerSecond;
  if (rps === null || !(rps > 0)) return null;
  const limit = Math.max(1, Math.round(settings.burst !== null && settings.burst > 0 ? settings.burst : rps));
  const windowMs = Math.max(1000, Math.round((limit / rps) * 1000));
  return { limit, windowMs, requestsPerSecond: rps };
}
