/**
 * One service's share of the translation: everything that depends on that service alone (its API
 * listener, per-revision clusters and assignments, its ingress virtual host specs). The
 * RouteConfiguration and the ingress listener span services and are assembled from these.
 */
import type { ServiceState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { deepFreeze } from '../../xds/validation.js';
import { toClusterLoadAssignment } from './to-cluster-load-assignment.js';
import { toCluster, toGrpcCluster } from './to-cluster.js';
import { toApiListener } from './to-listener.js';
import { toServiceVirtualHosts, type VirtualHostSpec } from './to-virtual-hosts.js';

export interface ServiceResources {
  /** Named-only in the snapshot: only proxyless gRPC clients ask for it, by name. */
  readonly apiListener: ProtoObject;
  readonly clusters: readonly ProtoObject[];
  /** The names of the `--grpc` twins among `clusters`: named-only, like the API listener. */
  readonly namedOnlyClusters: readonly string[];
  readonly clusterLoadAssignments: readonly ProtoObject[];
  /** Ingress-flavor virtual hosts, domains not yet settled across services. */
  readonly virtualHostSpecs: readonly VirtualHostSpec[];
}

/** Translates one live service of `region`; the result is deep-frozen. `globalRateLimit`: see toServiceVirtualHosts. */
export function translateService(serviceState: ServiceState, region: string, globalRateLimit = false): ServiceResources {
  const { service } = serviceState;
  const clusters: ProtoObject[] = [];
  const clusterLoadAssignments: ProtoObject[] = [];
  const namedOnlyClusters: string[] = [];
  for (const revision of serviceState.revisions) {
    const twin = toGrpcCluster(service, revision);
    clusters.push(toCluster(service, revision), twin);
    namedOnlyClusters.push(twin.name as string);
    clusterLoadAssignments.push(toClusterLoadAssignment(service, revision, region));
  }
  return deepFreeze({
    apiListener: toApiListener(serviceState),
    clusters,
    namedOnlyClusters,
    clusterLoadAssignments,
    virtualHostSpecs: toServiceVirtualHosts(serviceState, 'ingress', globalRateLimit),
  });
}
