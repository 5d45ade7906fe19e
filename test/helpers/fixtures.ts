/**
 * Builders for Envoy v3 bootstrap documents in their JSON/YAML form (snake_case, `@type` Anys),
 * in the spirit of go-control-plane's pkg/test/resource: tests state only what they care about.
 */
export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
export const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';
export const FILE_LOG_TYPE = 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog';

export type Json = Record<string, unknown>;

export function staticCluster(name: string, endpoints: readonly (string | { address: string; weight?: number; priority?: number })[], extra: Json = {}): Json {
  const byPriority = new Map<number, Json[]>();
  for (const e of endpoints) {
    const { address, weight, priority } = typeof e === 'string' ? { address: e, weight: undefined, priority: 0 } : { priority: 0, ...e };
    const [host, port] = splitHostPort(address);
    const lbEndpoint: Json = { endpoint: { address: { socket_address: { address: host, port_value: port } } } };
    if (weight !== undefined) lbEndpoint.load_balancing_weight = weight;
    const list = byPriority.get(priority ?? 0) ?? [];
    list.push(lbEndpoint);
    byPriority.set(priority ?? 0, list);
  }
  return {
    name,
    type: 'STATIC',
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: name,
      endpoints: [...byPriority.entries()].map(([priority, lb_endpoints]) => ({ priority, lb_endpoints })),
    },
    ...extra,
  };
}

export function httpListener(port: number, routeConfig: Json, hcmExtra: Json = {}, name = 'ingress'): Json {
  return {
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE,
              stat_prefix: 'ingress_http',
              route_config: routeConfig,
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
              ...hcmExtra,
            },
          },
        ],
      },
    ],
  };
}

export function fileAccessLog(path: string, format?: string): Json {
  const typed: Json = { '@type': FILE_LOG_TYPE, path };
  if (format !== undefined) typed.log_format = { text_format_source: { inline_string: format } };
  return { name: 'envoy.access_loggers.file', typed_config: typed };
}

export function bootstrap(adminPort: number, listeners: Json[], clusters: Json[]): Json {
  return {
    node: { id: 'test-router', cluster: 'test' },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: adminPort } } },
    static_resources: { listeners, clusters },
  };
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
