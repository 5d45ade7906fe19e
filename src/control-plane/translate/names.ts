/**
 * Resource names the translator emits (DESIGN §3). Every name is derived from the service id and
 * revision name, so a name alone tells which tenant's service it belongs to:
 *
 *   Cluster / ClusterLoadAssignment   <service-id>--<revision>          clusterName
 *   gRPC-client cluster (same EDS)    <service-id>--<revision>--grpc    grpcClusterName
 *   VirtualHost                       <service-id>                      virtualHostName
 *   tag VirtualHost                   <service-id>--tag--<tag>          tagVirtualHostName
 *   tag host (its only domain)        <tag>---<service host>            tagHost
 *   API Listener (proxyless gRPC)     <service host>                    apiListenerName
 */
import { INGRESS_HTTP_LISTENER_NAME, INGRESS_ROUTE_CONFIG_NAME } from '../model/defaults.js';

export { INGRESS_HTTP_LISTENER_NAME, INGRESS_ROUTE_CONFIG_NAME };

/** Separates a revision tag from the service host in a tag host (DESIGN §3). */
export const TAG_HOST_SEPARATOR = '---';
/** Separates the parts of cluster and virtual host names. */
export const NAME_SEPARATOR = '--';
/** Suffix of the clusters that proxyless gRPC clients use (see to-cluster.ts `toGrpcCluster`). */
export const GRPC_CLUSTER_SUFFIX = '--grpc';

/** The EDS cluster of one revision, also its ClusterLoadAssignment's cluster_name: `<service-id>--<revision>`. */
export function clusterName(serviceId: string, revision: string): string {
  return `${serviceId}${NAME_SEPARATOR}${revision}`;
}

/** The cluster gRPC clients route to for one revision: `<service-id>--<revision>--grpc`. Its EDS name is clusterName(). */
export function grpcClusterName(serviceId: string, revision: string): string {
  return clusterName(serviceId, revision) + GRPC_CLUSTER_SUFFIX;
}

/** The host of a revision tag: `<tag>---<service host>`. */
export function tagHost(tag: string, host: string): string {
  return `${tag}${TAG_HOST_SEPARATOR}${host}`;
}

/** A service's virtual host: the service id. */
export function virtualHostName(serviceId: string): string {
  return serviceId;
}

/** The virtual host of a revision tag: `<service-id>--tag--<tag>`. */
export function tagVirtualHostName(serviceId: string, tag: string): string {
  return `${serviceId}${NAME_SEPARATOR}tag${NAME_SEPARATOR}${tag}`;
}

/** The API listener (and its inline route configuration) a gRPC client asks for with `xds:///<host>`. */
export function apiListenerName(host: string): string {
  return host;
}
