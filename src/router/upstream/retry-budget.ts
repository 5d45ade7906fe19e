/**
 * Envoy's retry budget (circuit_breakers.thresholds.retry_budget): instead of a fixed
 * max_retries, the concurrent retries a cluster allows scale with its load.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/circuit_breaker.proto#envoy-v3-api-msg-config-cluster-v3-circuitbreakers-thresholds-retrybudget
 *
 *   max retries = max(budget_percent% × (active requests + pending requests), min_retry_concurrency)
 *
 * (Envoy RetryBudgetImpl::max: the product is truncated to an integer, then the floor applies.)
 */

/** The concurrent retries the budget allows right now. */
export function retryBudgetMax(budgetPercent: number, minRetryConcurrency: number, activeRequests: number, pendingRequests: number): number {
  const fromLoad = Math.floor((budgetPercent / 100) * (activeRequests + pendingRequests));
  return fromLoad > minRetryConcurrency ? fromLoad : minRetryConcurrency;
}
