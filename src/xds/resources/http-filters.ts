/**
 * HttpConnectionManager.http_filters → HttpFilter views, with Envoy's chain rules: names are
 * unique, the router (the only terminal filter we know) is last and only last, and an unknown
 * filter is an error unless it is marked is_optional (then it is left out, as Envoy does).
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/http_filters#filter-ordering
 */
import type { ProtoObject } from '../proto-object.js';
import { ANY_UNKNOWN_KEY } from '../proto-object.js';
import { LOCAL_RATELIMIT_TYPE_URL, RATELIMIT_FILTER_TYPE_URL, ROUTER_FILTER_TYPE_URL } from '../type-urls.js';
import { joinPath } from '../validation.js';
import { bool, fieldPath, has, isObject, list, obj, str, typeUrlOf, type Errors } from './fields.js';
import type { HttpFilter } from './listener.types.js';
import { decodeLocalRateLimit } from './local-rate-limit.js';
import { rejectUnsupported } from './not-supported.js';
import { decodeRateLimitFilter } from './ratelimit-filter.js';

/** The HTTP filters the router implements, by typed_config type URL. */
export const KNOWN_HTTP_FILTER_TYPE_URLS: ReadonlySet<string> = new Set([ROUTER_FILTER_TYPE_URL, LOCAL_RATELIMIT_TYPE_URL, RATELIMIT_FILTER_TYPE_URL]);

/** Decodes http_filters of the HCM at `path`. Also returns the router filter's config, if any. */
export function decodeHttpFilters(
  hcm: ProtoObject,
  path: string,
  errors: Errors,
): { filters: HttpFilter[]; router: ProtoObject | null; routerPath: string } {
  const base = fieldPath(path, 'http_filters');
  const items = list(hcm, 'http_filters', path, errors);
  if (items.length === 0) {
    errors.push({ path: base, message: `must not be empty: the last filter must be ${ROUTER_FILTER_TYPE_URL}` });
    return { filters: [], router: null, routerPath: '' };
  }
  const filters: HttpFilter[] = [];
  const names = new Map<string, number>();
  let router: ProtoObject | null = null;
  let routerPath = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemPath = joinPath(base, i);
    if (!isObject(item)) {
      errors.push({ path: itemPath, message: 'must be a message' });
      continue;
    }
    const name = str(item, 'name', itemPath, errors);
    if (name === '') errors.push({ path: fieldPath(itemPath, 'name'), message: 'is required' });
    const first = names.get(name);
    if (name !== '' && first !== undefined) {
      errors.push({ path: fieldPath(itemPath, 'name'), message: `duplicate HTTP filter name "${name}" (also ${joinPath(base, first)})` });
    } else names.set(name, i);

    const isOptional = bool(item, 'is_optional', itemPath, errors);
    const disabled = bool(item, 'disabled', itemPath, errors);
    const isLast = i === items.length - 1;
    if (has(item, 'config_discovery')) {
      errors.push({ path: fieldPath(itemPath, 'config_discovery'), message: 'is not supported (ECDS), use typedConfig' });
      continue;
    }
    const config = obj(item, 'typed_config', itemPath, errors);
    const configPath = fieldPath(itemPath, 'typed_config');
    if (config === null) {
      errors.push({ path: configPath, message: 'is required' });
      continue;
    }
    const typeUrl = typeUrlOf(config);
    if (!KNOWN_HTTP_FILTER_TYPE_URLS.has(typeUrl) || config[ANY_UNKNOWN_KEY] === true) {
      if (!isOptional) {
        errors.push({ path: fieldPath(configPath, '@type'), message: `unsupported HTTP filter ${JSON.stringify(typeUrl)} (mark it isOptional to skip it)` });
      }
      continue;
    }
    if (typeUrl === ROUTER_FILTER_TYPE_URL) {
      if (!isLast) errors.push({ path: itemPath, message: 'the router filter must be the last HTTP filter' });
      if (disabled) errors.push({ path: fieldPath(itemPath, 'disabled'), message: 'the router filter cannot be disabled' });
      checkRouterConfig(config, configPath, errors);
      router = config;
      routerPath = configPath;
    } else if (isLast) {
      errors.push({ path: itemPath, message: `the last HTTP filter must be the router (${ROUTER_FILTER_TYPE_URL}), got ${JSON.stringify(typeUrl)}` });
    } else if (typeUrl === LOCAL_RATELIMIT_TYPE_URL) {
      decodeLocalRateLimit(config, configPath, errors);
    } else if (typeUrl === RATELIMIT_FILTER_TYPE_URL) {
      decodeRateLimitFilter(config, configPath, errors);
    }
    filters.push({ name, typeUrl, config, isOptional, disabled });
  }
  if (items.length > 0 && router === null && !errors.some((e) => e.path.startsWith(base))) {
    errors.push({ path: base, message: `must end with the router filter (${ROUTER_FILTER_TYPE_URL})` });
  }
  return { filters, router, routerPath };
}

/** envoy.extensions.filters.http.router.v3.Router: refuse what changes behaviour and we don't do. */
function checkRouterConfig(config: ProtoObject, path: string, errors: Errors): void {
  rejectUnsupported(config, path, ['upstream_log', 'upstream_log_options', 'respect_expected_rq_timeout', 'upstream_http_filters'], errors);
  // dynamic_stats, start_child_span, strict_check_headers and suppress_grpc_request_failure_code_stats
  // only affect stats, tracing and header validation detail: accepted and ignored.
}
