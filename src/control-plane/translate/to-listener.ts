/**
 * Listeners: the routers' ingress HTTP listener, and one API listener per service for proxyless
 * gRPC clients (@grpc/grpc-js-xds, target `xds:///<service host>`).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 */
import type { PlatformState, ServiceState } from '../model/types.js';
import type { ProtoObject } from '../../xds/proto-object.js';
import { HTTP_CONNECTION_MANAGER_TYPE_URL, LISTENER_TYPE_URL, ROUTER_FILTER_TYPE_URL } from '../../xds/type-urls.js';
import { assembleVirtualHosts } from './assemble-virtual-hosts.js';
import { liveServices } from './live-services.js';
import { globalRateLimitHttpFilter } from './global-rate-limit.js';
import { hasRateLimit, localRateLimitHttpFilter } from './local-rate-limit.js';
import { apiListenerName, INGRESS_HTTP_LISTENER_NAME, INGRESS_ROUTE_CONFIG_NAME } from './names.js';
import { adsConfigSource, wrap } from './proto-values.js';
import { toServiceVirtualHosts } from './to-virtual-hosts.js';

export const HTTP_CONNECTION_MANAGER_FILTER_NAME = 'envoy.filters.network.http_connection_manager';
export const ROUTER_FILTER_NAME = 'envoy.filters.http.router';
/** HCM stat_prefix of the ingress listener: stats are `http.ingress_http.*`. */
export const INGRESS_STAT_PREFIX = 'ingress_http';

function routerFilter(): ProtoObject {
  return { name: ROUTER_FILTER_NAME, typed_config: { '@type': ROUTER_FILTER_TYPE_URL } };
}

/**
 * The `ingress_http` Listener on state.listenAddress:state.httpPort: one filter chain holding the
 * HTTP connection manager, whose routes come over RDS (`ingress`, ADS). The local rate limit filter
 * (or, with state.globalRateLimit, the global one) is in the chain only when some live service sets a limit.
 */
export function toIngressListener(state: PlatformState): ProtoObject {
  return ingressListener(state, liveServices(state).some((s) => hasRateLimit(s.service)));
}

/** The listener settings of a region, without its services. */
export type ListenerSettings = Pick<PlatformState, 'listenAddress' | 'httpPort' | 'globalRateLimit'>;

/** toIngressListener given whether some live service sets a rate limit (the incremental translator counts them). */
export function ingressListener(state: ListenerSettings, someRateLimited: boolean): ProtoObject {
  const httpFilters: ProtoObject[] = [];
  if (someRateLimited) {
    const global = state.globalRateLimit ?? null;
    httpFilters.push(global === null ? localRateLimitHttpFilter() : globalRateLimitHttpFilter(global));
  }
  // The router must be the last HTTP filter (Envoy, grpc-js-xds and our decoder all require it).
  httpFilters.push(routerFilter());
  const hcm: ProtoObject = {
    '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
    stat_prefix: INGRESS_STAT_PREFIX,
    codec_type: 'AUTO',
    rds: { route_config_name: INGRESS_ROUTE_CONFIG_NAME, config_source: adsConfigSource() },
    http_filters: httpFilters,
    // use_remote_address: the router is the edge, so the peer address is the client (XFF appended, not trusted).
    use_remote_address: wrap(true),
    // strip_any_host_port: `svc.local.switchyard.localhost:8080` must match the domain without the port.
    strip_any_host_port: true,
    upgrade_configs: [{ upgrade_type: 'websocket' }],
  };
  return {
    '@type': LISTENER_TYPE_URL,
    name: INGRESS_HTTP_LISTENER_NAME,
    address: { socket_address: { address: state.listenAddress, port_value: state.httpPort } },
    filter_chains: [{ filters: [{ name: HTTP_CONNECTION_MANAGER_FILTER_NAME, typed_config: hcm }] }],
  };
}

/**
 * The API listener a proxyless gRPC client gets for `xds:///<service host>`: named exactly the
 * service host, no address, api_listener = Any(HCM) with an inline route_config (named after the
 * host) that holds only this service's virtual hosts, so a client never learns another tenant's
 * hosts. http_filters is the router alone: grpc-js-xds refuses filters it doesn't know.
 */
export function toApiListener(serviceState: ServiceState): ProtoObject {
  const name = apiListenerName(serviceState.service.host);
  const hcm: ProtoObject = {
    '@type': HTTP_CONNECTION_MANAGER_TYPE_URL,
    stat_prefix: serviceState.service.id,
    route_config: { name, virtual_hosts: assembleVirtualHosts(toServiceVirtualHosts(serviceState, 'grpc', false)) },
    http_filters: [routerFilter()],
  };
  return { '@type': LISTENER_TYPE_URL, name, api_listener: { api_listener: hcm } };
}
