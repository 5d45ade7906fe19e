/**
 * Everything a stream needs from its listener's HTTP connection manager, compiled once per
 * config snapshot: the decoded HCM view, the compiled route table, the clusters it may route
 * to, resolved stats and access loggers. Immutable; replaced whole on a config change.
 */
import type { HttpConnectionManager } from '../../xds/resources/listener.types.js';
import type { AccessLogger } from '../accesslog/access-log-sink.js';
import type { RouteTable } from '../routing/route-table.js';
import type { UpstreamCluster } from '../upstream/upstream-cluster.js';
import type { LocalRateLimitFilter } from '../filters/local-rate-limit-filter.js';
import type { RateLimitFilter } from '../filters/ratelimit-filter.js';
import type { HcmStats } from './hcm-stats.js';

/** Looks clusters up by name; the cluster manager of the worker implements it. */
export interface ClusterLookup {
  get(name: string): UpstreamCluster | undefined;
}

export class ConnectionManagerConfig {
  /** Max request head size in bytes (max_request_headers_kb). */
  readonly maxHeaderBytes: number;
  readonly websocketEnabled: boolean;
  constructor(
    readonly view: HttpConnectionManager,
    readonly routeTable: RouteTable,
    readonly clusters: ClusterLookup,
    readonly stats: HcmStats,
    readonly accessLoggers: readonly AccessLogger[],
    readonly listenerPort: number,
    /** envoy.filters.http.local_ratelimit of this HCM, or null when it has none. */
    readonly localRateLimit: LocalRateLimitFilter | null = null,
    /** envoy.filters.http.ratelimit (global, RLS) of this HCM, or null when it has none. */
    readonly rateLimit: RateLimitFilter | null = null,
  ) {
    this.maxHeaderBytes = view.maxRequestHeadersKb * 1024;
    this.websocketEnabled = view.upgradeConfigs.some((u) => u.upgradeType.toLowerCase() === 'websocket' && u.enabled);
  }
}
