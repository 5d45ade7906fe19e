/**
 * envoy.extensions.filters.http.ratelimit.v3.RateLimit (the global rate limit filter,
 * envoy.filters.http.ratelimit) → a RateLimitFilterConfig view. Every error carries its path.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/rate_limit_filter
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/ratelimit/v3/rate_limit.proto
 *
 * Envoy's rules kept here: domain is required; stage 0–10; request_type internal | external |
 * both ('' = both); timeout defaults to 20 ms; rate_limit_service is required, with an
 * envoy_grpc cluster and transport_api_version V3 (the only version Envoy still speaks);
 * rate_limited_status defaults to 429 and a status under 400 means 429 (Envoy); status_on_error
 * defaults to 500; response_headers_to_add has at most 10 entries. The cluster name is checked
 * against the router's clusters when the filter is built (the listener decoder cannot see them).
 */
import type { ProtoObject } from '../proto-object.js';
import { getProtoRoot } from '../protos.js';
import { decodeHeaderValueOption } from './common.js';
import type { HeaderValueOption } from './common.types.js';
import { bool, durationMs, enumOf, fieldPath, has, messages, num, obj, str, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

export interface RateLimitFilterConfig {
  readonly domain: string;
  /** Only route rate_limits of this stage are evaluated. */
  readonly stage: number;
  readonly requestType: 'internal' | 'external' | 'both';
  /** Deadline of each RLS call (Envoy default 20 ms); 0 = none. */
  readonly timeoutMs: number;
  /** RLS error or timeout: true answers `statusOnError` (flag RLSE), false lets the request go on. */
  readonly failureModeDeny: boolean;
  readonly rateLimitedAsResourceExhausted: boolean;
  /** rate_limit_service.grpc_service.envoy_grpc.cluster_name: a static HTTP/2 cluster. */
  readonly clusterName: string;
  readonly enableXRatelimitHeaders: boolean;
  readonly disableXEnvoyRatelimitedHeader: boolean;
  readonly rateLimitedStatus: number;
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly statusOnError: number;
  readonly statPrefix: string;
}

/** Defaults, each with its source. */
export const RATELIMIT_FILTER_DEFAULTS = {
  timeoutMs: 20, // Envoy default (rate_limit.proto `timeout`)
  rateLimitedStatus: 429, // Envoy default: Too Many Requests
  statusOnError: 500, // Envoy default: Internal Server Error
} as const;

const MAX_STAGE = 10; // PGV lte
const MAX_RESPONSE_HEADERS = 10; // PGV max_items

export function decodeRateLimitFilter(msg: ProtoObject, path: string, errors: Errors): RateLimitFilterConfig {
  const domain = str(msg, 'domain', path, errors);
  if (domain === '') errors.push({ path: fieldPath(path, 'domain'), message: 'is required' });
  const stage = num(msg, 'stage', path, errors);
  if (!Number.isInteger(stage) || stage < 0 || stage > MAX_STAGE) errors.push({ path: fieldPath(path, 'stage'), message: `must be 0–${MAX_STAGE}, got ${stage}` });
  const requestType = str(msg, 'request_type', path, errors);
  if (requestType !== '' && requestType !== 'internal' && requestType !== 'external' && requestType !== 'both') {
    errors.push({ path: fieldPath(path, 'request_type'), message: `must be "internal", "external" or "both", got ${JSON.stringify(requestType)}` });
  }
  const timeoutMs = durationMs(msg, 'timeout', path, errors, RATELIMIT_FILTER_DEFAULTS.timeoutMs);
  const clusterName = decodeRateLimitService(msg, path, errors);
  const responseHeadersToAdd = messages(msg, 'response_headers_to_add', path, errors, (h, p) => decodeHeaderValueOption(h, p, errors));
  if (responseHeadersToAdd.length > MAX_RESPONSE_HEADERS) {
    errors.push({ path: fieldPath(path, 'response_headers_to_add'), message: `must have at most ${MAX_RESPONSE_HEADERS} entries, got ${responseHeadersToAdd.length}` });
  }
  // Envoy: "If not set or the value is less than 400, the default 429 is used."
  const limited = httpStatus(msg, 'rate_limited_status', path, errors, RATELIMIT_FILTER_DEFAULTS.rateLimitedStatus);
  return {
    domain,
    stage,
    requestType: requestType === 'internal' || requestType === 'external' ? requestType : 'both',
    timeoutMs,
    failureModeDeny: bool(msg, 'failure_mode_deny', path, errors),
    rateLimitedAsResourceExhausted: bool(msg, 'rate_limited_as_resource_exhausted', path, errors),
    clusterName,
    enableXRatelimitHeaders: enumOf(msg, 'enable_x_ratelimit_headers', path, errors, ['OFF', 'DRAFT_VERSION_03'] as const, 'OFF') === 'DRAFT_VERSION_03',
    disableXEnvoyRatelimitedHeader: bool(msg, 'disable_x_envoy_ratelimited_header', path, errors),
    rateLimitedStatus: limited < 400 ? RATELIMIT_FILTER_DEFAULTS.rateLimitedStatus : limited,
    responseHeadersToAdd,
    statusOnError: httpStatus(msg, 'status_on_error', path, errors, RATELIMIT_FILTER_DEFAULTS.statusOnError),
    statPrefix: str(msg, 'stat_prefix', path, errors),
  };
}

/** rate_limit_service (config.ratelimit.v3.RateLimitServiceConfig) → the envoy_grpc cluster name. */
function decodeRateLimitService(msg: ProtoObject, path: string, errors: Errors): string {
  const servicePath = fieldPath(path, 'rate_limit_service');
  const service = obj(msg, 'rate_limit_service', path, errors);
  if (service === null) {
    errors.push({ path: servicePath, message: 'is required' });
    return '';
  }
  const transport = service.transport_api_version;
  if (transport !== undefined && transport !== null && transport !== 'V3' && transport !== 2) {
    errors.push({ path: fieldPath(servicePath, 'transport_api_version'), message: `must be V3, got ${JSON.stringify(transport)}` });
  }
  const grpcPath = fieldPath(servicePath, 'grpc_service');
  const grpc = obj(service, 'grpc_service', servicePath, errors);
  if (grpc === null) {
    errors.push({ path: grpcPath, message: 'is required' });
    return '';
  }
  rejectUnsupported(grpc, grpcPath, ['google_grpc'], errors, 'use envoyGrpc with a static cluster');
  const envoyGrpc = obj(grpc, 'envoy_grpc', grpcPath, errors);
  if (envoyGrpc === null) {
    if (!has(grpc, 'google_grpc')) errors.push({ path: fieldPath(grpcPath, 'envoy_grpc'), message: 'is required' });
    return '';
  }
  const envoyPath = fieldPath(grpcPath, 'envoy_grpc');
  const clusterName = str(envoyGrpc, 'cluster_name', envoyPath, errors);
  if (clusterName === '') errors.push({ path: fieldPath(envoyPath, 'cluster_name'), message: 'is required' });
  return clusterName;
}

/** type.v3.HttpStatus at msg[field]: its `code` enum (by name or number), 100–599. */
function httpStatus(msg: ProtoObject, field: string, path: string, errors: Errors, fallback: number): number {
  const status = obj(msg, field, path, errors);
  if (status === null) return fallback;
  const statusPath = fieldPath(path, field);
  const code = status.code;
  // type.v3.HttpStatus.code is the StatusCode enum: names like 'TooManyRequests'.
  const n = typeof code === 'string' ? (getProtoRoot().lookupEnum('envoy.type.v3.StatusCode').values[code] ?? NaN) : num(status, 'code', statusPath, errors, fallback);
  if (!Number.isInteger(n) || n < 100 || n > 599) {
    errors.push({ path: fieldPath(statusPath, 'code'), message: `must be an HTTP status 100–599, got ${JSON.stringify(code)}` });
    return fallback;
  }
  return n;
}
