/**
 * Which HTTP version a cluster speaks upstream, and its connection-level HTTP options.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/upstreams/http/v3/http_protocol_options.proto
 *
 * Two spellings exist: the deprecated Cluster fields (http2_protocol_options,
 * common_http_protocol_options, max_requests_per_connection) and
 * typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].
 * As in Envoy, a cluster may use one or the other, not both.
 */
import type { ProtoObject } from '../proto-object.js';
import { HTTP_PROTOCOL_OPTIONS_TYPE_URL } from '../type-urls.js';
import { durationMs, fieldPath, has, isObject, obj, typeUrlOf, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

const DEFAULTS = {
  idleTimeoutMs: 3_600_000, // Envoy default (HttpProtocolOptions.idle_timeout, 1 hour)
  maxRequestsPerConnection: 0, // Envoy default: unlimited
} as const;

/** The extension name Envoy looks the options up by. */
export const HTTP_PROTOCOL_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const DEPRECATED_FIELDS = ['http2_protocol_options', 'common_http_protocol_options', 'max_requests_per_connection', 'http_protocol_options'] as const;

export interface UpstreamProtocolSettings {
  readonly upstreamProtocol: 'http1' | 'http2';
  readonly upstreamIdleTimeoutMs: number;
  readonly maxRequestsPerConnection: number;
}

/** Decodes the protocol fields of a Cluster message (errors under `path`, the cluster's path). */
export function decodeUpstreamProtocol(cluster: ProtoObject, path: string, errors: Errors): UpstreamProtocolSettings {
  rejectUnsupported(cluster, path, ['upstream_http_protocol_options'], errors, 'it only applies to TLS upstreams');
  if (cluster.protocol_selection !== undefined && cluster.protocol_selection !== 'USE_CONFIGURED_PROTOCOL') {
    errors.push({ path: fieldPath(path, 'protocol_selection'), message: `only USE_CONFIGURED_PROTOCOL is supported, got ${JSON.stringify(cluster.protocol_selection)}` });
  }
  const mapPath = fieldPath(path, 'typed_extension_protocol_options');
  const map = obj(cluster, 'typed_extension_protocol_options', path, errors) ?? {};
  let typed: ProtoObject | null = null;
  for (const key of Object.keys(map)) {
    const entryPath = `${mapPath}[${JSON.stringify(key)}]`;
    const any = map[key];
    if (key !== HTTP_PROTOCOL_OPTIONS_KEY) {
      errors.push({ path: entryPath, message: `is not supported: only ${HTTP_PROTOCOL_OPTIONS_KEY} is` });
    } else if (!isObject(any) || typeUrlOf(any) !== HTTP_PROTOCOL_OPTIONS_TYPE_URL) {
      errors.push({ path: entryPath, message: `must be a ${HTTP_PROTOCOL_OPTIONS_TYPE_URL}` });
    } else typed = any;
  }

  if (typed !== null) {
    for (const field of DEPRECATED_FIELDS) {
      if (has(cluster, field)) errors.push({ path: fieldPath(path, field), message: `cannot be set together with typedExtensionProtocolOptions["${HTTP_PROTOCOL_OPTIONS_KEY}"]` });
    }
    return decodeHttpProtocolOptions(typed, `${mapPath}[${JSON.stringify(HTTP_PROTOCOL_OPTIONS_KEY)}]`, errors);
  }

  // Deprecated spelling. http_protocol_options (HTTP/1 tuning) is accepted and ignored.
  const common = decodeCommon(cluster, path, errors);
  let maxRequestsPerConnection = common.maxRequestsPerConnection;
  if (has(cluster, 'max_requests_per_connection')) {
    if (has(obj(cluster, 'common_http_protocol_options', path, errors) ?? {}, 'max_requests_per_connection')) {
      errors.push({ path: fieldPath(path, 'max_requests_per_connection'), message: 'cannot be set together with commonHttpProtocolOptions.maxRequestsPerConnection' });
    }
    maxRequestsPerConnection = wrapped(cluster, 'max_requests_per_connection', path, errors, DEFAULTS.maxRequestsPerConnection);
  }
  return {
    upstreamProtocol: has(cluster, 'http2_protocol_options') ? 'http2' : 'http1',
    upstreamIdleTimeoutMs: common.upstreamIdleTimeoutMs,
    maxRequestsPerConnection,
  };
}

function decodeHttpProtocolOptions(msg: ProtoObject, path: string, errors: Errors): UpstreamProtocolSettings {
  rejectUnsupported(msg, path, ['use_downstream_protocol_config', 'auto_config', 'http_filters', 'header_validation_config'], errors);
  rejectUnsupported(msg, path, ['upstream_http_protocol_options'], errors, 'it only applies to TLS upstreams');
  let upstreamProtocol: 'http1' | 'http2' = 'http1';
  const explicit = obj(msg, 'explicit_http_config', path, errors);
  if (explicit !== null) {
    const explicitPath = fieldPath(path, 'explicit_http_config');
    rejectUnsupported(explicit, explicitPath, ['http3_protocol_options'], errors);
    if (has(explicit, 'http2_protocol_options')) upstreamProtocol = 'http2';
    else if (!has(explicit, 'http_protocol_options') && !has(explicit, 'http3_protocol_options')) {
      errors.push({ path: explicitPath, message: 'must set httpProtocolOptions or http2ProtocolOptions' });
    }
  } else if (!has(msg, 'use_downstream_protocol_config') && !has(msg, 'auto_config')) {
    errors.push({ path: fieldPath(path, 'explicit_http_config'), message: 'is required (the upstream protocol must be chosen)' });
  }
  const common = decodeCommon(msg, path, errors);
  return { upstreamProtocol, ...common };
}

/** core.v3.HttpProtocolOptions as it applies to upstream connections. */
function decodeCommon(msg: ProtoObject, path: string, errors: Errors): Omit<UpstreamProtocolSettings, 'upstreamProtocol'> {
  const common = obj(msg, 'common_http_protocol_options', path, errors);
  if (common === null) return { upstreamIdleTimeoutMs: DEFAULTS.idleTimeoutMs, maxRequestsPerConnection: DEFAULTS.maxRequestsPerConnection };
  const commonPath = fieldPath(path, 'common_http_protocol_options');
  rejectUnsupported(common, commonPath, ['max_connection_duration', 'max_stream_duration', 'max_headers_count', 'headers_with_underscores_action'], errors);
  return {
    upstreamIdleTimeoutMs: durationMs(common, 'idle_timeout', commonPath, errors, DEFAULTS.idleTimeoutMs),
    maxRequestsPerConnection: wrapped(common, 'max_requests_per_connection', commonPath, errors, DEFAULTS.maxRequestsPerConnection),
  };
}
