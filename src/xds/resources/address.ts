/**
 * envoy.config.core.v3.Address / SocketAddress → SocketAddress (TCP only).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/address.proto
 *
 * Used by the listener (bind address), the cluster (upstream_bind_config) and every endpoint of a
 * ClusterLoadAssignment. Pipes and Envoy internal addresses have no meaning for a Node.js router.
 */
import { isIP } from 'node:net';
import type { ProtoObject } from '../proto-object.js';
import type { SocketAddress } from './common.types.js';
import { fieldPath, has, inRange, num, obj, str, type Errors } from './fields.js';

const MAX_PORT = 65_535; // address.proto: port_value lte 65535

/**
 * Decodes an Address holding a socket_address. Returns null (with errors pushed under `path`)
 * when it is missing or is a pipe / envoy_internal_address. `port_value` absent means port 0.
 */
export function decodeSocketAddress(msg: ProtoObject, path: string, errors: Errors): SocketAddress | null {
  const socket = obj(msg, 'socket_address', path, errors);
  if (socket === null) {
    if (has(msg, 'pipe')) errors.push({ path: fieldPath(path, 'pipe'), message: 'is not supported, use socketAddress' });
    else if (has(msg, 'envoy_internal_address')) {
      errors.push({ path: fieldPath(path, 'envoy_internal_address'), message: 'is not supported, use socketAddress' });
    } else errors.push({ path: fieldPath(path, 'socket_address'), message: 'is required' });
    return null;
  }
  return decodeTcpSocketAddress(socket, fieldPath(path, 'socket_address'), errors);
}

/** Decodes a bare SocketAddress message (as in upstream_bind_config.source_address). */
export function decodeTcpSocketAddress(socket: ProtoObject, path: string, errors: Errors): SocketAddress | null {
  const before = errors.length;
  const protocol = socket.protocol;
  if (protocol !== undefined && protocol !== 'TCP') {
    errors.push({ path: fieldPath(path, 'protocol'), message: `only TCP is supported, got ${JSON.stringify(protocol)}` });
  }
  if (has(socket, 'named_port')) errors.push({ path: fieldPath(path, 'named_port'), message: 'is not supported, use portValue' });
  if (has(socket, 'resolver_name')) errors.push({ path: fieldPath(path, 'resolver_name'), message: 'is not supported' });
  const host = str(socket, 'address', path, errors);
  if (host === '') errors.push({ path: fieldPath(path, 'address'), message: 'is required' });
  const port = inRange(num(socket, 'port_value', path, errors), 0, MAX_PORT, fieldPath(path, 'port_value'), errors);
  return errors.length > before ? null : { host, port };
}

/** Whether `host` is an IPv4 or IPv6 literal (what STATIC and EDS endpoints must be in Envoy). */
export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}
