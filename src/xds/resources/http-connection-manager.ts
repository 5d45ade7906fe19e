/**
 * envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager → the
 * HttpConnectionManager view, Envoy's defaults applied.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 *
 * Called by decodeListener for each filter chain's network filter and for api_listener. Fields
 * that change request handling and that the router does not implement are refused ("is not
 * supported"); HTTP/1 and HTTP/2 codec tuning knobs are accepted and ignored.
 */
import type { ProtoObject } from '../proto-object.js';
import { joinPath } from '../validation.js';
import { decodeAccessLog } from './access-log.js';
import { decodeConfigSource } from './common.js';
import { bool, durationMs, enumOf, fieldPath, has, inRange, isObject, list, messages, num, obj, str, wrapped, wrappedBool, type Errors } from './fields.js';
import { decodeHttpFilters } from './http-filters.js';
import type { AccessLog, HttpConnectionManager } from './listener.types.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeRouteConfiguration } from './route-configuration.js';
import type { UpgradeConfig } from './route-configuration.types.js';

const DEFAULTS = {
  codecType: 'AUTO', // Envoy default
  generateRequestId: true, // Envoy default
  maxRequestHeadersKb: 60, // Envoy default
  maxHeadersCount: 100, // Envoy default (common_http_protocol_options.max_headers_count)
  idleTimeoutMs: 3_600_000, // Envoy default (common_http_protocol_options.idle_timeout, 1 hour)
  requestHeadersTimeoutMs: 0, // Envoy default: disabled
  requestTimeoutMs: 0, // Envoy default: disabled
  streamIdleTimeoutMs: 300_000, // Envoy default (5 minutes)
  drainTimeoutMs: 5000, // Envoy default
  delayedCloseTimeoutMs: 1000, // Envoy default
  serverName: 'envoy', // Envoy default
  serverHeaderTransformation: 'OVERWRITE', // Envoy default
  normalizePath: false, // Envoy default (runtime http_connection_manager.normalize_path)
  upgradeEnabled: true, // Envoy default (UpgradeConfig.enabled)
} as const;

const MAX_REQUEST_HEADERS_KB = 8192; // http_connection_manager.proto: lte 8192, gt 0

/** Behaviour-changing HCM fields the router does not implement. */
const UNSUPPORTED = [
  'add_user_agent',
  'tracing',
  'http3_protocol_options',
  'scheme_header_transformation',
  'access_log_flush_interval',
  'flush_access_log_on_new_request',
  'access_log_options',
  'original_ip_detection_extensions',
  'early_header_mutation_extensions',
  'internal_address_config',
  'via',
  'always_set_request_id_in_response',
  'proxy_100_continue',
  'represent_ipv4_remote_address_as_ipv4_mapped_ipv6',
  'request_id_extension',
  'local_reply_config',
  'path_normalization_options',
  'proxy_status_config',
  'typed_header_validation_config',
  'append_x_forwarded_port',
  'append_local_overload',
] as const;

/** Http1ProtocolOptions fields that change what is accepted or sent (the rest is tuning). */
const UNSUPPORTED_HTTP1 = ['accept_http_10', 'default_host_for_http_10', 'header_key_format', 'enable_trailers', 'allow_chunked_length', 'send_fully_qualified_url'] as const;

/**
 * Decodes an HCM typed_config (its '@type' already checked by the caller) under `path`, pushing
 * every problem into `errors`. Always returns a view; it is only meaningful when no error was pushed.
 */
export function decodeHttpConnectionManager(msg: ProtoObject, path: string, errors: Errors): HttpConnectionManager {
  const statPrefix = str(msg, 'stat_prefix', path, errors);
  if (statPrefix === '') errors.push({ path: fieldPath(path, 'stat_prefix'), message: 'is required' });
  if (msg.codec_type === 'HTTP3') errors.push({ path: fieldPath(path, 'codec_type'), message: 'HTTP3 is not supported' });
  const codecType = msg.codec_type === 'HTTP3' ? DEFAULTS.codecType : enumOf(msg, 'codec_type', path, errors, ['AUTO', 'HTTP1', 'HTTP2'] as const, DEFAULTS.codecType);
  rejectUnsupported(msg, path, UNSUPPORTED, errors);
  const http1 = obj(msg, 'http_protocol_options', path, errors);
  if (http1 !== null) rejectUnsupported(http1, fieldPath(path, 'http_protocol_options'), UNSUPPORTED_HTTP1, errors);
  checkEnumDefault(msg, 'forward_client_cert_details', ['SANITIZE'], path, errors);
  checkEnumDefault(msg, 'path_with_escaped_slashes_action', ['IMPLEMENTATION_SPECIFIC_DEFAULT', 'KEEP_UNCHANGED'], path, errors);

  const { filters, router, routerPath } = decodeHttpFilters(msg, path, errors);
  const accessLog = messages(msg, 'access_log', path, errors, (item, itemPath) => decodeAccessLog(item, itemPath, errors)).filter(
    (l): l is AccessLog => l !== null,
  );

  const maxRequestHeadersKb = inRange(
    wrapped(msg, 'max_request_headers_kb', path, errors, DEFAULTS.maxRequestHeadersKb),
    1,
    MAX_REQUEST_HEADERS_KB,
    fieldPath(path, 'max_request_headers_kb'),
    errors,
  );
  const { maxHeadersCount, idleTimeoutMs } = decodeCommonOptions(msg, path, errors);

  const stripMatchingHostPort = bool(msg, 'strip_matching_host_port', path, errors);
  const stripAnyHostPort = bool(msg, 'strip_any_host_port', path, errors);
  if (stripMatchingHostPort && stripAnyHostPort) {
    errors.push({ path: fieldPath(path, 'strip_any_host_port'), message: 'cannot be set together with stripMatchingHostPort' });
  }

  return {
    statPrefix,
    codecType,
    route: decodeRouteSpecifier(msg, path, errors),
    httpFilters: filters,
    accessLog,
    useRemoteAddress: wrappedBool(msg, 'use_remote_address', path, errors, false),
    xffNumTrustedHops: num(msg, 'xff_num_trusted_hops', path, errors),
    skipXffAppend: bool(msg, 'skip_xff_append', path, errors),
    generateRequestId: wrappedBool(msg, 'generate_request_id', path, errors, DEFAULTS.generateRequestId),
    preserveExternalRequestId: bool(msg, 'preserve_external_request_id', path, errors),
    maxRequestHeadersKb,
    maxHeadersCount,
    requestHeadersTimeoutMs: durationMs(msg, 'request_headers_timeout', path, errors, DEFAULTS.requestHeadersTimeoutMs),
    requestTimeoutMs: durationMs(msg, 'request_timeout', path, errors, DEFAULTS.requestTimeoutMs),
    streamIdleTimeoutMs: durationMs(msg, 'stream_idle_timeout', path, errors, DEFAULTS.streamIdleTimeoutMs),
    idleTimeoutMs,
    drainTimeoutMs: durationMs(msg, 'drain_timeout', path, errors, DEFAULTS.drainTimeoutMs),
    delayedCloseTimeoutMs: durationMs(msg, 'delayed_close_timeout', path, errors, DEFAULTS.delayedCloseTimeoutMs),
    upgradeConfigs: decodeUpgradeConfigs(msg, path, errors),
    serverName: str(msg, 'server_name', path, errors, DEFAULTS.serverName) || DEFAULTS.serverName,
    serverHeaderTransformation: enumOf(
      msg,
      'server_header_transformation',
      path,
      errors,
      ['OVERWRITE', 'APPEND_IF_ABSENT', 'PASS_THROUGH'] as const,
      DEFAULTS.serverHeaderTransformation,
    ),
    stripMatchingHostPort,
    stripAnyHostPort,
    normalizePath: wrappedBool(msg, 'normalize_path', path, errors, DEFAULTS.normalizePath),
    mergeSlashes: bool(msg, 'merge_slashes', path, errors),
    suppressEnvoyHeaders: router === null ? false : bool(router, 'suppress_envoy_headers', routerPath, errors),
    stripTrailingHostDot: bool(msg, 'strip_trailing_host_dot', path, errors),
  };
}

/** The route_specifier oneof: inline route_config or rds; scoped_routes is refused. */
function decodeRouteSpecifier(msg: ProtoObject, path: string, errors: Errors): HttpConnectionManager['route'] {
  if (has(msg, 'scoped_routes')) errors.push({ path: fieldPath(path, 'scoped_routes'), message: 'is not supported, use routeConfig or rds' });
  const inline = obj(msg, 'route_config', path, errors);
  const rds = obj(msg, 'rds', path, errors);
  if (inline !== null && rds !== null) errors.push({ path: fieldPath(path, 'rds'), message: 'cannot be set together with routeConfig' });
  if (inline !== null) {
    const result = decodeRouteConfiguration(inline, fieldPath(path, 'route_config'));
    if (result.ok) return { kind: 'inline', routeConfig: result.value };
    errors.push(...result.errors);
    return { kind: 'rds', routeConfigName: '', configSource: { kind: 'ads', resourceApiVersion: 'V3' } };
  }
  if (rds !== null) {
    const rdsPath = fieldPath(path, 'rds');
    const routeConfigName = str(rds, 'route_config_name', rdsPath, errors);
    if (routeConfigName === '') errors.push({ path: fieldPath(rdsPath, 'route_config_name'), message: 'is required' });
    const source = obj(rds, 'config_source', rdsPath, errors);
    if (source === null) {
      errors.push({ path: fieldPath(rdsPath, 'config_source'), message: 'is required' });
      return { kind: 'rds', routeConfigName, configSource: { kind: 'ads', resourceApiVersion: 'V3' } };
    }
    return { kind: 'rds', routeConfigName, configSource: decodeConfigSource(source, fieldPath(rdsPath, 'config_source'), errors) };
  }
  if (!has(msg, 'scoped_routes')) errors.push({ path, message: 'must set routeConfig or rds' });
  return { kind: 'rds', routeConfigName: '', configSource: { kind: 'ads', resourceApiVersion: 'V3' } };
}

/** common_http_protocol_options as it applies to downstream connections. */
function decodeCommonOptions(msg: ProtoObject, path: string, errors: Errors): { maxHeadersCount: number; idleTimeoutMs: number } {
  const common = obj(msg, 'common_http_protocol_options', path, errors);
  if (common === null) return { maxHeadersCount: DEFAULTS.maxHeadersCount, idleTimeoutMs: DEFAULTS.idleTimeoutMs };
  const commonPath = fieldPath(path, 'common_http_protocol_options');
  rejectUnsupported(common, commonPath, ['max_connection_duration', 'max_stream_duration', 'max_requests_per_connection'], errors);
  checkEnumDefault(common, 'headers_with_underscores_action', ['ALLOW'], commonPath, errors);
  const maxHeadersCount = wrapped(common, 'max_headers_count', commonPath, errors, DEFAULTS.maxHeadersCount);
  if (maxHeadersCount < 1) errors.push({ path: fieldPath(commonPath, 'max_headers_count'), message: `must be at least 1, got ${maxHeadersCount}` });
  return { maxHeadersCount, idleTimeoutMs: durationMs(common, 'idle_timeout', commonPath, errors, DEFAULTS.idleTimeoutMs) };
}

/** upgrade_configs: unique (case-insensitive) upgrade types; per-upgrade filter chains are refused. */
function decodeUpgradeConfigs(msg: ProtoObject, path: string, errors: Errors): UpgradeConfig[] {
  const base = fieldPath(path, 'upgrade_configs');
  const items = list(msg, 'upgrade_configs', path, errors);
  const out: UpgradeConfig[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    rejectUnsupported(item, itemPath, ['filters'], errors);
    const upgradeType = str(item, 'upgrade_type', itemPath, errors).toLowerCase();
    if (upgradeType === '') errors.push({ path: fieldPath(itemPath, 'upgrade_type'), message: 'is required' });
    const first = seen.get(upgradeType);
    if (upgradeType !== '' && first !== undefined) {
      errors.push({ path: fieldPath(itemPath, 'upgrade_type'), message: `duplicate upgrade type "${upgradeType}" (also ${joinPath(base, first)})` });
    } else seen.set(upgradeType, i);
    out.push({ upgradeType, enabled: wrappedBool(item, 'enabled', itemPath, errors, DEFAULTS.upgradeEnabled) });
  }
  return out;
}

/** An enum we implement only some values of: anything else is "not supported". */
function checkEnumDefault(msg: ProtoObject, field: string, allowed: readonly string[], path: string, errors: Errors): void {
  const v = msg[field];
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    errors.push({ path: fieldPath(path, field), message: `only ${allowed.join(', ')} is supported, got ${JSON.stringify(v)}` });
  }
}
