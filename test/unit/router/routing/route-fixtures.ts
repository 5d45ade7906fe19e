/**
 * Builders for validated RouteConfiguration views (the shape xds/resources decoders produce), with
 * Envoy's defaults, so routing tests state only what they care about.
 */
import type { HeaderValueOption } from '../../../../src/xds/resources/common.types.js';
import type {
  HeaderMutations,
  Route,
  RouteAction,
  RouteConfiguration,
  RouteMatch,
  VirtualHost,
} from '../../../../src/xds/resources/route-configuration.types.js';
import type { RouteRequest } from '../../../../src/router/routing/route-request.js';

const NO_MUTATIONS: HeaderMutations = { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] };

export function match(m: Partial<RouteMatch> = {}): RouteMatch {
  return { path: { kind: 'prefix', value: '/' }, caseSensitive: true, headers: [], queryParameters: [], runtimeFraction: null, grpc: false, ...m };
}

export function routeAction(a: Partial<RouteAction> = {}): RouteAction {
  return {
    kind: 'route',
    cluster: { kind: 'cluster', name: 'default' },
    prefixRewrite: null,
    regexRewrite: null,
    hostRewrite: { kind: 'none' },
    timeoutMs: 15_000,
    idleTimeoutMs: -1,
    retryPolicy: null,
    hashPolicy: [],
    maxStreamDurationMs: 0,
    grpcTimeoutHeaderMaxMs: null,
    upgradeConfigs: [],
    rateLimits: [],
    includeVhRateLimits: false,
    ...a,
  };
}

export function route(r: Partial<Route> = {}): Route {
  return { ...NO_MUTATIONS, name: '', match: match(), action: routeAction(), typedPerFilterConfig: {}, perRequestBufferLimitBytes: null, ...r };
}

export function vhost(v: Partial<VirtualHost> = {}): VirtualHost {
  return {
    ...NO_MUTATIONS,
    name: 'vh',
    domains: ['*'],
    routes: [route()],
    requireTls: 'NONE',
    retryPolicy: null,
    typedPerFilterConfig: {},
    rateLimits: [],
    includeRequestAttemptCount: false,
    includeAttemptCountInResponse: false,
    perRequestBufferLimitBytes: null,
    ...v,
  };
}

export function routeConfig(c: Partial<RouteConfiguration> = {}): RouteConfiguration {
  return { ...NO_MUTATIONS, name: 'rc', virtualHosts: [vhost()], internalOnlyHeaders: [], mostSpecificHeaderMutationsWins: false, ...c };
}

export function header(key: string, value: string, appendAction: HeaderValueOption['appendAction'] = 'APPEND_IF_EXISTS_OR_ADD', keepEmptyValue = false): HeaderValueOption {
  return { key, value, appendAction, keepEmptyValue };
}

export const TABLE_OPTIONS = { stripMatchingHostPort: false, stripAnyHostPort: false, stripTrailingHostDot: false, listenerPort: 8080 };

/** A request from a URL-ish path ('/a?b=1') and flat headers. */
export function request(pathAndQuery: string, headers: string[] = [], method = 'GET', scheme: 'http' | 'https' = 'http', authority = 'example.com'): RouteRequest {
  const q = pathAndQuery.indexOf('?');
  return {
    method,
    path: q === -1 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: q === -1 ? '' : pathAndQuery.slice(q + 1),
    headers,
    scheme,
    authority,
  };
}
