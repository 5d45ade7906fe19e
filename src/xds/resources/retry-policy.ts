/**
 * config.route.v3.RetryPolicy (virtual host and route action level) → RetryPolicy view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-retrypolicy
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
import type { ProtoObject } from '../proto-object.js';
import { joinPath } from '../validation.js';
import { decodeHeaderMatcher } from './common.js';
import { durationMs, enumOf, fieldPath, has, isObject, list, messages, obj, str, typeUrlOf, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';
import type { RetryPolicy } from './route-configuration.types.js';

const DEFAULTS = {
  numRetries: 1, // Envoy default
  baseIntervalMs: 25, // Envoy default
  maxIntervalFactor: 10, // Envoy default: max_interval = 10 × base_interval
  hostSelectionRetryMaxAttempts: 1, // Envoy default
  rateLimitedMaxIntervalMs: 300_000, // Envoy default (rate_limited_retry_back_off.max_interval)
} as const;

/** Every condition Envoy understands in retry_on (x-envoy-retry-on and x-envoy-retry-grpc-on). */
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

const PREVIOUS_HOSTS = 'envoy.retry_host_predicates.previous_hosts';
const PREVIOUS_HOSTS_TYPE_URL = 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate';

export function decodeRetryPolicy(msg: ProtoObject, path: string, errors: Errors): RetryPolicy {
  rejectUnsupported(msg, path, ['retry_priority', 'retry_options_predicates'], errors);

  const retryOn: string[] = [];
  for (const raw of str(msg, 'retry_on', path, errors).split(',')) {
    const condition = raw.trim();
    if (condition === '') continue;
    if (!RETRY_ON.has(condition)) {
      errors.push({ path: fieldPath(path, 'retry_on'), message: `unknown retry condition ${JSON.stringify(condition)}; known: ${[...RETRY_ON].join(', ')}` });
    } else if (!retryOn.includes(condition)) retryOn.push(condition);
  }

  const numRetries = wrapped(msg, 'num_retries', path, errors, DEFAULTS.numRetries);
  if (!Number.isInteger(numRetries) || numRetries < 0) {
    errors.push({ path: fieldPath(path, 'num_retries'), message: `must be a non-negative integer, got ${numRetries}` });
  }

  const hostSelectionRetryMaxAttempts = msg.host_selection_retry_max_attempts === undefined
    ? DEFAULTS.hostSelectionRetryMaxAttempts
    : wrappedInt(msg, 'host_selection_retry_max_attempts', path, errors);

  return {
    retryOn,
    numRetries,
    perTryTimeoutMs: durationMs(msg, 'per_try_timeout', path, errors, 0),
    perTryIdleTimeoutMs: durationMs(msg, 'per_try_idle_timeout', path, errors, 0),
    retryBackOff: decodeBackOff(msg, path, errors),
    retriableStatusCodes: decodeStatusCodes(msg, path, errors),
    retriableHeaders: messages(msg, 'retriable_headers', path, errors, (item, itemPath) => decodeHeaderMatcher(item, itemPath, errors)),
    retriableRequestHeaders: messages(msg, 'retriable_request_headers', path, errors, (item, itemPath) => decodeHeaderMatcher(item, itemPath, errors)),
    retryHostPredicates: decodeHostPredicates(msg, path, errors),
    hostSelectionRetryMaxAttempts,
    rateLimitedRetryBackOff: decodeRateLimitedBackOff(msg, path, errors),
  };
}

/** int64 host_selection_retry_max_attempts: a plain number in the ProtoObject form. */
function wrappedInt(msg: ProtoObject, field: string, path: string, errors: Errors): number {
  const v = msg[field];
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
  errors.push({ path: fieldPath(path, field), message: `must be a non-negative integer, got ${JSON.stringify(v)}` });
  return DEFAULTS.hostSelectionRetryMaxAttempts;
}

/** retry_back_off: base_interval required and > 0; max_interval > 0, ≥ base, default 10 × base. */
function decodeBackOff(msg: ProtoObject, path: string, errors: Errors): RetryPolicy['retryBackOff'] {
  const backOff = obj(msg, 'retry_back_off', path, errors);
  if (backOff === null) return { baseIntervalMs: DEFAULTS.baseIntervalMs, maxIntervalMs: DEFAULTS.baseIntervalMs * DEFAULTS.maxIntervalFactor };
  const backOffPath = fieldPath(path, 'retry_back_off');
  let baseIntervalMs = durationMs(backOff, 'base_interval', backOffPath, errors, DEFAULTS.baseIntervalMs);
  if (!has(backOff, 'base_interval')) errors.push({ path: fieldPath(backOffPath, 'base_interval'), message: 'is required' });
  else if (baseIntervalMs <= 0) {
    errors.push({ path: fieldPath(backOffPath, 'base_interval'), message: `must be greater than 0, got ${baseIntervalMs}ms` });
    baseIntervalMs = DEFAULTS.baseIntervalMs;
  }
  let maxIntervalMs = durationMs(backOff, 'max_interval', backOffPath, errors, baseIntervalMs * DEFAULTS.maxIntervalFactor);
  if (has(backOff, 'max_interval')) {
    const maxPath = fieldPath(backOffPath, 'max_interval');
    if (maxIntervalMs <= 0) errors.push({ path: maxPath, message: `must be greater than 0, got ${maxIntervalMs}ms` });
    else if (maxIntervalMs < baseIntervalMs) {
      errors.push({ path: maxPath, message: `must be at least baseInterval (${baseIntervalMs}ms), got ${maxIntervalMs}ms` });
    }
    if (maxIntervalMs <= 0 || maxIntervalMs < baseIntervalMs) maxIntervalMs = baseIntervalMs * DEFAULTS.maxIntervalFactor;
  }
  return { baseIntervalMs, maxIntervalMs };
}

function decodeStatusCodes(msg: ProtoObject, path: string, errors: Errors): number[] {
  const base = fieldPath(path, 'retriable_status_codes');
  const out: number[] = [];
  const items = list(msg, 'retriable_status_codes', path, errors);
  for (let i = 0; i < items.length; i++) {
    const code = items[i];
    if (typeof code === 'number' && Number.isInteger(code) && code >= 100 && code <= 599) out.push(code);
    else errors.push({ path: joinPath(base, i), message: `must be an HTTP status code 100–599, got ${JSON.stringify(code)}` });
  }
  return out;
}

/** retry_host_predicate: only previous_hosts (by name or by typed_config type). */
function decodeHostPredicates(msg: ProtoObject, path: string, errors: Errors): string[] {
  const out: string[] = [];
  messages(msg, 'retry_host_predicate', path, errors, (item, itemPath) => {
    const name = str(item, 'name', itemPath, errors);
    const config = obj(item, 'typed_config', itemPath, errors);
    const typeUrl = config === null ? '' : typeUrlOf(config);
    if (typeUrl === PREVIOUS_HOSTS_TYPE_URL || (typeUrl === '' && name === PREVIOUS_HOSTS)) {
      if (!out.includes(PREVIOUS_HOSTS)) out.push(PREVIOUS_HOSTS);
    } else if (name === '' && typeUrl === '') {
      errors.push({ path: fieldPath(itemPath, 'name'), message: 'is required' });
    } else {
      errors.push({ path: itemPath, message: `retry host predicate ${JSON.stringify(typeUrl || name)} is not supported, only ${PREVIOUS_HOSTS}` });
    }
    return null;
  });
  return out;
}

function decodeRateLimitedBackOff(msg: ProtoObject, path: string, errors: Errors): RetryPolicy['rateLimitedRetryBackOff'] {
  const rl = obj(msg, 'rate_limited_retry_back_off', path, errors);
  if (rl === null) return null;
  const rlPath = fieldPath(path, 'rate_limited_retry_back_off');
  const resetHeaders = messages(rl, 'reset_headers', rlPath, errors, (item, itemPath) => {
    const name = str(item, 'name', itemPath, errors).toLowerCase();
    if (name === '') errors.push({ path: fieldPath(itemPath, 'name'), message: 'is required' });
    const format = enumOf(item, 'format', itemPath, errors, ['SECONDS', 'UNIX_TIMESTAMP'] as const, 'SECONDS');
    return { name, format };
  });
  if (resetHeaders.length === 0 && !(Array.isArray(rl.reset_headers) && rl.reset_headers.some((h) => !isObject(h)))) {
    errors.push({ path: fieldPath(rlPath, 'reset_headers'), message: 'must have at least one header' });
  }
  let maxIntervalMs = durationMs(rl, 'max_interval', rlPath, errors, DEFAULTS.rateLimitedMaxIntervalMs);
  if (has(rl, 'max_interval') && maxIntervalMs <= 0) {
    errors.push({ path: fieldPath(rlPath, 'max_interval'), message: `must be greater than 0, got ${maxIntervalMs}ms` });
    maxIntervalMs = DEFAULTS.rateLimitedMaxIntervalMs;
  }
  return { resetHeaders, maxIntervalMs };
}
