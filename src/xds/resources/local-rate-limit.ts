/**
 * envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit → a LocalRateLimit view, for the
 * filter in http_filters and for per-route / per-virtual-host `typed_per_filter_config`.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/local_rate_limit_filter
 *
 * Envoy's rules kept here: a config without token_bucket limits nothing (the filter then acts only
 * where a route or virtual host carries its own config); filter_enabled and filter_enforced default
 * to 0% "for safety"; fill_interval must be at least 50 ms; the answer is 429 unless `status` says
 * otherwise. Descriptors (per-header buckets) are not implemented and are refused by name.
 */
import type { ProtoObject } from '../proto-object.js';
import { getProtoRoot } from '../protos.js';
import { decodeFractionalPercent, decodeHeaderValueOption } from './common.js';
import type { FractionalPercent, HeaderValueOption } from './common.types.js';
import { bool, durationMs, enumOf, fieldPath, messages, num, obj, str, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';

export interface TokenBucketConfig {
  readonly maxTokens: number;
  readonly tokensPerFill: number;
  readonly fillIntervalMs: number;
}

export interface LocalRateLimit {
  readonly statPrefix: string;
  /** null: no bucket at this level (nothing is limited here). */
  readonly tokenBucket: TokenBucketConfig | null;
  readonly filterEnabled: FractionalPercent;
  readonly filterEnforced: FractionalPercent;
  /** The local reply's status (Envoy default 429 Too Many Requests). */
  readonly status: number;
  readonly responseHeadersToAdd: readonly HeaderValueOption[];
  readonly requestHeadersToAddWhenNotEnforced: readonly HeaderValueOption[];
  /** x-ratelimit-limit/-remaining/-reset (draft 03) on every answer of an enabled request. */
  readonly enableXRatelimitHeaders: boolean;
  /** One bucket per downstream connection instead of one per router process. */
  readonly perDownstreamConnection: boolean;
}

/** Envoy's lower bound on fill_interval. */
const MIN_FILL_INTERVAL_MS = 50;
const ZERO: FractionalPercent = { numerator: 0, denominator: 100 };

export function decodeLocalRateLimit(msg: ProtoObject, path: string, errors: Errors): LocalRateLimit {
  rejectUnsupported(msg, path, ['descriptors', 'stage', 'vh_rate_limits', 'rate_limits', 'local_cluster_rate_limit'], errors, 'descriptor-based local rate limits are not implemented');
  const statPrefix = str(msg, 'stat_prefix', path, errors);
  if (statPrefix === '') errors.push({ path: fieldPath(path, 'stat_prefix'), message: 'is required' });
  const bucket = obj(msg, 'token_bucket', path, errors);
  let tokenBucket: TokenBucketConfig | null = null;
  if (bucket !== null) {
    const bucketPath = fieldPath(path, 'token_bucket');
    const maxTokens = num(bucket, 'max_tokens', bucketPath, errors);
    if (!Number.isInteger(maxTokens) || maxTokens < 1) errors.push({ path: fieldPath(bucketPath, 'max_tokens'), message: `must be an integer ≥ 1, got ${maxTokens}` });
    const tokensPerFill = wrapped(bucket, 'tokens_per_fill', bucketPath, errors, 1);
    if (!Number.isInteger(tokensPerFill) || tokensPerFill < 1) errors.push({ path: fieldPath(bucketPath, 'tokens_per_fill'), message: `must be an integer ≥ 1, got ${tokensPerFill}` });
    const fillIntervalMs = durationMs(bucket, 'fill_interval', bucketPath, errors, 0);
    if (fillIntervalMs < MIN_FILL_INTERVAL_MS) errors.push({ path: fieldPath(bucketPath, 'fill_interval'), message: `must be at least ${MIN_FILL_INTERVAL_MS}ms, got ${fillIntervalMs}ms` });
    tokenBucket = { maxTokens, tokensPerFill, fillIntervalMs };
  }
  const statusMsg = obj(msg, 'status', path, errors);
  let status = 429;
  if (statusMsg !== null) {
    const codePath = fieldPath(fieldPath(path, 'status'), 'code');
    // type.v3.HttpStatus.code is the StatusCode enum: its names are spelled like 'TooManyRequests'.
    const code = statusMsg.code;
    status = typeof code === 'string' ? (statusCodeOf(code) ?? NaN) : num(statusMsg, 'code', fieldPath(path, 'status'), errors, 429);
    if (!Number.isInteger(status) || status < 400 || status > 599) errors.push({ path: codePath, message: `must be a 4xx or 5xx status, got ${JSON.stringify(code)}` });
  }
  return {
    statPrefix,
    tokenBucket,
    filterEnabled: runtimePercent(msg, 'filter_enabled', path, errors),
    filterEnforced: runtimePercent(msg, 'filter_enforced', path, errors),
    status,
    responseHeadersToAdd: messages(msg, 'response_headers_to_add', path, errors, (h, p) => decodeHeaderValueOption(h, p, errors)),
    requestHeadersToAddWhenNotEnforced: messages(msg, 'request_headers_to_add_when_not_enforced', path, errors, (h, p) => decodeHeaderValueOption(h, p, errors)),
    enableXRatelimitHeaders: enumOf(msg, 'enable_x_ratelimit_headers', path, errors, ['OFF', 'DRAFT_VERSION_03'] as const, 'OFF') === 'DRAFT_VERSION_03',
    perDownstreamConnection: bool(msg, 'local_rate_limit_per_downstream_connection', path, errors),
  };
}

function statusCodeOf(name: string): number | undefined {
  return getProtoRoot().lookupEnum('envoy.type.v3.StatusCode').values[name];
}

/** core.v3.RuntimeFractionalPercent: only default_value counts (we have no runtime). */
function runtimePercent(msg: ProtoObject, field: string, path: string, errors: Errors): FractionalPercent {
  const rfp = obj(msg, field, path, errors);
  if (rfp === null) return ZERO;
  const value = obj(rfp, 'default_value', fieldPath(path, field), errors);
  return value === null ? ZERO : decodeFractionalPercent(value, fieldPath(fieldPath(path, field), 'default_value'), errors);
}
