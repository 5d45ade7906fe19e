/**
 * Where the ADS stream goes: the first of `ads_config.grpc_services` (Envoy uses the first; the
 * rest are not failover targets), either
 *   envoy_grpc { cluster_name } → that static cluster's first endpoint, "host:port", or
 *   google_grpc { target_uri }  → the URI as gRPC takes it ("127.0.0.1:18000", "dns:///cp:18000").
 * The bootstrap decoder already checked that an envoy_grpc cluster is a static one.
 */
import type { Bootstrap } from '../../xds/resources/bootstrap.types.js';

/** The gRPC target, or a message saying why there is none. */
export function resolveAdsTarget(bootstrap: Bootstrap): { ok: true; target: string } | { ok: false; message: string } {
  const ads = bootstrap.dynamicResources?.adsConfig ?? null;
  if (ads === null) return { ok: false, message: 'no dynamic_resources.ads_config' };
  const service = ads.grpcServices[0];
  if (service === undefined) return { ok: false, message: 'ads_config.grpc_services is empty' };
  if (service.kind === 'googleGrpc') return { ok: true, target: service.targetUri };
  const cluster = bootstrap.staticClusters.find((c) => c.name === service.clusterName);
  if (cluster === undefined) return { ok: false, message: `ads_config.grpc_services[0].envoy_grpc.cluster_name "${service.clusterName}" is not a static cluster` };
  const endpoint = cluster.loadAssignment?.endpoints[0]?.lbEndpoints[0];
  if (endpoint === undefined) return { ok: false, message: `static cluster "${cluster.name}" has no endpoint` };
  const { host, port } = endpoint.address;
  return { ok: true, target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}` };
}
