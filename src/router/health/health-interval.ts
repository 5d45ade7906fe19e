/**
 * When the next active health check of a host runs, after Envoy's
 * HealthCheckerImplBase::interval / intervalWithJitter
 * (https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto).
 *
 *   cluster never had traffic      → no_traffic_interval (Envoy default 60 s)
 *   host unhealthy, change pending → unhealthy_edge_interval   (Unhealthy + Changed/Unchanged → unhealthy_interval)
 *   host healthy,   change pending → healthy_edge_interval     (Healthy   + Changed/Unchanged → interval)
 *   then + random % (interval_jitter_percent × base / 100) + random % interval_jitter, at least 1 ms
 *
 * Pure: the random source is passed in, so tests use a seeded one (common/random.ts).
 */
import type { RandomSource } from '../../common/random.js';
import type { HealthCheck } from '../../xds/resources/cluster.types.js';
import { HealthTransition } from './health-transition.js';

/** Envoy's HealthState: the result of the check just completed. */
export const enum HealthState {
  Unhealthy = 0,
  Healthy = 1,
}

/** Adds Envoy's two jitters to `baseMs`: a share of the base, then an absolute amount. */
export function intervalWithJitter(baseMs: number, jitterMs: number, jitterPercent: number, random: RandomSource): number {
  let ms = baseMs;
  const percentMod = Math.floor((jitterPercent * baseMs) / 100);
  if (percentMod > 0) ms += Math.floor(random() * percentMod);
  if (jitterMs > 0) ms += Math.floor(random() * jitterMs);
  // Envoy forces a non-zero interval to prevent a live lock.
  return Math.max(1, ms);
}

/**
 * The delay before the next check of a host whose last check gave `state` with `transition`.
 * `hadTraffic` is whether the cluster ever opened an upstream connection (Envoy reads
 * upstream_cx_total.used()).
 */
export function nextCheckDelayMs(config: HealthCheck, state: HealthState, transition: HealthTransition, hadTraffic: boolean, random: RandomSource): number {
  let base: number;
  if (!hadTraffic) base = config.noTrafficIntervalMs;
  else if (state === HealthState.Unhealthy) base = transition === HealthTransition.ChangePending ? config.unhealthyEdgeIntervalMs : config.unhealthyIntervalMs;
  else base = transition === HealthTransition.ChangePending ? config.healthyEdgeIntervalMs : config.intervalMs;
  return intervalWithJitter(base, config.intervalJitterMs, config.intervalJitterPercent, random);
}
