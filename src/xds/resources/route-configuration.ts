/**
 * envoy.config.route.v3.RouteConfiguration → deep-frozen RouteConfiguration view, with every
 * error collected under its camelCase path (`virtualHosts[2].routes[0].route.weightedClusters`).
 * Used by the router on RDS responses and inline HCM route_config, and by the control plane's
 * tests on what translate/ emits.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route.proto
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto
 *
 * Fields that would change routing but that we do not implement are refused as "not supported"
 * (the resource is NACKed); fields that only feed stats, tracing or metadata are accepted and
 * ignored. Regexes are compiled here only to validate them; router/routing compiles its own.
 */
import type { ProtoObject } from '../proto-object.js';
import { deepFreeze, fail, joinPath, ok, type ValidationResult } from '../validation.js';
import { decodeHeaderNames } from './common.js';
import { bool, enumOf, fieldPath, has, isObject, list, messages, obj, str, wrapped, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeRetryPolicy } from './retry-policy.js';
import { decodeRouteAction } from './route-action.js';
import type { Route, RouteConfiguration, VirtualHost } from './route-configuration.types.js';
import { decodeHeaderMutations, decodeRateLimits, decodeTypedPerFilterConfig } from './route-fields.js';
import { decodeRouteMatch } from './route-match.js';
import { decodeDirectResponseAction, decodeRedirectAction, DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES } from './route-redirect.js';

const DEFAULTS = {
  mostSpecificHeaderMutationsWins: false, // Envoy default (proto3 bool)
  maxDirectResponseBodySizeBytes: DEFAULT_MAX_DIRECT_RESPONSE_BODY_BYTES, // Envoy default
  requireTls: 'NONE', // Envoy default
} as const;

const CONFIG_UNSUPPORTED = [
  'vhds',
  'cluster_specifier_plugins',
  'request_mirror_policies',
  'ignore_port_in_host_matching',
  'ignore_path_parameters_in_path_matching',
  'typed_per_filter_config',
] as const;
// validate_clusters only makes Envoy NACK unknown cluster names (our cross-resource check does
// that); metadata is opaque: both accepted and ignored.

const VHOST_UNSUPPORTED = [
  'matcher',
  'retry_policy_typed_config',
  'hedge_policy',
  'include_is_timeout_retry_header',
  'request_mirror_policies',
] as const;
// virtual_clusters (stats), cors (only read by the CORS filter, which we do not have) and
// metadata are accepted and ignored.

const ROUTE_ACTIONS = ['route', 'redirect', 'direct_response', 'non_forwarding_action', 'filter_action'] as const;

/**
 * Decodes a RouteConfiguration given in the ProtoObject form. `path` prefixes every error path
 * ('' for a top-level RDS resource, `…routeConfig` for one inline in an HCM).
 */
export function decodeRouteConfiguration(msg: ProtoObject, path: string): ValidationResult<RouteConfiguration> {
  return decodeRouteConfigurationWith(msg, path, (maxBody, _base, errors) =>
    messages(msg, 'virtual_hosts', path, errors, (item, itemPath) => decodeVirtualHost(item, itemPath, errors, maxBody)),
  );
}

/**
 * decodeRouteConfiguration with the virtual hosts supplied by the caller: `virtualHosts(maxBody,
 * base, errors)` returns them decoded (decodeVirtualHostMessage; `base` is the path of the
 * `virtualHosts` field), and everything else — the other fields, the domain check across virtual
 * hosts — is done here. For a decoder that memoizes virtual hosts by their bytes (the router's
 * RDS client), so a one-tenant change does not re-decode every tenant.
 */
export function decodeRouteConfigurationWith(
  msg: ProtoObject,
  path: string,
  decodeVirtualHosts: (maxBody: number, base: string, errors: Errors) => VirtualHost[],
): ValidationResult<RouteConfiguration> {
  const errors: Errors = [];
  rejectUnsupported(msg, path, CONFIG_UNSUPPORTED, errors);
  const maxBody = wrapped(msg, 'max_direct_response_body_size_bytes', path, errors, DEFAULTS.maxDirectResponseBodySizeBytes);
  const virtualHosts = decodeVirtualHosts(maxBody, fieldPath(path, 'virtual_hosts'), errors);
  checkDomains(virtualHosts, fieldPath(path, 'virtual_hosts'), errors);
  const value: RouteConfiguration = {
    name: str(msg, 'name', path, errors),
    virtualHosts,
    internalOnlyHeaders: decodeHeaderNames(msg, 'internal_only_headers', path, errors, false),
    mostSpecificHeaderMutationsWins: bool(msg, 'most_specific_header_mutations_wins', path, errors, DEFAULTS.mostSpecificHeaderMutationsWins),
    ...decodeHeaderMutations(msg, path, errors),
  };
  return errors.length > 0 ? fail(errors) : ok(deepFreeze(value));
}

/**
 * One VirtualHost message of a RouteConfiguration whose max_direct_response_body_size_bytes is
 * `maxBody`, deep-frozen (see decodeRouteConfigurationWith). Domains are checked across virtual
 * hosts by the RouteConfiguration decoder, not here.
 */
export function decodeVirtualHostMessage(msg: ProtoObject, path: string, maxBody: number): ValidationResult<VirtualHost> {
  const errors: Errors = [];
  const value = decodeVirtualHost(msg, path, errors, maxBody);
  return errors.length > 0 ? fail(errors) : ok(deepFreeze(value));
}

function decodeVirtualHost(msg: ProtoObject, path: string, errors: Errors, maxBody: number): VirtualHost {
  rejectUnsupported(msg, path, VHOST_UNSUPPORTED, errors);
  const name = str(msg, 'name', path, errors);
  if (name === '') errors.push({ path: fieldPath(path, 'name'), message: 'is required' });
  const retry = obj(msg, 'retry_policy', path, errors);
  return {
    name,
    domains: decodeDomains(msg, path, errors),
    routes: messages(msg, 'routes', path, errors, (item, itemPath) => decodeRoute(item, itemPath, errors, maxBody)),
    requireTls: enumOf(msg, 'require_tls', path, errors, ['NONE', 'EXTERNAL_ONLY', 'ALL'] as const, DEFAULTS.requireTls),
    retryPolicy: retry === null ? null : decodeRetryPolicy(retry, fieldPath(path, 'retry_policy'), errors),
    typedPerFilterConfig: decodeTypedPerFilterConfig(msg, path, errors),
    rateLimits: decodeRateLimits(msg, path, errors),
    includeRequestAttemptCount: bool(msg, 'include_request_attempt_count', path, errors),
    includeAttemptCountInResponse: bool(msg, 'include_attempt_count_in_response', path, errors),
    perRequestBufferLimitBytes: optionalUint32(msg, 'per_request_buffer_limit_bytes', path, errors),
    ...decodeHeaderMutations(msg, path, errors),
  };
}

/**
 * domains: at least one; lower-cased; '*' alone, or one '*' at the start or the end
 * ('*.foo.com', 'foo.*'); an optional ':port' suffix.
 */
function decodeDomains(msg: ProtoObject, path: string, errors: Errors): string[] {
  const base = fieldPath(path, 'domains');
  const items = list(msg, 'domains', path, errors);
  if (items.length === 0 && (msg.domains === undefined || msg.domains === null || Array.isArray(msg.domains))) errors.push({ path: base, message: 'must have at least one domain' });
  const out: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (typeof item !== 'string') {
      errors.push({ path: itemPath, message: 'must be a string' });
      continue;
    }
    const domain = item.toLowerCase();
    const stars = domain.split('*').length - 1;
    if (domain === '') errors.push({ path: itemPath, message: 'must not be empty' });
    else if (/[\s\0/?#@]/.test(domain)) errors.push({ path: itemPath, message: `${JSON.stringify(item)} is not a valid domain` });
    else if (domain !== '*' && (stars > 1 || (stars === 1 && !domain.startsWith('*') && !domain.endsWith('*')))) {
      errors.push({ path: itemPath, message: `${JSON.stringify(item)}: a wildcard '*' may only be the whole domain or appear once, at its start or end` });
    }
    out.push(domain);
  }
  return out;
}

/** Envoy: a domain may appear only once in the whole route configuration ("only unique values for domains are permitted"). */
function checkDomains(virtualHosts: readonly VirtualHost[], base: string, errors: Errors): void {
  const seen = new Map<string, string>();
  for (let v = 0; v < virtualHosts.length; v++) {
    const domains = virtualHosts[v].domains;
    for (let d = 0; d < domains.length; d++) {
      const domain = domains[d];
      if (domain === '') continue;
      const here = joinPath(fieldPath(joinPath(base, v), 'domains'), d);
      const first = seen.get(domain);
      if (first !== undefined) errors.push({ path: here, message: `duplicate domain ${JSON.stringify(domain)} (also ${first}): a domain may appear in only one virtual host` });
      else seen.set(domain, here);
    }
  }
}

function decodeRoute(msg: ProtoObject, path: string, errors: Errors, maxBody: number): Route {
  // decorator, tracing (tracing), stat_prefix (stats) and metadata are accepted and ignored.
  const matchMsg = obj(msg, 'match', path, errors);
  const matchPath = fieldPath(path, 'match');
  if (matchMsg === null) errors.push({ path: matchPath, message: 'is required' });
  return {
    name: str(msg, 'name', path, errors),
    match: decodeRouteMatch(matchMsg ?? { prefix: '/' }, matchPath, matchMsg === null ? [] : errors),
    action: decodeAction(msg, path, errors, maxBody),
    typedPerFilterConfig: decodeTypedPerFilterConfig(msg, path, errors),
    perRequestBufferLimitBytes: optionalUint32(msg, 'per_request_buffer_limit_bytes', path, errors),
    ...decodeHeaderMutations(msg, path, errors),
  };
}

/** A UInt32Value that may be absent (null): per_request_buffer_limit_bytes. */
function optionalUint32(msg: ProtoObject, field: string, path: string, errors: Errors): number | null {
  if (!has(msg, field)) return null;
  const v = wrapped(msg, field, path, errors, 0);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    errors.push({ path: fieldPath(path, field), message: `must be an integer 0–4294967295, got ${v}` });
    return null;
  }
  return v;
}

/** The action oneof: exactly one of route, redirect, direct_response, non_forwarding_action. */
function decodeAction(msg: ProtoObject, path: string, errors: Errors, maxBody: number): Route['action'] {
  const set = ROUTE_ACTIONS.filter((f) => has(msg, f));
  const nonForwarding = { kind: 'nonForwarding' } as const;
  if (set.length === 0) {
    errors.push({ path, message: 'must set one action: route, redirect, directResponse or nonForwardingAction' });
    return nonForwarding;
  }
  if (set.length > 1) errors.push({ path, message: `must set only one action, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  const field = set[0];
  const actionPath = fieldPath(path, field);
  const action = msg[field];
  if (!isObject(action)) {
    errors.push({ path: actionPath, message: 'must be a message' });
    return nonForwarding;
  }
  switch (field) {
    case 'route':
      return decodeRouteAction(action, actionPath, errors);
    case 'redirect':
      return decodeRedirectAction(action, actionPath, errors);
    case 'direct_response':
      return decodeDirectResponseAction(action, actionPath, errors, maxBody);
    case 'non_forwarding_action':
      return nonForwarding;
    case 'filter_action':
      errors.push({ path: actionPath, message: 'is not supported' });
      return nonForwarding;
  }
}
