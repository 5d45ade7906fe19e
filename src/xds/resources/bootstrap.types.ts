/**
 * View of envoy.config.bootstrap.v3.Bootstrap, the subset `switchyard router --config` takes.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/bootstrap/v3/bootstrap.proto
 */
import type { Cluster } from './cluster.types.js';
import type { Locality, SocketAddress } from './common.types.js';
import type { Listener } from './listener.types.js';

export interface Node {
  readonly id: string;
  readonly cluster: string;
  readonly locality: Locality;
  /** node.metadata as plain JSON (google.protobuf.Struct). */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly userAgentName: string;
}

/** A gRPC service the router dials: a static cluster (envoy_grpc) or a target URI (google_grpc). */
export type GrpcService =
  | { readonly kind: 'envoyGrpc'; readonly clusterName: string }
  | { readonly kind: 'googleGrpc'; readonly targetUri: string };

export interface AdsConfig {
  readonly apiType: 'GRPC' | 'DELTA_GRPC';
  readonly grpcServices: readonly GrpcService[];
  readonly setNodeOnFirstMessageOnly: boolean;
}

export interface DynamicResources {
  readonly adsConfig: AdsConfig | null;
  /** lds_config / cds_config; we only accept `ads: {}` sources. */
  readonly ldsFromAds: boolean;
  readonly cdsFromAds: boolean;
}

export interface Admin {
  readonly address: SocketAddress;
  readonly accessLogPath: string;
}

export interface Bootstrap {
  readonly node: Node;
  readonly staticListeners: readonly Listener[];
  readonly staticClusters: readonly Cluster[];
  readonly dynamicResources: DynamicResources | null;
  readonly admin: Admin | null;
  /** stats_flush_interval, Envoy default 5000. */
  readonly statsFlushIntervalMs: number;
  /**
   * cluster_manager.outlier_detection.event_log_path: where outlier ejection events go as JSON
   * lines; '' = not logged. (Envoy keeps this in the bootstrap, not on the Cluster.)
   */
  readonly outlierEventLogPath: string;
}
