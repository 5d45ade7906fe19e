/**
 * The per-cluster active health checking stats, with Envoy's names
 * (https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats#health-check-statistics):
 * cluster.<name>.health_check.{attempt,success,failure,passive_failure,network_failure,verify_cluster}
 * and the gauges healthy / degraded.
 *
 * Every worker runs its own checkers (health-manager.ts), so the counters summed by the admin
 * count every probe sent; the gauges hold the same value in each worker and are merged as Envoy's
 * NeverImport gauges (the largest is shown), not summed.
 */
import type { Counter, Gauge, StatsScope } from '../stats/stats-store.js';

export class HealthCheckerStats {
  readonly attempt: Counter;
  readonly success: Counter;
  readonly failure: Counter;
  readonly passiveFailure: Counter;
  readonly networkFailure: Counter;
  readonly verifyCluster: Counter;
  readonly healthy: Gauge;
  readonly degraded: Gauge;

  constructor(store: StatsScope, clusterName: string) {
    const p = `cluster.${clusterName}.health_check.`;
    this.attempt = store.counter(p + 'attempt');
    this.success = store.counter(p + 'success');
    this.failure = store.counter(p + 'failure');
    this.passiveFailure = store.counter(p + 'passive_failure');
    this.networkFailure = store.counter(p + 'network_failure');
    this.verifyCluster = store.counter(p + 'verify_cluster');
    this.healthy = store.gauge(p + 'healthy', 'neverImport');
    this.degraded = store.gauge(p + 'degraded', 'neverImport');
  }
}
