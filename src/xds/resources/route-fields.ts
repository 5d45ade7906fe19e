/**
 * Pieces that repeat at several levels of a RouteConfiguration: header mutations (route config,
 * virtual host, route, weighted cluster), typed_per_filter_config (virtual host, route, weighted
 * cluster), rate_limits (virtual host, route action) and RegexMatchAndSubstitute (route action,
 * redirect).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto
 */
import { ANY_UNKNOWN_KEY, type ProtoObject } from '../proto-object.js';
import { checkRewriteString, compileSafeRegex } from '../safe-regex.js';
import { LOCAL_RATELIMIT_TYPE_URL } from '../type-urls.js';
import { joinPath } from '../validation.js';
import { decodeHeaderNames, decodeHeaderValueOption, decodeRegexMatcher, isHeaderValue } from './common.js';
import { fieldPath, isObject, list, messages, num, obj, str, typeUrlOf, wrapped, type Errors } from './fields.js';
import { decodeLocalRateLimit } from './local-rate-limit.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeRateLimitAction } from './rate-limit-action.js';
import type { HeaderMutations, RateLimit } from './route-configuration.types.js';

/** Envoy caps each *_headers_to_add list at 1000 entries (PGV max_items). */
const MAX_HEADERS_TO_ADD = 1000;
/** Envoy caps RateLimit.stage at 10 (PGV lte). */
const MAX_RATE_LIMIT_STAGE = 10;
const FILTER_CONFIG_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.FilterConfig';

/** request/response_headers_to_add/_to_remove of one level. */
export function decodeHeaderMutations(msg: ProtoObject, path: string, errors: Errors): HeaderMutations {
  return {
    requestHeadersToAdd: headersToAdd(msg, 'request_headers_to_add', path, errors),
    requestHeadersToRemove: decodeHeaderNames(msg, 'request_headers_to_remove', path, errors, true),
    responseHeadersToAdd: headersToAdd(msg, 'response_headers_to_add', path, errors),
    responseHeadersToRemove: decodeHeaderNames(msg, 'response_headers_to_remove', path, errors, true),
  };
}

function headersToAdd(msg: ProtoObject, field: string, path: string, errors: Errors) {
  const out = messages(msg, field, path, errors, (item, itemPath) => decodeHeaderValueOption(item, itemPath, errors));
  if (out.length > MAX_HEADERS_TO_ADD) errors.push({ path: fieldPath(path, field), message: `must have at most ${MAX_HEADERS_TO_ADD} entries, got ${out.length}` });
  return out;
}

/**
 * typed_per_filter_config: filter name → the Any as given (`@type` plus fields), for the filter
 * of that name to interpret. An Any of a type we cannot decode is an error unless it is wrapped in
 * route.v3.FilterConfig with is_optional (Envoy then ignores it).
 */
export function decodeTypedPerFilterConfig(msg: ProtoObject, path: string, errors: Errors): Record<string, ProtoObject> {
  const map = obj(msg, 'typed_per_filter_config', path, errors);
  const out: Record<string, ProtoObject> = {};
  if (map === null) return out;
  const base = fieldPath(path, 'typed_per_filter_config');
  for (const name of Object.keys(map)) {
    const value = map[name];
    // Map keys are filter names, kept verbatim in the path (not camelCased).
    const itemPath = `${base}[${JSON.stringify(name)}]`;
    if (name === '') errors.push({ path: itemPath, message: 'filter name must not be empty' });
    if (!isObject(value)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    if (typeUrlOf(value) === '') {
      errors.push({ path: itemPath, message: 'must be an Any with @type' });
      continue;
    }
    if (typeUrlOf(value) === FILTER_CONFIG_TYPE_URL) {
      const inner = obj(value, 'config', itemPath, errors);
      const optional = value.is_optional === true;
      if (inner !== null && inner[ANY_UNKNOWN_KEY] === true && !optional) {
        errors.push({ path: fieldPath(itemPath, 'config'), message: `unknown per-filter config type ${JSON.stringify(typeUrlOf(inner))} (mark it isOptional to skip it)` });
      }
      if (inner !== null && inner[ANY_UNKNOWN_KEY] === true && optional) continue;
    } else if (value[ANY_UNKNOWN_KEY] === true) {
      errors.push({ path: itemPath, message: `unknown per-filter config type ${JSON.stringify(typeUrlOf(value))}` });
      continue;
    } else if (typeUrlOf(value) === LOCAL_RATELIMIT_TYPE_URL) {
      decodeLocalRateLimit(value, itemPath, errors);
    }
    out[name] = value;
  }
  return out;
}

/** rate_limits: stage (≤ 10) and the descriptor actions (validated by rate-limit-action.ts), kept as given for the rate limit filter. */
export function decodeRateLimits(msg: ProtoObject, path: string, errors: Errors): RateLimit[] {
  return messages(msg, 'rate_limits', path, errors, (item, itemPath) => {
    // disable_key names a runtime key we never set: accepted and ignored.
    rejectUnsupported(item, itemPath, ['limit'], errors, 'dynamic metadata overrides');
    const stage = wrapped(item, 'stage', itemPath, errors, 0);
    if (!Number.isInteger(stage) || stage < 0 || stage > MAX_RATE_LIMIT_STAGE) {
      errors.push({ path: fieldPath(itemPath, 'stage'), message: `must be 0–${MAX_RATE_LIMIT_STAGE}, got ${stage}` });
    }
    const actions: ProtoObject[] = [];
    const items = list(item, 'actions', itemPath, errors);
    const actionsPath = fieldPath(itemPath, 'actions');
    if (items.length === 0) errors.push({ path: actionsPath, message: 'must have at least one action' });
    for (let i = 0; i < items.length; i++) {
      const action = items[i];
      if (isObject(action) && Object.keys(action).length > 0) {
        decodeRateLimitAction(action, joinPath(actionsPath, i), errors);
        actions.push(action);
      } else errors.push({ path: joinPath(actionsPath, i), message: 'must be a non-empty action message' });
    }
    return { stage, actions };
  });
}

/**
 * type.matcher.v3.RegexMatchAndSubstitute at `msg[field]`, or null when unset. The pattern is
 * compiled to validate it and the substitution checked against its capture groups.
 */
export function decodeRegexRewrite(msg: ProtoObject, field: string, path: string, errors: Errors): { pattern: string; substitution: string } | null {
  const rewrite = obj(msg, field, path, errors);
  if (rewrite === null) return null;
  const rewritePath = fieldPath(path, field);
  const patternMsg = obj(rewrite, 'pattern', rewritePath, errors);
  const patternPath = fieldPath(rewritePath, 'pattern');
  let pattern = '';
  const before = errors.length;
  if (patternMsg === null) errors.push({ path: patternPath, message: 'is required' });
  else pattern = decodeRegexMatcher(patternMsg, patternPath, errors);
  const substitution = str(rewrite, 'substitution', rewritePath, errors);
  const substitutionPath = fieldPath(rewritePath, 'substitution');
  if (!isHeaderValue(substitution)) errors.push({ path: substitutionPath, message: 'must not contain NUL, CR or LF' });
  if (errors.length === before) {
    const compiled = compileSafeRegex(pattern);
    const problem = compiled.ok ? checkRewriteString(compiled.regex, substitution) : null;
    if (problem !== null) errors.push({ path: substitutionPath, message: problem });
  }
  return { pattern, substitution };
}

/** A non-negative integer field (uint32 semantics) with an upper bound. */
export function uint(msg: ProtoObject, field: string, path: string, errors: Errors, max: number, fallback = 0): number {
  const n = num(msg, field, path, errors, fallback);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    errors.push({ path: fieldPath(path, field), message: `must be an integer 0–${max}, got ${n}` });
    return fallback;
  }
  return n;
}
