/**
 * envoy.config.cluster.v3.CircuitBreakers → one CircuitBreakerThresholds per routing priority.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/circuit_breaker.proto
 *
 * As in Envoy, when several thresholds name the same priority the first one is used; a priority
 * with no thresholds gets the defaults (the consumer applies them: it is absent from the list).
 */
import type { ProtoObject } from '../proto-object.js';
import type { CircuitBreakerThresholds } from './cluster.types.js';
import { decodePercent } from './cluster-lb.js';
import { bool, enumOf, fieldPath, messages, obj, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

const DEFAULTS = {
  maxConnections: 1024, // Envoy default
  maxPendingRequests: 1024, // Envoy default
  maxRequests: 1024, // Envoy default
  maxRetries: 3, // Envoy default
  retryBudgetPercent: 20, // Envoy default (RetryBudget.budget_percent)
  retryBudgetMinRetryConcurrency: 3, // Envoy default (RetryBudget.min_retry_concurrency)
} as const;

/** Decodes circuit_breakers under `path` (the field's own path). */
export function decodeCircuitBreakers(msg: ProtoObject, path: string, errors: Errors): CircuitBreakerThresholds[] {
  rejectUnsupported(msg, path, ['per_host_thresholds'], errors);
  const all = messages(msg, 'thresholds', path, errors, (item, itemPath) => decodeThresholds(item, itemPath, errors));
  const out: CircuitBreakerThresholds[] = [];
  for (const t of all) if (!out.some((o) => o.priority === t.priority)) out.push(t);
  return out;
}

function decodeThresholds(msg: ProtoObject, path: string, errors: Errors): CircuitBreakerThresholds {
  rejectUnsupported(msg, path, ['max_connection_pools'], errors);
  const budgetMsg = obj(msg, 'retry_budget', path, errors);
  let retryBudget: CircuitBreakerThresholds['retryBudget'] = null;
  if (budgetMsg !== null) {
    const budgetPath = fieldPath(path, 'retry_budget');
    const percent = obj(budgetMsg, 'budget_percent', budgetPath, errors);
    retryBudget = {
      budgetPercent: percent === null ? DEFAULTS.retryBudgetPercent : decodePercent(percent, fieldPath(budgetPath, 'budget_percent'), errors),
      minRetryConcurrency: wrapped(budgetMsg, 'min_retry_concurrency', budgetPath, errors, DEFAULTS.retryBudgetMinRetryConcurrency),
    };
  }
  return {
    priority: enumOf(msg, 'priority', path, errors, ['DEFAULT', 'HIGH'] as const, 'DEFAULT'),
    maxConnections: wrapped(msg, 'max_connections', path, errors, DEFAULTS.maxConnections),
    maxPendingRequests: wrapped(msg, 'max_pending_requests', path, errors, DEFAULTS.maxPendingRequests),
    maxRequests: wrapped(msg, 'max_requests', path, errors, DEFAULTS.maxRequests),
    maxRetries: wrapped(msg, 'max_retries', path, errors, DEFAULTS.maxRetries),
    retryBudget,
    trackRemaining: bool(msg, 'track_remaining', path, errors),
  };
}
