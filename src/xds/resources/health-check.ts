/**
 * envoy.config.core.v3.HealthCheck (a Cluster's active health check) → the HealthCheck view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/health_checking
 *
 * HTTP and TCP checkers only. Defaults cascade as Envoy documents them: unhealthy_interval and
 * healthy_edge_interval default to interval, unhealthy_edge_interval to unhealthy_interval.
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject } from '../proto-object.js';
import { joinPath } from '../validation.js';
import type { HealthCheck } from './cluster.types.js';
import { bool, durationMs, fieldPath, has, isObject, list, messages, num, obj, str, wrapped, wrappedBool, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

const DEFAULTS = {
  noTrafficIntervalMs: 60_000, // Envoy default (HealthCheck.no_traffic_interval)
  httpExpectedStatuses: [[200, 201]] as const, // Envoy default: 200 only
  httpMethod: 'GET', // Envoy default (HttpHealthCheck.method)
  reuseConnection: true, // Envoy default (HealthCheck.reuse_connection)
} as const;

/** core.v3.RequestMethod names we accept; CONNECT is refused by the proto (not_in: 6). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'] as const;
const HEX_RE = /^(?:[0-9a-fA-F]{2})+$/;

/** Decodes one HealthCheck under `path` (e.g. `healthChecks[0]`). */
export function decodeHealthCheck(msg: ProtoObject, path: string, errors: Errors): HealthCheck {
  const timeoutMs = requiredPositiveDuration(msg, 'timeout', path, errors);
  const intervalMs = requiredPositiveDuration(msg, 'interval', path, errors);
  const unhealthyThreshold = requiredWrapper(msg, 'unhealthy_threshold', path, errors);
  const healthyThreshold = requiredWrapper(msg, 'healthy_threshold', path, errors);
  rejectUnsupported(
    msg,
    path,
    ['alt_port', 'no_traffic_healthy_interval', 'event_logger', 'event_service', 'tls_options', 'transport_socket_match_criteria', 'grpc_health_check', 'custom_health_check'],
    errors,
  );
  const unhealthyIntervalMs = positiveDuration(msg, 'unhealthy_interval', path, errors, intervalMs);
  return {
    timeoutMs,
    intervalMs,
    intervalJitterMs: durationMs(msg, 'interval_jitter', path, errors, 0),
    intervalJitterPercent: num(msg, 'interval_jitter_percent', path, errors),
    unhealthyThreshold,
    healthyThreshold,
    noTrafficIntervalMs: positiveDuration(msg, 'no_traffic_interval', path, errors, DEFAULTS.noTrafficIntervalMs),
    unhealthyIntervalMs,
    healthyEdgeIntervalMs: positiveDuration(msg, 'healthy_edge_interval', path, errors, intervalMs), // Envoy default: interval
    unhealthyEdgeIntervalMs: positiveDuration(msg, 'unhealthy_edge_interval', path, errors, unhealthyIntervalMs), // Envoy default: unhealthy_interval
    eventLogPath: str(msg, 'event_log_path', path, errors),
    alwaysLogHealthCheckFailures: bool(msg, 'always_log_health_check_failures', path, errors),
    alwaysLogHealthCheckSuccess: bool(msg, 'always_log_health_check_success', path, errors),
    initialJitterMs: durationMs(msg, 'initial_jitter', path, errors, 0), // Envoy default 0
    reuseConnection: wrappedBool(msg, 'reuse_connection', path, errors, DEFAULTS.reuseConnection),
    checker: decodeChecker(msg, path, errors),
  };
}

function decodeChecker(msg: ProtoObject, path: string, errors: Errors): HealthCheck['checker'] {
  const http = obj(msg, 'http_health_check', path, errors);
  if (http !== null) return decodeHttp(http, fieldPath(path, 'http_health_check'), errors);
  const tcp = obj(msg, 'tcp_health_check', path, errors);
  if (tcp !== null) {
    const tcpPath = fieldPath(path, 'tcp_health_check');
    rejectUnsupported(tcp, tcpPath, ['proxy_protocol_config'], errors);
    const sendMsg = obj(tcp, 'send', tcpPath, errors);
    const send = sendMsg === null ? null : decodePayload(sendMsg, fieldPath(tcpPath, 'send'), errors);
    const receive = messages(tcp, 'receive', tcpPath, errors, (item, itemPath) => decodePayload(item, itemPath, errors));
    return { kind: 'tcp', send, receive };
  }
  if (!has(msg, 'grpc_health_check') && !has(msg, 'custom_health_check')) {
    errors.push({ path, message: 'must set httpHealthCheck or tcpHealthCheck' });
  }
  return { kind: 'tcp', send: null, receive: [] };
}

function decodeHttp(msg: ProtoObject, path: string, errors: Errors): HealthCheck['checker'] {
  const checkPath = str(msg, 'path', path, errors);
  if (checkPath === '') errors.push({ path: fieldPath(path, 'path'), message: 'is required' });
  rejectUnsupported(
    msg,
    path,
    ['send', 'receive', 'response_buffer_size', 'request_headers_to_add', 'request_headers_to_remove', 'service_name_matcher'],
    errors,
  );
  const codec = msg.codec_client_type;
  if (codec !== undefined && codec !== 'HTTP1') {
    errors.push({ path: fieldPath(path, 'codec_client_type'), message: `only HTTP1 is supported, got ${JSON.stringify(codec)}` });
  }
  const ranges = list(msg, 'expected_statuses', path, errors);
  const expectedStatuses = decodeStatusRanges(msg, 'expected_statuses', path, errors);
  const retriableStatuses = decodeStatusRanges(msg, 'retriable_statuses', path, errors);
  let method: string = DEFAULTS.httpMethod;
  const rawMethod = msg.method;
  if (rawMethod !== undefined && rawMethod !== 'METHOD_UNSPECIFIED') {
    if (typeof rawMethod === 'string' && (METHODS as readonly string[]).includes(rawMethod)) method = rawMethod;
    else errors.push({ path: fieldPath(path, 'method'), message: `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(rawMethod)}` });
  }
  return {
    kind: 'http',
    host: str(msg, 'host', path, errors),
    path: checkPath,
    expectedStatuses: ranges.length === 0 ? DEFAULTS.httpExpectedStatuses.map(([s, e]) => [s, e] as const) : expectedStatuses,
    retriableStatuses,
    method,
  };
}

/** A repeated type.v3.Int64Range of HTTP statuses: half-open [start, end) within [100, 600). */
function decodeStatusRanges(msg: ProtoObject, field: string, path: string, errors: Errors): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  const ranges = list(msg, field, path, errors);
  const rangesPath = fieldPath(path, field);
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i];
    const rangePath = joinPath(rangesPath, i);
    if (!isObject(range)) {
      errors.push({ path: rangePath, message: 'must be a message' });
      continue;
    }
    const start = num(range, 'start', rangePath, errors);
    const end = num(range, 'end', rangePath, errors);
    // health_check.proto: statuses in [100, 600), half-open [start, end).
    if (start < 100 || start >= 600) errors.push({ path: fieldPath(rangePath, 'start'), message: `must be 100–599, got ${start}` });
    else if (end <= start || end > 600) errors.push({ path: fieldPath(rangePath, 'end'), message: `must be ${start + 1}–600, got ${end}` });
    else out.push([start, end]);
  }
  return out;
}

/** HealthCheck.Payload: exactly one of text (hex) or binary. */
function decodePayload(msg: ProtoObject, path: string, errors: Errors): Buffer {
  const text = msg.text;
  const binary = msg.binary;
  if (typeof text === 'string' && text !== '') {
    if (HEX_RE.test(text)) return Buffer.from(text, 'hex');
    errors.push({ path: fieldPath(path, 'text'), message: `must be hex-encoded bytes such as "000000FF", got ${JSON.stringify(text)}` });
    return Buffer.alloc(0);
  }
  if (Buffer.isBuffer(binary) && binary.length > 0) return binary;
  errors.push({ path, message: 'must set text (hex) or binary' });
  return Buffer.alloc(0);
}

function requiredPositiveDuration(msg: ProtoObject, field: string, path: string, errors: Errors): number {
  if (!has(msg, field)) {
    errors.push({ path: fieldPath(path, field), message: 'is required' });
    return 0;
  }
  return positiveDuration(msg, field, path, errors, 0);
}

function positiveDuration(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: number): number {
  if (!has(msg, field)) return fallback;
  const before = errors.length;
  const ms = durationMs(msg, field, path, errors, fallback);
  if (errors.length === before && ms <= 0) errors.push({ path: fieldPath(path, field), message: `must be greater than 0, got ${ms}ms` });
  return ms;
}

function requiredWrapper(msg: ProtoObject, field: string, path: string, errors: Errors): number {
  if (!has(msg, field)) {
    errors.push({ path: fieldPath(path, field), message: 'is required' });
    return 0;
  }
  return wrapped(msg, field, path, errors, 0);
}
