/**
 * View of envoy.config.endpoint.v3.ClusterLoadAssignment.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/endpoint/v3/endpoint.proto
 */
import type { Locality, SocketAddress } from './common.types.js';

export type HealthStatus = 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY' | 'DRAINING' | 'TIMEOUT' | 'DEGRADED';

export interface LbEndpoint {
  readonly address: SocketAddress;
  /** endpoint.hostname; '' when absent. Used by auto_host_rewrite. */
  readonly hostname: string;
  readonly healthStatus: HealthStatus;
  /** Envoy default 1; must be ≥ 1. */
  readonly loadBalancingWeight: number;
  /** endpoint.health_check_config.port_value, 0 = the endpoint's own port. */
  readonly healthCheckPort: number;
}

export interface LocalityLbEndpoints {
  readonly locality: Locality;
  /** null when not set (then locality weighting is off for it). */
  readonly loadBalancingWeight: number | null;
  /** 0 is the highest priority; priorities must be contiguous from 0. */
  readonly priority: number;
  readonly lbEndpoints: readonly LbEndpoint[];
}

export interface ClusterLoadAssignment {
  readonly clusterName: string;
  readonly endpoints: readonly LocalityLbEndpoints[];
  /** policy.overprovisioning_factor as a ratio; Envoy default 140 → 1.4. */
  readonly overprovisioningFactor: number;
  readonly dropOverloads: readonly { readonly category: string; readonly dropPercentage: { readonly numerator: number; readonly denominator: number } }[];
  /** policy.endpoint_stale_after, 0 = never. */
  readonly endpointStaleAfterMs: number;
}
