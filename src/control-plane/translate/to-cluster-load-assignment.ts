/**
 * One ClusterLoadAssignment per revision: its instances, in one locality at priority 0.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/endpoint/v3/endpoint.proto
 */
import type { Revision, Service } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL } from '../../xds/type-urls.js';
import { usableEndpoints } from './endpoints.js';
import { clusterName } from './names.js';
import { wrap } from './proto-values.js';

/**
 * The revision's assignment, cluster_name = clusterName(service.id, revision.name). Locality
 * { region, zone: region } with load_balancing_weight 1: grpc-js-xds silently drops localities
 * without a weight. health_status is left UNKNOWN: health is the routers' active checks' call.
 * A revision with no endpoints gets an assignment with no localities (its cluster is empty).
 */
export function toClusterLoadAssignment(service: Service, revision: Revision, region: string): ProtoObject {
  const endpoints = usableEndpoints(revision);
  const localities: ProtoObject[] =
    endpoints.length === 0
      ? []
      : [
          {
            locality: { region, zone: region },
            load_balancing_weight: wrap(1),
            priority: 0,
            lb_endpoints: endpoints.map((e) => ({
              endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } },
              load_balancing_weight: wrap(1),
            })),
          },
        ];
  return { '@type': CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, cluster_name: clusterName(service.id, revision.name), endpoints: localities };
}
