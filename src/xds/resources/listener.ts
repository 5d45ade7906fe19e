/**
 * envoy.config.listener.v3.Listener (LDS, or a bootstrap static listener) → the Listener view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/listener/v3/listener_components.proto
 *
 * Called by the xDS client for every LDS resource and by decodeBootstrap for static listeners.
 * A listener here is an HTTP listener: every filter chain holds exactly one network filter, the
 * HTTP connection manager (http-connection-manager.ts), and chains are told apart by SNI only.
 * Fields that change behaviour and that we don't implement are refused; socket tuning is ignored.
 */
import type { ProtoObject } from '../proto-object.js';
import { DOWNSTREAM_TLS_CONTEXT_TYPE_URL, HTTP_CONNECTION_MANAGER_TYPE_URL, typeUrlFor } from '../type-urls.js';
import { deepFreeze, fail, joinPath, ok, type ValidationResult } from '../validation.js';
import { decodeSocketAddress } from './address.js';
import { enumOf, fieldPath, has, isObject, list, messages, obj, str, typeUrlOf, wrapped, type Errors } from './fields.js';
import { decodeHttpConnectionManager } from './http-connection-manager.js';
import type { FilterChain, HttpConnectionManager, Listener } from './listener.types.js';
import { isSet, rejectUnsupported } from './not-supported.js';

export { decodeHttpConnectionManager } from './http-connection-manager.js';

const DEFAULTS = {
  perConnectionBufferLimitBytes: 1024 * 1024, // Envoy default (1 MiB)
  drainType: 'DEFAULT', // Envoy default
} as const;

const RAW_BUFFER_TYPE_URL = typeUrlFor('envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer');
/** Listener filters whose job the router does by itself (SNI and ALPN are always inspected). */
const BUILT_IN_LISTENER_FILTERS = new Map([
  ['envoy.filters.listener.tls_inspector', typeUrlFor('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector')],
  ['envoy.filters.listener.http_inspector', typeUrlFor('envoy.extensions.filters.listener.http_inspector.v3.HttpInspector')],
]);

/** Behaviour-changing Listener fields the router does not implement. */
const UNSUPPORTED = [
  'filter_chain_matcher',
  'use_original_dst',
  'transparent',
  'freebind',
  'socket_options',
  'udp_listener_config',
  'internal_listener',
  'additional_addresses',
  'access_log',
  'enable_mptcp',
] as const;

/** FilterChainMatch fields other than server_names (and the transport_protocol we can honour). */
const UNSUPPORTED_MATCH = [
  'destination_port',
  'prefix_ranges',
  'address_suffix',
  'suffix_len',
  'direct_source_prefix_ranges',
  'source_type',
  'source_prefix_ranges',
  'source_ports',
  'application_protocols',
] as const;

/**
 * Decodes a Listener. `path` prefixes every error path ('' for an LDS resource,
 * 'staticResources.listeners[0]' in a bootstrap). Returns the deep-frozen view or every error.
 */
export function decodeListener(msg: ProtoObject, path: string): ValidationResult<Listener> {
  const errors: Errors = [];
  const name = str(msg, 'name', path, errors);
  if (name === '') errors.push({ path: fieldPath(path, 'name'), message: 'is required' });
  rejectUnsupported(msg, path, UNSUPPORTED, errors);
  const bindToPort = obj(msg, 'bind_to_port', path, errors);
  if (bindToPort !== null && bindToPort.value === false) errors.push({ path: fieldPath(path, 'bind_to_port'), message: 'false is not supported' });
  checkListenerFilters(msg, path, errors);

  const apiListener = decodeApiListener(msg, path, errors);
  const isApiListener = has(msg, 'api_listener');
  const addressMsg = obj(msg, 'address', path, errors);
  const address = addressMsg === null ? null : decodeSocketAddress(addressMsg, fieldPath(path, 'address'), errors);
  if (addressMsg === null && !isApiListener) errors.push({ path: fieldPath(path, 'address'), message: 'is required' });

  const filterChains = messages(msg, 'filter_chains', path, errors, (item, itemPath) => decodeFilterChain(item, itemPath, errors));
  checkDistinctMatches(filterChains, fieldPath(path, 'filter_chains'), errors);
  const defaultMsg = obj(msg, 'default_filter_chain', path, errors);
  const defaultFilterChain = defaultMsg === null ? null : decodeFilterChain(defaultMsg, fieldPath(path, 'default_filter_chain'), errors);
  if (!isApiListener && filterChains.length === 0 && defaultFilterChain === null) {
    // Envoy: "error adding listener '…': no filter chains specified".
    errors.push({ path: fieldPath(path, 'filter_chains'), message: 'must not be empty (no filter chains specified) unless defaultFilterChain is set' });
  }

  const metadata = obj(msg, 'metadata', path, errors);
  const value: Listener = {
    name,
    address,
    filterChains,
    defaultFilterChain,
    apiListener,
    perConnectionBufferLimitBytes: wrapped(msg, 'per_connection_buffer_limit_bytes', path, errors, DEFAULTS.perConnectionBufferLimitBytes),
    drainType: enumOf(msg, 'drain_type', path, errors, ['DEFAULT', 'MODIFY_ONLY'] as const, DEFAULTS.drainType),
    statPrefix: str(msg, 'stat_prefix', path, errors),
    metadata,
  };
  return errors.length > 0 ? fail(errors) : ok(deepFreeze(value));
}

/** api_listener.api_listener: an Any holding an HCM (proxyless gRPC clients). */
function decodeApiListener(msg: ProtoObject, path: string, errors: Errors): HttpConnectionManager | null {
  const outer = obj(msg, 'api_listener', path, errors);
  if (outer === null) return null;
  const outerPath = fieldPath(path, 'api_listener');
  const any = obj(outer, 'api_listener', outerPath, errors);
  const anyPath = fieldPath(outerPath, 'api_listener');
  if (any === null) {
    errors.push({ path: anyPath, message: 'is required' });
    return null;
  }
  if (typeUrlOf(any) !== HTTP_CONNECTION_MANAGER_TYPE_URL) {
    errors.push({ path: fieldPath(anyPath, '@type'), message: `must be ${HTTP_CONNECTION_MANAGER_TYPE_URL}, got ${JSON.stringify(typeUrlOf(any))}` });
    return null;
  }
  return decodeHttpConnectionManager(any, anyPath, errors);
}

function decodeFilterChain(msg: ProtoObject, path: string, errors: Errors): FilterChain {
  rejectUnsupported(msg, path, ['use_proxy_proto', 'on_demand_configuration'], errors);
  // transport_socket_connect_timeout and metadata are accepted and ignored.
  const transportSocket = decodeTransportSocket(msg, path, errors);
  const match = obj(msg, 'filter_chain_match', path, errors) ?? {};
  const matchPath = fieldPath(path, 'filter_chain_match');
  rejectUnsupported(match, matchPath, UNSUPPORTED_MATCH, errors);
  const transport = str(match, 'transport_protocol', matchPath, errors);
  if (transport !== '' && transport !== (transportSocket.kind === 'tls' ? 'tls' : 'raw_buffer')) {
    errors.push({
      path: fieldPath(matchPath, 'transport_protocol'),
      message: `must match the chain's transport socket ("${transportSocket.kind === 'tls' ? 'tls' : 'raw_buffer'}"), got ${JSON.stringify(transport)}`,
    });
  }
  const serverNames = decodeServerNames(match, matchPath, errors);
  return {
    name: str(msg, 'name', path, errors),
    serverNames,
    transportSocket,
    httpConnectionManager: decodeNetworkFilters(msg, path, errors),
  };
}

/** server_names: lower-cased; a wildcard only as a whole leading label ("*.example.com"). */
function decodeServerNames(match: ProtoObject, path: string, errors: Errors): string[] {
  const base = fieldPath(path, 'server_names');
  const out: string[] = [];
  const items = list(match, 'server_names', path, errors);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (typeof item !== 'string' || item === '') {
      errors.push({ path: itemPath, message: 'must be a non-empty string' });
      continue;
    }
    const lower = item.toLowerCase();
    if (lower.includes('*') && !(lower.startsWith('*.') && lower.indexOf('*', 1) < 0)) {
      errors.push({ path: itemPath, message: `partial wildcards are not supported, got ${JSON.stringify(item)} (use "*.example.com")` });
      continue;
    }
    out.push(lower);
  }
  return out;
}

/** transport_socket: absent or raw_buffer = plaintext; DownstreamTlsContext = TLS (kept whole). */
function decodeTransportSocket(msg: ProtoObject, path: string, errors: Errors): FilterChain['transportSocket'] {
  const socket = obj(msg, 'transport_socket', path, errors);
  if (socket === null) return { kind: 'plaintext' };
  const socketPath = fieldPath(path, 'transport_socket');
  const config = obj(socket, 'typed_config', socketPath, errors);
  const typeUrl = config === null ? '' : typeUrlOf(config);
  if (config !== null && typeUrl === DOWNSTREAM_TLS_CONTEXT_TYPE_URL) return { kind: 'tls', config };
  if (typeUrl === RAW_BUFFER_TYPE_URL || (config === null && str(socket, 'name', socketPath, errors) === 'envoy.transport_sockets.raw_buffer')) {
    return { kind: 'plaintext' };
  }
  errors.push({
    path: config === null ? fieldPath(socketPath, 'typed_config') : fieldPath(fieldPath(socketPath, 'typed_config'), '@type'),
    message: `must be ${DOWNSTREAM_TLS_CONTEXT_TYPE_URL} or ${RAW_BUFFER_TYPE_URL}, got ${JSON.stringify(typeUrl)}`,
  });
  return { kind: 'plaintext' };
}

/** filters: exactly one, the HTTP connection manager. */
function decodeNetworkFilters(msg: ProtoObject, path: string, errors: Errors): HttpConnectionManager {
  const base = fieldPath(path, 'filters');
  const items = list(msg, 'filters', path, errors);
  let hcm: HttpConnectionManager | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    if (has(item, 'config_discovery')) {
      errors.push({ path: fieldPath(itemPath, 'config_discovery'), message: 'is not supported (ECDS), use typedConfig' });
      continue;
    }
    const config = obj(item, 'typed_config', itemPath, errors);
    const configPath = fieldPath(itemPath, 'typed_config');
    if (config === null) {
      errors.push({ path: configPath, message: 'is required' });
      continue;
    }
    if (typeUrlOf(config) !== HTTP_CONNECTION_MANAGER_TYPE_URL) {
      errors.push({
        path: fieldPath(configPath, '@type'),
        message: `unsupported network filter ${JSON.stringify(typeUrlOf(config))}: only ${HTTP_CONNECTION_MANAGER_TYPE_URL} is supported`,
      });
      continue;
    }
    if (hcm !== null) {
      errors.push({ path: itemPath, message: 'a filter chain may hold only one HTTP connection manager' });
      continue;
    }
    hcm = decodeHttpConnectionManager(config, configPath, errors);
  }
  if (items.length === 0) errors.push({ path: base, message: 'must hold the HTTP connection manager (envoy.filters.network.http_connection_manager)' });
  // Without an HCM an error has been pushed, so the listener is rejected; the placeholder only keeps the types simple.
  return hcm ?? decodeHttpConnectionManager(PLACEHOLDER_HCM, base, []);
}

/** A minimal valid HCM message, decoded only to fill a filter chain that already failed. */
const PLACEHOLDER_HCM: ProtoObject = {
  stat_prefix: 'invalid',
  rds: { route_config_name: 'invalid', config_source: { ads: {}, resource_api_version: 'V3' } },
  http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': typeUrlFor('envoy.extensions.filters.http.router.v3.Router') } }],
};

/** Envoy: "multiple filter chains with the same matching rules are defined". */
function checkDistinctMatches(chains: readonly FilterChain[], path: string, errors: Errors): void {
  const seen = new Map<string, number>();
  for (let i = 0; i < chains.length; i++) {
    const keys = chains[i].serverNames.length === 0 ? [''] : chains[i].serverNames;
    for (const key of keys) {
      const first = seen.get(key);
      if (first !== undefined && first !== i) {
        errors.push({
          path: joinPath(path, i),
          message: `has the same match as ${joinPath(path, first)} (${key === '' ? 'no server names' : `server name "${key}"`}): multiple filter chains with the same matching rules`,
        });
        break;
      }
      seen.set(key, i);
    }
  }
}

/** listener_filters: only the inspectors whose work the router always does. */
function checkListenerFilters(msg: ProtoObject, path: string, errors: Errors): void {
  const base = fieldPath(path, 'listener_filters');
  const items = list(msg, 'listener_filters', path, errors);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    const name = typeof item.name === 'string' ? item.name : '';
    const typeUrl = isObject(item.typed_config) ? typeUrlOf(item.typed_config) : '';
    const known = [...BUILT_IN_LISTENER_FILTERS.values()].includes(typeUrl) || (typeUrl === '' && BUILT_IN_LISTENER_FILTERS.has(name));
    if (!known) errors.push({ path: itemPath, message: `unsupported listener filter ${JSON.stringify(typeUrl || name)}: only tls_inspector and http_inspector are accepted` });
    else if (isSet(item.filter_disabled)) errors.push({ path: fieldPath(itemPath, 'filter_disabled'), message: 'is not supported' });
  }
}
