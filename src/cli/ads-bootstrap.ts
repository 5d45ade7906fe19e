/**
 * The Envoy v3 bootstrap a router gets from `switchyard up`: everything from ADS (Envoy's
 * "dynamic from control plane" shape), the control plane as the static `xds_cluster`, and the
 * node's region in its locality (the control plane's node group). Envoy itself takes this file.
 */
export interface AdsBootstrapOptions {
  readonly nodeId: string;
  readonly region: string;
  readonly xdsHost: string;
  readonly xdsPort: number;
  readonly adminPort: number;
  readonly apiType?: 'GRPC' | 'DELTA_GRPC';
}

export function adsBootstrap(o: AdsBootstrapOptions): Record<string, unknown> {
  return {
    node: { id: o.nodeId, cluster: 'switchyard-routers', locality: { region: o.region } },
    dynamic_resources: {
      ads_config: {
        api_type: o.apiType ?? 'GRPC',
        transport_api_version: 'V3',
        set_node_on_first_message_only: true,
        grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }],
      },
      cds_config: { resource_api_version: 'V3', ads: {} },
      lds_config: { resource_api_version: 'V3', ads: {} },
    },
    static_resources: {
      clusters: [
        {
          name: 'xds_cluster',
          type: 'STATIC',
          connect_timeout: '1s',
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: { http2_protocol_options: {} },
            },
          },
          load_assignment: {
            cluster_name: 'xds_cluster',
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: o.xdsHost, port_value: o.xdsPort } } } }] }],
          },
        },
      ],
    },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: o.adminPort } } },
  };
}
