/**
 * Renders /clusters as Envoy does: one line per host statistic, `cluster::host:port::stat::value`,
 * summed across workers (each worker has its own pools and counters for the same hosts).
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--clusters
 */
import type { CircuitBreakerStatus, ClusterStatus, HostStatus } from '../worker/messages.js';

interface MergedHost {
  address: string;
  hostname: string;
  healthFlags: string;
  weight: number;
  priority: number;
  activeRequests: number;
  rqTotal: number;
  rqSuccess: number;
  rqError: number;
  cxTotal: number;
  successRate: number;
  localOriginSuccessRate: number;
}

/** Each cluster's circuit-breaker thresholds (identical on every worker: the first one is kept). */
function thresholdsByCluster(perWorker: readonly (readonly ClusterStatus[])[]): Map<string, CircuitBreakerStatus> {
  const out = new Map<string, CircuitBreakerStatus>();
  for (const worker of perWorker) for (const c of worker) if (c.circuitBreakers !== undefined && !out.has(c.name)) out.set(c.name, c.circuitBreakers);
  return out;
}

function merge(perWorker: readonly (readonly ClusterStatus[])[]): Map<string, Map<string, MergedHost>> {
  const clusters = new Map<string, Map<string, MergedHost>>();
  for (const worker of perWorker) {
    for (const cluster of worker) {
      let hosts = clusters.get(cluster.name);
      if (hosts === undefined) clusters.set(cluster.name, (hosts = new Map()));
      for (const h of cluster.hosts) {
        const m = hosts.get(h.address);
        if (m === undefined) hosts.set(h.address, { ...(h as HostStatus), successRate: h.successRate ?? -1, localOriginSuccessRate: h.localOriginSuccessRate ?? -1 });
        else {
          // Each worker's detector sees its own share of traffic: show the first evaluated rate.
          if (m.successRate < 0) m.successRate = h.successRate ?? -1;
          if (m.localOriginSuccessRate < 0) m.localOriginSuccessRate = h.localOriginSuccessRate ?? -1;
          m.activeRequests += h.activeRequests;
          m.rqTotal += h.rqTotal;
          m.rqSuccess += h.rqSuccess;
          m.rqError += h.rqError;
          m.cxTotal += h.cxTotal;
          // Any worker that sees the host unhealthy marks it (health checks run per worker).
          if (h.healthFlags !== 'healthy') m.healthFlags = h.healthFlags;
        }
      }
    }
  }
  return clusters;
}

export function renderClustersText(perWorker: readonly (readonly ClusterStatus[])[]): string {
  let out = '';
  const thresholds = thresholdsByCluster(perWorker);
  for (const [name, hosts] of merge(perWorker)) {
    const t = thresholds.get(name);
    if (t !== undefined) {
      out += `${name}::default_priority::max_connections::${t.maxConnections}\n`;
      out += `${name}::default_priority::max_pending_requests::${t.maxPendingRequests}\n`;
      out += `${name}::default_priority::max_requests::${t.maxRequests}\n`;
      out += `${name}::default_priority::max_retries::${t.maxRetries}\n`;
    }
    for (const h of hosts.values()) {
      const p = `${name}::${h.address}::`;
      out += `${p}cx_total::${h.cxTotal}\n`;
      out += `${p}rq_active::${h.activeRequests}\n`;
      out += `${p}rq_error::${h.rqError}\n`;
      out += `${p}rq_success::${h.rqSuccess}\n`;
      out += `${p}rq_total::${h.rqTotal}\n`;
      out += `${p}hostname::${h.hostname}\n`;
      out += `${p}health_flags::${h.healthFlags}\n`;
      out += `${p}weight::${h.weight}\n`;
      out += `${p}priority::${h.priority}\n`;
      out += `${p}success_rate::${formatRate(h.successRate)}\n`;
      out += `${p}local_origin_success_rate::${formatRate(h.localOriginSuccessRate)}\n`;
    }
  }
  return out;
}

export function renderClustersJson(perWorker: readonly (readonly ClusterStatus[])[]): string {
  const cluster_statuses = [];
  const thresholds = thresholdsByCluster(perWorker);
  for (const [name, hosts] of merge(perWorker)) {
    const t = thresholds.get(name);
    cluster_statuses.push({
      name,
      // admin.v3.ClusterStatus.circuit_breakers (priority DEFAULT is proto3's default, left out).
      ...(t === undefined
        ? {}
        : { circuit_breakers: { thresholds: [{ max_connections: t.maxConnections, max_pending_requests: t.maxPendingRequests, max_requests: t.maxRequests, max_retries: t.maxRetries }] } }),
      host_statuses: [...hosts.values()].map((h) => ({
        address: h.address,
        hostname: h.hostname,
        stats: [
          { name: 'cx_total', value: String(h.cxTotal) },
          { name: 'rq_active', value: String(h.activeRequests), type: 'GAUGE' },
          { name: 'rq_error', value: String(h.rqError) },
          { name: 'rq_success', value: String(h.rqSuccess) },
          { name: 'rq_total', value: String(h.rqTotal) },
        ],
        health_status: healthStatusJson(h.healthFlags),
        weight: h.weight,
        priority: h.priority,
        // admin.v3.HostStatus: set only when outlier detection evaluated the host.
        ...(h.successRate >= 0 ? { success_rate: { value: h.successRate } } : {}),
        ...(h.localOriginSuccessRate >= 0 ? { local_origin_success_rate: { value: h.localOriginSuccessRate } } : {}),
      })),
    });
  }
  return JSON.stringify({ cluster_statuses });
}

/**
 * Envoy's admin.v3.HostHealthStatus from the /clusters flag text: the failed_* / pending_* booleans
 * that are set (proto3 JSON leaves false out) and the EDS status; `flags` keeps the text form.
 */
export function healthStatusJson(flags: string): Record<string, unknown> {
  const status: Record<string, unknown> = {};
  if (flags.includes('/failed_active_hc')) status.failed_active_health_check = true;
  if (flags.includes('/failed_outlier_check')) status.failed_outlier_check = true;
  if (flags.includes('/pending_dynamic_removal')) status.pending_dynamic_removal = true;
  if (flags.includes('/pending_active_hc')) status.pending_active_hc = true;
  status.eds_health_status = flags.includes('/failed_eds_health') ? 'UNHEALTHY' : 'HEALTHY';
  status.flags = flags;
  return status;
}

/** Envoy prints the rate as a double, -1 when there is none. */
function formatRate(rate: number): string {
  return rate < 0 ? '-1' : String(rate);
}
