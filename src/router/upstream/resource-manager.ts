/**
 * Circuit-breaker accounting for one cluster at the DEFAULT routing priority (Envoy's
 * ResourceManagerImpl). Four resources, each a count against a threshold:
 *
 *   connections      ─ the pools, per connection opened/closed        (max_connections)
 *   pendingRequests  ─ the pools' wait queues                         (max_pending_requests)
 *   requests         ─ the router, per upstream attempt in flight      (max_requests)
 *   retries          ─ the router, per retry scheduled until decided   (max_retries, or retry_budget)
 *
 * Callers check `canX()` before taking a resource and `incX()` / `decX()` around its use; every
 * overflow is answered 503 with x-envoy-overloaded and flag UO. Each change refreshes Envoy's
 * gauges `cluster.<name>.circuit_breakers.default.{cx_open,rq_pending_open,rq_open,rq_retry_open}`
 * (1 while the breaker is at its limit) and, with track_remaining, `remaining_{cx,pending,rq,retries}`.
 * Limits are per worker (Envoy shares them across workers with atomics).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/circuit_breaker.proto
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats#circuit-breakers-statistics
 */
import type { CircuitBreakerThresholds } from '../../xds/resources/cluster.types.js';
import type { Gauge, StatsStore } from '../stats/stats-store.js';
import { retryBudgetMax } from './retry-budget.js';

/** Envoy defaults when a cluster sets no thresholds. */
export const DEFAULT_THRESHOLDS: CircuitBreakerThresholds = Object.freeze({
  priority: 'DEFAULT',
  maxConnections: 1024, // Envoy default
  maxPendingRequests: 1024, // Envoy default
  maxRequests: 1024, // Envoy default
  maxRetries: 3, // Envoy default
  retryBudget: null,
  trackRemaining: false,
});

/** The open / remaining gauge pair of one resource; `remaining` is null without track_remaining. */
class ResourceGauges {
  constructor(
    readonly open: Gauge,
    readonly remaining: Gauge | null,
  ) {}

  update(count: number, max: number): void {
    this.open.set(count >= max ? 1 : 0);
    if (this.remaining !== null) this.remaining.set(max > count ? max - count : 0);
  }
}

export class ResourceManager {
  connections = 0;
  pendingRequests = 0;
  requests = 0;
  retries = 0;
  readonly thresholds: CircuitBreakerThresholds;
  private readonly cx: ResourceGauges | null;
  private readonly pending: ResourceGauges | null;
  private readonly rq: ResourceGauges | null;
  private readonly retry: ResourceGauges | null;

  /** `store` and `clusterName` give the gauges; without them (unit tests) nothing is published. */
  constructor(thresholds: CircuitBreakerThresholds, store: StatsStore | null = null, clusterName = '') {
    this.thresholds = thresholds;
    if (store === null) {
      this.cx = this.pending = this.rq = this.retry = null;
      return;
    }
    const p = `cluster.${clusterName}.circuit_breakers.${thresholds.priority.toLowerCase()}.`;
    const track = thresholds.trackRemaining;
    // Across workers: an *_open gauge shows the largest (1 when any worker's breaker is open);
    // remaining_* are summed (each worker has its own limits).
    const pair = (open: string, remaining: string): ResourceGauges =>
      new ResourceGauges(store.gauge(p + open, 'neverImport'), track ? store.gauge(p + remaining) : null);
    this.cx = pair('cx_open', 'remaining_cx');
    this.pending = pair('rq_pending_open', 'remaining_pending');
    this.rq = pair('rq_open', 'remaining_rq');
    this.retry = pair('rq_retry_open', 'remaining_retries');
    this.cx.update(0, thresholds.maxConnections);
    this.pending.update(0, thresholds.maxPendingRequests);
    this.rq.update(0, thresholds.maxRequests);
    this.updateRetryGauges();
  }

  canCreateConnection(): boolean {
    return this.connections < this.thresholds.maxConnections;
  }
  canQueueRequest(): boolean {
    return this.pendingRequests < this.thresholds.maxPendingRequests;
  }
  canSendRequest(): boolean {
    return this.requests < this.thresholds.maxRequests;
  }
  canRetry(): boolean {
    return this.retries < this.maxRetries();
  }

  /** max_retries, or the retry budget's current allowance when retry_budget is set (max_retries is then ignored). */
  maxRetries(): number {
    const budget = this.thresholds.retryBudget;
    if (budget === null) return this.thresholds.maxRetries;
    return retryBudgetMax(budget.budgetPercent, budget.minRetryConcurrency, this.requests, this.pendingRequests);
  }

  incConnections(): void {
    this.connections++;
    if (this.cx !== null) this.cx.update(this.connections, this.thresholds.maxConnections);
  }
  decConnections(): void {
    this.connections--;
    if (this.cx !== null) this.cx.update(this.connections, this.thresholds.maxConnections);
  }
  incPending(): void {
    this.pendingRequests++;
    if (this.pending !== null) this.pending.update(this.pendingRequests, this.thresholds.maxPendingRequests);
  }
  decPending(): void {
    this.pendingRequests--;
    if (this.pending !== null) this.pending.update(this.pendingRequests, this.thresholds.maxPendingRequests);
  }
  incRequests(): void {
    this.requests++;
    if (this.rq !== null) this.rq.update(this.requests, this.thresholds.maxRequests);
  }
  decRequests(): void {
    this.requests--;
    if (this.rq !== null) this.rq.update(this.requests, this.thresholds.maxRequests);
  }
  incRetries(): void {
    this.retries++;
    this.updateRetryGauges();
  }
  decRetries(): void {
    this.retries--;
    this.updateRetryGauges();
  }

  private updateRetryGauges(): void {
    const gauges = this.retry;
    if (gauges === null) return;
    if (this.thresholds.retryBudget === null) {
      gauges.update(this.retries, this.thresholds.maxRetries);
      return;
    }
    // Envoy RetryBudgetImpl: the allowance moves with the load, so remaining_retries is held at 0.
    gauges.open.set(this.retries >= this.maxRetries() ? 1 : 0);
    if (gauges.remaining !== null) gauges.remaining.set(0);
  }
}
