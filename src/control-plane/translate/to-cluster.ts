/**
 * One EDS Cluster per revision (DESIGN §3), and its twin for proxyless gRPC clients.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 *
 * Why a twin: grpc-js-xds accepts only lb_policy ROUND_ROBIN or RING_HASH (it NACKs LEAST_REQUEST,
 * the platform default, as well as RANDOM and MAGLEV), and our router refuses the
 * load_balancing_policy field that would let one cluster serve both. The twin
 * `<service-id>--<revision>--grpc` shares the revision's ClusterLoadAssignment (same EDS
 * service_name), carries no active health check (grpc-js-xds ignores it; a router would only
 * probe the instances twice) and is referenced only from the service's API listener.
 */
import type { LbPolicy } from '../../xds/resources/cluster.types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { CLUSTER_TYPE_URL } from '../../xds/type-urls.js';
import type { Revision, Service } from '../model/types.js';
import { clusterName, grpcClusterName } from './names.js';
import { adsConfigSource, duration, wrap } from './proto-values.js';
import { toHealthCheck } from './to-health-check.js';

const DEFAULTS = {
  connectTimeoutMs: 5_000, // Envoy default (Cluster.connect_timeout), stated so every router agrees
  healthyPanicThresholdPercent: 50, // Envoy default (CommonLbConfig.healthy_panic_threshold)
  consecutive5xx: 5, // Envoy default (OutlierDetection.consecutive_5xx)
  outlierIntervalMs: 10_000, // Envoy default (OutlierDetection.interval)
  baseEjectionTimeMs: 30_000, // Envoy default (OutlierDetection.base_ejection_time)
  maxEjectionPercent: 10, // Envoy default (OutlierDetection.max_ejection_percent)
} as const;

/** The revision's cluster: EDS over ADS, the service's lb_policy, health check and Envoy's outlier detection. */
export function toCluster(service: Service, revision: Revision): ProtoObject {
  const name = clusterName(service.id, revision.name);
  return {
    ...edsCluster(name, name, service.routing.lbPolicy),
    health_checks: [toHealthCheck(service.healthCheck)],
    outlier_detection: outlierDetection(),
    common_lb_config: { healthy_panic_threshold: { value: DEFAULTS.healthyPanicThresholdPercent } },
  };
}

/** The revision's cluster for gRPC clients (see the file comment): same endpoints, a policy grpc-js-xds takes. */
export function toGrpcCluster(service: Service, revision: Revision): ProtoObject {
  return {
    ...edsCluster(grpcClusterName(service.id, revision.name), clusterName(service.id, revision.name), grpcLbPolicy(service.routing.lbPolicy)),
    outlier_detection: outlierDetection(),
  };
}

/**
 * RING_HASH stays (grpc-js-xds implements it); every other policy becomes ROUND_ROBIN, the closest
 * it has to least-request and random; MAGLEV has no hash policy to honour here either.
 */
export function grpcLbPolicy(policy: LbPolicy): 'ROUND_ROBIN' | 'RING_HASH' {
  return policy === 'RING_HASH' ? 'RING_HASH' : 'ROUND_ROBIN';
}

function edsCluster(name: string, edsServiceName: string, lbPolicy: LbPolicy): ProtoObject {
  return {
    '@type': CLUSTER_TYPE_URL,
    name,
    type: 'EDS',
    // eds_cluster_config.service_name: the ClusterLoadAssignment's cluster_name, fetched over ADS.
    eds_cluster_config: { eds_config: adsConfigSource(), service_name: edsServiceName },
    connect_timeout: duration(DEFAULTS.connectTimeoutMs),
    lb_policy: lbPolicy,
  };
}

/** Envoy's default outlier detection, spelled out (an empty message would mean the same to Envoy). */
function outlierDetection(): ProtoObject {
  return {
    consecutive_5xx: wrap(DEFAULTS.consecutive5xx),
    interval: duration(DEFAULTS.outlierIntervalMs),
    base_ejection_time: duration(DEFAULTS.baseEjectionTimeMs),
    max_ejection_percent: wrap(DEFAULTS.maxEjectionPercent),
  };
}
