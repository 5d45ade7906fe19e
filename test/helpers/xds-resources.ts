/**
 * Builders for xDS resources in the ProtoObject form ('@type' on each, snake_case fields,
 * Duration as {seconds, nanos}, wrappers as {value}), which is what the test xDS server takes and
 * what `packAny` encodes. In the spirit of go-control-plane's pkg/test/resource/v3.
 */
import type { ProtoObject } from '../../src/xds/proto-object.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  ROUTER_FILTER_TYPE_URL,
} from '../../src/xds/type-urls.js';

const ADS_SOURCE = { ads: {}, resource_api_version: 'V3' };

/** A listener on 127.0.0.1:port whose HCM takes its routes from RDS `routeName`. */
export function xdsListener(name: string, port: number, routeName: string, statPrefix = 'ingress_http'): ProtoObject {
  return {
    '@type': LISTENER_TYPE_URL,
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
              stat_prefix: statPrefix,
              rds: { route_config_name: routeName, config_source: ADS_SOURCE },
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_FILTER_TYPE_URL } }],
            },
          },
        ],
      },
    ],
  };
}

/** One virtual host for every domain, one prefix route, to a cluster or a weighted split. */
export function xdsRouteConfig(name: string, target: string | Record<string, number>, extraRoute: ProtoObject = {}): ProtoObject {
  const route =
    typeof target === 'string'
      ? { cluster: target }
      : { weighted_clusters: { clusters: Object.entries(target).map(([n, w]) => ({ name: n, weight: { value: w } })) } };
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL,
    name,
    virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route, ...extraRoute }] }],
  };
}

/** An EDS cluster (endpoints from ADS under `serviceName`, default its own name). */
export function xdsEdsCluster(name: string, extra: ProtoObject = {}, serviceName?: string): ProtoObject {
  return {
    '@type': CLUSTER_TYPE_URL,
    name,
    type: 'EDS',
    connect_timeout: { seconds: 1, nanos: 0 },
    eds_cluster_config: { eds_config: ADS_SOURCE, ...(serviceName === undefined ? {} : { service_name: serviceName }) },
    lb_policy: 'ROUND_ROBIN',
    ...extra,
  };
}

/** A ClusterLoadAssignment with one locality holding `addresses` ("127.0.0.1:port"). */
export function xdsLoadAssignment(clusterName: string, addresses: readonly string[]): ProtoObject {
  return {
    '@type': CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
    cluster_name: clusterName,
    endpoints: [
      {
        locality: { region: 'local', zone: 'local' },
        load_balancing_weight: { value: 1 },
        lb_endpoints: addresses.map((a) => {
          const i = a.lastIndexOf(':');
          return {
            endpoint: { address: { socket_address: { address: a.slice(0, i), port_value: Number(a.slice(i + 1)) } } },
            health_status: 'HEALTHY',
            load_balancing_weight: { value: 1 },
          };
        }),
      },
    ],
  };
}

/**
 * The resources most router xDS tests start from: listener `ingress` on `port` → RDS `routes` →
 * all traffic to `svc-a`; EDS clusters `svc-a` and `svc-b` with one endpoint each.
 */
export function twoServiceResources(port: number, aAddress: string, bAddress: string): {
  listeners: ProtoObject[];
  routeConfigurations: ProtoObject[];
  clusters: ProtoObject[];
  clusterLoadAssignments: ProtoObject[];
} {
  return {
    listeners: [xdsListener('ingress', port, 'routes')],
    routeConfigurations: [xdsRouteConfig('routes', 'svc-a')],
    clusters: [xdsEdsCluster('svc-a'), xdsEdsCluster('svc-b')],
    clusterLoadAssignments: [xdsLoadAssignment('svc-a', [aAddress]), xdsLoadAssignment('svc-b', [bAddress])],
  };
}
