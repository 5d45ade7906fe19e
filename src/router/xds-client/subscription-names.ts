/**
 * Which RDS and EDS resources the router must subscribe to, derived from the listeners and
 * clusters it holds (active or warming), as Envoy does: a listener's HCM with `rds` names its
 * RouteConfiguration; an EDS cluster names its ClusterLoadAssignment by
 * eds_cluster_config.service_name, or else its own name (already resolved by decodeCluster).
 */
import type { Cluster } from '../../xds/resources/cluster.types.js';
import type { Listener } from '../../xds/resources/listener.types.js';

/** RouteConfiguration names referenced by these listeners' HTTP connection managers through RDS. */
export function routeConfigNamesOf(listeners: Iterable<Listener>): Set<string> {
  const names = new Set<string>();
  for (const listener of listeners) {
    for (const name of rdsNamesOfListener(listener)) names.add(name);
  }
  return names;
}

/**
 * The RDS names one listener needs (every filter chain, the default one included). API listeners
 * (proxyless gRPC, no address) are not served by the router, so they subscribe to nothing.
 */
export function rdsNamesOfListener(listener: Listener): string[] {
  const out: string[] = [];
  const chains = listener.defaultFilterChain === null ? listener.filterChains : [...listener.filterChains, listener.defaultFilterChain];
  for (const chain of chains) {
    const route = chain.httpConnectionManager.route;
    if (route.kind === 'rds') out.push(route.routeConfigName);
  }
  return out;
}

/** ClusterLoadAssignment names of these clusters' EDS configs. */
export function edsNamesOf(clusters: Iterable<Cluster>): Set<string> {
  const names = new Set<string>();
  for (const cluster of clusters) if (cluster.type === 'EDS') names.add(cluster.edsServiceName);
  return names;
}
