/**
 * config.route.v3.RouteMatch → RouteMatch view.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routematch
 */
import { Buffer } from 'node:buffer';
import type { ProtoObject } from '../proto-object.js';
import { decodeFractionalPercent, decodeHeaderMatcher, decodeRegexMatcher, decodeStringMatcher } from './common.js';
import { bool, fieldPath, has, messages, obj, str, wrappedBool, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';
import type { PathSpecifier, QueryParameterMatcher, RouteMatch } from './route-configuration.types.js';

const DEFAULTS = {
  caseSensitive: true, // Envoy default
} as const;

const PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex', 'path_separated_prefix', 'connect_matcher', 'path_match_policy'] as const;
/** Envoy's cap on a query parameter name (PGV max_bytes). */
const MAX_QUERY_PARAMETER_NAME_BYTES = 1024;

export function decodeRouteMatch(msg: ProtoObject, path: string, errors: Errors): RouteMatch {
  // tls_context and dynamic_metadata narrow matching on data we do not evaluate: refusing them keeps
  // a route from matching more than it would in Envoy.
  rejectUnsupported(msg, path, ['tls_context', 'dynamic_metadata'], errors);

  let runtimeFraction: RouteMatch['runtimeFraction'] = null;
  const runtime = obj(msg, 'runtime_fraction', path, errors);
  if (runtime !== null) {
    const runtimePath = fieldPath(path, 'runtime_fraction');
    // runtime_key names a runtime value we never set, so default_value always applies.
    const value = obj(runtime, 'default_value', runtimePath, errors);
    if (value === null) errors.push({ path: fieldPath(runtimePath, 'default_value'), message: 'is required' });
    else runtimeFraction = decodeFractionalPercent(value, fieldPath(runtimePath, 'default_value'), errors);
  }

  return {
    path: decodePathSpecifier(msg, path, errors),
    caseSensitive: wrappedBool(msg, 'case_sensitive', path, errors, DEFAULTS.caseSensitive),
    headers: messages(msg, 'headers', path, errors, (item, itemPath) => decodeHeaderMatcher(item, itemPath, errors)),
    queryParameters: messages(msg, 'query_parameters', path, errors, (item, itemPath) => decodeQueryParameterMatcher(item, itemPath, errors)),
    runtimeFraction,
    grpc: has(msg, 'grpc'),
  };
}

/** The path_specifier oneof: exactly one is required. */
function decodePathSpecifier(msg: ProtoObject, path: string, errors: Errors): PathSpecifier {
  const set = PATH_SPECIFIERS.filter((f) => has(msg, f));
  const fallback: PathSpecifier = { kind: 'prefix', value: '/' };
  if (set.length === 0) {
    errors.push({ path, message: 'must set one of prefix, path, safeRegex, pathSeparatedPrefix, connectMatcher' });
    return fallback;
  }
  if (set.length > 1) {
    errors.push({ path, message: `must set only one of prefix, path, safeRegex, pathSeparatedPrefix, connectMatcher, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  }
  switch (set[0]) {
    case 'prefix':
      return { kind: 'prefix', value: str(msg, 'prefix', path, errors) };
    case 'path':
      return { kind: 'path', value: str(msg, 'path', path, errors) };
    case 'safe_regex': {
      const regex = obj(msg, 'safe_regex', path, errors);
      return { kind: 'safeRegex', value: regex === null ? '' : decodeRegexMatcher(regex, fieldPath(path, 'safe_regex'), errors) };
    }
    case 'path_separated_prefix': {
      const value = str(msg, 'path_separated_prefix', path, errors);
      checkPathSeparatedPrefix(value, fieldPath(path, 'path_separated_prefix'), errors);
      return { kind: 'pathSeparatedPrefix', value };
    }
    case 'connect_matcher':
      return { kind: 'connectMatcher' };
    case 'path_match_policy':
      errors.push({ path: fieldPath(path, 'path_match_policy'), message: 'is not supported (path template extensions)' });
      return fallback;
  }
}

/** Envoy: `^[^?#]+[^?#/]$`, and it must start with '/' (so '/' alone is not allowed: use prefix '/'). */
function checkPathSeparatedPrefix(value: string, path: string, errors: Errors): void {
  if (!value.startsWith('/')) errors.push({ path, message: `must start with '/', got ${JSON.stringify(value)}` });
  else if (/[?#]/.test(value)) errors.push({ path, message: `must not contain '?' or '#', got ${JSON.stringify(value)}` });
  else if (value.endsWith('/')) errors.push({ path, message: `must not end with '/', got ${JSON.stringify(value)}` });
}

/** config.route.v3.QueryParameterMatcher; neither string_match nor present_match means "present". */
function decodeQueryParameterMatcher(msg: ProtoObject, path: string, errors: Errors): QueryParameterMatcher {
  const name = str(msg, 'name', path, errors);
  if (name === '') errors.push({ path: fieldPath(path, 'name'), message: 'is required' });
  else if (Buffer.byteLength(name) > MAX_QUERY_PARAMETER_NAME_BYTES) {
    errors.push({ path: fieldPath(path, 'name'), message: `must be at most ${MAX_QUERY_PARAMETER_NAME_BYTES} bytes` });
  }
  if (has(msg, 'string_match') && has(msg, 'present_match')) errors.push({ path, message: 'must set only one of stringMatch, presentMatch' });
  const stringMatch = obj(msg, 'string_match', path, errors);
  if (stringMatch !== null) return { name, match: { kind: 'string', matcher: decodeStringMatcher(stringMatch, fieldPath(path, 'string_match'), errors) } };
  if (has(msg, 'present_match')) return { name, match: { kind: 'present', present: bool(msg, 'present_match', path, errors) } };
  return { name, match: { kind: 'present', present: true } };
}
