/**
 * Circuit-breaker accounting for one cluster at one routing priority (Envoy's ResourceManager).
 * The pools and the router filter check `canCreate*` before taking a resource and release it
 * after; every overflow is answered 503 with x-envoy-overloaded and flag UO.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/circuit_breaker.proto
 */
import type { CircuitBreakerThresholds } from '../../xds/resources/cluster.types.js';

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

export class ResourceManager {
  connections = 0;
  pendingRequests = 0;
  requests = 0;
  retries = 0;
  constructor(readonly thresholds: CircuitBreakerThresholds) {}

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
    return this.retries < this.thresholds.maxRetries;
  }
}
