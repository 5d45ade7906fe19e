/**
 * Envoy resources in ProtoObject form for the xds-server tests (go-control-plane
 * pkg/test/resource/v3 style: state only what the test cares about).
 */
import type { ProtoObject } from '../../../../src/xds/proto-object.js';
import { xdsEdsCluster, xdsListener, xdsLoadAssignment } from '../../../helpers/xds-resources.js';
import {
  HTTP_CONNECTION_MANAGER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  ROUTER_FILTER_TYPE_URL,
} from '../../../../src/xds/type-urls.js';

/** An EDS cluster whose endpoints come over ADS; `serviceName` defaults to the cluster name. */
export function edsCluster(name: string, serviceName?: string, extra: Record<string, unknown> = {}): ProtoObject {
  return xdsEdsCluster(name, extra as ProtoObject, serviceName);
}

/** A ClusterLoadAssignment with one locality (weight 1: grpc-js-xds drops localities without one). */
export function loadAssignment(clusterName: string, ports: readonly number[], address = '127.0.0.1'): ProtoObject {
  return xdsLoadAssignment(clusterName, ports.map((port) => `${address}:${port}`));
}

function hcm(route: Record<string, unknown>): ProtoObject {
  return {
    '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
    stat_prefix: 'xds_test',
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_FILTER_TYPE_URL } }],
    ...route,
  } as ProtoObject;
}

/** A gRPC-style api_listener whose HCM takes its routes from RDS `routeName` over ADS. */
export function apiListener(name: string, routeName: string): ProtoObject {
  return {
    '@type': LISTENER_TYPE_URL,
    name,
    api_listener: { api_listener: hcm({ rds: { route_config_name: routeName, config_source: { ads: {}, resource_api_version: 'V3' } } }) },
  } as ProtoObject;
}

/** An api_listener with an inline route_config. */
export function inlineApiListener(name: string, routeConfig: ProtoObject): ProtoObject {
  const { ['@type']: _ignored, ...route } = routeConfig;
  return { '@type': LISTENER_TYPE_URL, name, api_listener: { api_listener: hcm({ route_config: route }) } } as ProtoObject;
}

/** A TCP listener with one filter chain whose HCM uses RDS `routeName`. */
export function tcpListener(name: string, port: number, routeName: string): ProtoObject {
  return xdsListener(name, port, routeName, 'xds_test');
}

/** A RouteConfiguration with one virtual host for `domains`, splitting by weight (one entry = plain cluster route). */
export function weightedRoute(name: string, domains: readonly string[], split: readonly [string, number][]): ProtoObject {
  const action =
    split.length === 1
      ? { cluster: split[0][0] }
      : { weighted_clusters: { clusters: split.map(([cluster, weight]) => ({ name: cluster, weight: { value: weight } })) } };
  return {
    '@type': ROUTE_CONFIGURATION_TYPE_URL,
    name,
    virtual_hosts: [{ name: `${name}-vh`, domains: [...domains], routes: [{ name: 'default', match: { prefix: '' }, route: action }] }],
  } as ProtoObject;
}
