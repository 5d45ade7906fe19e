/**
 * config.route.v3.RouteAction → RouteAction view: cluster specifier, rewrites, timeouts, retry and
 * hash policies, upgrades, rate limits.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction
 */
import type { ProtoObject } from '../proto-object.js';
import { joinPath } from '../validation.js';
import { isHeaderName, isHeaderValue } from './common.js';
import { bool, durationMs, fieldPath, has, isObject, list, messages, obj, str, wrapped, wrappedBool, type Errors } from './fields.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeRetryPolicy } from './retry-policy.js';
import type { ClusterSpecifier, HashPolicy, RouteAction, UpgradeConfig, WeightedCluster } from './route-configuration.types.js';
import { decodeHeaderMutations, decodeRateLimits, decodeRegexRewrite, decodeTypedPerFilterConfig } from './route-fields.js';

const DEFAULTS = {
  timeoutMs: 15_000, // Envoy default (RouteAction.timeout)
  upgradeEnabled: true, // Envoy default (UpgradeConfig.enabled)
  includeVhRateLimits: false, // Envoy default
} as const;

/** Envoy: the sum of the weights must fit in a uint32. */
const MAX_TOTAL_WEIGHT = 0xffff_ffff;

/** Fields that change what Envoy does and that we do not implement. */
const UNSUPPORTED = [
  'cluster_specifier_plugin',
  'inline_cluster_specifier_plugin',
  'metadata_match',
  'path_rewrite_policy',
  'host_rewrite_path_regex',
  'append_x_forwarded_host',
  'early_data_policy',
  'retry_policy_typed_config',
  'request_mirror_policies',
  'internal_redirect_policy',
  'max_internal_redirects',
  'hedge_policy',
  'max_grpc_timeout',
  'grpc_timeout_offset',
] as const;

export function decodeRouteAction(msg: ProtoObject, path: string, errors: Errors): RouteAction {
  rejectUnsupported(msg, path, UNSUPPORTED, errors);
  // Enums where only the default is implemented.
  onlyDefault(msg, 'cluster_not_found_response_code', 'SERVICE_UNAVAILABLE', path, errors);
  onlyDefault(msg, 'priority', 'DEFAULT', path, errors);
  onlyDefault(msg, 'internal_redirect_action', 'PASS_THROUGH_INTERNAL_REDIRECT', path, errors);
  // cors (deprecated) only acts through the CORS filter, which the router does not have: ignored as Envoy would.

  const prefixRewrite = has(msg, 'prefix_rewrite') ? str(msg, 'prefix_rewrite', path, errors) : null;
  if (prefixRewrite !== null && !isHeaderValue(prefixRewrite)) errors.push({ path: fieldPath(path, 'prefix_rewrite'), message: 'must not contain NUL, CR or LF' });
  const regexRewrite = decodeRegexRewrite(msg, 'regex_rewrite', path, errors);
  if (prefixRewrite !== null && regexRewrite !== null) {
    errors.push({ path: fieldPath(path, 'regex_rewrite'), message: 'cannot be set together with prefixRewrite' });
  }

  const retry = obj(msg, 'retry_policy', path, errors);
  const maxStream = obj(msg, 'max_stream_duration', path, errors);
  const maxStreamPath = fieldPath(path, 'max_stream_duration');
  if (maxStream !== null) rejectUnsupported(maxStream, maxStreamPath, ['grpc_timeout_header_offset'], errors);

  return {
    kind: 'route',
    cluster: decodeClusterSpecifier(msg, path, errors),
    prefixRewrite,
    regexRewrite,
    hostRewrite: decodeHostRewrite(msg, path, errors),
    timeoutMs: durationMs(msg, 'timeout', path, errors, DEFAULTS.timeoutMs),
    idleTimeoutMs: durationMs(msg, 'idle_timeout', path, errors, -1), // unset: the HCM's stream_idle_timeout applies
    retryPolicy: retry === null ? null : decodeRetryPolicy(retry, fieldPath(path, 'retry_policy'), errors),
    hashPolicy: messages(msg, 'hash_policy', path, errors, (item, itemPath) => decodeHashPolicy(item, itemPath, errors)).filter((h): h is HashPolicy => h !== null),
    maxStreamDurationMs: maxStream === null ? 0 : durationMs(maxStream, 'max_stream_duration', maxStreamPath, errors, 0),
    grpcTimeoutHeaderMaxMs: maxStream === null || !has(maxStream, 'grpc_timeout_header_max') ? null : durationMs(maxStream, 'grpc_timeout_header_max', maxStreamPath, errors, 0),
    upgradeConfigs: decodeUpgradeConfigs(msg, path, errors),
    rateLimits: decodeRateLimits(msg, path, errors),
    includeVhRateLimits: wrappedBool(msg, 'include_vh_rate_limits', path, errors, DEFAULTS.includeVhRateLimits),
  };
}

function onlyDefault(msg: ProtoObject, field: string, allowed: string, path: string, errors: Errors): void {
  const v = msg[field];
  if (v !== undefined && v !== null && v !== allowed) errors.push({ path: fieldPath(path, field), message: `only ${allowed} is supported, got ${JSON.stringify(v)}` });
}

const CLUSTER_SPECIFIERS = ['cluster', 'cluster_header', 'weighted_clusters'] as const;

function decodeClusterSpecifier(msg: ProtoObject, path: string, errors: Errors): ClusterSpecifier {
  const set = CLUSTER_SPECIFIERS.filter((f) => has(msg, f));
  const fallback: ClusterSpecifier = { kind: 'cluster', name: '' };
  if (set.length === 0) {
    if (!has(msg, 'cluster_specifier_plugin') && !has(msg, 'inline_cluster_specifier_plugin')) {
      errors.push({ path, message: 'must set one of cluster, clusterHeader, weightedClusters' });
    }
    return fallback;
  }
  if (set.length > 1) errors.push({ path, message: `must set only one of cluster, clusterHeader, weightedClusters, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  if (set[0] === 'cluster') {
    const name = str(msg, 'cluster', path, errors);
    if (name === '') errors.push({ path: fieldPath(path, 'cluster'), message: 'must not be empty' });
    return { kind: 'cluster', name };
  }
  if (set[0] === 'cluster_header') {
    const header = str(msg, 'cluster_header', path, errors).toLowerCase();
    checkHeaderName(header, fieldPath(path, 'cluster_header'), errors);
    return { kind: 'clusterHeader', header };
  }
  const weighted = obj(msg, 'weighted_clusters', path, errors);
  return weighted === null ? fallback : decodeWeightedClusters(weighted, fieldPath(path, 'weighted_clusters'), errors);
}

function checkHeaderName(name: string, path: string, errors: Errors): void {
  if (name === '') errors.push({ path, message: 'must not be empty' });
  else if (!isHeaderName(name, true)) errors.push({ path, message: `${JSON.stringify(name)} is not a valid header name` });
}

/**
 * weighted_clusters: at least one cluster, each named; weights sum to 1–4294967295 and, when the
 * deprecated total_weight is given, to exactly that. runtime_key_prefix is ignored (no runtime).
 */
function decodeWeightedClusters(msg: ProtoObject, path: string, errors: Errors): ClusterSpecifier {
  const clusters: WeightedCluster[] = messages(msg, 'clusters', path, errors, (item, itemPath) => {
    rejectUnsupported(item, itemPath, ['cluster_header', 'metadata_match', 'host_rewrite_literal'], errors);
    const name = str(item, 'name', itemPath, errors);
    if (name === '' && !has(item, 'cluster_header')) errors.push({ path: fieldPath(itemPath, 'name'), message: 'must not be empty' });
    const weight = wrapped(item, 'weight', itemPath, errors, 0);
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_TOTAL_WEIGHT) {
      errors.push({ path: fieldPath(itemPath, 'weight'), message: `must be an integer 0–${MAX_TOTAL_WEIGHT}, got ${weight}` });
    }
    return { name, weight, ...decodeHeaderMutations(item, itemPath, errors), typedPerFilterConfig: decodeTypedPerFilterConfig(item, itemPath, errors) };
  });
  const rawClusters = msg.clusters;
  if (rawClusters === undefined || rawClusters === null || (Array.isArray(rawClusters) && rawClusters.length === 0)) {
    errors.push({ path: fieldPath(path, 'clusters'), message: 'must have at least one cluster' });
  }
  let sum = 0;
  for (const c of clusters) sum += c.weight;
  if (clusters.length > 0 && sum <= 0) errors.push({ path, message: 'the sum of the weights must be greater than 0' });
  if (sum > MAX_TOTAL_WEIGHT) errors.push({ path, message: `the sum of the weights must be at most ${MAX_TOTAL_WEIGHT}, got ${sum}` });
  if (has(msg, 'total_weight')) {
    const total = wrapped(msg, 'total_weight', path, errors, sum);
    if (total !== sum) errors.push({ path: fieldPath(path, 'total_weight'), message: `must equal the sum of the weights (${sum}), got ${total}` });
  }
  let headerName: string | null = null;
  if (has(msg, 'header_name')) {
    headerName = str(msg, 'header_name', path, errors).toLowerCase();
    checkHeaderName(headerName, fieldPath(path, 'header_name'), errors);
  }
  return { kind: 'weightedClusters', clusters, totalWeight: sum, headerName };
}

const HOST_REWRITES = ['host_rewrite_literal', 'auto_host_rewrite', 'host_rewrite_header'] as const;

/** host_rewrite_specifier: at most one of literal / auto (BoolValue, false = none) / header. */
function decodeHostRewrite(msg: ProtoObject, path: string, errors: Errors): RouteAction['hostRewrite'] {
  const set = HOST_REWRITES.filter((f) => has(msg, f));
  if (set.length > 1) errors.push({ path, message: `must set at most one of hostRewriteLiteral, autoHostRewrite, hostRewriteHeader, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  switch (set[0]) {
    case 'host_rewrite_literal': {
      const value = str(msg, 'host_rewrite_literal', path, errors);
      if (!isHeaderValue(value)) errors.push({ path: fieldPath(path, 'host_rewrite_literal'), message: 'must not contain NUL, CR or LF' });
      return { kind: 'literal', value };
    }
    case 'auto_host_rewrite':
      return wrappedBool(msg, 'auto_host_rewrite', path, errors, false) ? { kind: 'auto' } : { kind: 'none' };
    case 'host_rewrite_header': {
      const header = str(msg, 'host_rewrite_header', path, errors).toLowerCase();
      checkHeaderName(header, fieldPath(path, 'host_rewrite_header'), errors);
      return { kind: 'header', header };
    }
    default:
      return { kind: 'none' };
  }
}

/** One hash_policy entry; filter_state and header.regex_rewrite / cookie.attributes are refused. */
function decodeHashPolicy(msg: ProtoObject, path: string, errors: Errors): HashPolicy | null {
  rejectUnsupported(msg, path, ['filter_state'], errors);
  const terminal = bool(msg, 'terminal', path, errors);
  const set = ['header', 'cookie', 'connection_properties', 'query_parameter'].filter((f) => has(msg, f));
  if (set.length > 1) errors.push({ path, message: `must set only one policy, got ${set.map((f) => fieldPath('', f)).join(', ')}` });
  const field = set[0];
  if (field === undefined) {
    if (!has(msg, 'filter_state')) errors.push({ path, message: 'must set one of header, cookie, connectionProperties, queryParameter' });
    return null;
  }
  const spec = obj(msg, field, path, errors);
  if (spec === null) return null;
  const specPath = fieldPath(path, field);
  switch (field) {
    case 'header': {
      rejectUnsupported(spec, specPath, ['regex_rewrite'], errors);
      const headerName = str(spec, 'header_name', specPath, errors).toLowerCase();
      checkHeaderName(headerName, fieldPath(specPath, 'header_name'), errors);
      return { kind: 'header', headerName, terminal };
    }
    case 'cookie': {
      rejectUnsupported(spec, specPath, ['attributes'], errors);
      const name = str(spec, 'name', specPath, errors);
      if (name === '') errors.push({ path: fieldPath(specPath, 'name'), message: 'is required' });
      // A ttl makes Envoy generate the cookie when absent; ttl 0 makes it a session cookie.
      const ttlMs = has(spec, 'ttl') ? durationMs(spec, 'ttl', specPath, errors, 0) : null;
      return { kind: 'cookie', name, ttlMs, path: str(spec, 'path', specPath, errors), terminal };
    }
    case 'connection_properties':
      if (!bool(spec, 'source_ip', specPath, errors)) {
        errors.push({ path: fieldPath(specPath, 'source_ip'), message: 'must be true (it is the only connection property)' });
        return null;
      }
      return { kind: 'sourceIp', terminal };
    default: {
      const name = str(spec, 'name', specPath, errors);
      if (name === '') errors.push({ path: fieldPath(specPath, 'name'), message: 'is required' });
      return { kind: 'queryParameter', name, terminal };
    }
  }
}

/** upgrade_configs: unique (case-insensitive) upgrade types; CONNECT tunnelling config is refused. */
function decodeUpgradeConfigs(msg: ProtoObject, path: string, errors: Errors): UpgradeConfig[] {
  const base = fieldPath(path, 'upgrade_configs');
  const seen = new Map<string, number>();
  const items = list(msg, 'upgrade_configs', path, errors);
  const out: UpgradeConfig[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    rejectUnsupported(item, itemPath, ['connect_config'], errors);
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
