/**
 * envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit → a LocalRateLimit view, for the
 * filter in http_filters and for per-route / per-virtual-host `typed_per_filter_config`.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/local_rate_limit_filter
 *
 * Envoy's rules kept here: a config without token_bucket limits nothing (the filter then acts only
 * where a route or virtual host carries its own config); filter_enabled and filter_enforced default
 * to 0% "for safety"; fill_interval must be at least 50 ms; the answer is 429 unless `status` says
 * otherwise. `descriptors` give their own buckets to the descriptors a route's `rate_limits` of
 * this filter's `stage` produce (an entry whose value is empty matches any value); a request whose
 * descriptors match none of them uses the default token_bucket.
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

export interface LocalRateLimitDescriptor {
  readonly entries: readonly { readonly key: string; readonly value: string }[];
  readonly tokenBucket: TokenBucketConfig;
}

export interface LocalRateLimit {
  readonly statPrefix: string;
  /** Which route rate_limits (by stage) produce descriptors for this filter (Envoy default 0). */
  readonly stage: number;
  readonly descriptors: readonly LocalRateLimitDescriptor[];
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
  rejectUnsupported(msg, path, ['vh_rate_limits', 'rate_limits', 'local_cluster_rate_limit', 'always_consume_default_token_bucket'], errors, 'only route rate_limits produce local descriptors here');
  const statPrefix = str(msg, 'stat_prefix', path, errors);
  if (statPrefix === '') errors.push({ path: fieldPath(path, 'stat_prefix'), message: 'is required' });
  const bucket = obj(msg, 'token_bucket', path, errors);
  const tokenBucket = bucket === null ? null : decodeTokenBucket(bucket, fieldPath(path, 'token_bucket'), errors);
  const stage = num(msg, 'stage', path, errors, 0);
  if (!Number.isInteger(stage) || stage < 0 || stage > 10) errors.push({ path: fieldPath(path, 'stage'), message: `must be 0–10, got ${stage}` });
  const descriptors = messages(msg, 'descriptors', path, errors, (d, dPath) => {
    const entries = messages(d, 'entries', dPath, errors, (e, ePath) => {
      const key = str(e, 'key', ePath, errors);
      if (key === '') errors.push({ path: fieldPath(ePath, 'key'), message: 'is required' });
      return { key, value: str(e, 'value', ePath, errors) };
    });
    if (entries.length === 0) errors.push({ path: fieldPath(dPath, 'entries'), message: 'must not be empty' });
    const b = obj(d, 'token_bucket', dPath, errors);
    if (b === null) errors.push({ path: fieldPath(dPath, 'token_bucket'), message: 'is required' });
    const empty: TokenBucketConfig = { maxTokens: 1, tokensPerFill: 1, fillIntervalMs: 1000 };
    return { entries, tokenBucket: b === null ? empty : decodeTokenBucket(b, fieldPath(dPath, 'token_bucket'), errors) };
  });
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
    stage,
    descriptors,
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

/** type.v3.TokenBucket with Envoy's limits (max_tokens ≥ 1, tokens_per_fill default 1, fill_interval ≥ 50 ms). */
function decodeTokenBucket(bucket: ProtoObject, bucketPath: string, errors: Errors): TokenBucketConfig {
  const maxTokens = num(bucket, 'max_tokens', bucketPath, errors);
  if (!Number.isInteger(maxTokens) || maxTokens < 1) errors.push({ path: fieldPath(bucketPath, 'max_tokens'), message: `must be an integer ≥ 1, got ${maxTokens}` });
  const tokensPerFill = wrapped(bucket, 'tokens_per_fill', bucketPath, errors, 1);
  if (!Number.isInteger(tokensPerFill) || tokensPerFill < 1) errors.push({ path: fieldPath(bucketPath, 'tokens_per_fill'), message: `must be an integer ≥ 1, got ${tokensPerFill}` });
  const fillIntervalMs = durationMs(bucket, 'fill_interval', bucketPath, errors, 0);
  if (fillIntervalMs < MIN_FILL_INTERVAL_MS) errors.push({ path: fieldPath(bucketPath, 'fill_interval'), message: `must be at least ${MIN_FILL_INTERVAL_MS}ms, got ${fillIntervalMs}ms` });
  return { maxTokens, tokensPerFill, fillIntervalMs };
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
