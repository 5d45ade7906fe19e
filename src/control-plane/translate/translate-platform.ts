/**
 * The translator's entry point: the platform model for one region → every Envoy v3 resource the
 * control plane publishes for it. Pure and deterministic: the same state gives deep-equal output,
 * each list sorted by resource name, all of it deep-frozen.
 *
 *   Listener            ingress_http (RDS `ingress`) + one API listener per service (gRPC clients)
 *   RouteConfiguration  ingress
 *   Cluster             <service-id>--<revision> per revision, + its `--grpc` twin (to-cluster.ts)
 *   ClusterLoadAssignment  <service-id>--<revision> per revision (shared by both clusters)
 */
import type { PlatformState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { deepFreeze } from '../../xds/validation.js';
import { liveServices } from './live-services.js';
import { sortedBy } from './order.js';
import { toClusterLoadAssignment } from './to-cluster-load-assignment.js';
import { toCluster, toGrpcCluster } from './to-cluster.js';
import { toApiListener, toIngressListener } from './to-listener.js';
import { toIngressRouteConfiguration } from './to-route-configuration.js';

/** Resources in the ProtoObject form, each carrying '@type' (ready for packAny). */
export interface TranslatedResources {
  /** ingress_http and the API listeners; sorted by name. */
  readonly listeners: readonly ProtoObject[];
  /** The one `ingress` RouteConfiguration (API listeners carry theirs inline). */
  readonly routeConfigurations: readonly ProtoObject[];
  /** Sorted by name. */
  readonly clusters: readonly ProtoObject[];
  /** Sorted by cluster_name; exactly one per EDS service_name any cluster names. */
  readonly clusterLoadAssignments: readonly ProtoObject[];
}

/**
 * Translates `state` (every live service of one region, as the publisher read it from the store).
 * Called by the publisher controller on each store change; the result goes to the xDS snapshot
 * cache. DELETED services produce nothing.
 */
export function translatePlatform(state: PlatformState): TranslatedResources {
  const services = liveServices(state);
  const listeners: ProtoObject[] = [toIngressListener(state)];
  const clusters: ProtoObject[] = [];
  const assignments: ProtoObject[] = [];
  for (const serviceState of services) {
    listeners.push(toApiListener(serviceState, state));
    for (const revision of serviceState.revisions) {
      clusters.push(toCluster(serviceState.service, revision), toGrpcCluster(serviceState.service, revision));
      assignments.push(toClusterLoadAssignment(serviceState.service, revision, state.region));
    }
  }
  return deepFreeze({
    listeners: sortedBy(listeners, (l) => l.name as string),
    routeConfigurations: [toIngressRouteConfiguration(state)],
    clusters: sortedBy(clusters, (c) => c.name as string),
    clusterLoadAssignments: sortedBy(assignments, (a) => a.cluster_name as string),
  });
}
