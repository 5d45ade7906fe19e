/**
 * View of envoy.config.cluster.v3.Cluster (the subset the router implements).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 */
import type { ClusterLoadAssignment } from './cluster-load-assignment.types.js';
import type { ConfigSource, SocketAddress } from './common.types.js';

export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'RING_HASH' | 'MAGLEV';

export interface CircuitBreakerThresholds {
  readonly priority: 'DEFAULT' | 'HIGH';
  /** Envoy defaults 1024 / 1024 / 1024 / 3. */
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
  readonly retryBudget: { readonly budgetPercent: number; readonly minRetryConcurrency: number } | null;
  readonly trackRemaining: boolean;
}

export interface HealthCheck {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly intervalJitterMs: number;
  readonly intervalJitterPercent: number;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
  /** Envoy default 60000. */
  readonly noTrafficIntervalMs: number;
  readonly unhealthyIntervalMs: number;
  readonly healthyEdgeIntervalMs: number;
  readonly unhealthyEdgeIntervalMs: number;
  readonly eventLogPath: string;
  readonly alwaysLogHealthCheckFailures: boolean;
  /** Also log every passing check (successful_health_check_event). Envoy default false. */
  readonly alwaysLogHealthCheckSuccess: boolean;
  /** The first check of a host runs after a random 0…initial_jitter ms. Envoy default 0. */
  readonly initialJitterMs: number;
  /** Keep the HTTP check connection between checks. Envoy default true. */
  readonly reuseConnection: boolean;
  readonly checker:
    | {
        readonly kind: 'http';
        readonly host: string;
        readonly path: string;
        /** [start, end) ranges; Envoy default [[200, 201)]. */
        readonly expectedStatuses: readonly (readonly [number, number])[];
        /**
         * [start, end) ranges that count towards unhealthy_threshold instead of ejecting at once;
         * expected_statuses wins where both match. Envoy default none.
         */
        readonly retriableStatuses: readonly (readonly [number, number])[];
        readonly method: string;
      }
    | { readonly kind: 'tcp'; readonly send: Buffer | null; readonly receive: readonly Buffer[] };
}

export interface OutlierDetection {
  readonly consecutive5xx: number; // Envoy default 5
  readonly consecutiveGatewayFailure: number; // 5
  readonly consecutiveLocalOriginFailure: number; // 5
  readonly intervalMs: number; // 10000
  readonly baseEjectionTimeMs: number; // 30000
  readonly maxEjectionTimeMs: number; // 300000
  readonly maxEjectionPercent: number; // 10
  readonly enforcingConsecutive5xx: number; // 100
  readonly enforcingConsecutiveGatewayFailure: number; // 0
  readonly enforcingConsecutiveLocalOriginFailure: number; // 100
  readonly enforcingSuccessRate: number; // 100
  readonly successRateMinimumHosts: number; // 5
  readonly successRateRequestVolume: number; // 100
  readonly successRateStdevFactor: number; // 1900 (÷1000)
  readonly failurePercentageThreshold: number; // 85
  readonly enforcingFailurePercentage: number; // 0
  readonly enforcingFailurePercentageLocalOrigin: number; // 0
  readonly failurePercentageMinimumHosts: number; // 5
  readonly failurePercentageRequestVolume: number; // 50
  readonly splitExternalLocalOriginErrors: boolean; // false
}

export interface Cluster {
  readonly name: string;
  readonly type: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS' | 'EDS';
  /** For EDS clusters: the ClusterLoadAssignment name (service_name, or the cluster name). */
  readonly edsServiceName: string;
  readonly edsConfig: ConfigSource | null;
  /** Envoy default 5000. */
  readonly connectTimeoutMs: number;
  readonly lbPolicy: LbPolicy;
  /** least_request_lb_config.choice_count, Envoy default 2. */
  readonly leastRequestChoiceCount: number;
  /** least_request_lb_config.active_request_bias, Envoy default 1.0. */
  readonly leastRequestActiveRequestBias: number;
  /** ring_hash_lb_config; Envoy defaults 1024 and 8M. */
  readonly ringHashMinimumRingSize: number;
  readonly ringHashMaximumRingSize: number;
  /** maglev_lb_config.table_size, Envoy default 65537 (must be prime). */
  readonly maglevTableSize: number;
  /** common_lb_config.healthy_panic_threshold percent, Envoy default 50. */
  readonly healthyPanicThresholdPercent: number;
  /** STATIC/STRICT_DNS clusters; null for EDS clusters. */
  readonly loadAssignment: ClusterLoadAssignment | null;
  readonly circuitBreakers: readonly CircuitBreakerThresholds[];
  readonly healthChecks: readonly HealthCheck[];
  readonly outlierDetection: OutlierDetection | null;
  /** 'http1' unless http2_protocol_options / typed_extension_protocol_options ask for HTTP/2. */
  readonly upstreamProtocol: 'http1' | 'http2';
  /** common_http_protocol_options.idle_timeout for upstream connections, Envoy default 3600000. */
  readonly upstreamIdleTimeoutMs: number;
  /** max_requests_per_connection, 0 = unlimited. */
  readonly maxRequestsPerConnection: number;
  /** per_connection_buffer_limit_bytes, Envoy default 1 MiB. */
  readonly perConnectionBufferLimitBytes: number;
  readonly ignoreHealthOnHostRemoval: boolean;
  /** The LRS server, when lrs_server is set. */
  readonly lrsServer: ConfigSource | null;
  /** upstream_bind_config.source_address, if any. */
  readonly upstreamBindAddress: SocketAddress | null;
}
