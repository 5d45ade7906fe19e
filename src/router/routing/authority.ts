/**
 * Host (:authority) normalization done before virtual host selection, as Envoy's connection
 * manager does it (ConnectionManagerUtility::maybeNormalizeHost): first
 * strip_trailing_host_dot, then strip_any_host_port or strip_matching_host_port.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 */

/** The HCM and RouteConfiguration settings that shape the host used for vhost selection. */
export interface AuthorityOptions {
  /** strip_matching_host_port: drop the port when it equals the listener's port. */
  readonly stripMatchingHostPort: boolean;
  /** strip_any_host_port: drop any port. Wins over stripMatchingHostPort. */
  readonly stripAnyHostPort: boolean;
  /** strip_trailing_host_dot: 'example.com.' → 'example.com', 'example.com.:80' → 'example.com:80'. */
  readonly stripTrailingHostDot: boolean;
  /** The listener's port, for stripMatchingHostPort. */
  readonly listenerPort: number;
  /**
   * RouteConfiguration.ignore_port_in_host_matching: match domains on the host without its port
   * (the forwarded Host keeps it). Default false.
   */
  readonly ignorePortInHostMatching?: boolean;
}

/**
 * Index of the ':' that starts the port in `host`, or -1. An IPv6 literal's colons are inside
 * '[…]', so a ':' before the last ']' is not a port (Envoy HeaderUtility::getPortStart).
 */
export function getPortStart(host: string): number {
  const colon = host.lastIndexOf(':');
  if (colon === -1) return -1;
  const v6End = host.lastIndexOf(']');
  if (v6End === -1 || v6End < colon) return colon + 1 > host.length ? -1 : colon;
  return -1;
}

/** Removes one trailing '.' from the host part, keeping any port. */
export function stripTrailingHostDot(host: string): string {
  const portStart = getPortStart(host);
  if (portStart !== -1) {
    return portStart > 0 && host.charCodeAt(portStart - 1) === 46 ? host.slice(0, portStart - 1) + host.slice(portStart) : host;
  }
  return host.length > 0 && host.charCodeAt(host.length - 1) === 46 ? host.slice(0, -1) : host;
}

/**
 * Removes the port when it parses as a number and, if `onlyPort` is not -1, equals it
 * (Envoy HeaderUtility::stripPortFromHost).
 */
export function stripPort(host: string, onlyPort: number): string {
  const portStart = getPortStart(host);
  if (portStart === -1) return host;
  const digits = host.length - portStart - 1;
  if (digits === 0 || digits > 10) return host;
  let port = 0;
  for (let i = portStart + 1; i < host.length; i++) {
    const d = host.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return host;
    port = port * 10 + d;
  }
  if (onlyPort !== -1 && port !== onlyPort) return host;
  return host.slice(0, portStart);
}

/**
 * The authority the connection manager forwards and routes on, after the HCM's normalization.
 * CONNECT requests keep their port (RFC 2817 needs it), as in Envoy.
 */
export function normalizeAuthority(authority: string, options: AuthorityOptions, method = ''): string {
  let host = authority;
  if (options.stripTrailingHostDot) host = stripTrailingHostDot(host);
  if (method === 'CONNECT') return host;
  if (options.stripAnyHostPort) host = stripPort(host, -1);
  else if (options.stripMatchingHostPort) host = stripPort(host, options.listenerPort);
  return host;
}
