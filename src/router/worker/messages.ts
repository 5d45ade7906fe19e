/**
 * The IPC contract between the router's primary process and its workers (node:cluster with the
 * 'advanced' serialization, so Buffers and nested objects cross as they are). Configs travel as
 * patches against the previous one (config-patch.ts).
 */
import type { ConfigPatch } from './config-patch.js';
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { ClusterLoadAssignment } from '../../xds/resources/cluster-load-assignment.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';
import type { RouteConfiguration } from '../../xds/resources/route-configuration.types.js';

/**
 * One complete, validated and warmed config: what every worker serves. Listeners whose HCM uses
 * RDS find their RouteConfiguration by name in `routeConfigs`; EDS clusters find their endpoints
 * by service name in `endpoints`.
 */
export interface RouterConfig {
  readonly version: string;
  readonly listeners: readonly Listener[];
  readonly clusters: readonly Cluster[];
  readonly routeConfigs: readonly RouteConfiguration[];
  readonly endpoints: readonly ClusterLoadAssignment[];
  /** The bootstrap's cluster_manager.outlier_detection.event_log_path ('' or absent = none). */
  readonly outlierEventLogPath?: string;
}

export interface HostStatus {
  readonly address: string;
  readonly healthFlags: string;
  readonly weight: number;
  readonly priority: number;
  readonly activeRequests: number;
  readonly rqTotal: number;
  readonly rqSuccess: number;
  readonly rqError: number;
  readonly cxTotal: number;
  readonly hostname: string;
  /** Outlier detection's last success rate (percent), -1 when none; absent without outlier detection. */
  readonly successRate?: number;
  readonly localOriginSuccessRate?: number;
}

export interface ClusterStatus {
  readonly name: string;
  readonly hosts: readonly HostStatus[];
  /** The DEFAULT-priority circuit-breaker thresholds in force (the same on every worker). */
  readonly circuitBreakers?: CircuitBreakerStatus;
}

/** Thresholds as /clusters prints them (cluster::default_priority::max_connections::1024 …). */
export interface CircuitBreakerStatus {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
}

export type PrimaryToWorker =
  | { readonly type: 'config'; readonly patch: ConfigPatch }
  | { readonly type: 'stats'; readonly requestId: number }
  | { readonly type: 'clusters'; readonly requestId: number }
  | { readonly type: 'drain'; readonly timeoutMs: number }
  /** Sent with a copy of the listener's listening handle: one more descriptor to accept on (acceptors.ts). */
  | { readonly type: 'listener-fd'; readonly listener: string };

export type WorkerToPrimary =
  | { readonly type: 'started' }
  | { readonly type: 'config-applied'; readonly version: string; readonly listeners: readonly { name: string; port: number }[] }
  | { readonly type: 'config-failed'; readonly version: string; readonly message: string }
  | { readonly type: 'stats'; readonly requestId: number; readonly snapshot: unknown }
  | { readonly type: 'clusters'; readonly requestId: number; readonly clusters: readonly ClusterStatus[] }
  /** Sent with the listener's listening handle: send it back `copies` times as 'listener-fd'. */
  | { readonly type: 'listener-fds'; readonly listener: string; readonly copies: number };
