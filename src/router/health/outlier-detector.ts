/**
 * Passive health checking of one cluster on one worker (Envoy's Outlier::DetectorImpl).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/outlier
 *
 *   request path ─► host.outlier (OutlierHostMonitor) counters
 *        consecutive_5xx / _gateway_failure / _local_origin_failure reach their threshold
 *        ─► onConsecutiveError ─► detected stat ─► ejectHost
 *   every `interval` ─► uneject hosts whose time is up: min(base_ejection_time × backoff,
 *                       max_ejection_time) since the ejection
 *                    ─► swap success-rate buckets; success_rate_* and failure_percentage_*
 *                       over the interval just closed ─► ejectHost
 *                    ─► backoff − 1 for hosts healthy for a whole interval since unejection
 *   ejectHost: refused (ejections_overflow) when (active + 1) / hosts > max_ejection_percent;
 *              otherwise enforced with probability enforcing_<type> %: FAILED_OUTLIER_CHECK set,
 *              backoff + 1 (while backoff × base < max + base), cluster told to refresh.
 *
 * Success rate (Envoy successRateEjectionThreshold): over hosts with ≥ success_rate_request_volume
 * requests in the interval, when there are ≥ success_rate_minimum_hosts of them,
 *   threshold = mean − (success_rate_stdev_factor / 1000) × stdev   (population stdev)
 * and a host below it is ejected. Failure percentage: a host with ≥ failure_percentage_request_volume
 * requests and 100 − success rate ≥ failure_percentage_threshold, among ≥
 * failure_percentage_minimum_hosts such hosts, is ejected.
 *
 * Unejection happens on the interval tick, as in Envoy, so an ejection lasts between its time and
 * that time plus one interval. A passing active health check unejects at once (Envoy's
 * successful_active_health_check_uneject_host, default true). max_ejection_time_jitter is 0
 * (the decoder refuses it). Time comes from an injected monotonic clock so tests control it.
 */
import { performance } from 'node:perf_hooks';
import { FastTimer, type TimerTarget } from '../../common/fast-timers.js';
import { defaultRandom, type RandomSource } from '../../common/random.js';
import type { OutlierDetection } from '../../xds/resources/cluster.types.js';
import { HealthFlag, type Host } from '../upstream/host.js';
import type { OutlierEventLogger, SuccessRateFigures } from './outlier-event-logger.js';
import { OutlierHostMonitor, type OutlierMonitorOwner, type SuccessRateBuckets } from './outlier-host-monitor.js';
import type { OutlierDetectionStats } from './outlier-stats.js';
import { SuccessRateMonitorType, type OutlierEjectionType } from './outlier-types.js';

/** What a detector needs of its cluster; UpstreamCluster satisfies it structurally. */
export interface OutlierTarget {
  readonly name: string;
  readonly hosts: readonly Host[];
  /** Called after a host was ejected or unejected; the cluster rebuilds its healthy set. */
  onHostHealthChanged(): void;
}

export interface OutlierDetectorOptions {
  readonly stats: OutlierDetectionStats;
  readonly eventLogger?: OutlierEventLogger | null;
  /** Monotonic milliseconds; performance.now by default. */
  readonly clock?: () => number;
  /** Draws for the enforcing_* percentages. */
  readonly random?: RandomSource;
}

/** Envoy enforcing_local_origin_success_rate default (the decoder refuses other values). */
const ENFORCING_LOCAL_ORIGIN_SUCCESS_RATE = 100;

export class OutlierDetector implements OutlierMonitorOwner, TimerTarget {
  readonly config: OutlierDetection;
  readonly target: OutlierTarget;
  readonly stats: OutlierDetectionStats;
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailure: number;
  readonly consecutiveLocalOriginFailure: number;
  readonly splitExternalLocalOriginErrors: boolean;
  private readonly monitors = new Map<Host, OutlierHostMonitor>();
  private readonly eventLogger: OutlierEventLogger | null;
  private readonly clock: () => number;
  private readonly random: RandomSource;
  private readonly timer: FastTimer;
  private ejectionsActive = 0;
  private stopped = false;
  /** The last success-rate evaluation per monitor type (event log), -1 when there was none. */
  private readonly figures: [SuccessRateFigures, SuccessRateFigures] = [
    { average: -1, threshold: -1 },
    { average: -1, threshold: -1 },
  ];

  constructor(config: OutlierDetection, target: OutlierTarget, options: OutlierDetectorOptions) {
    this.config = config;
    this.target = target;
    this.stats = options.stats;
    this.eventLogger = options.eventLogger ?? null;
    this.clock = options.clock ?? (() => performance.now());
    this.random = options.random ?? defaultRandom;
    this.consecutive5xx = config.consecutive5xx;
    this.consecutiveGatewayFailure = config.consecutiveGatewayFailure;
    this.consecutiveLocalOriginFailure = config.consecutiveLocalOriginFailure;
    this.splitExternalLocalOriginErrors = config.splitExternalLocalOriginErrors;
    this.timer = new FastTimer(this, 0);
  }

  /** Monitors the target's hosts and arms the interval timer. */
  start(): void {
    this.updateHosts(this.target.hosts);
    this.timer.arm(this.config.intervalMs);
  }

  /** Stops the timer and detaches every monitor from its host. Ejected hosts keep their flag. */
  stop(): void {
    this.stopped = true;
    this.timer.disarm();
    for (const [host, monitor] of this.monitors) if (host.outlier === monitor) host.outlier = null;
    this.monitors.clear();
    // A successor under the same name starts with fresh hosts, hence no ejections.
    if (this.ejectionsActive !== 0) this.setActive(0);
  }

  /** Makes the monitored hosts equal to `hosts` (membership change). */
  updateHosts(hosts: readonly Host[]): void {
    if (this.stopped) return;
    const wanted = new Set(hosts);
    for (const [host, monitor] of this.monitors) {
      if (wanted.has(host)) continue;
      if ((host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) this.setActive(this.ejectionsActive - 1);
      if (host.outlier === monitor) host.outlier = null;
      this.monitors.delete(host);
    }
    for (const host of hosts) {
      if (this.monitors.has(host)) continue;
      const monitor = new OutlierHostMonitor(this, host);
      this.monitors.set(host, monitor);
      host.outlier = monitor;
    }
  }

  /** The monitor of a host (tests, /clusters). */
  monitorOf(host: Host): OutlierHostMonitor | undefined {
    return this.monitors.get(host);
  }

  get activeEjections(): number {
    return this.ejectionsActive;
  }

  onTimer(): void {
    if (this.stopped) return;
    this.evaluate();
    this.timer.arm(this.config.intervalMs);
  }

  /** @internal A monitor's consecutive counter reached its threshold (Envoy onConsecutiveErrorWorker). */
  onConsecutiveError(monitor: OutlierHostMonitor, type: OutlierEjectionType): void {
    const host = monitor.host;
    if (this.stopped || this.monitors.get(host) !== monitor) return;
    if ((host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) return;
    this.stats.detected[type].inc();
    this.ejectHost(monitor, type);
    // Reset the counter so a new bout of errors is seen even without a success in between.
    if (type === 'CONSECUTIVE_5XX') {
      this.stats.ejectionsConsecutive5xx.inc();
      monitor.consecutive5xx = 0;
    } else if (type === 'CONSECUTIVE_GATEWAY_FAILURE') monitor.consecutiveGatewayFailure = 0;
    else monitor.consecutiveLocalOriginFailure = 0;
  }

  /**
   * A host passed an active health check (successful_active_health_check_uneject_host): an
   * ejected host that is not failing active checks returns at once.
   */
  onActiveHealthCheckSuccess(host: Host): void {
    const monitor = this.monitors.get(host);
    if (monitor === undefined) return;
    if ((host.healthFlags & HealthFlag.FailedActiveHealthCheck) === 0 && (host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) this.unejectHost(monitor);
  }

  /** One interval tick (Envoy onIntervalTimer); public so tests drive it with their clock. */
  evaluate(): void {
    const now = this.clock();
    for (const monitor of this.monitors.values()) {
      this.checkHostForUneject(monitor, now);
      monitor.externalOrigin.swap();
      monitor.localOrigin.swap();
      monitor.successRate = -1;
      monitor.localOriginSuccessRate = -1;
    }
    this.processSuccessRateEjections(SuccessRateMonitorType.ExternalOrigin);
    this.processSuccessRateEjections(SuccessRateMonitorType.LocalOrigin);
    for (const monitor of this.monitors.values()) {
      if ((monitor.host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) continue;
      // Healthy for a whole interval since its unejection: the next ejection is shorter.
      if (monitor.lastUnejectionMs >= 0 && now - monitor.lastUnejectionMs >= this.config.intervalMs && monitor.ejectTimeBackoff > 0) monitor.ejectTimeBackoff--;
    }
  }

  private checkHostForUneject(monitor: OutlierHostMonitor, now: number): void {
    if ((monitor.host.healthFlags & HealthFlag.FailedOutlierCheck) === 0) return;
    const ejectedForMs = Math.min(this.config.baseEjectionTimeMs * monitor.ejectTimeBackoff, this.config.maxEjectionTimeMs);
    if (ejectedForMs <= now - monitor.lastEjectionMs) this.unejectHost(monitor);
  }

  private ejectHost(monitor: OutlierHostMonitor, type: OutlierEjectionType): void {
    const maxPercent = Math.min(100, this.config.maxEjectionPercent);
    const ejectedPercent = (100 * (this.ejectionsActive + 1)) / this.monitors.size;
    // Not checked per priority (nor is it in Envoy): every host of a priority may be ejected.
    if (ejectedPercent > maxPercent) {
      this.stats.ejectionsOverflow.inc();
      return;
    }
    if (type === 'CONSECUTIVE_5XX' || type === 'SUCCESS_RATE') this.stats.ejectionsTotal.inc();
    const local = type === 'SUCCESS_RATE_LOCAL_ORIGIN' || type === 'FAILURE_PERCENTAGE_LOCAL_ORIGIN';
    const figures = type === 'SUCCESS_RATE' || type === 'SUCCESS_RATE_LOCAL_ORIGIN' ? this.figures[local ? 1 : 0] : null;
    if (!this.enforced(type)) {
      this.eventLogger?.logEject(monitor, type, false, figures);
      return;
    }
    this.setActive(this.ejectionsActive + 1);
    this.stats.ejectionsEnforcedTotal.inc();
    this.stats.enforced[type].inc();
    const host = monitor.host;
    host.healthFlags |= HealthFlag.FailedOutlierCheck;
    monitor.numEjections++;
    monitor.lastEjectionMs = this.clock();
    const base = this.config.baseEjectionTimeMs;
    if (monitor.ejectTimeBackoff * base < this.config.maxEjectionTimeMs + base) monitor.ejectTimeBackoff++;
    this.target.onHostHealthChanged();
    this.eventLogger?.logEject(monitor, type, true, figures);
  }

  private unejectHost(monitor: OutlierHostMonitor): void {
    this.setActive(this.ejectionsActive - 1);
    monitor.host.healthFlags &= ~HealthFlag.FailedOutlierCheck;
    // Envoy resets the consecutive counters so a few new errors do not re-eject at once.
    monitor.resetConsecutive();
    monitor.lastUnejectionMs = this.clock();
    this.target.onHostHealthChanged();
    this.eventLogger?.logUneject(monitor);
  }

  private enforced(type: OutlierEjectionType): boolean {
    const c = this.config;
    let percent: number;
    switch (type) {
      case 'CONSECUTIVE_5XX':
        percent = c.enforcingConsecutive5xx;
        break;
      case 'CONSECUTIVE_GATEWAY_FAILURE':
        percent = c.enforcingConsecutiveGatewayFailure;
        break;
      case 'CONSECUTIVE_LOCAL_ORIGIN_FAILURE':
        percent = c.enforcingConsecutiveLocalOriginFailure;
        break;
      case 'SUCCESS_RATE':
        percent = c.enforcingSuccessRate;
        break;
      case 'SUCCESS_RATE_LOCAL_ORIGIN':
        percent = ENFORCING_LOCAL_ORIGIN_SUCCESS_RATE;
        break;
      case 'FAILURE_PERCENTAGE':
        percent = c.enforcingFailurePercentage;
        break;
      case 'FAILURE_PERCENTAGE_LOCAL_ORIGIN':
        percent = c.enforcingFailurePercentageLocalOrigin;
        break;
    }
    // Envoy featureEnabled(percent): 100 always, 0 never, else a draw.
    if (percent >= 100) return true;
    if (percent <= 0) return false;
    return this.random() * 100 < percent;
  }

  /** Envoy processSuccessRateEjections for one monitor type. */
  private processSuccessRateEjections(kind: SuccessRateMonitorType): void {
    const c = this.config;
    this.figures[kind] = { average: -1, threshold: -1 };
    if (this.monitors.size < c.successRateMinimumHosts && this.monitors.size < c.failurePercentageMinimumHosts) return;
    const successRateHosts: [OutlierHostMonitor, number][] = [];
    const failurePercentageHosts: [OutlierHostMonitor, number][] = [];
    let sum = 0;
    const minVolume = Math.min(c.successRateRequestVolume, c.failurePercentageRequestVolume);
    for (const monitor of this.monitors.values()) {
      if ((monitor.host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) continue;
      const buckets: SuccessRateBuckets = kind === SuccessRateMonitorType.ExternalOrigin ? monitor.externalOrigin : monitor.localOrigin;
      if (buckets.closedTotal === 0) continue;
      const rate = buckets.closedRate();
      const volume = buckets.closedTotal;
      if (volume >= minVolume) {
        if (kind === SuccessRateMonitorType.ExternalOrigin) monitor.successRate = rate;
        else monitor.localOriginSuccessRate = rate;
      }
      if (volume >= c.successRateRequestVolume) {
        successRateHosts.push([monitor, rate]);
        sum += rate;
      }
      if (volume >= c.failurePercentageRequestVolume) failurePercentageHosts.push([monitor, rate]);
    }
    if (successRateHosts.length > 0 && successRateHosts.length >= c.successRateMinimumHosts) {
      const { mean, threshold } = successRateEjectionThreshold(sum, successRateHosts, c.successRateStdevFactor / 1000);
      this.figures[kind] = { average: mean, threshold };
      const type: OutlierEjectionType = kind === SuccessRateMonitorType.ExternalOrigin ? 'SUCCESS_RATE' : 'SUCCESS_RATE_LOCAL_ORIGIN';
      for (const [monitor, rate] of successRateHosts) {
        if (rate < threshold) {
          this.stats.ejectionsSuccessRate.inc();
          this.stats.detected[type].inc();
          this.ejectHost(monitor, type);
        }
      }
    }
    if (failurePercentageHosts.length > 0 && failurePercentageHosts.length >= c.failurePercentageMinimumHosts) {
      const type: OutlierEjectionType = kind === SuccessRateMonitorType.ExternalOrigin ? 'FAILURE_PERCENTAGE' : 'FAILURE_PERCENTAGE_LOCAL_ORIGIN';
      for (const [monitor, rate] of failurePercentageHosts) {
        // Already ejected by success rate in this round: Envoy's ejectHost would assert; skip.
        if ((monitor.host.healthFlags & HealthFlag.FailedOutlierCheck) !== 0) continue;
        if (100 - rate >= c.failurePercentageThreshold) {
          this.stats.detected[type].inc();
          this.ejectHost(monitor, type);
        }
      }
    }
  }

  private setActive(n: number): void {
    this.ejectionsActive = n;
    this.stats.ejectionsActive.set(n);
  }
}

/**
 * Envoy DetectorImpl::successRateEjectionThreshold: mean of the rates and
 * mean − factor × population standard deviation. E.g. rates {50, 100, 100, 100, 100}, factor 1.9:
 * mean 90, variance 400, stdev 20, threshold 52.
 */
export function successRateEjectionThreshold(sum: number, hosts: readonly (readonly [unknown, number])[], stdevFactor: number): { mean: number; threshold: number } {
  const mean = sum / hosts.length;
  let variance = 0;
  for (const [, rate] of hosts) variance += (rate - mean) ** 2;
  variance /= hosts.length;
  return { mean, threshold: mean - stdevFactor * Math.sqrt(variance) };
}
