/**
 * The per-cluster stats, resolved once when the cluster is built so the request path only calls
 * `inc()` on objects it holds. Names are Envoy's: cluster.<name>.<stat>.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats
 */
import type { Counter, Gauge, Histogram, StatsStore } from '../stats/stats-store.js';

export class ClusterStats {
  readonly upstreamRqTotal: Counter;
  readonly upstreamRqCompleted: Counter;
  /** upstream_rq_1xx … upstream_rq_5xx, indexed by status / 100. */
  readonly upstreamRqClass: Counter[];
  readonly upstreamRqActive: Gauge;
  readonly upstreamRqTime: Histogram;
  readonly upstreamRqTimeout: Counter;
  readonly upstreamRqPerTryTimeout: Counter;
  readonly upstreamRqRxReset: Counter;
  readonly upstreamRqTxReset: Counter;
  readonly upstreamRqPendingTotal: Counter;
  readonly upstreamRqPendingActive: Gauge;
  readonly upstreamRqPendingOverflow: Counter;
  readonly upstreamRqRetry: Counter;
  readonly upstreamRqRetrySuccess: Counter;
  readonly upstreamRqRetryOverflow: Counter;
  readonly upstreamRqRetryLimitExceeded: Counter;
  readonly upstreamRqRetryBackoffExponential: Counter;
  readonly upstreamRqRetryBackoffRatelimited: Counter;
  readonly upstreamRqPerTryIdleTimeout: Counter;
  /** Retries given up because the request body outgrew the retry buffer (Envoy retry_or_shadow_abandoned). */
  readonly retryOrShadowAbandoned: Counter;
  readonly upstreamCxTotal: Counter;
  readonly upstreamCxActive: Gauge;
  readonly upstreamCxConnectFail: Counter;
  readonly upstreamCxConnectTimeout: Counter;
  readonly upstreamCxIdleTimeout: Counter;
  readonly upstreamCxDestroy: Counter;
  readonly upstreamCxOverflow: Counter;
  readonly upstreamCxNoneHealthy: Counter;
  readonly upstreamCxRxBytesTotal: Counter;
  readonly upstreamCxTxBytesTotal: Counter;
  readonly membershipTotal: Gauge;
  readonly membershipHealthy: Gauge;
  private readonly store: StatsStore;
  private readonly prefix: string;
  private readonly byCode = new Map<number, Counter>();
  private readonly retriedByCode = new Map<number, Counter>();

  constructor(store: StatsStore, clusterName: string) {
    this.store = store;
    const p = (this.prefix = `cluster.${clusterName}.`);
    this.upstreamRqTotal = store.counter(p + 'upstream_rq_total');
    this.upstreamRqCompleted = store.counter(p + 'upstream_rq_completed');
    this.upstreamRqClass = [0, 1, 2, 3, 4, 5].map((c) => store.counter(`${p}upstream_rq_${c === 0 ? 1 : c}xx`));
    this.upstreamRqActive = store.gauge(p + 'upstream_rq_active');
    this.upstreamRqTime = store.histogram(p + 'upstream_rq_time', 'ms');
    this.upstreamRqTimeout = store.counter(p + 'upstream_rq_timeout');
    this.upstreamRqPerTryTimeout = store.counter(p + 'upstream_rq_per_try_timeout');
    this.upstreamRqRxReset = store.counter(p + 'upstream_rq_rx_reset');
    this.upstreamRqTxReset = store.counter(p + 'upstream_rq_tx_reset');
    this.upstreamRqPendingTotal = store.counter(p + 'upstream_rq_pending_total');
    this.upstreamRqPendingActive = store.gauge(p + 'upstream_rq_pending_active');
    this.upstreamRqPendingOverflow = store.counter(p + 'upstream_rq_pending_overflow');
    this.upstreamRqRetry = store.counter(p + 'upstream_rq_retry');
    this.upstreamRqRetrySuccess = store.counter(p + 'upstream_rq_retry_success');
    this.upstreamRqRetryOverflow = store.counter(p + 'upstream_rq_retry_overflow');
    this.upstreamRqRetryLimitExceeded = store.counter(p + 'upstream_rq_retry_limit_exceeded');
    this.upstreamRqRetryBackoffExponential = store.counter(p + 'upstream_rq_retry_backoff_exponential');
    this.upstreamRqRetryBackoffRatelimited = store.counter(p + 'upstream_rq_retry_backoff_ratelimited');
    this.upstreamRqPerTryIdleTimeout = store.counter(p + 'upstream_rq_per_try_idle_timeout');
    this.retryOrShadowAbandoned = store.counter(p + 'retry_or_shadow_abandoned');
    this.upstreamCxTotal = store.counter(p + 'upstream_cx_total');
    this.upstreamCxActive = store.gauge(p + 'upstream_cx_active');
    this.upstreamCxConnectFail = store.counter(p + 'upstream_cx_connect_fail');
    this.upstreamCxConnectTimeout = store.counter(p + 'upstream_cx_connect_timeout');
    this.upstreamCxIdleTimeout = store.counter(p + 'upstream_cx_idle_timeout');
    this.upstreamCxDestroy = store.counter(p + 'upstream_cx_destroy');
    this.upstreamCxOverflow = store.counter(p + 'upstream_cx_overflow');
    this.upstreamCxNoneHealthy = store.counter(p + 'upstream_cx_none_healthy');
    this.upstreamCxRxBytesTotal = store.counter(p + 'upstream_cx_rx_bytes_total');
    this.upstreamCxTxBytesTotal = store.counter(p + 'upstream_cx_tx_bytes_total');
    this.membershipTotal = store.gauge(p + 'membership_total');
    this.membershipHealthy = store.gauge(p + 'membership_healthy');
  }

  /** Counts one upstream response: upstream_rq_<class>xx and upstream_rq_<code>. */
  recordResponseCode(status: number): void {
    const cls = (status / 100) | 0;
    if (cls >= 1 && cls <= 5) this.upstreamRqClass[cls].inc();
    let c = this.byCode.get(status);
    if (c === undefined) {
      c = this.store.counter(`${this.prefix}upstream_rq_${status}`);
      this.byCode.set(status, c);
    }
    c.inc();
  }

  /**
   * Counts a response that was retried instead of forwarded: Envoy charges these to
   * cluster.<name>.retry.upstream_rq_<class>xx and retry.upstream_rq_<code>, not to the plain ones.
   */
  recordRetriedResponseCode(status: number): void {
    const cls = (status / 100) | 0;
    if (cls >= 1 && cls <= 5) this.retriedCounter(-cls).inc();
    this.retriedCounter(status).inc();
  }

  /** `key` > 0: a status code; < 0: minus a status class. */
  private retriedCounter(key: number): Counter {
    let c = this.retriedByCode.get(key);
    if (c === undefined) {
      c = this.store.counter(`${this.prefix}retry.upstream_rq_${key < 0 ? `${-key}xx` : key}`);
      this.retriedByCode.set(key, c);
    }
    return c;
  }
}
