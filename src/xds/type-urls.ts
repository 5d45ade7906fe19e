/**
 * Type URLs of the resources and typed extension configs we speak. A type URL is
 * `type.googleapis.com/<full message name>`; the prefix is what Envoy and every control plane use.
 */

export const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** `type.googleapis.com/<fullName>`. */
export function typeUrlFor(fullName: string): string {
  return TYPE_URL_PREFIX + (fullName.startsWith('.') ? fullName.slice(1) : fullName);
}

/** The full message name of a type URL: everything after the last '/' ('' when the URL has none). */
export function typeNameOf(url: string): string {
  const slash = url.lastIndexOf('/');
  return slash < 0 ? '' : url.slice(slash + 1);
}

// xDS resources.
export const LISTENER_TYPE_URL = typeUrlFor('envoy.config.listener.v3.Listener');
export const ROUTE_CONFIGURATION_TYPE_URL = typeUrlFor('envoy.config.route.v3.RouteConfiguration');
export const CLUSTER_TYPE_URL = typeUrlFor('envoy.config.cluster.v3.Cluster');
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = typeUrlFor('envoy.config.endpoint.v3.ClusterLoadAssignment');
export const BOOTSTRAP_TYPE_URL = typeUrlFor('envoy.config.bootstrap.v3.Bootstrap');

// Network and HTTP filters.
export const HTTP_CONNECTION_MANAGER_TYPE_URL = typeUrlFor(
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
);
export const ROUTER_FILTER_TYPE_URL = typeUrlFor('envoy.extensions.filters.http.router.v3.Router');
export const LOCAL_RATELIMIT_TYPE_URL = typeUrlFor('envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit');
export const RATELIMIT_FILTER_TYPE_URL = typeUrlFor('envoy.extensions.filters.http.ratelimit.v3.RateLimit');

// Access loggers.
export const STDOUT_ACCESS_LOG_TYPE_URL = typeUrlFor('envoy.extensions.access_loggers.stream.v3.StdoutAccessLog');
export const STDERR_ACCESS_LOG_TYPE_URL = typeUrlFor('envoy.extensions.access_loggers.stream.v3.StderrAccessLog');
export const FILE_ACCESS_LOG_TYPE_URL = typeUrlFor('envoy.extensions.access_loggers.file.v3.FileAccessLog');

// Transport sockets.
export const DOWNSTREAM_TLS_CONTEXT_TYPE_URL = typeUrlFor('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext');
export const UPSTREAM_TLS_CONTEXT_TYPE_URL = typeUrlFor('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext');

// Cluster typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].
export const HTTP_PROTOCOL_OPTIONS_TYPE_URL = typeUrlFor('envoy.extensions.upstreams.http.v3.HttpProtocolOptions');

// Generic typed configs.
export const TYPED_STRUCT_TYPE_URL = typeUrlFor('xds.type.v3.TypedStruct');
export const UDPA_TYPED_STRUCT_TYPE_URL = typeUrlFor('udpa.type.v1.TypedStruct');
