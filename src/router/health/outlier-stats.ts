/**
 * The per-cluster outlier detection stats, with Envoy's names
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats#outlier-detection-statistics):
 * cluster.<name>.outlier_detection.ejections_active (gauge), ejections_overflow,
 * ejections_enforced_total, ejections_{detected,enforced}_<type>, and the deprecated
 * ejections_total / ejections_consecutive_5xx / ejections_success_rate Envoy still emits.
 *
 * Each worker runs its own detector, so ejections_active is merged as a NeverImport gauge (the
 * largest worker value), while the counters sum every worker's decisions.
 */
import type { Counter, Gauge, StatsScope } from '../stats/stats-store.js';
import type { OutlierEjectionType } from './outlier-types.js';

/** The stat-name part of each ejection type (Envoy ALL_OUTLIER_DETECTION_STATS). */
const TYPE_STAT: Record<OutlierEjectionType, string> = {
  CONSECUTIVE_5XX: 'consecutive_5xx',
  CONSECUTIVE_GATEWAY_FAILURE: 'consecutive_gateway_failure',
  CONSECUTIVE_LOCAL_ORIGIN_FAILURE: 'consecutive_local_origin_failure',
  SUCCESS_RATE: 'success_rate',
  SUCCESS_RATE_LOCAL_ORIGIN: 'local_origin_success_rate',
  FAILURE_PERCENTAGE: 'failure_percentage',
  FAILURE_PERCENTAGE_LOCAL_ORIGIN: 'local_origin_failure_percentage',
};

export class OutlierDetectionStats {
  readonly ejectionsActive: Gauge;
  readonly ejectionsOverflow: Counter;
  readonly ejectionsEnforcedTotal: Counter;
  /** Deprecated in Envoy, still emitted: consecutive-5xx and success-rate ejections that were allowed. */
  readonly ejectionsTotal: Counter;
  readonly ejectionsConsecutive5xx: Counter;
  readonly ejectionsSuccessRate: Counter;
  readonly detected: Record<OutlierEjectionType, Counter>;
  readonly enforced: Record<OutlierEjectionType, Counter>;

  constructor(store: StatsScope, clusterName: string) {
    const p = `cluster.${clusterName}.outlier_detection.`;
    this.ejectionsActive = store.gauge(p + 'ejections_active', 'neverImport');
    this.ejectionsOverflow = store.counter(p + 'ejections_overflow');
    this.ejectionsEnforcedTotal = store.counter(p + 'ejections_enforced_total');
    this.ejectionsTotal = store.counter(p + 'ejections_total');
    this.ejectionsConsecutive5xx = store.counter(p + 'ejections_consecutive_5xx');
    this.ejectionsSuccessRate = store.counter(p + 'ejections_success_rate');
    const detected = {} as Record<OutlierEjectionType, Counter>;
    const enforced = {} as Record<OutlierEjectionType, Counter>;
    for (const type of Object.keys(TYPE_STAT) as OutlierEjectionType[]) {
      detected[type] = store.counter(`${p}ejections_detected_${TYPE_STAT[type]}`);
      enforced[type] = store.counter(`${p}ejections_enforced_${TYPE_STAT[type]}`);
    }
    this.detected = detected;
    this.enforced = enforced;
  }
}
