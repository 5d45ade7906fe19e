/**
 * One upstream endpoint of a cluster (Envoy's Host). Holds its address, weight, health flags and
 * the HTTP/1 connection pool to it. Balancers see it through the LbHost fields.
 */
import type { LbEndpoint } from '../../xds/resources/cluster-load-assignment.types.js';
import type { Http1ConnectionPool } from './connection-pool.js';

/** Health flag bits, as Envoy's Host::HealthFlag. A host is available when no bit is set. */
export const HealthFlag = {
  FailedActiveHealthCheck: 1,
  FailedOutlierCheck: 2,
  FailedEdsHealth: 4,
  PendingDynamicRemoval: 8,
  PendingActiveHealthCheck: 16,
} as const;

/**
 * What the request path reports to outlier detection about one host (Envoy's
 * Outlier::Result for putResult). Codes, not objects, so reporting allocates nothing.
 */
export const OutlierResult = {
  /** A connection to the host is ready for the request (Envoy LocalOriginConnectSuccess). */
  LocalOriginConnectSuccess: 0,
  /** Connecting failed, or the connection reset before a response (LocalOriginConnectFailed). */
  LocalOriginConnectFailed: 1,
  /** No response within the route timeout (LocalOriginTimeout). */
  LocalOriginTimeout: 2,
} as const;
export type OutlierResult = (typeof OutlierResult)[keyof typeof OutlierResult];

/**
 * The passive health observer of one host (Envoy's Outlier::DetectorHostMonitor), fed by the
 * request path (http-stream.ts) on the worker. router/health implements it and sets `host.outlier`
 * when the cluster has outlier_detection; upstream only defines the shape, so it never imports
 * health (DESIGN §4). Each call is a couple of counter updates and never allocates.
 */
export interface HostOutlierMonitor {
  /** The upstream answered with `status` (Envoy putHttpResponseCode), on the response head. */
  putHttpResponseCode(status: number): void;
  /** A local-origin event: connect success/failure or timeout (Envoy putResult). */
  putResult(result: OutlierResult): void;
  /** Success rate (percent) over the last interval, -1 when not evaluated; admin /clusters. */
  readonly successRate: number;
  /** The same for local-origin results (split_external_local_origin_errors). */
  readonly localOriginSuccessRate: number;
}

export class Host {
  readonly address: string;
  readonly ip: string;
  readonly port: number;
  readonly hostname: string;
  /** Where active health checks connect: endpoint.health_check_config.port_value, else `port`. */
  readonly healthCheckPort: number;
  weight: number;
  priority: number;
  healthFlags = 0;
  /** Requests currently assigned to this host (least-request balancing, /clusters). */
  activeRequests = 0;
  rqTotal = 0;
  rqSuccess = 0;
  rqError = 0;
  cxTotal = 0;
  /** Set by the cluster right after construction. */
  pool: Http1ConnectionPool | null = null;
  /** Set by router/health while the cluster has outlier_detection; null otherwise. */
  outlier: HostOutlierMonitor | null = null;

  constructor(endpoint: LbEndpoint, priority: number) {
    this.ip = endpoint.address.host;
    this.port = endpoint.address.port;
    this.address = this.ip.includes(':') ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`;
    this.hostname = endpoint.hostname;
    this.healthCheckPort = endpoint.healthCheckPort > 0 ? endpoint.healthCheckPort : this.port;
    this.weight = endpoint.loadBalancingWeight;
    this.priority = priority;
    if (endpoint.healthStatus === 'UNHEALTHY' || endpoint.healthStatus === 'DRAINING' || endpoint.healthStatus === 'TIMEOUT') {
      this.healthFlags |= HealthFlag.FailedEdsHealth;
    }
  }

  get available(): boolean {
    return this.healthFlags === 0;
  }

  /** Envoy's /clusters health_flags text: 'healthy' or '/failed_active_hc/failed_outlier_check…'. */
  healthFlagsText(): string {
    if (this.healthFlags === 0) return 'healthy';
    let s = '';
    if (this.healthFlags & HealthFlag.FailedActiveHealthCheck) s += '/failed_active_hc';
    if (this.healthFlags & HealthFlag.FailedOutlierCheck) s += '/failed_outlier_check';
    if (this.healthFlags & HealthFlag.FailedEdsHealth) s += '/failed_eds_health';
    if (this.healthFlags & HealthFlag.PendingDynamicRemoval) s += '/pending_dynamic_removal';
    if (this.healthFlags & HealthFlag.PendingActiveHealthCheck) s += '/pending_active_hc';
    return s;
  }
}
